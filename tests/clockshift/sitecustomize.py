"""Moves the clock of a Python process forward by CLOCK_SHIFT_DAYS days.

Put this folder first on PYTHONPATH and every Python process started with it (and
their children: MkDocs, pytest's workers) reads a clock that many days ahead:
time.time() and time.time_ns(), datetime.date.today() (CPython computes it from
time.time()) and datetime.datetime.now() and utcnow() (replaced by a subclass whose
clock is time.time()). Used by tests/test_clock.py, and to run the whole suite a
year ahead (CONTRIBUTING.md, "Tests and the clock").
"""

import datetime as _datetime
import os
import time

SHIFT_DAYS = int(os.environ.get("CLOCK_SHIFT_DAYS", "0"))
real_time = time.time


class _ShiftedDatetime(_datetime.datetime):
    """datetime.datetime, whose now() and utcnow() read the moved time.time()."""

    @classmethod
    def now(cls, tz=None):
        return cls.fromtimestamp(time.time(), tz)

    @classmethod
    def utcnow(cls):
        return cls.fromtimestamp(time.time(), _datetime.timezone.utc).replace(tzinfo=None)


if SHIFT_DAYS:
    _real_time_ns = time.time_ns
    _shift = SHIFT_DAYS * 86400
    time.time = lambda: real_time() + _shift
    time.time_ns = lambda: _real_time_ns() + _shift * 1_000_000_000
    # Pickles and reprs name it as the class it stands for.
    _ShiftedDatetime.__module__, _ShiftedDatetime.__qualname__ = "datetime", "datetime"
    _ShiftedDatetime.__name__ = "datetime.datetime"  # its repr, as the C type writes it
    _datetime.datetime = _ShiftedDatetime
