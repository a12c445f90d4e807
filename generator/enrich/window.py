"""`import --hf-daily since-last`: the days of Daily Papers content/ does not have yet.

From the day after the newest `hf-daily-YYYY-MM-DD` source in content/ up to
yesterday (today is `generator.clock.today()`: SOURCE_DATE_EPOCH, else the
clock), so a week the weekly update missed is imported by the next run. One run
asks for at most MAX_DAYS days (the Hub's range limit), the oldest first; a longer
gap is caught up over several runs, and each run says how many days are left.
Content with no Daily Papers yet starts with the FIRST_DAYS days before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import clock
from generator.enrich.daily import MAX_DAYS
from generator.model import DAILY_SOURCE_PREFIX, Paper
from generator.review.check import read_papers

SINCE_LAST = "since-last"
"""The `--hf-daily` spec that asks for this window."""
FIRST_DAYS = 7
"""The first window of a content folder without any Daily Papers: the past week."""


@dataclass(frozen=True)
class Window:
    first: dt.date
    last: dt.date
    remaining: int
    """Days after `last` up to yesterday, left for later runs."""

    @property
    def spec(self) -> str:
        """`FIRST..LAST`, as `--hf-daily` takes it."""
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def __str__(self) -> str:
        days = (self.last - self.first).days + 1
        text = f"{SINCE_LAST}: {self.spec} ({days} day{'s' * (days != 1)})"
        if self.remaining:
            text += (f"; {self.remaining} more day{'s' * (self.remaining != 1)} up to yesterday "
                     f"are left for the next runs (at most {MAX_DAYS} a run)")
        return text


def newest_daily(papers: Iterable[Paper]) -> dt.date | None:
    """The newest day a paper's `hf-daily-YYYY-MM-DD` source names, or None."""
    days = []
    for paper in papers:
        for source in paper.sources:
            if source.startswith(DAILY_SOURCE_PREFIX):
                try:
                    days.append(dt.date.fromisoformat(source[len(DAILY_SOURCE_PREFIX):]))
                except ValueError:  # a listing named like a daily source: not a day
                    continue
    return max(days, default=None)


def catch_up(newest: dt.date | None, today: dt.date, max_days: int = MAX_DAYS) -> Window | None:
    """The days after `newest` up to the day before `today`, at most `max_days` of them,
    the oldest first; None when there is nothing to import yet."""
    yesterday = today - dt.timedelta(days=1)
    first = newest + dt.timedelta(days=1) if newest else today - dt.timedelta(days=FIRST_DAYS)
    if first > yesterday:
        return None
    last = min(yesterday, first + dt.timedelta(days=max_days - 1))
    return Window(first, last, (yesterday - last).days)


def since_last(content_dir: Path, today: dt.date | None = None) -> Window | None:
    """The window of `content_dir` (whose paper files must pass the import's own review)."""
    return catch_up(newest_daily(read_papers(content_dir)), today or clock.today())


def expand_since_last(specs: list[str], content_dir: Path) -> tuple[list[str], str | None]:
    """`specs` with `since-last` replaced by its window's range (dropped when content/ is
    up to date), and a line that says which days that is, for the log and the pull
    request; (specs, None) when no spec is `since-last`."""
    if SINCE_LAST not in specs:
        return specs, None
    window = since_last(content_dir)
    note = str(window) if window else f"{SINCE_LAST}: content/ is up to date, nothing to import"
    return [s for s in specs if s != SINCE_LAST] + ([window.spec] if window else []), note
