"""Month names, for reading listing dates and writing dates readers can't misread.

One table, in English whatever the machine's locale: listings print English
month abbreviations and the site is in English.
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTHS)
MONTH_NUMBERS = {abbr: number for number, abbr in enumerate(MONTH_ABBREVIATIONS, 1)}
"""`Jan` -> 1, ... `Dec` -> 12."""


def long_date(day: dt.date) -> str:
    """`28 November 2026`: unambiguous everywhere, unlike 11/28."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def latest_on_or_before(month: int, day: int, as_of: dt.date) -> dt.date | None:
    """The latest `month`/`day` not after as_of (a listing's `Sep 27` has no year), or
    None when no year in the eight before as_of has that date."""
    for year in range(as_of.year, as_of.year - 8, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # Feb 29 in a common year
            continue
        if candidate <= as_of:
            return candidate
    return None
