"""Merge parsed listings into `content/papers/`.

An import is reproducible and respectful of curators: `added` comes from the
listing's `--as-of` date, never the clock; a field already in a file is never
overwritten (only filled in when missing), except upvotes, which a listing at
least as new as the paper's `added` date may refresh; and nothing is written
unless every listing parsed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, GeneratorError, Problem, Severity
from generator.identity import find_arxiv_id, slug_for, title_key
from generator.ingest.listing import Listing, parse_file, resolve_date
from generator.ingest.normalize import clean_text, extract_links
from generator.model import PAPER_FIELDS, Link, Merge, Paper, RawEntry, Topic
from generator.review.check import read_papers
from generator.review.topics import load_topics
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.topics.assign import assign_topics


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Entries that repeat a paper already seen earlier in the same import."""
    listings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = "; ".join(self.listings)
        return (
            f"{head}\nadded {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped} (repeated in this import)"
        )


def entry_to_paper(
    entry: RawEntry,
    *,
    as_of: dt.date,
    topics: tuple[Topic, ...],
    fallback: str | None,
    slug: str,
) -> Paper:
    """A new paper from a listing entry: cleaned text, classified links, topics by rule."""
    raw = f"{entry.title}\n{entry.abstract}"
    title, abstract = clean_text(entry.title), clean_text(entry.abstract)
    return Paper(
        slug=slug,
        title=title,
        abstract=abstract,
        author_count=entry.author_count,
        published=resolve_date(entry.date_text, as_of) if entry.date_text else None,
        upvotes=entry.upvotes,
        arxiv=find_arxiv_id(raw),
        links=extract_links(raw),
        topics=assign_topics(title, abstract, topics, fallback),
        sources=(entry.source,),
        added=as_of,
    )


def merge(existing: Paper, incoming: Paper, as_of: dt.date) -> Paper:
    """Fill what the file lacks; never replace what a curator wrote (see `model.Merge`)."""
    changes: dict[str, object] = {}
    for name, spec in PAPER_FIELDS:
        old, new = getattr(existing, name), getattr(incoming, name)
        if spec.merge is Merge.FILL and not old and new:
            changes[name] = new
        elif spec.merge is Merge.REFRESH and new is not None and new != old:
            if old is None or existing.added is None or as_of >= existing.added:
                changes[name] = new
        elif spec.merge is Merge.UNION and (extra := tuple(v for v in new if v not in old)):
            changes[name] = old + extra
        elif spec.merge is Merge.BY_KIND and (extra := _new_kinds(old, new)):
            changes[name] = old + extra
    return dataclasses.replace(existing, **changes) if changes else existing


def _new_kinds(old: tuple[Link, ...], new: tuple[Link, ...]) -> tuple[Link, ...]:
    """The incoming links of a kind the paper has no link of: a code repository is added to a
    paper that links only to its dataset, but never a second one beside the curator's."""
    kinds = {link.kind for link in old}
    urls = {link.url for link in old}
    return tuple(link for link in new if link.kind not in kinds and link.url not in urls)


class _Index:
    """Finds the paper an entry belongs to: by arXiv id, normalized title or slug."""

    def __init__(self, papers: Iterable[Paper]):
        self.by_slug: dict[str, Paper] = {}
        self._keys: dict[str, str] = {}
        for paper in papers:
            self.put(paper)

    def put(self, paper: Paper) -> None:
        self.by_slug[paper.slug] = paper
        self._keys[f"title:{title_key(paper.title)}"] = paper.slug
        self._keys[f"slug:{paper.slug}"] = paper.slug
        for old in paper.redirect_from:
            self._keys[f"slug:{old}"] = paper.slug
        if paper.arxiv:
            self._keys[f"arxiv:{paper.arxiv}"] = paper.slug

    def find(self, title: str, arxiv: str | None) -> Paper | None:
        keys = [f"title:{title_key(title)}", f"slug:{slug_for(title, set())}"]
        if arxiv:
            keys.insert(0, f"arxiv:{arxiv}")
        for key in keys:
            if key in self._keys:
                return self.by_slug[self._keys[key]]
        return None


def _check_header(listing: Listing, as_of: dt.date, path: Path) -> None:
    if listing.header_date and resolve_date(listing.header_date, as_of) != as_of:
        raise ContentError(
            [Problem(str(path), 1, 1, Severity.ERROR,
                     f"the listing's header date is {listing.header_date!r}, but --as-of is {as_of}; "
                     "pass the date the listing was captured")]
        )


def import_listings(
    paths: list[Path],
    *,
    content_dir: Path,
    as_of: dt.date | None,
    source: str | None = None,
    dry_run: bool = False,
    progress: bool | None = None,
) -> ImportSummary:
    """Parse every listing, merge, and write all changed files, or none on error."""
    if as_of is None:
        raise GeneratorError(
            "--as-of is required: it dates the listing (`added`) and resolves dates with no year, "
            "so the import is reproducible"
        )
    if source and len(paths) > 1:
        raise GeneratorError("--source names one listing; give one LISTING with it")
    problems: list[Problem] = []
    listings: list[tuple[Path, Listing]] = []
    for path in paths:
        try:
            listing = parse_file(path, source)
            _check_header(listing, as_of, path)
            listings.append((path, listing))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)

    topics, fallback = load_topics(content_dir / "topics.yml")
    existing = {p.slug: p for p in read_papers(content_dir)}
    index = _Index(existing.values())
    summary = ImportSummary()
    seen: set[str] = set()
    entries = [(path, entry) for path, listing in listings for entry in listing.entries]
    for path, entry in _progress(entries, progress):
        title = clean_text(entry.title)
        try:
            arxiv = find_arxiv_id(f"{entry.title}\n{entry.abstract}")
            found = index.find(title, arxiv)
            slug = found.slug if found else slug_for(title, set(index.by_slug))
            incoming = entry_to_paper(entry, as_of=as_of, topics=topics, fallback=fallback, slug=slug)
        except ValueError as exc:
            problems.append(Problem(str(path), entry.line, 1, Severity.ERROR, str(exc)))
            continue
        if slug in seen:
            summary.skipped += 1
        seen.add(slug)
        index.put(merge(found, incoming, as_of) if found else incoming)
    if problems:
        raise ContentError(problems)

    changed: dict[Path, str] = {}
    for slug in seen:
        paper = index.by_slug[slug]
        if slug not in existing:
            summary.added += 1
        elif paper != existing[slug]:
            summary.updated += 1
        else:
            summary.unchanged += 1
            continue
        changed[content_dir / "papers" / f"{slug}.yml"] = paper_to_yaml(paper)
    for path, listing in listings:
        summary.listings.append(f"{path.name}: {listing.layout} layout, {len(listing.entries)} entries")
    if not dry_run:
        write_atomic(changed)
    return summary


def _progress(items: list, enabled: bool | None):  # type: ignore[no-untyped-def]
    """A tqdm bar on an interactive terminal only; logs and CI stay clean."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="importing", unit="entry", file=sys.stderr)

