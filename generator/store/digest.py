"""SHA-256 of a file, remembered in this process by the file's status.

`make serve` rebuilds after each edit, and both the review (which keys its cache by each
paper file's bytes) and the writer (which keeps a page whose bytes it already wrote)
would read and hash every file again: 20,000 files at 10,000 papers. As git does for its
index, a file whose device, inode, size, modification and change times are all as
when it was hashed has the same bytes. A file changed less than RACY seconds before it
was hashed is not remembered: a second write within the clock's granularity could
leave every time as it was.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

RACY = 2.0
"""Seconds: a file modified this recently when hashed is hashed again next time."""

_known: dict[str, tuple[tuple[int, int, int, int, int], str]] = {}


def file_status(path: Path) -> tuple[int, int, int, int, int]:
    """What stands for a file's bytes while it is unchanged (see the module doc); OSError
    if it is not there."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def settled(status: tuple[int, int, int, int, int]) -> bool:
    """True when a file with this status, taken now, was last changed more than RACY
    seconds ago: the status may then stand for its bytes."""
    return time.time_ns() - max(status[3], status[4]) > RACY * 1e9


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of the file's bytes; OSError if it cannot be read."""
    name = os.fspath(path)
    status = file_status(path)
    known = _known.get(name)
    if known is not None and known[0] == status:
        return known[1]
    with open(name, "rb") as f:
        data = f.read()
    sha = hashlib.sha256(data).hexdigest()
    if len(data) == status[2] and settled(status):
        _known[name] = (status, sha)
    return sha


def remembered(names: list[str]) -> dict[str, tuple[tuple[int, int, int, int, int], str]]:
    """What this process remembers of these files (settled ones only): for a cache that
    keeps it for the next process (`review.cache`, `site.memo`)."""
    return {name: _known[name] for name in names if name in _known}


def remember(name: str, status: Sequence[object], sha: object) -> None:
    """Take a settled file's status and digest that an earlier process remembered (as a
    cache read them back: ValueError or TypeError if they are not a status and a digest)."""
    dev, ino, size, mtime, ctime = (int(value) for value in status)  # type: ignore[call-overload]
    _known[name] = ((dev, ino, size, mtime, ctime), str(sha))
