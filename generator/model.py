"""The records that flow through the pipeline.

Every stage takes and returns these frozen dataclasses, so a later stage never
depends on how an earlier one parsed or stored anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LINK_KINDS = (
    "code",
    "hf-model",
    "hf-dataset",
    "hf-space",
    "hf-collection",
    "project",
    "other",
)
"""Every value a link's `kind` may take, in the order badges are shown."""

PAPER_KEYS = (
    "title",
    "abstract",
    "authors",
    "author_count",
    "published",
    "upvotes",
    "arxiv",
    "links",
    "topics",
    "note",
    "sources",
    "added",
    "redirect_from",
)
"""The keys of a paper file, in the order the store writes them."""


@dataclass(frozen=True)
class Link:
    url: str
    kind: str
    """One of LINK_KINDS."""


@dataclass(frozen=True)
class RawEntry:
    """One entry as the listing parser found it, before any cleaning."""

    title: str
    abstract: str
    source: str
    """The listing's name, e.g. `002_a5cf91813e7d014e`."""
    line: int
    """1-based line of the title in the listing, for error messages."""
    author_count: int | None = None
    date_text: str | None = None
    """The date as printed (`Sep 27`, `Oct 19, 2022`), resolved later."""
    upvotes: int | None = None


@dataclass(frozen=True)
class Paper:
    slug: str
    """The file name without `.yml`; also the page URL. Stable once set."""
    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    published: dt.date | None = None
    upvotes: int | None = None
    arxiv: str | None = None
    links: tuple[Link, ...] = ()
    topics: tuple[str, ...] = ()
    note: str | None = None
    sources: tuple[str, ...] = ()
    added: dt.date | None = None
    redirect_from: tuple[str, ...] = ()
    """Old slugs whose URLs must keep working (renames and merges)."""


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    keywords: tuple[str, ...] = ()
    """Case-insensitive whole-word phrases matched on title and abstract."""
    patterns: tuple[str, ...] = ()
    """Regular expressions matched on title and abstract."""
    icon: str | None = None
    """A Material icon shortcode name such as `material-magnify`."""


@dataclass(frozen=True)
class Catalog:
    """Everything in `content/`, loaded and validated."""

    papers: tuple[Paper, ...]
    topics: tuple[Topic, ...]
    fallback_topic: str | None = None
    """The topic given to a paper that matches no rule."""
