"""One page of each kind the site publishes, by its URL path in the site built from the
seed listings' import (the `seed_site` fixture, whose HAT keeps one old slug): the pages the
metadata and web-standards tests check. A new kind of page is one line here.
"""

from __future__ import annotations

HAT = "hat-hybrid-attention-transformer-for-image-restoration"

PAGE_KINDS: dict[str, str] = {
    "home": "",
    "topics index": "topics/",
    "topic": "topics/vision/",
    "paper": f"papers/{HAT}/",
    "browse": "browse/",
    "about": "about/",
    "contributing": "contributing/",
    "stats": "stats/",
    "downloads": "downloads/",
    "moved listing": "code/",
    "paper redirect": "papers/hat-hybrid-attention-transformer/",
    "topic redirect": "topics/theory/",
    "404": "404.html",
}
"""Page kind → URL path (relative to the site's root)."""

STUBS = {"moved listing", "paper redirect", "topic redirect"}
"""Kinds that are bare redirect stubs (no theme, no scripts, noindex)."""

BROWSE_STATES: dict[str, str] = {
    "browse, filters on": "browse/?topic=data&not-topic=pretraining&not-year=2024&code=yes",
    "browse, no results": "browse/?q=zqxjkvw",
    "browse, sort changed": "browse/?year=2023&sort=upvoted",
    "browse, search panel open": "browse/?not-code=yes",
}
"""The states Browse's script draws after load, by URL path with its query: a filter
on (with exclusions, so that most values count 0), a search with no result, another
sort, and the header's search panel open over it (SEARCH_OPEN)."""

SEARCH_OPEN = {"browse, search panel open"}
"""States checked with the header's search open and showing results."""
