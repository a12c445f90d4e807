"""`python -m generator new`: scaffold one paper file for a contributor.

The input is either flags or a listing snippet pasted on stdin, in any of the
three listing layouts. It goes through the same parser, cleaning and topic
proposer as the import, and the result must pass `check` (duplicates included)
before anything is written - so `new` cannot create a file the build refuses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from generator import clock
from generator.errors import ContentError, GeneratorError, Problem, Severity, did_you_mean
from generator.identity import ARXIV_ID, find_arxiv_id, slug_for, title_key
from generator.ingest.importer import entry_to_paper, with_proposals
from generator.ingest.listing import parse_text
from generator.ingest.normalize import clean_title
from generator.ingest.plausible import implausible
from generator.links import canonical_url, classify, url_problem
from generator.model import Link, Paper, RawEntry
from generator.review.check import check_content, review_content
from generator.review.topics import load_topics
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.text import refusal, refused_character
from generator.topics.proposals import describe

SOURCE = "new"
"""The source name given to the listing parser; `new` records no `sources`."""


def _entry(title: str | None, abstract: str | None, stdin: TextIO | None,
           force: bool = False) -> tuple[RawEntry, list[Problem]]:
    """The one entry to scaffold, from the flags or from the snippet on stdin, and what
    makes a snippet look like page chrome (errors, or warnings with `force`)."""
    if title is not None:
        if not title.strip():
            raise GeneratorError("--title: expected the paper's title, found an empty string")
        if abstract is None or not abstract.strip():
            raise GeneratorError(
                "--abstract: expected the paper's abstract with --title, found none"
            )
        _refuse_characters("--title", title)
        _refuse_characters("--abstract", abstract)
        return RawEntry(title=title, abstract=abstract, source=SOURCE, line=1), []
    if abstract is not None:
        raise GeneratorError("--abstract needs --title (or paste a listing snippet on stdin)")
    if stdin is None or stdin.isatty():
        raise GeneratorError("expected --title and --abstract, or a listing snippet on stdin")
    text = stdin.read()
    if not text.strip():
        raise GeneratorError(
            "expected --title and --abstract, or a listing snippet on stdin; found an empty stdin"
        )
    entries = parse_text(text, SOURCE, "<stdin>").entries
    if len(entries) != 1:
        lines = ", ".join(str(e.line) for e in entries)
        raise GeneratorError(
            f"expected one paper in the snippet, found {len(entries)} (titles at "
            f"lines {lines}); use `import` for a whole listing"
        )
    return entries[0], implausible(entries, "<stdin>", force=force)


def _refuse_characters(flag: str, text: str) -> None:
    """A flag's text holds no character `check` refuses (a lone surrogate comes from bytes
    that are not UTF-8 on the command line)."""
    if (found := refused_character(text)) is not None:
        what, why = refusal(found[0])
        raise GeneratorError(f"{flag}: {what} at character {found.start() + 1}; expected text ({why})")


def _links(paper: Paper, urls: tuple[str, ...]) -> tuple[Link, ...]:
    links = {link.url: link for link in paper.links}
    for url in urls:
        url = url.strip()
        if (why := url_problem(url)) is not None:
            raise GeneratorError(f"--url: {why}")
        url = canonical_url(url)
        links.setdefault(url, Link(url=url, kind=classify(url)))
    return tuple(links.values())


def _arxiv(value: str) -> str:
    value = value.strip()
    found = value if ARXIV_ID.fullmatch(value) else find_arxiv_id(value)
    if found is None:
        raise GeneratorError(
            f"--arxiv: expected an arXiv id like 2306.04751 (or an arxiv.org link), found {value!r}"
        )
    return found


def _topics(wanted: tuple[str, ...], known: list[str], topics_path: Path) -> tuple[str, ...]:
    for topic in wanted:
        if topic not in known:
            raise GeneratorError(
                f"--topic: unknown topic '{topic}'{did_you_mean(topic, known)} "
                f"(expected an id defined in {topics_path})"
            )
    return tuple(dict.fromkeys(wanted))


@dataclasses.dataclass
class _Existing:
    taken: set[str] = dataclasses.field(default_factory=set)
    """Slugs a new file must not take: every file, and every old slug kept for a redirect."""
    by_title: dict[str, Path] = dataclasses.field(default_factory=dict)
    by_arxiv: dict[str, Path] = dataclasses.field(default_factory=dict)
    curated: list[Paper] = dataclasses.field(default_factory=list)
    """The papers with a curator's topics: what the topic proposer learns from."""


def _existing(content_dir: Path) -> _Existing:
    """What the files in content/ claim, as the review read them; a broken file still
    takes its slug (`check` reports it)."""
    review = review_content(content_dir, across_files=False, provenance=False)
    found = _Existing(curated=review.curated_papers())
    for file in review.papers:
        found.taken.add(file.slug)
        data = file.doc.data
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("redirect_from"), list):
            found.taken.update(str(old) for old in data["redirect_from"])
        if isinstance(data.get("title"), str):
            found.by_title.setdefault(title_key(data["title"]), file.path)
        if isinstance(data.get("arxiv"), str):
            found.by_arxiv.setdefault(data["arxiv"], file.path)
    return found


def _refuse_duplicate(paper: Paper, existing: _Existing) -> None:
    path = existing.by_title.get(title_key(paper.title))
    why = "the same title"
    if path is None and paper.arxiv:
        path, why = existing.by_arxiv.get(paper.arxiv), f"the same arxiv id {paper.arxiv}"
    if path is not None:
        raise GeneratorError(
            f"{path} already has this paper ({why}); edit that file instead of "
            "creating a new one. Nothing was written."
        )


@dataclasses.dataclass(frozen=True)
class NewPaper:
    """What the contributor asked for on the command line of `new`."""

    title: str | None = None
    """With `abstract`, the whole entry; None means the entry is a snippet on stdin."""
    abstract: str | None = None
    urls: tuple[str, ...] = ()
    """Links added to those found in the abstract (`--url`, repeatable)."""
    arxiv: str | None = None
    """An arXiv id or link; overrides one found in the text."""
    topics: tuple[str, ...] = ()
    """Topic ids; empty means the proposer proposes them."""
    force: bool = False
    """Scaffold a snippet whose title looks like page chrome or whose abstract is short."""


def scaffold(
    content_dir: Path, request: NewPaper, stdin: TextIO | None, today: dt.date | None = None
) -> tuple[Path, Paper, list[Problem]]:
    """Build, check and write the new paper file; returns its path, the paper and warnings.

    Raises GeneratorError/ContentError, with nothing written, on bad input or a duplicate.
    """
    content_dir = Path(content_dir)
    topics_path = content_dir / "topics.yml"
    rules = load_topics(topics_path)
    entry, forced = _entry(request.title, request.abstract, stdin, request.force)
    papers_dir = content_dir / "papers"
    existing = _existing(content_dir)
    try:
        slug = slug_for(clean_title(entry.title), existing.taken)
        paper = entry_to_paper(entry, as_of=today or clock.today(), slug=slug)
    except ValueError as exc:
        where = "--title" if request.title is not None else f"<stdin>:{entry.line}"
        raise GeneratorError(f"{where}: {exc}") from None
    known = [t.id for t in rules.topics]
    paper = dataclasses.replace(
        paper,
        sources=(),
        links=_links(paper, request.urls),
        arxiv=_arxiv(request.arxiv) if request.arxiv else paper.arxiv,
        topics=_topics(request.topics, known, topics_path) if request.topics else (),
    )
    _refuse_duplicate(paper, existing)
    if not paper.topics:
        paper = with_proposals([paper], {}, existing.curated, rules)[0]
    if forced and not request.force:
        raise ContentError(forced)

    target = papers_dir / f"{slug}.yml"
    text = paper_to_yaml(paper)
    with tempfile.TemporaryDirectory() as scratch:
        candidate = Path(scratch) / target.name
        candidate.write_text(text, encoding="utf-8")
        problems = [
            dataclasses.replace(p, path=str(target))
            for p in check_content(content_dir, [candidate])
        ]
    if any(p.severity == Severity.ERROR for p in problems):
        raise ContentError(problems)
    write_atomic({target: text})
    return target, paper, forced + problems


def run_new(content_dir: Path, request: NewPaper, stdin: TextIO | None) -> int:
    """`python -m generator new`: print the file written and the topics it got."""
    target, paper, warnings = scaffold(content_dir, request, stdin)
    for problem in warnings:
        print(problem, file=sys.stderr)
    print(f"wrote {target}")
    if request.topics:
        print(f"topics: {', '.join(paper.topics)} (as given, as `topics`: nothing will change "
              "them)")
    else:
        print(f"proposed topics: {describe(paper.proposed_topics)}")
        print("  (as `proposed_topics`, shown until a curator chooses: write `topics:` in the "
              "file to choose them)")
    return 0
