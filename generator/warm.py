"""Between builds in one process: what `make serve` rebuilds after every edit.

`mkdocs serve` regenerates the docs folder in its own process after each edit, from a
catalog in which all papers but one are the same as last time. Per-paper results
(the parsed paper, its search record, its lines in the downloads) are then kept from one
build to the next, by value: the paper file's digest for the parsed paper, and the
very Paper object (which the memo of parsed papers hands out again) with everything
else the result reads for the rest. A one-off command (`build`, `check`) never turns this
on: it would only hold a second copy of every line until it exits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_keeping = False
_by_key: dict[Hashable, tuple[Hashable, object]] = {}
_by_paper: dict[Hashable, tuple[object, object]] = {}


def keep_between_builds() -> None:
    """From now on, remember per-paper results in this process (the serve plugin)."""
    global _keeping
    _keeping = True


def remember(key: Hashable, version: Hashable, make: Callable[[], T]) -> T:
    """make(), or what it gave for `key` at the same `version` in an earlier build of
    this process. One version is kept per key: an edited file replaces its entry."""
    if not _keeping:
        return make()
    hit = _by_key.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]  # type: ignore[return-value]
    value = make()
    _by_key[key] = (version, value)
    return value


def for_paper(kind: str, paper: object, extra: Hashable, make: Callable[[], T]) -> T:
    """make() for `paper`, or what it gave for this same object and `extra` (what else it
    reads) before. Looked up by identity: hashing a Paper's every field each build cost
    as much as most of what is remembered. The entry holds the paper, so its id is not
    reused while the entry stands."""
    if not _keeping:
        return make()
    key = (kind, id(paper), extra)
    hit = _by_paper.get(key)
    if hit is not None and hit[0] is paper:
        return hit[1]  # type: ignore[return-value]
    value = make()
    _by_paper[key] = (paper, value)
    return value
