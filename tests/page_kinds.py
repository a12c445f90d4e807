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
