"""The built site in Debian's headless Chromium (Playwright's sync API; never a
downloaded browser), served from 127.0.0.1. Every request is recorded, and none
may leave the site's origin.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import BuiltSite

# One xdist worker builds the sites once for all site and browser tests.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

HAT_TITLE = "HAT: Hybrid Attention Transformer for Image Restoration"
HAT = "hat-hybrid-attention-transformer-for-image-restoration"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        # A skip would let CI pass without a browser: `make test` installs Chromium.
        pytest.fail(f"no Chromium at {executable}: run `make chromium`, set CHROMIUM_PATH, "
                    "or deselect these tests with -m 'not browser'")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def real_base(real_site: BuiltSite) -> Iterator[str]:
    server, base = _serve(real_site.site)
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def fixture_base(fixture_site: BuiltSite) -> Iterator[str]:
    server, base = _serve(fixture_site.site)
    yield base
    server.shutdown()


def _page(browser, base: str, requests: list[str], dialogs: list[str] | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    if dialogs is not None:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return context, page


def _foreign(requests: list[str], base: str) -> list[str]:
    origin = urlsplit(base)
    return [u for u in requests if u.startswith(("http:", "https:"))
            and (urlsplit(u).scheme, urlsplit(u).netloc) != (origin.scheme, origin.netloc)]


def test_search_finds_a_paper_and_opens_it(browser, real_base: str) -> None:
    requests: list[str] = []
    context, page = _page(browser, real_base, requests)
    try:
        page.goto(real_base)
        page.locator(".md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially(HAT_TITLE, delay=20)
        result = page.locator(f".pi-card__title[href*='papers/{HAT}/']").first
        result.wait_for(state="visible")
        result.click()
        page.wait_for_url(f"**/papers/{HAT}/**")
        assert page.locator("h1").first.inner_text() == HAT_TITLE
        badge = page.locator("a.pi-badge--code").first
        assert badge.get_attribute("href") == "https://github.com/XPixelGroup/HAT"
        assert "XPixelGroup/HAT" in badge.inner_text()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert requests, "no request was recorded"
    assert _foreign(requests, real_base) == []


def test_topic_table_sorts_by_a_click(browser, real_base: str) -> None:
    requests: list[str] = []
    context, page = _page(browser, real_base, requests)
    try:
        page.goto(real_base + "topics/vision/")
        header = page.locator("article table th", has_text="Paper").first
        before = page.locator("article table tbody tr td:first-child").all_inner_texts()
        # Newest first, not by title: otherwise a click that did nothing would pass.
        assert before != sorted(before, key=str.lower) and before != sorted(before, key=str.lower, reverse=True)
        header.click()
        first_sorted = page.locator("article table tbody tr td:first-child").all_inner_texts()
        assert sorted(first_sorted) == sorted(before)
        assert first_sorted == sorted(first_sorted, key=str.lower) or first_sorted == sorted(
            first_sorted, key=str.lower, reverse=True)
        assert header.get_attribute("aria-sort") in ("ascending", "descending")
    finally:
        context.close()
    assert _foreign(requests, real_base) == []


def test_nasty_titles_stay_inert_in_the_browser(browser, fixture_base: str) -> None:
    requests: list[str] = []
    dialogs: list[str] = []
    context, page = _page(browser, fixture_base, requests, dialogs)
    try:
        page.goto(fixture_base + "papers/script-alert-1/")
        page.wait_for_load_state("networkidle")
        assert page.title() == "<script>alert(1)</script><img src=x onerror=alert(2)> - Paper Index"
        assert page.locator("h1").first.inner_text() == "<script>alert(1)</script><img src=x onerror=alert(2)>"
        page.goto(fixture_base)
        page.locator(".md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("script", delay=20)
        page.locator(".pi-card").first.wait_for(state="visible")
        titles = page.locator(".pi-card__title").all_inner_texts()
        assert any("<script>alert(1)</script>" in t for t in titles), titles
        page.goto(fixture_base + "topics/reasoning/")
        assert page.get_by_role("link", name="<SR> Tokens: P(y|x) for n_TOF and AntLM_{BabyLlama} | piped").count() == 1
    finally:
        context.close()
    assert dialogs == []
    assert _foreign(requests, fixture_base) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_home_lists_newest_additions_without_overflow(browser, real_site: BuiltSite, real_base: str,
                                                      width: int) -> None:
    from test_feeds import newest_key
    from test_site import content_papers

    papers = content_papers(real_site.content)
    requests: list[str] = []
    context = browser.new_context(viewport={"width": width, "height": 844}, service_workers="block")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(real_base)
        first = page.locator(".pi-item__title a").first
        assert first.is_visible()
        first_key = min(map(newest_key, papers.values()))
        assert first.inner_text() in [d["title"] for d in papers.values() if newest_key(d) == first_key]
        # Nothing sticks out sideways: no horizontal scrolling on a phone or a laptop.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        main = page.locator(".pi-home__main").bounding_box()
        side = page.locator(".pi-home__side").bounding_box()
        assert main and side
        if width >= 1200:  # side by side
            assert side["x"] >= main["x"] + main["width"] and side["y"] < main["y"] + main["height"]
        else:  # stacked
            assert side["y"] >= main["y"] + main["height"] - 1
    finally:
        context.close()
    assert _foreign(requests, real_base) == []
