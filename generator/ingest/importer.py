"""Merge parsed listings into `content/papers/`.

An import is reproducible and respectful of curators: `added` comes from the
listing's `--as-of` date, never the clock; a field already in a file is never
overwritten (only filled in when missing), except upvotes, which a listing at
least as new as the paper's `added` date may refresh; and nothing is written
unless every listing parsed.

After a fix to the importer's cleaning, `--reimport SLUG` names the papers whose
title and abstract are read anew from the first listing of the import that holds
them, so that the committed text is what a fresh import would write; every other
field merges as usual, and a paper not named keeps its text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, GeneratorError, Problem, Refusal, Severity
from generator.identity import find_arxiv_id, slug_for, title_key
from generator.links import canonical_url, classify
from generator.ingest.listing import Listing, parse_file, resolve_date
from generator.ingest.manifest import load_manifest
from generator.ingest.normalize import clean_text, clean_title, extract_links
from generator.ingest.plausible import implausible
from generator.model import PAPER_FIELDS, Link, Merge, Paper, Proposal, RawEntry, TopicRules
from generator.progress import progress as progress_bar
from generator.review.check import read_papers
from generator.review.topics import load_topics
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.text import ABSTRACT_MAX, refusal, refused_character


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Entries that repeat a paper already seen earlier in the same import."""
    listings: list[str] = field(default_factory=list)
    new_papers: list[Paper] = field(default_factory=list)
    """The papers this import added, by slug."""
    updated_papers: list[Paper] = field(default_factory=list)
    reimported: list[str] = field(default_factory=list)
    """One line for each paper named by `--reimport`: which of its fields were read anew."""
    warnings: list[Problem] = field(default_factory=list)
    """What `--force` let through, for the CLI to print."""
    refused: list[Refusal] = field(default_factory=list)
    """Entries from a service that were left out (see `import_batches`' `review`)."""
    written: list[tuple[Path, str]] = field(default_factory=list)
    """Each file written (or, in a dry run, that would be), with `new` or `updated`."""
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = self.listings + [f"{verb} {path} ({how})" for path, how in self.written]
        return (
            "\n".join(lines) + f"\nadded {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped} (repeated in this import)"
        ) + "".join(f"\n{line}" for line in self.reimported)


def entry_to_paper(entry: RawEntry, *, as_of: dt.date, slug: str) -> Paper:
    """A new paper from a listing entry: cleaned text, classified links, and the facts a
    source gives beside the text (authors, date, arXiv id, links) as given; no topics yet
    (`with_proposals` proposes them for a whole import at once)."""
    raw = f"{entry.title}\n{entry.abstract}"
    title, abstract = clean_title(entry.title), clean_text(entry.abstract)
    links = {link.url: link for link in extract_links(raw)}
    for url in entry.urls:
        url = canonical_url(url)
        links.setdefault(url, Link(url=url, kind=classify(url)))
    return Paper(
        slug=slug,
        title=title,
        abstract=abstract,
        authors=entry.authors,
        author_count=entry.author_count,
        published=entry.published or (resolve_date(entry.date_text, as_of) if entry.date_text
                                       else None),
        upvotes=entry.upvotes,
        arxiv=entry.arxiv or find_arxiv_id(raw),
        links=tuple(links.values()),
        sources=(entry.source,),
        added=as_of,
    )


def with_proposals(papers: list[Paper], before: dict[str, Paper], curated: list[Paper],
                   rules: TopicRules) -> list[Paper]:
    """The papers with their proposed topics: proposed anew for a paper no curator chose
    topics for that is new, has none, or whose text changed (`before` has each paper's old
    version); removed where a curator chose. The proposer is trained on `curated` only when
    some paper needs it."""
    wanted = [p for p in papers if not p.topics and (
        not p.proposed_topics or p.slug not in before
        or (before[p.slug].title, before[p.slug].abstract) != (p.title, p.abstract))]
    proposed: dict[str, tuple[Proposal, ...]] = {}
    if wanted:
        from generator.topics.propose import propose_topics, train

        proposals = propose_topics(wanted, train(curated, rules), rules)
        proposed = {p.slug: found for p, found in zip(wanted, proposals)}
    return [dataclasses.replace(p, proposed_topics=proposed[p.slug]) if p.slug in proposed
            else dataclasses.replace(p, proposed_topics=()) if p.topics and p.proposed_topics
            else p for p in papers]


def merge(existing: Paper, incoming: Paper, as_of: dt.date, *, reimport: bool = False) -> Paper:
    """Fill what the file lacks; never replace what a curator wrote (see `model.Merge`), except
    the text of a paper named by `--reimport`."""
    changes: dict[str, object] = {}
    for name, spec in PAPER_FIELDS:
        old, new = getattr(existing, name), getattr(incoming, name)
        if spec.merge is Merge.REIMPORT and reimport and new and new != old:
            changes[name] = new
        elif spec.merge is Merge.FILL and not old and new:
            if spec.not_after and (limit := getattr(existing, spec.not_after) or
                                   getattr(incoming, spec.not_after)) and new > limit:
                continue  # a date the paper's own dates contradict (`check` refuses it)
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

    def by_slug_or_old_slug(self, slug: str) -> Paper | None:
        found = self._keys.get(f"slug:{slug}")
        return self.by_slug[found] if found else None

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


@dataclass(frozen=True)
class Batch:
    """Entries that arrived together and share a date: one listing, or one day of Daily Papers."""

    path: str
    """Where they came from, for error messages."""
    description: str
    """One line for the summary: `000_x.txt: compact layout, 239 entries`."""
    as_of: dt.date
    """The batch's date: `added` for its new papers, and the reference for dates with no year."""
    entries: tuple[RawEntry, ...]


def _listing_batch(path: Path, as_of: dt.date, source: str | None, force: bool,
                   problems: list[Problem], warnings: list[Problem]) -> Batch | None:
    """One listing, parsed and checked; its problems go to `problems` (or, forced, `warnings`)."""
    try:
        listing = parse_file(path, source)
        _check_header(listing, as_of, path)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    (warnings if force else problems).extend(implausible(listing.entries, str(path), force=force))
    return Batch(str(path), f"{path.name}: {listing.layout} layout, {len(listing.entries)} entries",
                 as_of, listing.entries)


def import_listings(
    paths: list[Path],
    *,
    content_dir: Path,
    as_of: dt.date | None,
    source: str | None = None,
    dry_run: bool = False,
    progress: bool | None = None,
    force: bool = False,
    reimport: Iterable[str] = (),
) -> ImportSummary:
    """Parse every listing, merge, and write all changed files, or none on error.

    An entry that looks like page chrome fails the import unless `force` (see
    `generator.ingest.plausible`). The papers named in `reimport` take their title and
    abstract anew from the listings (see the module docstring)."""
    if as_of is None:
        raise GeneratorError(
            "--as-of is required: it dates the listing (`added`) and resolves dates with no year, "
            "so the import is reproducible"
        )
    if source and len(paths) > 1:
        raise GeneratorError("--source names one listing; give one LISTING with it")
    return _import_dated([(path, as_of) for path in paths], source=source, content_dir=content_dir,
                         dry_run=dry_run, progress=progress, force=force, reimport=reimport)


def import_manifest(
    manifest: Path,
    *,
    content_dir: Path,
    dry_run: bool = False,
    progress: bool | None = None,
    force: bool = False,
    reimport: Iterable[str] = (),
) -> ImportSummary:
    """Import every listing of a manifest (`generator.ingest.manifest`) in its order, each
    dated by the day it was captured: what `make import` runs. All or nothing."""
    return _import_dated([(listing.path, listing.captured) for listing in load_manifest(manifest)],
                         source=None, content_dir=content_dir, dry_run=dry_run, progress=progress,
                         force=force, reimport=reimport)


def _import_dated(listings: list[tuple[Path, dt.date]], *, source: str | None, content_dir: Path,
                  dry_run: bool, progress: bool | None, force: bool,
                  reimport: Iterable[str]) -> ImportSummary:
    """Read every (listing, capture day), then import them all, or nothing if one fails."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    batches = [_listing_batch(path, day, source, force, problems, warnings) for path, day in listings]
    if problems:
        raise ContentError(problems)
    summary = import_batches([b for b in batches if b], content_dir=content_dir, dry_run=dry_run,
                             progress=progress, reimport=reimport)
    summary.warnings = warnings
    return summary


def _reimport_targets(index: _Index, slugs: Iterable[str]) -> list[str]:
    """The papers `--reimport` names, by their current slugs, or a GeneratorError naming the
    slugs that are no paper's."""
    found = {slug: index.by_slug_or_old_slug(slug) for slug in slugs}
    if unknown := [slug for slug, paper in found.items() if paper is None]:
        raise GeneratorError(f"--reimport: no paper has the slug {', '.join(unknown)} (nor has it "
                             "as an old slug in redirect_from)")
    return list(dict.fromkeys(paper.slug for paper in found.values() if paper is not None))


def _reimported(before: Paper, after: Paper) -> str:
    fields = [name for name, spec in PAPER_FIELDS
              if spec.merge is Merge.REIMPORT and getattr(before, name) != getattr(after, name)]
    return f"re-imported {after.slug}: {', '.join(fields) + ' read anew' if fields else 'text unchanged'}"


def _entry_problem(batch: Batch, entry: RawEntry) -> Problem | None:
    """What makes an entry impossible to import whatever the curator says: an abstract no
    paper file may hold (`check` refuses it), or a refused character (a listing's parser
    refuses those itself; this catches the Hub's Daily Papers)."""
    if len(entry.abstract) > ABSTRACT_MAX:
        return Problem(batch.path, entry.abstract_line or entry.line, 1, Severity.ERROR,
                       f"the abstract of {entry.title.strip()[:60]!r} has {len(entry.abstract):,} "
                       f"characters; expected at most {ABSTRACT_MAX:,} (a whole paper or page "
                       "pasted by mistake?)")
    for field_name, text in (("title", entry.title), ("abstract", entry.abstract)):
        if (found := refused_character(text)) is not None:
            return Problem(batch.path, entry.line, 1, Severity.ERROR,
                           f"{refusal(found[0])[0]} in the {field_name} of "
                           f"{entry.title.strip()[:60]!r}; expected text")
    return None


Review = Callable[[list[Paper]], dict[str, str]]
"""The papers about to be written -> the reason each refused one is refused, by slug."""


def import_batches(
    batches: list[Batch],
    *,
    content_dir: Path,
    dry_run: bool = False,
    progress: bool | None = None,
    reimport: Iterable[str] = (),
    review: Review | None = None,
) -> ImportSummary:
    """Normalize, de-duplicate, merge every entry and propose topics; then write all changed
    files, or none on error. Listings and Daily Papers both come through here. The papers
    named in `reimport` (by slug or old slug) take their title and abstract from their
    first entry.

    With `review` (entries from a service, which nobody can fix in a pull request), a bad
    entry, or a paper that `review` refuses, is left out and named in `summary.refused`
    instead of failing the import, and the rest lands."""
    problems: list[Problem] = []
    rules = load_topics(content_dir / "topics.yml")
    existing = {p.slug: p for p in read_papers(content_dir)}
    index = _Index(existing.values())
    targets = _reimport_targets(index, reimport)
    summary = ImportSummary()
    seen: set[str] = set()

    def reject(problem: Problem, entry: RawEntry) -> None:
        if review is None:
            problems.append(problem)
        else:
            summary.refused.append(Refusal(entry.arxiv or f"{problem.path}:{problem.line}",
                                           problem.message))

    entries = [(batch, entry) for batch in batches for entry in batch.entries]
    for batch, entry in progress_bar(entries, "importing", "entry", progress):
        if (problem := _entry_problem(batch, entry)) is not None:
            reject(problem, entry)
            continue
        try:
            title = clean_title(entry.title)
            arxiv = entry.arxiv or find_arxiv_id(f"{entry.title}\n{entry.abstract}")
            found = index.find(title, arxiv)
            slug = found.slug if found else slug_for(title, set(index.by_slug))
            incoming = entry_to_paper(entry, as_of=batch.as_of, slug=slug)
        except ValueError as exc:
            reject(Problem(batch.path, entry.line, 1, Severity.ERROR, str(exc)), entry)
            continue
        if slug in seen:
            summary.skipped += 1
        retake = slug in targets and slug not in seen
        seen.add(slug)
        index.put(merge(found, incoming, batch.as_of, reimport=retake) if found else incoming)
    if problems:
        raise ContentError(problems)
    if missing := [slug for slug in targets if slug not in seen]:
        raise GeneratorError(f"--reimport: no entry of these listings is the paper "
                             f"{', '.join(missing)}, so there is no text to read anew (is it "
                             "in another listing, or did its title change beyond recognition?)")
    curated = [p for p in existing.values() if p.topics]
    for paper in with_proposals([index.by_slug[slug] for slug in sorted(seen)], existing, curated,
                                rules):
        index.by_slug[paper.slug] = paper
    summary.reimported = [_reimported(existing[slug], index.by_slug[slug]) for slug in targets]
    if review is not None:
        new = [index.by_slug[s] for s in sorted(seen) if index.by_slug[s] != existing.get(s)]
        for slug, why in review(new).items():
            summary.refused.append(Refusal(index.by_slug[slug].arxiv or slug, why))
            seen.discard(slug)

    changed: dict[Path, str] = {}
    for slug in sorted(seen):
        paper = index.by_slug[slug]
        if slug not in existing:
            summary.added += 1
            summary.new_papers.append(paper)
        elif paper != existing[slug]:
            summary.updated += 1
            summary.updated_papers.append(paper)
        else:
            summary.unchanged += 1
            continue
        path = content_dir / "papers" / f"{slug}.yml"
        changed[path] = paper_to_yaml(paper)
        summary.written.append((path, "new" if slug not in existing else "updated"))
    summary.listings += [batch.description for batch in batches]
    summary.dry_run = dry_run
    if not dry_run:
        write_atomic(changed)
    return summary
