"""The orders and groupings every listing and download reads, computed once per build.

Each order is defined and computed once, so the pages and downloads that show
it (home page and feed, paper page and papers.bib) always agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.site.citation import bibtex, bibtex_keys
from generator.errors import GeneratorError
from generator.model import Catalog, Paper, Topic


def _tie(slug: str) -> bytes:
    """The last tie-breaker: a stable hash of the slug. Hundreds of undated papers share
    a capture day, and sorting those by slug or title would show runs of "A Survey
    on ..." as if alphabetical order meant something; a hash mixes them, the same way
    on every build and machine."""
    return hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Newest by real dates: published (undated last), then the capture date of the
    listing that brought the paper in (`added`, unknown last), then most upvoted
    (unknown last), then `_tie`. The one order of the home page, the feed, the topic
    tables and Browse's stubs."""

    def key(p: Paper) -> tuple[int, int, int, bytes, str]:
        return (-(p.published.toordinal() if p.published else 0), -(p.added.toordinal() if p.added else 0),
                -(p.upvotes if p.upvotes is not None else -1), _tie(p.slug), p.slug)

    return sorted(papers, key=key)


def most_upvoted(papers: tuple[Paper, ...] | list[Paper], limit: int) -> list[Paper]:
    """Papers with at least one upvote, most first; ties in newest_first order."""
    voted = [p for p in newest_first(papers) if p.upvotes]
    return sorted(voted, key=lambda p: -(p.upvotes or 0))[:limit]


@dataclass(frozen=True)
class CatalogIndex:
    """A Catalog looked up and sorted the ways the pages need it."""

    catalog: Catalog
    topics: dict[str, Topic]
    """Topic id -> Topic."""
    by_topic: dict[str, list[Paper]]
    """Topic id -> its papers, newest_first; a topic without papers has no key."""
    newest: list[Paper]
    """Every paper, newest_first: the home page and the site feed."""
    bib_keys: dict[str, str]
    """Slug -> BibTeX key, shared by the paper pages and papers.bib."""
    _citations: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def citation(self, paper: Paper, page_url: str) -> str:
        """The paper's BibTeX entry, made once a build: its page, papers.bib and each of its
        topics' papers.bib show the same text."""
        entry = self._citations.get(paper.slug)
        if entry is None:
            entry = self._citations[paper.slug] = bibtex(paper, page_url, self.bib_keys.get(paper.slug))
        return entry

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogIndex:
        """Index `catalog`; a paper naming an unknown topic is a GeneratorError."""
        topics = {t.id: t for t in catalog.topics}
        by_topic: dict[str, list[Paper]] = defaultdict(list)
        for paper in catalog.papers:
            for topic_id in paper.shown_topics:
                by_topic[topic_id].append(paper)
        unknown = sorted(set(by_topic) - set(topics))
        if unknown:
            raise GeneratorError(f"papers name unknown topics: {', '.join(unknown)}")
        newest = newest_first(catalog.papers)
        return cls(
            catalog=catalog,
            topics=topics,
            by_topic={tid: newest_first(papers) for tid, papers in by_topic.items()},
            newest=newest,
            bib_keys=bibtex_keys(catalog.papers),
        )


def best_date(paper: Paper) -> dt.date | None:
    """A paper's date for a feed entry: its publication date, else the capture date of
    the listing that brought it in (`added`); None when it has neither."""
    return paper.published or paper.added

