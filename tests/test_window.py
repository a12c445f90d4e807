"""`import --hf-daily since-last`: the weekly update imports every day content/ lacks.

The window runs from the day after the newest `hf-daily-YYYY-MM-DD` source in content/
up to yesterday, so a run that failed or was skipped is caught up by the next one, at
most 31 days a run. Every "today" here comes from SOURCE_DATE_EPOCH or an argument.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import clock
from generator.enrich.window import FIRST_DAYS, Window, catch_up, newest_daily, since_last
from generator.review.check import read_papers
from generator.store.paperfile import paper_to_yaml
from fake_api import FakeApi
from helpers import CONTENT, EVERY_FIELD, cli, empty_content

D = dt.date
HAT = "hat-hybrid-attention-transformer-for-image-restoration"


def content_with_sources(tmp_path: Path, *sources: str) -> Path:
    """A content folder with one committed paper whose sources are `sources`."""
    content = empty_content(tmp_path)
    shutil.copy(CONTENT / "papers" / f"{HAT}.yml", content / "papers")
    paper = next(p for p in read_papers(content) if p.slug == HAT)
    (content / "papers" / f"{HAT}.yml").write_text(
        paper_to_yaml(dataclasses.replace(paper, sources=sources)), encoding="utf-8")
    return content


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set what today is for the code under test, through SOURCE_DATE_EPOCH."""
    def set_today(day: dt.date) -> None:
        monkeypatch.setenv(clock.VARIABLE, str(clock.epoch_of(day)))
    return set_today


# --- the window -----------------------------------------------------------------


def test_a_weekly_run_imports_the_week_after_the_last_one():
    assert catch_up(D(2026, 11, 29), today=D(2026, 12, 7)) == Window(D(2026, 11, 30), D(2026, 12, 6), 0)


def test_a_missed_week_is_caught_up():
    window = catch_up(D(2026, 11, 22), today=D(2026, 12, 7))
    assert window == Window(D(2026, 11, 23), D(2026, 12, 6), 0)
    assert window.spec == "2026-11-23..2026-12-06"


def test_a_long_gap_takes_several_runs_of_at_most_31_days():
    first = catch_up(D(2026, 9, 30), today=D(2026, 12, 7))
    assert first == Window(D(2026, 10, 1), D(2026, 10, 31), 36)
    assert "36 more days up to yesterday are left for the next runs (at most 31 a run)" in str(first)
    second = catch_up(first.last, today=D(2026, 12, 7))
    assert second == Window(D(2026, 11, 1), D(2026, 12, 1), 5)
    third = catch_up(second.last, today=D(2026, 12, 7))
    assert third == Window(D(2026, 12, 2), D(2026, 12, 6), 0)
    assert catch_up(third.last, today=D(2026, 12, 7)) is None


def test_nothing_to_import_when_yesterday_is_in():
    assert catch_up(D(2026, 12, 6), today=D(2026, 12, 7)) is None
    assert catch_up(D(2026, 12, 7), today=D(2026, 12, 7)) is None, "today's list is still growing"
    assert catch_up(D(2027, 1, 1), today=D(2026, 12, 7)) is None, "a source dated later: no window"


def test_a_content_folder_without_daily_papers_starts_with_the_past_week():
    window = catch_up(None, today=D(2026, 12, 7))
    assert window == Window(D(2026, 11, 30), D(2026, 12, 6), 0)
    assert (window.last - window.first).days + 1 == FIRST_DAYS == 7


def test_one_day_reads_as_one_day():
    assert str(catch_up(D(2026, 12, 5), today=D(2026, 12, 7))) == "since-last: 2026-12-06..2026-12-06 (1 day)"


def test_the_newest_daily_source_is_found_among_listings():
    papers = [dataclasses.replace(EVERY_FIELD, sources=("003_e70dd2ff951c1db1", "hf-daily-2026-11-20")),
              dataclasses.replace(EVERY_FIELD, sources=("hf-daily-2026-11-28", "hf-daily-2026-11-02")),
              dataclasses.replace(EVERY_FIELD, sources=("hf-daily-notes",))]
    assert newest_daily(papers) == D(2026, 11, 28)
    assert newest_daily([EVERY_FIELD]) is None


def test_since_last_reads_content(tmp_path: Path, on_day) -> None:
    content = content_with_sources(tmp_path, "hf-daily-2026-11-19", "003_e70dd2ff951c1db1")
    assert since_last(content, today=D(2026, 11, 25)) == Window(D(2026, 11, 20), D(2026, 11, 24), 0)
    on_day(D(2026, 11, 21))
    assert since_last(content) == Window(D(2026, 11, 20), D(2026, 11, 20), 0), "today from the variable"


# --- the command ----------------------------------------------------------------


def test_import_since_last_fetches_the_missing_days(tmp_path: Path, api: FakeApi, on_day,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    content = content_with_sources(tmp_path, "hf-daily-2026-11-18")
    for name, value in api.env().items():
        monkeypatch.setenv(name, value)
    on_day(D(2026, 11, 21))
    body = tmp_path / "body.md"
    code, out, err = cli("--content", content, "import", "--hf-daily", "since-last", "--hub-interval", "0",
                         "--cache", tmp_path / "cache", "--summary", body)
    assert (code, err) == (0, ""), err
    assert out.startswith("since-last: 2026-11-19..2026-11-20 (2 days)\n")
    asked = [parse_qs(urlsplit(r).query)["date"] for r in api.requests("/api/daily_papers")]
    assert asked == [["2026-11-19"], ["2026-11-20"]]
    assert body.read_text(encoding="utf-8").startswith(
        "Daily Papers since-last: 2026-11-19..2026-11-20 (2 days).\n\n### Added")
    assert newest_daily(read_papers(content)) == D(2026, 11, 20)

    api.log.clear()
    code, out, err = cli("--content", content, "import", "--hf-daily", "since-last", "--hub-interval", "0",
                         "--cache", tmp_path / "cache")
    assert (code, out, err) == (0, "since-last: content/ is up to date, nothing to import\n", "")
    assert api.requests() == [], "nothing asked"


def test_a_bad_source_date_epoch_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = content_with_sources(tmp_path, "hf-daily-2026-11-18")
    monkeypatch.setenv(clock.VARIABLE, "yesterday")
    code, out, err = cli("--content", content, "import", "--hf-daily", "since-last")
    assert (code, out) == (1, "")
    assert err == ("Error: SOURCE_DATE_EPOCH: expected a whole number of seconds since 1970-01-01 "
                   "UTC, such as 1764547200, found 'yesterday'\n")
