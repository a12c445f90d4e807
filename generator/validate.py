"""Review content/: every problem in every paper file and topics.yml, with its line.

`python -m generator check` and every build run this. It is pure and fast:
`check_content` returns the problems and `run_check` is the only part that
prints. The work is split by stage, each in its own module:

- `yamlnodes`: a file's node tree, so every value has its line and column;
- `topicscheck` and `papercheck` (with the single-field rules of `fieldcheck`):
  one file at a time, then the paper schema as a catch-all;
- `crosscheck`: duplicates, redirects and unused topics across files;
- `report`: text lines, GitHub annotations and the job summary.

One bad file never stops the review: every file is checked and every problem
is reported, sorted, before anything fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from generator.crosscheck import cross_check
from generator.errors import Problem
from generator.fieldcheck import MAX_SLUG, is_slug, url_problem
from generator.papercheck import check_paper, check_schema, schema_validator
from generator.report import print_report
from generator.topicscheck import check_topics
from generator.yamlnodes import Doc, parse_file

__all__ = ["check_content", "checked_file_count", "is_slug", "run_check", "url_problem"]


def _normalize_functions() -> tuple[Callable[[str], str] | None, Callable[[str], str] | None]:
    try:
        from generator.normalize import classify, title_key
    except ImportError:  # pragma: no cover - only while normalize.py is being written
        return None, None
    return classify, title_key


def _listed_papers(content_dir: Path) -> list[Path]:
    """The files in content/papers/, hidden ones aside, in no particular order."""
    papers_dir = content_dir / "papers"
    if not papers_dir.is_dir():
        return []
    return [p for p in papers_dir.iterdir() if p.is_file() and not p.name.startswith(".")]


def _file_problem(display: str, message: str) -> Problem:
    return Problem(display, 1, 1, "error", message)


def _paper_files(
    content_dir: Path, paths: list[Path] | None, problems: list[Problem]
) -> tuple[list[tuple[Path, str]], set[str] | None, bool]:
    """Every paper file as (path, display path), the display paths to report on, and
    whether topics.yml is reported on."""
    files = sorted(_listed_papers(content_dir))
    if paths is None:
        return [(p, str(p)) for p in files], None, True
    by_real = {p.resolve(): (p, str(p)) for p in files}
    wanted: set[str] = set()
    topics_wanted = False
    topics_real = (content_dir / "topics.yml").resolve()
    for given in paths:
        real = given.resolve()
        if real == topics_real:
            topics_wanted = True
        elif real in by_real or given.is_file():
            by_real[real] = (given, str(given))
            wanted.add(str(given))
        else:
            problems.append(
                _file_problem(
                    str(given), "file not found; expected a paper file (content/papers/<slug>.yml)"
                )
            )
    return list(by_real.values()), wanted, topics_wanted


def _file_name_problem(path: Path, display: str) -> Problem | None:
    """A paper's file name is its URL: a .yml file named by a slug."""
    if path.suffix != ".yml":
        return _file_problem(
            display,
            f"file name '{path.name}': expected "
            f"a paper file ending in .yml, found '{path.suffix or 'no extension'}'",
        )
    if not is_slug(path.stem):
        from slugify import slugify

        fixed = slugify(path.stem, max_length=MAX_SLUG) or "a-slug"
        return _file_problem(
            display,
            f"file name '{path.name}': expected "
            f"a slug (lowercase a-z, 0-9 and single hyphens, at most {MAX_SLUG} "
            f"characters) with .yml, e.g. '{fixed}.yml'",
        )
    return None


def check_content(content_dir: Path, paths: list[Path] | None = None) -> list[Problem]:
    """Every problem in content/ (or in `paths`, compared against all of content/), sorted."""
    content_dir = Path(content_dir)
    given: list[Problem] = []
    files, wanted, topics_wanted = _paper_files(content_dir, paths, given)
    topics_problems: list[Problem] = []
    topics_path = content_dir / "topics.yml"
    topics = check_topics(topics_path, str(topics_path), topics_problems)
    classify, title_key = _normalize_functions()
    validator = schema_validator(content_dir)

    paper_problems: list[Problem] = []
    docs: list[tuple[str, Doc]] = []
    for path, display in files:
        if (name_problem := _file_name_problem(path, display)) is not None:
            paper_problems.append(name_problem)
        if path.suffix != ".yml":
            continue  # not a paper file: nothing more to say about it
        doc = parse_file(path, display, paper_problems)
        if doc is None:
            doc = Doc(display, paper_problems)
        else:
            check_paper(doc, topics, classify)
            if validator is not None:
                check_schema(doc, validator)
        docs.append((path.stem, doc))
    cross_check(docs, topics, topics_problems, title_key)

    problems = given + [p for p in paper_problems if wanted is None or p.path in wanted]
    if wanted is None or topics_wanted or not topics.loaded:
        problems += topics_problems
    return sorted(set(problems))


def checked_file_count(content_dir: Path, paths: list[Path] | None) -> int:
    """The files `check` reports on: the given paths, or every paper plus topics.yml."""
    if paths:
        return len(paths)
    return len(_listed_papers(Path(content_dir))) + 1


def run_check(
    content_dir: Path,
    paths: list[Path] | None,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`python -m generator check`: print every problem; 1 if any is an error."""
    paths = list(paths) if paths else None
    problems = check_content(Path(content_dir), paths)
    count = checked_file_count(Path(content_dir), paths)
    return print_report(problems, count, fmt, out or sys.stdout, err or sys.stderr)
