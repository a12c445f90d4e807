"""The JSON of the build's caches (`.cache/generator`): written by orjson, read by json.

At 10,000 papers the site memo and the review cache are 20 MB each, rewritten after every
edit: the standard library's encoder took 0.12 and 0.07 s of a 3-second rebuild, orjson's
0.016 and 0.008 s. orjson writes a NaN or an infinity as null, so `encodes_as_is` is the
test of what a cache may keep; what orjson refuses (a lone surrogate, a key that is not a
string, an integer past 64 bits) is written by the standard library's encoder, in ASCII.
Reading stays json.loads: as fast here, and it reads both.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    """UTF-8 JSON of `value`, compact."""
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def encodes_as_is(value: Any) -> bool:
    """True when `value` reads back from `dumps` as itself (not a NaN, not an infinity,
    not a key JSON would turn into a string)."""
    try:
        return bool(json.loads(dumps(value)) == value)
    except (TypeError, ValueError):
        return False
