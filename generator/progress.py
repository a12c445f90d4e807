"""A progress bar for long commands, shown only where someone is watching."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, unit: str, enabled: bool | None = None) -> Iterable[T]:
    """`items`, with a tqdm bar on an interactive terminal only; logs and CI stay clean."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, file=sys.stderr)
