"""No test reads the clock, and nothing the site shows depends on the day it was built.

What the code calls today comes from `generator.clock` (SOURCE_DATE_EPOCH, else the
clock), which conftest.py pins for every test. To prove that no other path reads the
clock, the date-sensitive tests run again in a subprocess whose clock is a year ahead
(tests/clockshift/sitecustomize.py), and the same content is built into a site on both
days and compared byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import clock
from generator.errors import GeneratorError
from helpers import ROOT, TESTS, TODAY, mkdocs_config_for, snapshot

SHIM = TESTS / "clockshift"
YEAR = 365

CLOCK_READS = re.compile(
    r"\b(?:date|datetime)\s*\.\s*(?:today|now|utcnow)\s*\("
    r"|\btime\s*\.\s*(?:time|time_ns|localtime|gmtime|ctime|asctime|strftime)\s*\("
)
"""A call that reads the clock, as code in generator/ would write it."""
ALLOWED = {
    "generator/clock.py": "the one module that owns today",
    "generator/enrich/http.py": "when a cached answer was fetched, and how long an HTTP-date "
                                "Retry-After asks to wait: the network's time, never content",
    "generator/store/digest.py": "whether a file changed too recently for its status to stand "
                                 "for its bytes: never what a digest is, only whether to hash again",
}


def shifted_env(days: int, **extra: str) -> dict[str, str]:
    """The environment of a process whose clock is `days` ahead, with no SOURCE_DATE_EPOCH
    unless `extra` sets one."""
    env = {k: v for k, v in os.environ.items() if k != clock.VARIABLE}
    env.update(PYTHONPATH=os.pathsep.join([str(SHIM), str(ROOT)]), CLOCK_SHIFT_DAYS=str(days),
               NO_MKDOCS_2_WARNING="1", **extra)
    return env


# --- generator.clock ------------------------------------------------------------


def test_today_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert clock.today() == TODAY, "conftest.py pins it"
    monkeypatch.setenv(clock.VARIABLE, "1796342399")  # 2026-12-03T23:59:59Z
    assert clock.today() == dt.date(2026, 12, 3), "a UTC day"
    monkeypatch.setenv(clock.VARIABLE, str(clock.epoch_of(dt.date(2030, 2, 28))))
    assert clock.today() == dt.date(2030, 2, 28)


@pytest.mark.parametrize("value", ["", "-1", "1.5", "tomorrow", "1796342400 ", "9" * 13])
def test_a_bad_source_date_epoch_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(clock.VARIABLE, value)
    with pytest.raises(GeneratorError, match=r"^SOURCE_DATE_EPOCH: expected a whole number of seconds"):
        clock.today()


def test_a_source_date_epoch_past_9999_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.VARIABLE, "999999999999")
    with pytest.raises(GeneratorError, match=r"^SOURCE_DATE_EPOCH: 999999999999 seconds is past the year 9999$"):
        clock.today()


def clock_reads(text: str) -> list[str]:
    return [m.group(0) for m in CLOCK_READS.finditer(text)]


def test_only_the_clock_module_reads_the_clock():
    found = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if reads := clock_reads(path.read_text(encoding="utf-8")):
            found[rel] = reads
    assert set(found) - set(ALLOWED) == set(), found
    stale = set(ALLOWED) - set(found)
    assert stale == set(), f"{stale} no longer read the clock: remove them from ALLOWED"


def test_the_clock_check_finds_every_way_to_read_it():
    for code in ("dt.date.today()", "datetime.now(timezone.utc)", "dt.datetime.utcnow()",
                 "time.time()", "time.time_ns()", "time.strftime('%Y')", "date . today ()"):
        assert clock_reads(code), code
    assert clock_reads("time.monotonic(); time.perf_counter(); dt.date.fromisoformat(s)") == []


# --- a year ahead ---------------------------------------------------------------


def test_the_shim_moves_the_clock_a_year():
    """What the tests below rely on: dates and generator.clock follow the moved clock."""
    code = ("import datetime as dt, sitecustomize\n"
            "from generator import clock\n"
            "real = dt.datetime.fromtimestamp(sitecustomize.real_time(), dt.timezone.utc).date()\n"
            "print((dt.date.today() - real).days, (clock.today() - real).days)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=shifted_env(YEAR),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # date.today() is a local day, clock.today() a UTC day: a time zone can move one by a day.
    today_days, clock_days = map(int, result.stdout.split())
    assert clock_days == YEAR
    assert today_days in {YEAR - 1, YEAR, YEAR + 1}


def test_the_date_sensitive_tests_pass_a_year_ahead():
    """The golden pages and feeds, the daily import and its window, `new` and enrich, what
    is new on the home page and in the feeds, with the clock a year ahead: a path that reads
    the clock instead of generator.clock fails."""
    files = ["test_render_goldens.py", "test_window.py", "test_new.py", "test_hf_daily.py",
             "test_enrich.py", "test_clock.py", "test_whats_new.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
         "-k", "not a_year_ahead and not a_year_later", *(f"tests/{f}" for f in files)],
        cwd=ROOT, env=shifted_env(YEAR), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^\d+ passed", result.stdout.splitlines()[-1]), result.stdout[-500:]


def _site(content: Path, work: Path, env: dict[str, str]) -> dict[str, bytes]:
    """`generator build` then `generator site` of `content`, in processes with `env` (without
    the search index: Pagefind's files differ from run to run)."""
    work.mkdir()
    config = mkdocs_config_for(work)
    for argv in (["--content", content, "build", "--out", work / "docs", "-f", config],
                 ["site", "-f", config, "--jobs", "1", "--no-index"]):
        result = subprocess.run([sys.executable, "-m", "generator", *map(str, argv)], cwd=work,
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    return snapshot(work / "site")


def test_the_same_content_makes_the_same_site_a_year_later(tmp_path: Path) -> None:
    """`generator site` of the same content, today and a year later, with no
    SOURCE_DATE_EPOCH: the same bytes (the sitemap and its gzip header included).
    One MkDocs process, so that sitemap.xml.gz is the one MkDocs writes."""
    content = TESTS / "render_cases" / "ordering" / "content"
    now = _site(content, tmp_path / "now", shifted_env(0))
    later = _site(content, tmp_path / "later", shifted_env(YEAR))
    assert "sitemap.xml.gz" in now and "feed.xml" in now
    assert sorted(now) == sorted(later)
    assert [name for name in now if now[name] != later[name]] == []
    # MkDocs would give every page the build's day as <lastmod>: a date that says nothing.
    assert b"<loc>" in now["sitemap.xml"] and b"<lastmod>" not in now["sitemap.xml"]
