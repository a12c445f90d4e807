"""The orders and groupings every listing and download reads, computed once per build.

Each order is defined and computed once, so the pages and downloads that show
it (home page and feeds, topic page and its files, paper page and papers.bib)
always agree. There are two "newest": `newest_added`, what is new *here* (the
feeds and the home page's "Newest papers"), and `newest_first`, the newest
research (the topic tables, their JSON and BibTeX, and Browse's "Newest").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import warm
from generator.site.citation import bibtex, bibtex_keys
from generator.errors import GeneratorError
from generator.model import Catalog, Paper, Topic


def _tie(slug: str) -> bytes:
    """The last tie-breaker: a stable hash of the slug. Hundreds of undated papers share
    a capture day, and sorting those by slug or title would show runs of "A Survey
    on ..." as if alphabetical order meant something; a hash mixes them, the same way
    on every build and machine."""
    return hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()


def _day(day: dt.date | None) -> int:
    """A date as a sort key, newest first; unknown after every known day."""
    return -(day.toordinal() if day else 0)


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """The newest research: published (undated last), then the capture date of the
    listing that brought the paper in (`added`, unknown last), then most upvoted
    (unknown last), then `_tie`. The order of the topic tables, whose Published column
    shows it (a reader's click on that header gives it back), of the topics' JSON and
    BibTeX, and of the search index's date sort (Browse's "Newest")."""

    def key(p: Paper) -> tuple[int, int, int, bytes, str]:
        return (_day(p.published), _day(p.added), -(p.upvotes if p.upvotes is not None else -1),
                _tie(p.slug), p.slug)

    return sorted(papers, key=key)


def newest_added(papers: Iterable[Paper]) -> list[Paper]:
    """What is new here: by the day a paper entered the index (`added`, unknown last),
    newest first; within a day as `newest_first` (published, upvotes, `_tie`). The one
    order of feed.xml, every topic feed and the home page's "Newest papers": a paper
    published years ago but added today is news here, while one published last month
    and listed here since then is not, whatever its date."""

    def key(p: Paper) -> tuple[int, int, int, bytes, str]:
        return (_day(p.added), _day(p.published), -(p.upvotes if p.upvotes is not None else -1),
                _tie(p.slug), p.slug)

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
    """Topic id -> its papers, newest_first (its page's table, JSON and BibTeX); a topic
    without papers has no key."""
    added_by_topic: dict[str, list[Paper]]
    """Topic id -> its papers, newest_added (its feed); the same keys as by_topic."""
    newest: list[Paper]
    """Every paper, newest_added: the home page's "Newest papers" and feed.xml."""
    bib_keys: dict[str, str]
    """Slug -> BibTeX key, shared by the paper pages and papers.bib."""
    first_added: dt.date | None
    """The oldest `added` of the catalog (None when no paper has one)."""
    _citations: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def citation(self, paper: Paper, page_url: str) -> str:
        """The paper's BibTeX entry, made once a build: its page, papers.bib and each of its
        topics' papers.bib show the same text."""
        entry = self._citations.get(paper.slug)
        if entry is None:
            key = self.bib_keys.get(paper.slug)
            entry = self._citations[paper.slug] = warm.for_paper(
                "bibtex", paper, (page_url, key), lambda: bibtex(paper, page_url, key))
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
        return cls(
            catalog=catalog,
            topics=topics,
            by_topic={tid: newest_first(papers) for tid, papers in by_topic.items()},
            added_by_topic={tid: newest_added(papers) for tid, papers in by_topic.items()},
            newest=newest_added(catalog.papers),
            bib_keys=bibtex_keys(catalog.papers),
            first_added=min((p.added for p in catalog.papers if p.added), default=None),
        )

    def updated(self, paper: Paper) -> dt.date | None:
        """A feed entry's `updated`: the day the paper entered the index (`added`), the key
        of newest_added, so that every feed reads newest first by it.

        `added` is the one date content/ records in an entry's life. What changes later
        is not dated there (a later listing refreshing upvotes and sources, which no entry
        shows, or filling a field the file lacked; a topic refresh), and none of it makes
        the paper new here: RFC 4287 (4.2.15) leaves to the publisher which changes are
        significant. A paper without `added` comes last, dated `first_added`: nothing
        says when it came, and it may not rise above a dated entry. Never the clock. None
        only when no paper has `added`."""
        return paper.added or self.first_added
