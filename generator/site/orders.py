"""The orders and groupings every listing and download reads, computed once per build.

Each order is defined and computed once, so the pages and downloads that show
it (home page and feed, paper page and papers.bib) always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from generator.site.citation import bibtex_keys
from generator.errors import GeneratorError
from generator.model import Catalog, Paper, Topic


def _by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.title.casefold(), p.slug))


def newest_first(papers: list[Paper]) -> list[Paper]:
    """Published date, newest first (undated last), then newest added, then A-Z.

    Sorting is stable, so sorting by title first breaks ties alphabetically."""
    return sorted(_by_title(papers), key=lambda p: (p.published is not None, p.published or dt.date.min,
                                                    p.added or dt.date.min), reverse=True)


def newest_additions(papers: tuple[Paper, ...] | list[Paper]) -> list[Paper]:
    """What a daily reader wants first: newest added, then newest published, then most
    upvoted, then A-Z. Unknown dates and upvotes sort after known ones."""

    def key(p: Paper) -> tuple[int, int, int, str, str]:
        return (-(p.added.toordinal() if p.added else 0), -(p.published.toordinal() if p.published else 0),
                -(p.upvotes if p.upvotes is not None else -1), p.title.casefold(), p.slug)

    return sorted(papers, key=key)


def most_upvoted(papers: tuple[Paper, ...] | list[Paper], limit: int) -> list[Paper]:
    """Papers with at least one upvote, most first; ties newest added, then A-Z."""
    voted = [p for p in newest_additions(papers) if p.upvotes]
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
    """Every paper, newest_first: the code and year listings."""
    added: list[Paper]
    """Every paper, newest_additions: the home page and the feed."""
    bib_keys: dict[str, str]
    """Slug -> BibTeX key, shared by the paper pages and papers.bib."""

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
        return cls(
            catalog=catalog,
            topics=topics,
            by_topic={tid: newest_first(papers) for tid, papers in by_topic.items()},
            newest=newest_first(list(catalog.papers)),
            added=newest_additions(catalog.papers),
            bib_keys=bibtex_keys(catalog.papers),
        )


def best_date(paper: Paper) -> dt.date | None:
    """A paper's date for a feed entry: its publication date, else the capture date of
    the listing that brought it in (`added`); None when it has neither."""
    return paper.published or paper.added

