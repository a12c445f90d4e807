"""`python -m generator fmt`: rewrite paper files in the import's canonical form.

Hand edits drift (key order, indentation, a one-line abstract); formatting them
exactly as the store writes them keeps every later diff small. A file `check`
finds an error in is never rewritten: reformatting would hide or mangle the very
thing that needs a human. `--slugs` also renames the papers whose slug ends on a
stop word (`generator.review.rename`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, Severity
from generator.review.check import review_content
from generator.review.rename import rename_stop_word_slugs
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_from_mapping, paper_to_yaml


@dataclass
class FmtResult:
    changed: list[Path] = field(default_factory=list)
    """Files that were (or, with --check, would be) rewritten."""
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Errors in files that were therefore left alone."""


def format_papers(
    content_dir: Path, paths: list[Path] | None = None, *, check: bool = False
) -> FmtResult:
    """Rewrite every paper file (or `paths`) that is valid and not canonical; all or nothing."""
    content_dir = Path(content_dir)
    given = list(paths) if paths else None
    result = FmtResult()
    topics_file = (content_dir / "topics.yml").resolve()
    not_papers = [p for p in given or () if p.suffix != ".yml" or p.resolve() == topics_file]
    result.problems = [
        Problem(str(p), 1, 1, Severity.ERROR,
                "expected a paper file (papers/<slug>.yml); fmt formats paper files only")
        for p in not_papers
    ]
    wanted = None if given is None else [p for p in given if p not in not_papers]
    if wanted == []:
        return result
    review = review_content(content_dir, wanted, provenance=False)
    result.problems += [p for p in review.problems if p.severity == Severity.ERROR]
    broken = {p.path for p in result.problems}
    shown = None if wanted is None else {str(p) for p in wanted}
    rewrites: dict[Path, str] = {}
    for file in review.papers:
        if (shown is not None and file.doc.path not in shown) or file.doc.path in broken:
            continue
        canonical = paper_to_yaml(paper_from_mapping(file.slug, file.doc.data))
        if canonical != file.doc.text:
            rewrites[file.path] = canonical
            result.changed.append(Path(file.doc.path))
        else:
            result.unchanged.append(Path(file.doc.path))
    if not check:
        write_atomic(rewrites)
    return result


def run_fmt(content_dir: Path, paths: list[Path] | None, check: bool = False,
            slugs: bool = False) -> int:
    """Print what changed (or would); 1 on errors, or with --check if anything would change."""
    renamed = rename_stop_word_slugs(content_dir, dry_run=check) if slugs else []
    for rename in renamed:
        print(f"{'would rename' if check else 'renamed'} {rename.old} -> {rename.new}")
    result = format_papers(content_dir, paths, check=check)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    verb = "would reformat" if check else "reformatted"
    for path in result.changed:
        print(f"{verb} {path}")
    skipped = len({p.path for p in result.problems})
    print(
        f"{len(result.changed)} {verb}, {len(result.unchanged)} already canonical"
        + (f", {len(renamed)} {'would be ' if check else ''}renamed" if slugs else "")
        + (f", {skipped} not formatted because of errors" if skipped else ""),
        file=sys.stderr,
    )
    return 1 if result.problems or (check and (result.changed or renamed)) else 0
