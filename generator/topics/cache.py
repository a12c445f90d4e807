"""The rules' scores of each paper, kept between runs under `.cache/topics/`.

Scoring one paper by every topic's rules takes 10–30 ms, so it was most of the time of
training the proposer on 500 curated papers. A paper's scores depend only on the rules,
the scoring code and the paper's text, and the key hashes exactly those: a cache from
other rules or an older `assign.py` is never read. The cache only saves time: an
unreadable one is recomputed and a failed write is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from generator.model import TopicRules
from generator.topics import assign

CACHE_DIR = Path(".cache") / "topics"

Entry = list[list[float]]
"""A paper's scores: `[topic index, score, title score, given, first]` per topic with a hit."""


def rules_key(rules: TopicRules) -> str:
    code = Path(assign.__file__).read_bytes()
    return hashlib.sha256(repr(rules).encode() + b"\0" + code).hexdigest()[:24]


def text_key(title: str, abstract: str) -> str:
    return hashlib.sha256(f"{title}\0{abstract}".encode()).hexdigest()[:24]


def _path(rules: TopicRules) -> Path:
    return CACHE_DIR / f"rule-scores-{rules_key(rules)}.json"


def load(rules: TopicRules) -> dict[str, Entry]:
    try:
        found = json.loads(_path(rules).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def save(rules: TopicRules, entries: dict[str, Entry]) -> None:
    """Write the scores whole (a temporary renamed over the file), or not at all."""
    path = _path(rules)
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entries, handle, sort_keys=True)
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
