"""`python -m generator new`: scaffold paper files for a contributor.

The input is either flags (one paper) or a listing snippet pasted on stdin, in
any of the three listing layouts, with one card or several (one file each). It
goes through the same parser, cleaning and topic proposer as the import, and every
new file must pass `check` (duplicates included) before any is written - so
`new` cannot create a file the build refuses. This is the contributor's path
for pasted cards; `import` is the maintainer's, for a committed listing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from generator import clock
from generator.errors import ContentError, GeneratorError, Problem, Severity
from generator.identity import ARXIV_ID, arxiv_month, find_arxiv_id, slug_for, title_key
from generator.ingest.importer import entry_to_paper, with_proposals
from generator.ingest.listing import parse_text
from generator.ingest.normalize import clean_title
from generator.ingest.plausible import implausible
from generator.links import canonical_url, classify, url_problem
from generator.model import PASTED_SOURCE_PREFIX, Link, Paper, RawEntry, TopicRules
from generator.review.check import check_content, review_content
from generator.review.topics import load_topics, unknown_topic
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.text import refusal, refused_character
from generator.topics.proposals import describe

SOURCE = "new"
"""The source name given to the listing parser; what `new` records is `sources_for`'s."""


def _entries(request: NewPaper, stdin: TextIO | None) -> tuple[list[RawEntry], list[Problem]]:
    """The entries to scaffold, from the flags (one) or from the snippet on stdin (one or
    more cards), and what makes a snippet's card look like page chrome (errors, or
    warnings with `force`)."""
    title, abstract = request.title, request.abstract
    if title is not None:
        if not title.strip():
            raise GeneratorError("--title: expected the paper's title, found an empty string")
        if abstract is None or not abstract.strip():
            raise GeneratorError(
                "--abstract: expected the paper's abstract with --title, found none"
            )
        _refuse_characters("--title", title)
        _refuse_characters("--abstract", abstract)
        return [RawEntry(title=title, abstract=abstract, source=SOURCE, line=1)], []
    if abstract is not None:
        raise GeneratorError("--abstract needs --title (or paste a listing snippet on stdin)")
    if stdin is None or stdin.isatty():
        raise GeneratorError("expected --title and --abstract, or a listing snippet on stdin")
    text = stdin.read()
    if not text.strip():
        raise GeneratorError(
            "expected --title and --abstract, or a listing snippet on stdin; found an empty stdin"
        )
    entries = list(parse_text(text, SOURCE, "<stdin>").entries)
    one_paper = [flag for flag, given in (("--url", request.urls), ("--arxiv", request.arxiv),
                                          ("--published", request.published)) if given]
    if len(entries) > 1 and one_paper:
        lines = ", ".join(str(e.line) for e in entries)
        raise GeneratorError(
            f"{' and '.join(one_paper)} describe one paper, but the snippet has {len(entries)} "
            f"(titles at lines {lines}); paste one card at a time with "
            f"{' and '.join(one_paper)}, or leave them out"
        )
    return entries, implausible(entries, "<stdin>", force=request.force)


def _refuse_characters(flag: str, text: str) -> None:
    """A flag's text holds no character `check` refuses (a lone surrogate comes from bytes
    that are not UTF-8 on the command line)."""
    if (found := refused_character(text)) is not None:
        what, why = refusal(found[0])
        raise GeneratorError(f"{flag}: {what} at character {found.start() + 1}; expected text ({why})")


def sources_for(pasted: bool, today: dt.date) -> tuple[str, ...]:
    """A pasted card records where it came from as `pasted-YYYY-MM-DD` (the site names it
    "Pasted by a contributor, <day>"), never a file name; a paper given by flags has none."""
    return (f"{PASTED_SOURCE_PREFIX}{today.isoformat()}",) if pasted else ()


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


def _topics(wanted: tuple[str, ...], rules: TopicRules, topics_path: Path) -> tuple[str, ...]:
    known = [t.id for t in rules.topics]
    for topic in wanted:
        if topic not in known:
            raise GeneratorError(f"--topic: {unknown_topic(topic, known, rules.topics, str(topics_path))}")
    return tuple(dict.fromkeys(wanted))


@dataclasses.dataclass
class _Existing:
    taken: set[str] = dataclasses.field(default_factory=set)
    """Slugs a new file must not take: every file, and every old slug kept for a redirect."""
    by_title: dict[str, Path] = dataclasses.field(default_factory=dict)
    by_arxiv: dict[str, Path] = dataclasses.field(default_factory=dict)
    curated: list[Paper] = dataclasses.field(default_factory=list)
    """The papers with a curator's topics: what the topic proposer learns from."""

    def add(self, slug: str, path: Path, data: object) -> None:
        self.taken.add(slug)
        if not isinstance(data, dict):
            return
        if isinstance(data.get("redirect_from"), list):
            self.taken.update(str(old) for old in data["redirect_from"])
        if isinstance(data.get("title"), str):
            self.by_title.setdefault(title_key(data["title"]), path)
        if isinstance(data.get("arxiv"), str):
            self.by_arxiv.setdefault(data["arxiv"], path)


def _existing(content_dir: Path) -> _Existing:
    """What the files in content/ claim: their slugs, old slugs, titles and arXiv ids, and
    the curated papers the proposer learns from, as the review read them (the check of the
    new files compares them with every file); a broken file still takes its slug (`check`
    reports it)."""
    review = review_content(content_dir, across_files=False, provenance=False)
    found = _Existing(curated=review.curated_papers())
    for file in review.papers:
        found.add(file.slug, file.path, file.doc.data)
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
    """With `abstract`, the whole entry; None means the entries are a snippet on stdin."""
    abstract: str | None = None
    urls: tuple[str, ...] = ()
    """Links added to those found in the abstract (`--url`, repeatable)."""
    arxiv: str | None = None
    """An arXiv id or link; overrides one found in the text."""
    published: dt.date | None = None
    """The publication date; overrides one found in the snippet."""
    topics: tuple[str, ...] = ()
    """Topic ids; empty means the proposer proposes them."""
    force: bool = False
    """Scaffold a card whose title looks like page chrome or whose abstract is short."""


def _paper(entry: RawEntry, request: NewPaper, rules: TopicRules, topics_path: Path,
           slug: str, today: dt.date) -> Paper:
    """One new paper: the import's cleaning, then what the flags say (its topics are
    proposed later, for all the new papers at once)."""
    try:
        paper = entry_to_paper(entry, as_of=today, slug=slug)
    except ValueError as exc:
        where = "--title" if request.title is not None else f"<stdin>:{entry.line}"
        raise GeneratorError(f"{where}: {exc}") from None
    arxiv = _arxiv(request.arxiv) if request.arxiv else paper.arxiv
    return dataclasses.replace(
        paper,
        sources=sources_for(request.title is None, today),
        links=_links(paper, request.urls),
        arxiv=arxiv,
        published=request.published or paper.published or (arxiv_month(arxiv) if arxiv else None),
        topics=_topics(request.topics, rules, topics_path) if request.topics else (),
    )


def scaffold(
    content_dir: Path, request: NewPaper, stdin: TextIO | None, today: dt.date | None = None
) -> tuple[list[tuple[Path, Paper]], list[Problem]]:
    """Build, check and write one paper file per entry; returns (path, paper) for each, in
    the snippet's order, and the warnings.

    Raises GeneratorError/ContentError, with nothing written, on bad input or a duplicate.
    """
    content_dir = Path(content_dir)
    today = today or clock.today()
    topics_path = content_dir / "topics.yml"
    rules = load_topics(topics_path)
    entries, forced = _entries(request, stdin)
    papers_dir = content_dir / "papers"
    existing = _existing(content_dir)
    new: list[tuple[Path, Paper]] = []
    pasted: dict[str, int] = {}
    for entry in entries:
        paper = _paper(entry, request, rules, topics_path,
                       slug_for(clean_title(entry.title), existing.taken), today)
        if (first := pasted.setdefault(title_key(paper.title), entry.line)) != entry.line:
            raise GeneratorError(f"<stdin>:{entry.line}: the snippet has this paper twice (the "
                                 f"same title at lines {first} and {entry.line}); paste it "
                                 "once. Nothing was written.")
        _refuse_duplicate(paper, existing)
        target = papers_dir / f"{paper.slug}.yml"
        existing.add(paper.slug, target, {"title": paper.title, "arxiv": paper.arxiv})
        new.append((target, paper))
    if forced and not request.force:
        raise ContentError(forced)
    proposed = with_proposals([paper for _, paper in new], {}, existing.curated, rules)
    new = [(target, paper) for (target, _), paper in zip(new, proposed, strict=True)]

    texts = {target: paper_to_yaml(paper) for target, paper in new}
    with tempfile.TemporaryDirectory() as scratch:
        candidates = {Path(scratch) / target.name: target for target in texts}
        for candidate, target in candidates.items():
            candidate.write_text(texts[target], encoding="utf-8")
        problems = [
            dataclasses.replace(p, path=str(candidates.get(Path(p.path), p.path)))
            for p in check_content(content_dir, list(candidates))
        ]
    if any(p.severity == Severity.ERROR for p in problems):
        raise ContentError(problems)
    write_atomic(texts)
    return new, forced + problems


def run_new(content_dir: Path, request: NewPaper, stdin: TextIO | None) -> int:
    """`python -m generator new`: print each file written and the topics it got."""
    new, warnings = scaffold(content_dir, request, stdin)
    for problem in warnings:
        print(problem, file=sys.stderr)
    for target, paper in new:
        print(f"wrote {target}")
        if paper.topics:
            print(f"topics: {', '.join(paper.topics)} (as given, as `topics`: nothing will "
                  "change them)")
        else:
            print(f"proposed topics: {describe(paper.proposed_topics)}")
            print("  (as `proposed_topics`, shown until a curator chooses: write `topics:` in "
                  "the file to choose them)")
    return 0
