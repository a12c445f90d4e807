"""`enrich` against a fake Hub and arXiv: matching, politeness, failures, and what the site makes of it.

The clients are the real ones (huggingface_hub's HfApi, our arXiv client);
only the server is fake (tests/fake_api.py, on 127.0.0.1). The papers are
copies of committed ones, so the titles are real.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import feedparser
import httpx2
import pytest
import yaml

from generator.enrich.http import (
    AnswerError,
    Politeness,
    PoliteTransport,
    ResponseCache,
    ServiceError,
    retry_after,
)
from generator.enrich.match import TITLE_MATCH_RATIO, match_title
from generator.enrich.records import ARXIV, HUB, Endpoints, Found
from generator.enrich.run import Request, enrich, select
from generator.enrich.services import Network, open_services
from generator.model import Catalog, Paper, Topic
from generator.review.check import check_content, load_catalog, read_papers
from generator.site.citation import bibtex
from generator.site.downloads import Downloads
from generator.site.orders import CatalogIndex
from generator.site.paperfacts import paper_badges
from fake_api import FakeApi
from helpers import CONTENT, ROOT, snapshot

HAT = "hat-hybrid-attention-transformer-for-image-restoration"
TULU = "tulu-3-pushing-frontiers-in-open-language-model-post-training"
CYCLICAL = "cyclical-curriculum-learning"
WORD2VEC = "distributed-representations-of-words-and-phrases-and-their-compositionality"
UNKNOWN = "deep-learning-applied-to-image-and-text-matching"
MINK = "detecting-pretraining-data-from-large-language-models"
SLUGS = (HAT, TULU, CYCLICAL, WORD2VEC, UNKNOWN, MINK)
FAST = Politeness(interval=0.0, timeout=1.0, retries=2, backoff=0.01)


@pytest.fixture
def content(seeds: Path, tmp_path: Path) -> Path:
    """Six papers of the seeds' import and the real topics.yml."""
    folder = tmp_path / "content"
    (folder / "papers").mkdir(parents=True)
    shutil.copy(seeds / "topics.yml", folder / "topics.yml")
    for slug in SLUGS:
        shutil.copy(seeds / "papers" / f"{slug}.yml", folder / "papers")
    return folder


def network(api: FakeApi, tmp_path: Path, **changes: object) -> Network:
    settings = {"endpoints": Endpoints(hub=api.url, arxiv=api.arxiv_url), "hub": FAST,
                "arxiv": FAST, "cache": tmp_path / "cache"}
    return Network(**{**settings, **changes})  # type: ignore[arg-type]


TODAY = dt.date(2026, 11, 29)


def run(content: Path, api: FakeApi, tmp_path: Path, request: Request = Request(), **changes: object):
    with open_services(network(api, tmp_path, **changes), TODAY) as services:
        return enrich(content, request, services, today=TODAY)


def papers(content: Path) -> dict[str, Paper]:
    return {p.slug: p for p in read_papers(content)}


def edit(content: Path, slug: str, **changes: object) -> None:
    path = content / "papers" / f"{slug}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def notes(report, slug: str) -> str:
    return " ".join(n for o in report.outcomes if o.before.slug == slug for n in o.notes)


# --- the fake server ----------------------------------------------------------------------


def test_fake_server_listens_on_loopback_only(api: FakeApi) -> None:
    assert api.url.startswith("http://127.0.0.1:")
    assert api._server.server_address[0] == "127.0.0.1"


# --- matching ---------------------------------------------------------------------------


def test_found_by_arxiv_id(content: Path, api: FakeApi, tmp_path: Path) -> None:
    edit(content, MINK, arxiv="2310.16789")
    report = run(content, api, tmp_path, Request(slugs=(MINK,)))
    paper = papers(content)[MINK]
    assert paper.authors[:3] == ("Weijia Shi", "Anirudh Ajith", "Mengzhou Xia")
    assert len(paper.authors) == 8, "arXiv's complete list wins over the Hub's shorter one"
    assert (paper.published, paper.upvotes, paper.arxiv_category) == (dt.date(2023, 10, 25), 12, "cs.CL")
    assert [(link.url, link.kind) for link in paper.links] == [
        ("https://github.com/swj0419/detect-pretrain-code", "code"),
        ("https://swj0419.github.io/detect-pretrain.github.io/", "project")]
    assert api.requests("/api/papers/search") == [], "a known id needs no title search"
    assert report.outcomes[0].how == "arXiv id in its file"


def test_found_by_title_on_the_hub(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = papers(content)[HAT]
    report = run(content, api, tmp_path, Request(slugs=(HAT,)))
    paper = papers(content)[HAT]
    assert (paper.arxiv, paper.arxiv_category, len(paper.authors)) == ("2309.05239", "cs.CV", 7)
    assert paper.upvotes == 14
    assert paper.published == before.published and paper.links == before.links
    assert report.outcomes[0].how == f"same title on {HUB}"
    assert set(report.outcomes[0].changed) == {"arxiv", "arxiv_category", "authors", "upvotes"}


def test_a_date_from_the_arxiv_id_gets_its_day(content: Path, api: FakeApi, tmp_path: Path) -> None:
    """`new --arxiv` dates a paper by the month of its id (the 1st); enrich fills in the day
    arXiv gives, as for a paper with no date, and still keeps any other date a curator wrote."""
    edit(content, HAT, arxiv="2309.05239", published="2023-09-01")
    report = run(content, api, tmp_path, Request(slugs=(HAT,)))
    assert papers(content)[HAT].published == dt.date(2023, 9, 11)
    assert "published" in report.outcomes[0].changed
    edit(content, HAT, published="2023-08-01")  # not the id's month: a curator's date
    run(content, api, tmp_path, Request(slugs=(HAT,)))
    assert papers(content)[HAT].published == dt.date(2023, 8, 1)


def test_title_with_accents_matches(content: Path, api: FakeApi, tmp_path: Path) -> None:
    """TÜLU here, Tulu on arXiv: the title key folds accents."""
    run(content, api, tmp_path, Request(slugs=(TULU,)))
    paper = papers(content)[TULU]
    assert paper.arxiv == "2411.15124" and paper.title.startswith("TÜLU 3")
    assert [link.kind for link in paper.links] == ["code", "project"]


def test_found_by_title_on_arxiv_when_the_hub_has_none(content: Path, api: FakeApi, tmp_path: Path) -> None:
    report = run(content, api, tmp_path, Request(slugs=(CYCLICAL,)))
    paper = papers(content)[CYCLICAL]
    assert (paper.arxiv, paper.arxiv_category) == ("2202.05531", "cs.LG")
    assert paper.authors == ("H. Toprak Kesgin", "M. Fatih Amasyali")
    assert paper.upvotes is None, "only the Hub counts upvotes"
    assert report.outcomes[0].how == f"same title on {ARXIV}"


def test_ambiguous_title_is_reported_not_applied(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = (content / "papers" / f"{WORD2VEC}.yml").read_bytes()
    report = run(content, api, tmp_path, Request(slugs=(WORD2VEC,)))
    assert (content / "papers" / f"{WORD2VEC}.yml").read_bytes() == before
    assert "ambiguous: 2 papers" in notes(report, WORD2VEC)
    assert "1310.4546" in notes(report, WORD2VEC) and "2105.09938" in notes(report, WORD2VEC)


def test_not_found(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    report = run(content, api, tmp_path, Request(slugs=(UNKNOWN,)))
    assert snapshot(content) == before
    assert "not found" in notes(report, UNKNOWN)
    assert len(api.requests("/arxiv/")) == 1, "the arXiv title search is the fallback"


def test_curator_values_survive(content: Path, api: FakeApi, tmp_path: Path) -> None:
    edit(content, HAT, authors=["X. Chen (curated)", "X. Wang"], published="2023-09-12",
         links=[{"url": "https://github.com/curator/fork", "kind": "code"}])
    report = run(content, api, tmp_path, Request(slugs=(HAT,)))
    paper = papers(content)[HAT]
    assert paper.authors == ("X. Chen (curated)", "X. Wang")
    assert paper.published == dt.date(2023, 9, 12)
    assert [link.url for link in paper.links] == ["https://github.com/curator/fork"], \
        "the Hub's code link does not join a curator's"
    assert paper.arxiv == "2309.05239", "what was missing is still filled"
    said = notes(report, HAT)
    assert "kept authors" in said and "kept published" in said


def test_an_id_another_paper_has_is_not_applied(content: Path, api: FakeApi, tmp_path: Path) -> None:
    edit(content, MINK, arxiv="2309.05239")  # a curator's slip: HAT's id
    report = run(content, api, tmp_path, Request(slugs=(HAT,)))
    assert papers(content)[HAT].arxiv is None
    assert f"is already {MINK}'s" in notes(report, HAT)


def test_similar_title_needs_first_author_or_year() -> None:
    paper = Paper(slug="p", title="Hybrid Attention Transformers for Image Restoration", abstract="x")
    near = Found(source=ARXIV, arxiv="2309.05239", title="Hybrid Attention Transformer for Image Restoration",
                 authors=("Xiangyu Chen",), published=dt.date(2023, 9, 11))
    assert match_title(paper, [near]).found is None
    assert "near miss" in match_title(paper, [near]).problem
    dated = Paper(slug="p", title=paper.title, abstract="x", published=dt.date(2023, 1, 1))
    assert match_title(dated, [near]).found == near
    by_author = Paper(slug="p", title=paper.title, abstract="x", authors=("Chen, Xiangyu",))
    assert match_title(by_author, [near]).found == near
    other = Found(source=ARXIV, arxiv="1706.03762", title="Attention Is All You Need")
    assert match_title(dated, [other]).found is None and match_title(dated, [other]).problem == ""
    assert 0 < TITLE_MATCH_RATIO < 100


def test_selection(content: Path) -> None:
    edit(content, MINK, arxiv="2310.16789", authors=["A"], published="2023-10-25")
    all_papers = read_papers(content)
    assert [p.slug for p in select(all_papers, Request(only_missing=True))] == sorted(set(SLUGS) - {MINK})
    assert [p.slug for p in select(all_papers, Request(limit=2))] == sorted(SLUGS)[:2]
    assert [p.slug for p in select(all_papers, Request(slugs=(TULU, HAT)))] == [TULU, HAT]
    with pytest.raises(Exception, match="did you mean"):
        select(all_papers, Request(slugs=(HAT + "x",)))


# --- politeness ---------------------------------------------------------------------------


def test_a_rerun_costs_no_requests(content: Path, api: FakeApi, tmp_path: Path) -> None:
    first = run(content, api, tmp_path, Request(dry_run=True))
    made = len(api.log)
    assert made > 0 and "0 answered from the cache" in first.usage
    second = run(content, api, tmp_path, Request(dry_run=True))
    assert len(api.log) == made, "every answer came from the cache"
    assert second.usage.count(" 0 requests") == 2
    assert str(second) == str(first).replace(first.usage, second.usage)


def test_429_then_success(content: Path, api: FakeApi, tmp_path: Path) -> None:
    api.fail("/api/papers/search", 429)
    run(content, api, tmp_path, Request(slugs=(HAT,)))
    assert papers(content)[HAT].arxiv == "2309.05239"
    assert len(api.requests("/api/papers/search")) == 2, "one 429, then the retry"


def test_500_until_the_retries_run_out(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    api.fail("/api/papers/2309.05239", 500, 500, 500)
    with pytest.raises(ServiceError, match=r"answered HTTP 500 after 3 attempts"):
        run(content, api, tmp_path, Request(slugs=(TULU, HAT)))
    assert len(api.requests("/api/papers/2309.05239")) == 3
    assert snapshot(content) == before, "TULU's lookup succeeded, but nothing is written"


def test_a_timeout_is_retried(content: Path, api: FakeApi, tmp_path: Path) -> None:
    api.slow_seconds = 1.0
    api.fail("/api/papers/search", "slow")
    slow = Politeness(interval=0.0, timeout=0.3, retries=2, backoff=0.01)
    run(content, api, tmp_path, Request(slugs=(HAT,)), hub=slow)
    assert papers(content)[HAT].arxiv == "2309.05239"


def test_timeouts_until_the_retries_run_out(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    api.slow_seconds = 1.0
    api.fail("/arxiv/api/query", "slow", "slow")
    slow = Politeness(interval=0.0, timeout=0.3, retries=1, backoff=0.01)
    with pytest.raises(ServiceError, match=r"arXiv: .*no whole answer within 0.3s, 2 attempts"):
        run(content, api, tmp_path, Request(slugs=(CYCLICAL,)), arxiv=slow)
    assert snapshot(content) == before


def test_a_malformed_answer_skips_its_paper_and_is_not_cached(content: Path, api: FakeApi,
                                                               tmp_path: Path) -> None:
    before = snapshot(content)
    api.fail("/api/papers/2309.05239", "garbage")
    report = run(content, api, tmp_path, Request(slugs=(HAT, TULU)))
    (skipped,) = report.refused
    assert skipped.name == HAT and "malformed JSON answer" in skipped.reason
    assert snapshot(content)[f"papers/{HAT}.yml"] == before[f"papers/{HAT}.yml"]
    assert papers(content)[TULU].arxiv == "2411.15124", "the rest of the batch landed"
    run(content, api, tmp_path, Request(slugs=(HAT,)))
    assert papers(content)[HAT].arxiv == "2309.05239", "the garbage was not cached"
    assert len(api.requests("/api/papers/2309.05239")) == 2


def test_a_malformed_feed_skips_its_papers(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    api.fail("/arxiv/api/query", "garbage")
    report = run(content, api, tmp_path, Request(slugs=(CYCLICAL,)))
    assert [r.name for r in report.refused] == [CYCLICAL], "its title search was refused"
    assert report.nothing_usable
    assert snapshot(content) == before
    api.fail("/arxiv/api/query", "garbage")
    report = run(content, api, tmp_path, Request(slugs=(HAT,)))
    (skipped,) = report.refused
    assert skipped.name == HAT and "arXiv: " in skipped.reason and "malformed Atom" in skipped.reason
    assert snapshot(content) == before


def test_transport_waits_its_turn_and_honours_retry_after() -> None:
    clock = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    answers = iter([httpx2.Response(429, headers={"Retry-After": "7"}), httpx2.Response(200, text="ok"),
                    httpx2.Response(200, text="ok")])
    transport = PoliteTransport("test", Politeness(interval=3.0, retries=2, backoff=1.0),
                                inner=httpx2.MockTransport(lambda request: next(answers)),
                                sleep=sleep, clock=lambda: clock[0])
    with httpx2.Client(transport=transport) as client:
        assert client.get("http://127.0.0.1/a").text == "ok"
        assert client.get("http://127.0.0.1/b").text == "ok"
    assert waits == [7.0, 3.0], "Retry-After's 7 s, then the 3 s interval"
    assert transport.stats.requests == 3


NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("header", "seconds"), [
    ("7", 7.0),
    (" 120 ", 120.0),
    ("99999999999999", float("inf")),
    ("Sun, 29 Nov 2026 12:00:30 GMT", 30.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ("²", None),
    ("-5", None),
    ("1.5", None),
    ("soon", None),
    ("", None),
    ("Sun, 29 Nov 2026 12:00:30", None),
], ids=repr)
def test_retry_after_in_any_form(header: str, seconds: float | None) -> None:
    assert retry_after(header, NOW) == seconds


def test_only_answers_the_client_kept_are_cached(tmp_path: Path) -> None:
    transport = PoliteTransport("test", FAST, ResponseCache(tmp_path),
                                inner=httpx2.MockTransport(lambda request: httpx2.Response(200, text="{}")))
    with httpx2.Client(transport=transport) as client:
        client.get("http://127.0.0.1/refused")
        transport.drop("http://127.0.0.1/refused")
        client.get("http://127.0.0.1/kept")
        transport.keep("http://127.0.0.1/kept")
        client.get("http://127.0.0.1/never-settled")
    cache = ResponseCache(tmp_path)
    assert cache.get("http://127.0.0.1/kept") == (200, "text/plain; charset=utf-8", b"{}")
    assert cache.get("http://127.0.0.1/refused") is None
    assert cache.get("http://127.0.0.1/never-settled") is None


def test_an_answer_cached_by_an_older_client_is_ignored(tmp_path: Path) -> None:
    """Older clients cached answers they could not read; those are asked for again."""
    cache = ResponseCache(tmp_path)
    cache.put("http://x/a", 200, "application/json", b"[]")
    path = next(tmp_path.glob("*.json"))
    entry = json.loads(path.read_text(encoding="utf-8"))
    del entry["format"]
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert cache.get("http://x/a") is None


def test_a_request_elsewhere_is_refused() -> None:
    transport = PoliteTransport("the Hub", FAST, origin="http://127.0.0.1:9",
                                inner=httpx2.MockTransport(lambda request: httpx2.Response(200)))
    with httpx2.Client(transport=transport) as client, \
            pytest.raises(AnswerError, match=r"the Hub: http://127.0.0.2:9/x: not at http://127.0.0.1:9"):
        client.get("http://127.0.0.2:9/x")


def test_cache_keeps_answers_and_refresh_ignores_them(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.put("http://x/a", 404, "application/json", b'{"error": "gone"}')
    assert cache.get("http://x/a") == (404, "application/json", b'{"error": "gone"}')
    assert ResponseCache(tmp_path, refresh=True).get("http://x/a") is None
    cache.forget("http://x/a")
    assert cache.get("http://x/a") is None


# --- writes -----------------------------------------------------------------------------


def test_dry_run_prints_the_diff_and_writes_nothing(content: Path, api: FakeApi, tmp_path: Path) -> None:
    before = snapshot(content)
    report = run(content, api, tmp_path, Request(dry_run=True))
    assert snapshot(content) == before
    text = str(report)
    assert f"+++ b/{content}/papers/{HAT}.yml" in text
    assert "+arxiv: '2309.05239'" in text and "+arxiv_category: cs.CV" in text
    assert "dry run: nothing was written" in text


def test_every_change_is_reported_and_the_files_pass_check(content: Path, api: FakeApi, tmp_path: Path) -> None:
    report = run(content, api, tmp_path)
    text = str(report)
    assert f"{HAT}: (same title on {HUB})" in text
    assert "  arxiv: (none) -> 2309.05239" in text
    assert "changed 4 (" in text
    changed = [content / "papers" / f"{o.after.slug}.yml" for o in report.changed]
    assert len(changed) == 4
    assert [p for p in check_content(content, changed) if p.severity == "error"] == []


# --- the command line ---------------------------------------------------------------------


def _cli(content: Path, api: FakeApi, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **api.env(), "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HOME": str(tmp_path / "hf")}
    env.pop("HF_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "enrich", "--cache",
         str(tmp_path / "cache"), "--hub-interval", "0", "--arxiv-interval", "0", "--backoff", "0.01",
         "--retries", "1", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_cli_reads_the_endpoints_from_the_environment(content: Path, api: FakeApi, tmp_path: Path) -> None:
    result = _cli(content, api, tmp_path, HAT, "--summary", str(tmp_path / "body.md"))
    assert result.returncode == 0, result.stderr
    assert "arxiv: (none) -> 2309.05239" in result.stdout
    assert api.requests("/api/papers/search"), "huggingface_hub went to HF_ENDPOINT"
    body = (tmp_path / "body.md").read_text(encoding="utf-8")
    assert "[HAT\\: Hybrid Attention Transformer for Image Restoration](https://arxiv.org/abs/2309.05239)" in body
    assert "`arxiv`" in body


def test_cli_failure_is_one_error_line_and_content_is_unchanged(content: Path, api: FakeApi,
                                                                 tmp_path: Path) -> None:
    before = snapshot(content)
    api.fail("/api/papers/search", 503, 503)
    result = _cli(content, api, tmp_path, HAT)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the Hugging Face Hub: ")
    assert "answered HTTP 503 after 2 attempts; nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(content) == before


# --- what the site makes of an enriched paper ----------------------------------------------


@pytest.fixture
def enriched(content: Path, api: FakeApi, tmp_path: Path) -> Catalog:
    run(content, api, tmp_path)
    catalog = load_catalog_without_cross_checks(content)
    return catalog


def load_catalog_without_cross_checks(content: Path) -> Catalog:
    papers_ = tuple(read_papers(content))
    topics = {t for p in papers_ for t in p.shown_topics}
    return Catalog(papers=papers_, topics=tuple(Topic(id=t, title=t, description=t) for t in sorted(topics)))


def test_bibtex_of_an_enriched_paper_parses(enriched: Catalog) -> None:
    hat = next(p for p in enriched.papers if p.slug == HAT)
    library = bibtexparser.parse_string(bibtex(hat, "https://example.org/papers/hat/"))
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    authors = [a.strip() for a in fields["author"].split(" and ")]
    assert authors[0] == "Xiangyu Chen" and len(authors) == 7
    assert (fields["eprint"], fields["archivePrefix"], fields["primaryClass"]) == ("2309.05239", "arXiv", "cs.CV")
    assert fields["year"] == "2023"
    assert fields["url"] == "https://arxiv.org/abs/2309.05239", "the url points to the paper"


def test_bibtex_keeps_an_author_with_and_in_the_name_whole() -> None:
    paper = Paper(slug="s", title="T", abstract="x", authors=("Research and Development Team", "Ada"))
    library = bibtexparser.parse_string(bibtex(paper, "https://example.org/s/"))
    author = {f.key: f.value for f in library.entries[0].fields}["author"]
    assert author == "{Research and Development Team} and Ada"


def test_feed_and_export_carry_the_authors(enriched: Catalog) -> None:
    downloads = Downloads(CatalogIndex.of(enriched), "https://example.org/", "Paper Index", 50)
    parsed = feedparser.parse(downloads.feed().text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_title = {e.title: e for e in parsed.entries}
    entry = by_title["HAT: Hybrid Attention Transformer for Image Restoration"]
    assert [a.name for a in entry.authors][:2] == ["Xiangyu Chen", "Xintao Wang"]
    import json

    records = {r["slug"]: r for r in json.loads(downloads.papers_json().text)["papers"]}
    assert records[HAT]["authors"][0] == "Xiangyu Chen"
    assert (records[HAT]["arxiv"], records[HAT]["arxiv_category"]) == ("2309.05239", "cs.CV")


def test_paper_page_links_straight_to_arxiv(enriched: Catalog) -> None:
    hat = next(p for p in enriched.papers if p.slug == HAT)
    badges = {b["kind"]: b["url"] for b in paper_badges(hat)}
    assert badges["arxiv"] == "https://arxiv.org/abs/2309.05239"
    assert badges["pdf"] == "https://arxiv.org/pdf/2309.05239"
    assert "arxiv-search" not in badges and "hf-search" not in badges
    unknown = next(p for p in enriched.papers if p.slug == UNKNOWN)
    assert {b["kind"] for b in paper_badges(unknown)} >= {"arxiv-search", "hf-search"}


# --- the About page promises only what the data holds --------------------------------------


def test_about_page_qualifies_what_not_every_paper_has() -> None:
    catalog = load_catalog(CONTENT)
    about = (CONTENT / "pages" / "about.md").read_text(encoding="utf-8")
    section = about.split("## What you find here", 1)[1].split("\n## ", 1)[0]
    paper_bullet = re.search(r"- \*\*One page per paper\*\*(.*?)(?=\n- |\Z)", section, re.S)[1]
    facts = {"authors": "authors", "published": "publication date", "upvotes": "upvotes",
             "arxiv": "arXiv"}
    for field, words in facts.items():
        if all(getattr(p, field) not in (None, ()) for p in catalog.papers):
            continue
        before, _, _ = " ".join(paper_bullet.split()).partition(words)
        assert "When the sources give them" in before, f"About promises {words} for every paper"
