"""Review content/: every problem in every paper file and topics.yml, with its line.

`python -m generator check` and every build run this. `review_content` reads
each file once and returns the problems together with the parsed documents, so
the build makes its catalog from what the review read (`load_catalog`) instead
of parsing again. The work is split by stage, each in its own module:

- `nodes`: a file's node tree, so every value has its line and column;
- `topics` and `paper` (with the single-field rules of `fields`): one file at
  a time, then the paper schema as a catch-all;
- `cross`: duplicates, redirects and unused topics across files;
- `notes`: the curator's optional topic notes (topic-notes.yml), for `check` only;
- `report`: text lines, GitHub annotations and the job summary.

One bad file never stops the review: every file is checked and every problem
is reported, sorted, before anything fails.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TextIO

from generator import warm
from generator.errors import ContentError, GeneratorError, Problem, Severity
from generator.identity import SLUG_RULE, is_slug, suggest_slug, windows_reserved
from generator.model import Catalog, Paper, Proposal
from generator.review.cross import cross_check
from generator.review.cache import ReviewCache, cache_folder, context_digest, file_digest
from generator.review.nodes import CachedDoc, Doc, parse_file, position
from generator.review.notes import NOTES_FILE, PaperTopics, check_notes
from generator.review.reading import Reading, Rules, read_files
from generator.review.schema import SCHEMA_PATH
from generator.review.report import print_report
from generator.review.topics import TopicIds, check_topics
from generator.store.paperfile import paper_files, paper_from_mapping
from generator.topics.proposals import describe


@dataclass(frozen=True)
class PaperFile:
    """A paper file as the review read it."""

    path: Path
    doc: Doc
    """Its parsed document; `doc.data` is None when the file is not readable YAML."""
    digest: str | None = None
    """SHA-256 of its bytes (None if unreadable): the build's memo keys a page by it."""

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Review:
    """What the review of a content folder found, and what it read."""

    problems: list[Problem]
    """Sorted; only those about the files that were asked about."""
    papers: list[PaperFile]
    """Every .yml file in content/papers/ (and the paths given), in path order."""
    topics: TopicIds

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)

    def catalog(self) -> Catalog:
        """The catalog of a review without errors."""
        if self.has_errors:
            raise ContentError(self.problems)
        papers = sorted((_paper(f) for f in self.papers), key=lambda p: p.slug)
        return Catalog(papers=tuple(papers), topics=self.topics.topics,
                       fallback_topic=self.topics.fallback)

    def curated_papers(self) -> list[Paper]:
        """The papers with a curator's `topics`, of the files without errors: what the topic
        proposer learns from, even while another file is broken."""
        broken = {p.path for p in self.problems if p.severity == Severity.ERROR}
        return [paper_from_mapping(f.slug, f.doc.data) for f in self.papers
                if f.doc.path not in broken and isinstance(f.doc.data, dict)
                and f.doc.data.get("topics")]


def _paper(file: PaperFile) -> Paper:
    """The file's Paper; under `make serve`, the same object as in the last build when the
    file's bytes are the same (`warm`)."""
    if file.digest is None:
        return paper_from_mapping(file.slug, file.doc.data)
    return warm.remember(("paper", file.slug), file.digest,
                         lambda: paper_from_mapping(file.slug, file.doc.data))


def _file_problem(display: str, message: str) -> Problem:
    return Problem(display, 1, 1, Severity.ERROR, message)


def _paper_files(
    content_dir: Path, paths: list[Path] | None, problems: list[Problem]
) -> tuple[list[tuple[Path, str]], set[str] | None, bool]:
    """Every paper file as (path, display path), the display paths to report on, and
    whether topics.yml is reported on."""
    files = paper_files(content_dir)
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
    return _name_problem(path.name, display)


@functools.lru_cache(maxsize=1 << 17)
def _name_problem(name: str, display: str) -> Problem | None:
    """Remembered by strings: `make serve` reviews every name after each edit, and hashing
    a Path costs more than the check. A slug with .yml, the common case, is answered
    from the string alone."""
    if name.endswith(".yml") and is_slug(name[:-4]):
        return None
    path = PurePath(name)
    if path.suffix != ".yml":
        return _file_problem(
            display,
            f"file name '{path.name}': expected "
            f"a paper file ending in .yml, found '{path.suffix or 'no extension'}'",
        )
    if windows_reserved(path.stem):
        return _file_problem(
            display,
            f"file name '{path.name}': '{path.stem}' is a device name Windows reserves "
            "(con, prn, aux, nul, com1-com9, lpt1-lpt9), so no Windows checkout could hold "
            f"the file; expected another slug, e.g. '{suggest_slug(path.stem)}.yml'",
        )
    if not is_slug(path.stem):
        return _file_problem(
            display,
            f"file name '{path.name}': expected a slug ({SLUG_RULE}) with .yml, "
            f"e.g. '{suggest_slug(path.stem)}.yml'",
        )
    return None


def review_content(
    content_dir: Path,
    paths: list[Path] | None = None,
    *,
    across_files: bool = True,
    provenance: bool = True,
    refreshing: bool = False,
    warnings: bool = True,
    notes: bool = False,
    cache: bool = False,
) -> Review:
    """Review content/ (or `paths`, compared against all of content/); read each file once.

    `across_files=False` skips the checks across files (duplicates, redirects,
    unused topics): the import and `new` make their own duplicate decisions.
    `provenance=False` skips the check that each paper has a curator's `topics` or the
    proposer's `proposed_topics`: the build, and the commands that write proposals (import,
    `new`, `topics refresh`) or only reformat (`fmt`).
    `refreshing=True` leaves `proposed_topics` unchecked: `topics refresh` rewrites them.
    `notes=True` (only `check`) also reviews the curator's notes, topic-notes.yml, when
    present; the build and the other commands never need them.
    `warnings=False` skips the near-duplicate search, which can only warn:
    the build needs every error, and `check` reports the warnings.
    `cache`: remember the per-file results in .cache/generator (`generator.review.cache`).
    """
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise GeneratorError(f"{content_dir}: content folder not found; expected a folder "
                             "with topics.yml and papers/ (see --content)")
    given: list[Problem] = []
    files, wanted, topics_wanted = _paper_files(content_dir, paths, given)
    topics_problems: list[Problem] = []
    topics_path = content_dir / "topics.yml"
    topics = check_topics(topics_path, str(topics_path), topics_problems)
    name_problems: list[Problem] = []
    remembered = None
    if cache and topics.loaded and not refreshing:
        remembered = ReviewCache(cache_folder(content_dir), content_dir, context_digest(content_dir, Path("topics.yml"), SCHEMA_PATH),
                                 provenance)
    entries: list[tuple[Path, str | None, Doc | None]] = []  # a cached file's doc, else None
    misses: list[tuple[str | None, Reading]] = []
    for path, display in files:
        if (name_problem := _file_name_problem(path, display)) is not None:
            name_problems.append(name_problem)
        if path.suffix != ".yml":
            continue  # not a paper file: nothing more to say about it
        digest = file_digest(path)
        key = f"{digest}\0{display}" if digest else None
        hit = remembered.get(key) if remembered else None
        if hit is not None:
            entries.append((path, digest, CachedDoc(display, hit[1], data=hit[0], source=path)))
        else:
            # The files not asked for take part only in the checks across files, which read
            # their data; their own problems would not be reported, so they are not looked
            # for (nor remembered: the cache holds only complete results).
            entries.append((path, digest, None))
            misses.append((key, Reading(path, display, wanted is None or display in wanted)))
    read = read_files([job for _, job in misses], Rules(content_dir, topics, provenance, refreshing))
    for (key, job), done in zip(misses, read):
        if remembered and (not done.parsed or job.checked):
            remembered.put(key, done.doc.data, done.doc.problems)
    fresh = iter([done.doc for done in read])
    papers = [PaperFile(path, doc if doc is not None else next(fresh), digest)
              for path, digest, doc in entries]
    docs = [(f.path.stem, f.doc) for f in papers]
    if remembered:
        remembered.save([path for path, _, _ in entries])
    if across_files:
        cross_check(docs, topics, topics_problems, near_duplicates=warnings)

    paper_problems = name_problems + [p for _, doc in docs for p in doc.problems]
    problems = given + [p for p in paper_problems if wanted is None or p.path in wanted]
    if wanted is None or topics_wanted or not topics.loaded:
        problems += topics_problems
    if notes and wanted is None and (content_dir / NOTES_FILE).is_file():
        check_notes(content_dir / NOTES_FILE, str(content_dir / NOTES_FILE),
                    _paper_topics(papers), problems)
    return Review(sorted(set(problems)), papers, topics)


def _paper_topics(papers: list[PaperFile]) -> PaperTopics:
    """Each readable paper's curator topics and old slugs, for the notes check."""
    topics: dict[str, tuple[str, ...]] = {}
    renamed: dict[str, str] = {}
    for paper in papers:
        data = paper.doc.data
        if not isinstance(data, dict):
            continue
        chosen = data.get("topics")
        topics[paper.slug] = tuple(chosen) if isinstance(chosen, list) else ()
        old = data.get("redirect_from")
        if isinstance(old, list):
            renamed.update({o: paper.slug for o in old if isinstance(o, str)})
    return PaperTopics(topics, renamed)


def check_content(content_dir: Path, paths: list[Path] | None = None,
                  *, uncurated: bool = False, cache: bool = False) -> list[Problem]:
    """Every problem in content/ (or in `paths`, compared against all of content/), sorted,
    with the notes in topic-notes.yml; `uncurated` adds a warning for each paper whose
    topics are still proposals."""
    review = review_content(content_dir, paths, notes=True, cache=cache)
    if not uncurated:
        return review.problems
    shown = None if paths is None else {str(path) for path in paths}
    return sorted(review.problems + uncurated_problems(review, shown))


def uncurated_problems(review: Review, shown: set[str] | None = None) -> list[Problem]:
    """A warning on each paper with no curator's `topics` (of those in `shown`, if given):
    the papers a curator still has to read, such as those a new import brought in."""
    found = []
    for paper in review.papers:
        data = paper.doc.data
        if not isinstance(data, dict) or data.get("topics"):
            continue
        if shown is not None and paper.doc.path not in shown:
            continue
        root = paper.doc.node_at(())  # a cached file's tree is read only now
        line, col = position(root.start_mark if root else None)
        found.append(Problem(paper.doc.path, line, col, Severity.WARNING,
                             f"uncurated: no curator's `topics` yet ({_proposed(data)}); read "
                             "the paper and write `topics:`"))
    return found


def _proposed(data: dict[str, object]) -> str:
    """What the file proposes, as the weekly pull request lists it (read from the data as
    written: the file may have errors of its own, which `check` reports)."""
    found = data.get("proposed_topics")
    items = [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []
    if not items:
        return "nothing proposed yet"
    return "proposed: " + describe([
        Proposal(str(p.get("topic")), c if isinstance(c := p.get("confidence"), (int, float))
                 and not isinstance(c, bool) else None) for p in items])


def load_catalog(content_dir: Path, cache: bool = True) -> Catalog:
    """All of `content/`, validated: the one entry point for the build. Every error
    stops it, with two checks left to `check`: near-duplicate titles, which only warns
    and compares titles pairwise, and a paper's missing topics, so that a preview shows a
    paper file as it is while `check` (and CI) still asks for its topics."""
    return review_content(content_dir, warnings=False, provenance=False, cache=cache).catalog()


def read_papers(content_dir: Path) -> list[Paper]:
    """Every paper, for a command that changes content/ (import, `new`): it refuses to
    merge into files with errors of their own, and leaves the checks across files to
    `check`."""
    review = review_content(content_dir, across_files=False, provenance=False)
    return list(review.catalog().papers)


def checked_file_count(content_dir: Path, paths: list[Path] | None) -> int:
    """The files `check` reports on: the given paths, or every paper plus topics.yml (and
    the topic notes, when there are any)."""
    if paths:
        return len(paths)
    return len(paper_files(Path(content_dir))) + 1 + (Path(content_dir) / NOTES_FILE).is_file()


def run_check(
    content_dir: Path,
    paths: list[Path] | None,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
    uncurated: bool = False,
) -> int:
    """`python -m generator check`: print every problem; 1 if any is an error."""
    paths = list(paths) if paths else None
    problems = check_content(Path(content_dir), paths, uncurated=uncurated, cache=True)
    count = checked_file_count(Path(content_dir), paths)
    return print_report(problems, count, fmt, out or sys.stdout, err or sys.stderr)
