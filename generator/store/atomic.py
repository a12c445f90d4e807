"""Write a set of content files all at once, or none of them.

Every file is first written in full to a hidden temporary beside its target
and flushed to disk; only then are the temporaries renamed over the targets.
A rename is atomic, so a reader (or a crash at any instant) sees each file
either old or new, never half-written. A process killed before its renames
leaves hidden temporaries behind; the next write sweeps them away.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def sweep_temporaries(folder: Path) -> None:
    """Remove temporaries that a killed write left in `folder`."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def write_atomic(files: Mapping[Path, str | bytes]) -> None:
    """Write every file or none: all temporaries first (flushed), then the renames. Text
    is written as UTF-8, unchanged (no line end translated); bytes as they are."""
    for folder in {path.parent for path in files}:
        sweep_temporaries(folder)
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX,
                                        dir=path.parent)
            temps.append((temp, path))
            os.fchmod(fd, 0o644)  # mkstemp's 0600 would survive the rename
            with os.fdopen(fd, "wb") as handle:
                handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        raise
    for i, (temp, path) in enumerate(temps):
        try:
            os.replace(temp, path)
        except BaseException:
            for leftover, _ in temps[i:]:
                Path(leftover).unlink(missing_ok=True)
            raise
