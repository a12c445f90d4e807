"""The payload corpus on the real site, in headless Chromium: no script runs, and every
paper page keeps its template.

tests/render_cases/hostile/content holds papers whose every field carries a payload
(`<script>`, `<img onerror>`, `"><svg onload>`, `javascript:` text and links, Markdown
and HTML injections, Jinja `{{ }}` and `{% %}`, YAML and JSON breakers, U+2028,
right-to-left overrides), one with a sample of every Unicode general category that
`check` accepts, and payloads as related papers of each other and as authors, topic
titles and descriptions. Its rendered Markdown is a golden (test_render_goldens); here
it is built as the deployment builds it (`generator build`, `generator site`, Pagefind)
and every page is opened.

What the browser shows is compared with the front matter as MkDocs' own parser reads
it from the docs folder, so the expectations are the content, not the HTML under test.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.meta import get_data

from chromium import Visit, chromium, serve
from helpers import ROOT, TESTS, cli, mkdocs_config_for, run_python

from generator.site.theme import stage_theme
from generator.site.writer import TreeWriter

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("payloads")]

HOSTILE = TESTS / "render_cases" / "hostile" / "content"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(docs folder, site folder) of the hostile content, built as `make site` builds it."""
    work = tmp_path_factory.mktemp("hostile_site")
    config = mkdocs_config_for(work)
    code, out, err = cli("--content", HOSTILE, "build", "--out", work / "docs", "-f", config)
    assert code == 0, out + err
    site = run_python("-m", "generator", "--content", HOSTILE, "site", "-f", config, cwd=ROOT,
                      env={"NO_MKDOCS_2_WARNING": "1"})
    assert site.returncode == 0, site.stdout + site.stderr
    assert (work / "site" / "pagefind" / "pagefind-entry.json").is_file()  # `site` indexed HOSTILE
    return work / "docs", work / "site"


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def base(hostile_site: tuple[Path, Path]) -> Any:
    with serve(hostile_site[1]) as url:
        yield url


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_the_corpus_reaches_every_page_kind(hostile_site: tuple[Path, Path]) -> None:
    pages = _pages(hostile_site[1])
    for kind in ("index.html", "topics/index.html", "topics/payloads/index.html", "browse/index.html",
                 "stats/index.html", "contributing/index.html", "code/index.html", "years/index.html",
                 "papers/payloads-in-every-field/index.html", "papers/payloads-in-every-field-old/index.html",
                 "papers/every-unicode-category/index.html", "404.html"):
        assert kind in pages


def test_no_payload_runs_on_any_page(browser: Any, base: str, hostile_site: tuple[Path, Path]) -> None:
    found = {}
    for path in _pages(hostile_site[1]):
        visit = Visit(browser, base + path)
        try:
            if signs := visit.live_payloads():
                found[path] = signs
        finally:
            visit.close()
    assert found == {}


def _front_matter(docs: Path, rel: str) -> dict[str, Any]:
    return get_data((docs / rel).read_text(encoding="utf-8-sig"))[1]


def test_every_paper_page_keeps_its_template(browser: Any, base: str, hostile_site: tuple[Path, Path]) -> None:
    docs, _ = hostile_site
    papers = [p for p in sorted((docs / "papers").glob("*.md")) if "paper" in _front_matter(docs, f"papers/{p.name}")]
    assert len(papers) == 7
    for source in papers:
        meta = _front_matter(docs, f"papers/{source.name}")
        paper = meta["paper"]
        visit = Visit(browser, f"{base}papers/{source.stem}/")
        page = visit.page
        try:
            assert page.locator("html").get_attribute("data-pi-page") == meta["page_check"]
            assert page.locator("h1").count() == 1
            assert page.locator("h1.pi-title").text_content() == html.unescape(meta["title"])
            chips = page.locator(".pi-topics a.md-tag").all_text_contents()
            assert chips == [t["title"] for t in paper["topics"]]
            if paper["authors"]:
                more = f" and {paper['more_authors']} more" if paper["more_authors"] else ""
                authors = page.locator(".pi-meta__item[title='Authors']").text_content()
                assert authors == ", ".join(paper["authors"]) + more
            badges = page.locator("nav.pi-badges a.pi-badge")
            assert badges.count() == len(paper["badges"]) > 0
            assert [badges.nth(i).get_attribute("href") for i in range(badges.count())] == [
                b["url"] for b in paper["badges"]]
            related = page.locator("ul.pi-related li a")
            assert related.all_text_contents() == [r["title"] for r in meta.get("related", [])]
            assert [related.nth(i).get_attribute("href") for i in range(related.count())] == [
                f"../{r['slug']}/" for r in meta.get("related", [])]
            assert page.locator(".pi-abstract p").count() >= 1
            assert visit.live_payloads() == []
        finally:
            visit.close()


def test_the_payloads_are_related_papers_and_authors(hostile_site: tuple[Path, Path]) -> None:
    """The corpus does reach the parts of a page the test above reads."""
    docs, _ = hostile_site
    related = {r["slug"] for p in (docs / "papers").glob("*.md")
               for r in _front_matter(docs, f"papers/{p.name}").get("related", [])}
    assert {"payloads-in-every-field", "a-related-payload", "every-unicode-category"} <= related
    authors = _front_matter(docs, "papers/payloads-in-every-field.md")["paper"]["authors"]
    assert any("onerror" in a for a in authors) and any("\u2028" in a for a in authors)


def test_search_results_stay_inert(browser: Any, base: str) -> None:
    """Browse and the header search build their result cards from the search index in the
    browser: the payloads in titles, authors and abstracts come back as text."""
    visit = Visit(browser, f"{base}browse/?q=payloads")
    try:
        results = visit.page.locator("#pi-browse-results li")
        results.first.wait_for(state="visible")
        assert results.count() >= 3
        assert "<img src=x onerror=" in visit.page.locator("#pi-browse-results").text_content()
        assert visit.live_payloads() == []
        visit.page.goto(base, wait_until="load")
        visit.page.locator(".md-search__input").first.click()
        visit.page.locator("input.md-search__input").press_sequentially("adversarial injection", delay=10)
        # The cards of the query typed so far come first (a clean-clone run once counted one,
        # for "adversarial inj"): wait for those of the whole query, up to the timeout.
        visit.page.wait_for_function("document.querySelectorAll('.pi-card').length >= 3")
        assert visit.live_payloads() == []
    finally:
        visit.close()


def test_the_detector_sees_a_payload_that_runs(browser: Any, tmp_path: Path) -> None:
    """Without the protection the tests above would fail: the issue's page (a U+FFFF in
    its front matter, a payload in an author), built by a plain `mkdocs build --strict`,
    which succeeds and renders the front matter as Markdown, runs its payload."""
    config = mkdocs_config_for(tmp_path)
    with TreeWriter(tmp_path / "theme") as theme:  # the package's theme, as `build` writes it
        stage_theme(theme, None)
        theme.commit()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        '---\n{"title":"Mallory \uffff","template":"paper.html","paper":{"authors":["Mallory \uffff",'
        '"<img src=x onerror=alert(1)>","<script>window.__pwned=1;console.log(\'pwned\')</script>"]}}'
        '\n---\n\nBody.\n',
        encoding="utf-8")
    built = run_python("-m", "mkdocs", "build", "--strict", "-q", "-f", config, cwd=tmp_path,
                       env={"NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    with serve(tmp_path / "site") as url:
        visit = Visit(browser, url)
        try:
            signs = visit.live_payloads()
        finally:
            visit.close()
    assert sorted(signs) == sorted([f"request {url}x", "console 'pwned'", "dialog '1'", "window.__pwned = 1",
                                    "<img onerror>", "<script>"])
