"""Read a built site's Pagefind index the way a test can: one record per indexed paper.

Pagefind writes each page's record (URL, indexed text, meta, filters, anchors) as
a gzipped fragment, `pagefind_dcd` followed by JSON, in site/pagefind/fragment/.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

_MAGIC = b"pagefind_dcd"


def fragments(site: Path, index: str = "pagefind") -> dict[str, dict]:
    """Indexed page URL (`/papers/<slug>/`) -> its Pagefind record, in the site's index
    (or in one of its bundles, `pagefind/1`)."""
    records = {}
    for path in sorted((site / index / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(_MAGIC), path
        record = json.loads(raw[len(_MAGIC):])
        records[record["url"]] = record
    return records


def titles_while_served(root: Path, pattern: str) -> set[str]:
    """The titles in the fragments under `root` matching `pattern` (a glob), read while a
    server may be replacing the index: a fragment being written or swapped out is skipped."""
    titles = set()
    for path in root.glob(pattern):
        try:
            raw = gzip.decompress(path.read_bytes())
        except (OSError, EOFError):
            continue
        titles.add(json.loads(raw[len(_MAGIC):])["meta"]["title"])
    return titles
