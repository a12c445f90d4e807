"""`python -m generator fmt`: rewrite paper files in the import's canonical form.

Hand edits drift (key order, indentation, a one-line abstract); formatting them
exactly as the store writes them keeps every later diff small. A file `check`
finds an error in is never rewritten: reformatting would hide or mangle the very
thing that needs a human.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem
from generator.store import load_yaml, paper_from_mapping, paper_to_yaml, write_atomic
from generator.validate import check_content


@dataclass
class FmtResult:
    changed: list[Path] = field(default_factory=list)
    """Files that were (or, with --check, would be) rewritten."""
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Errors in files that were therefore left alone."""


def canonical_text(path: Path, text: str) -> str:
    """What the store would write for this (valid) file."""
    return paper_to_yaml(paper_from_mapping(path.stem, load_yaml(text)))


def format_papers(
    content_dir: Path, paths: list[Path] | None = None, *, check: bool = False
) -> FmtResult:
    """Rewrite every paper file (or `paths`) that is valid and not canonical; all or nothing."""
    content_dir = Path(content_dir)
    files = list(paths) if paths else sorted((content_dir / "papers").glob("*.yml"))
    result = FmtResult()
    topics_file = (content_dir / "topics.yml").resolve()
    not_papers = [p for p in files if p.suffix != ".yml" or p.resolve() == topics_file]
    files = [p for p in files if p not in not_papers]
    problems = [
        Problem(
            str(p),
            1,
            1,
            "error",
            "expected a paper file (papers/<slug>.yml); fmt formats paper files only",
        )
        for p in not_papers
    ]
    problems += (
        [p for p in check_content(content_dir, files) if p.severity == "error"] if files else []
    )
    broken = {p.path for p in problems}
    result.problems = problems
    rewrites: dict[Path, str] = {}
    for path in files:
        if str(path) in broken:
            continue
        text = path.read_text(encoding="utf-8")
        canonical = canonical_text(path, text)
        if canonical != text:
            rewrites[path] = canonical
            result.changed.append(path)
        else:
            result.unchanged.append(path)
    if not check:
        write_atomic(rewrites)
    return result


def run_fmt(content_dir: Path, paths: list[Path] | None, check: bool = False) -> int:
    """Print what changed (or would); 1 on errors, or with --check if anything would change."""
    result = format_papers(content_dir, paths, check=check)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    verb = "would reformat" if check else "reformatted"
    for path in result.changed:
        print(f"{verb} {path}")
    skipped = len({p.path for p in result.problems})
    print(
        f"{len(result.changed)} {verb}, {len(result.unchanged)} already canonical"
        + (f", {skipped} not formatted because of errors" if skipped else ""),
        file=sys.stderr,
    )
    return 1 if result.problems or (check and result.changed) else 0
