"""What day it is, asked in one place: SOURCE_DATE_EPOCH when set, else the clock.

Only commands that date something new ask: `new` (a paper's `added`) and the weekly
import's window (`import --hf-daily since-last`). The site build never does: every page,
feed and data file is a function of content/ alone. SOURCE_DATE_EPOCH
(https://reproducible-builds.org/specs/source-date-epoch/, seconds since
1970-01-01 UTC) is how a test or a reproducible run fixes "today" without
touching the clock. Days are UTC days, whatever the machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time

from generator.errors import GeneratorError

VARIABLE = "SOURCE_DATE_EPOCH"
_SECONDS = re.compile(r"[0-9]{1,12}")


def today() -> dt.date:
    """Today's UTC date: from SOURCE_DATE_EPOCH when it is set, else from the clock."""
    raw = os.environ.get(VARIABLE)
    if raw is None:
        seconds = time.time()
    elif _SECONDS.fullmatch(raw):
        seconds = int(raw)
    else:
        raise GeneratorError(f"{VARIABLE}: expected a whole number of seconds since "
                             f"1970-01-01 UTC, such as 1764547200, found {raw[:40]!r}")
    try:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    except (OverflowError, ValueError, OSError):
        raise GeneratorError(f"{VARIABLE}: {raw} seconds is past the year 9999") from None


def epoch_of(day: dt.date) -> int:
    """The SOURCE_DATE_EPOCH that makes `today()` return `day`."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
