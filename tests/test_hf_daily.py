"""`import --hf-daily`: the Hub's Daily Papers through the same import as a text listing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.enrich.daily import import_daily, parse_spec
from generator.enrich.http import Politeness
from generator.enrich.records import Endpoints
from generator.enrich.services import Network
from generator.errors import GeneratorError
from generator.review.check import check_content, read_papers
from fake_api import FIXTURES, FakeApi
from helpers import ROOT, cli, empty_content, snapshot

DAY = "2026-11-20"
HAT = "hat-hybrid-attention-transformer-for-image-restoration"
SPARSE = "sparse-retrieval-heads-for-long-context-reasoning"
TODAY = dt.date(2026, 11, 29)
FAST = Politeness(interval=0.0, timeout=2.0, retries=1, backoff=0.01)


@pytest.fixture
def content(seeds: Path, tmp_path: Path) -> Path:
    """The real topics.yml and HAT, as the seeds' import has it."""
    folder = empty_content(tmp_path)
    shutil.copy(seeds / "papers" / f"{HAT}.yml", folder / "papers")
    return folder


def network(api: FakeApi | None, tmp_path: Path) -> Network:
    endpoints = Endpoints(hub=api.url, arxiv=api.arxiv_url) if api else Endpoints(hub="http://127.0.0.1:9")
    return Network(endpoints=endpoints, hub=FAST, arxiv=FAST, cache=tmp_path / "cache")


def test_a_day_is_imported_like_a_listing(content: Path, api: FakeApi, tmp_path: Path) -> None:
    summary, usage = import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    assert (summary.added, summary.updated) == (2, 1)
    papers = {p.slug: p for p in read_papers(content)}
    new = papers[SPARSE]
    assert new.title == "Sparse Retrieval Heads for Long-Context Reasoning", "whitespace normalized"
    assert "costs 90% less compute" in new.abstract, "LaTeX converted"
    assert new.authors == ("Ada Quinn", "Bo Ren")
    assert (new.arxiv, new.published, new.upvotes) == ("2611.09876", dt.date(2026, 11, 18), 41)
    assert [(link.url, link.kind) for link in new.links] == [
        ("https://github.com/example/sparse-heads", "code"),
        ("https://example.org/sparse-heads", "project")], "the abstract's and the Hub's link, once"
    assert new.proposed_topics and not new.topics, "topics proposed, for a curator to confirm"
    assert (new.added, new.sources) == (dt.date(2026, 11, 20), ("hf-daily-2026-11-20",))
    assert [p for p in check_content(content, [content / "papers" / f"{SPARSE}.yml"])
            if p.severity == "error"] == []
    assert usage.startswith("the Hugging Face Hub: 1 requests")


def test_a_known_paper_is_merged_not_duplicated(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = {p.slug: p for p in read_papers(content)}[HAT]
    import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    hat = {p.slug: p for p in read_papers(content)}[HAT]
    assert len(list((content / "papers").glob("hat-*.yml"))) == 1
    assert (hat.title, hat.abstract, hat.added) == (before.title, before.abstract, before.added)
    assert hat.arxiv == "2309.05239" and hat.upvotes == 99
    assert hat.sources == before.sources + ("hf-daily-2026-11-20",)


def test_a_saved_file_needs_no_network_and_gives_the_same_files(content: Path, api: FakeApi,
                                                                  tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(content, other)
    import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    offline, usage = import_daily(today=TODAY, specs=[str(FIXTURES / f"daily_{DAY}.json")], content_dir=other,
                                  network=network(None, tmp_path / "none"))
    assert usage == "none"
    assert snapshot(other) == snapshot(content)


def test_a_range_asks_once_per_day_and_reimporting_changes_nothing(content: Path, api: FakeApi,
                                                                     tmp_path: Path) -> None:
    import_daily(today=TODAY, specs=["2026-11-19..2026-11-21"], content_dir=content, network=network(api, tmp_path))
    assert [r.split("&")[0] for r in api.requests("/api/daily_papers")] == [
        f"/api/daily_papers?date=2026-11-{d}" for d in (19, 20, 21)]
    first = snapshot(content)
    summary, _ = import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    assert (summary.added, summary.updated) == (0, 0)
    assert snapshot(content) == first


@pytest.mark.parametrize(("spec", "message"), [
    ("2026-11-31", "day is out of range"),
    ("2026-11-22..2026-11-20", "ends before it starts"),
    ("2026-01-01..2026-03-01", "at most 31"),
    ("yesterday", "expected YYYY-MM-DD"),
])
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(GeneratorError, match=message):
        parse_spec(spec)


def test_malformed_answer_leaves_content_unchanged(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    api.fail("/api/daily_papers", "garbage")
    with pytest.raises(GeneratorError, match="malformed JSON"):
        import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    assert snapshot(content) == before


def test_a_malformed_file_is_refused(content: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"paper": "not a list"}', encoding="utf-8")
    with pytest.raises(GeneratorError, match="expected a daily-papers JSON file"):
        import_daily(today=TODAY, specs=[str(bad)], content_dir=content, network=network(None, tmp_path))


def test_cli_summary_escapes_untrusted_titles(content: Path, api: FakeApi, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    env = {**os.environ, **api.env(), "HF_HOME": str(tmp_path / "hf")}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "import", "--hf-daily", DAY,
         "--hub-interval", "0", "--cache", str(tmp_path / "cache"), "--summary", str(body)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "hf-daily-2026-11-20: 3 papers" in result.stdout
    assert "added 2, updated 1" in result.stdout
    text = body.read_text(encoding="utf-8")
    assert text.startswith("### Added (2 papers)")
    assert "(https://arxiv.org/abs/2611.09876)" in text
    assert "<b>" not in text and "](https://evil.example)" not in text
    assert "@octocat" not in text.replace("\\@octocat", "")


def test_cli_wants_listings_or_hf_daily(content: Path) -> None:
    code, out, err = cli("--content", content, "import")
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m generator import [-h]")
    assert err.endswith("\npython -m generator import: error: expected a LISTING file, --manifest or --hf-daily\n")


def _items(n: int, start: int = 0) -> list[dict]:
    with (FIXTURES / f"daily_{DAY}.json").open(encoding="utf-8") as handle:
        template = json.load(handle)[0]
    items = []
    for i in range(start, start + n):
        item = json.loads(json.dumps(template))
        item["paper"].update(id=f"2611.{i:05d}", title=f"Paper Number {i} of a Busy Day")
        items.append(item)
    return items


def test_a_day_is_read_page_by_page_up_to_a_cap(content: Path, api: FakeApi, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.enrich import hub

    monkeypatch.setattr(hub, "PAGE_SIZE", 2)
    monkeypatch.setattr(hub, "MAX_PAGES", 3)
    api.daily[DAY] = _items(7)
    summary, _ = import_daily(today=TODAY, specs=[DAY], content_dir=content, network=network(api, tmp_path))
    assert [r.split("&p=")[1] for r in api.requests("/api/daily_papers")] == ["0", "1", "2"]
    assert summary.added == 6
    (cut,) = summary.refused
    assert (cut.name, cut.reason) == (DAY, "more than 6 papers featured; only the first 6 were read")


def test_an_import_takes_at_most_max_papers_cut_at_a_day(content: Path, api: FakeApi, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.enrich import daily

    monkeypatch.setattr(daily, "MAX_PAPERS", 5)
    api.daily.update({"2026-11-18": _items(3), "2026-11-19": _items(3, 10), "2026-11-20": _items(1, 20)})
    summary, _ = import_daily(today=TODAY, specs=["2026-11-18..2026-11-20"], content_dir=content,
                              network=network(api, tmp_path))
    assert summary.added == 3, "the second day would pass the cap: it waits for the next import"
    (cut,) = summary.refused
    assert cut.name == "2026-11-19..2026-11-20" and "more than 5 papers in one import" in cut.reason
