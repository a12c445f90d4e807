"""The built site in Debian's headless Chromium (Playwright's sync API; never a
downloaded browser), served from 127.0.0.1. Every request is recorded, and none
may leave the site's origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from chromium import chromium, serve
from helpers import BuiltSite

# One xdist worker builds the sites once for all site and browser tests.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

HAT_TITLE = "HAT: Hybrid Attention Transformer for Image Restoration"
HAT = "hat-hybrid-attention-transformer-for-image-restoration"
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def real_base(real_site: BuiltSite) -> Iterator[str]:
    with serve(real_site.site) as base:
        yield base


@pytest.fixture(scope="module")
def seed_base(seed_site: BuiltSite) -> Iterator[str]:
    """The seed site: particular papers (HAT) and topics (vision, pretraining) to click."""
    with serve(seed_site.site) as base:
        yield base


@pytest.fixture(scope="module")
def fixture_base(fixture_site: BuiltSite) -> Iterator[str]:
    with serve(fixture_site.site) as base:
        yield base


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


def test_search_finds_a_paper_and_opens_it(browser, seed_base: str) -> None:
    requests: list[str] = []
    context, page = _page(browser, seed_base, requests)
    try:
        page.goto(seed_base)
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
    assert _foreign(requests, seed_base) == []


def test_topic_table_sorts_by_a_click(browser, seed_base: str) -> None:
    requests: list[str] = []
    context, page = _page(browser, seed_base, requests)
    try:
        page.goto(seed_base + "topics/vision/")
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
    assert _foreign(requests, seed_base) == []


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
    from test_feeds import added_key
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
        first_key = min(map(added_key, papers.values()))
        assert first.inner_text() in [d["title"] for d in papers.values() if added_key(d) == first_key]
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


# Every cell of a listing, with where it is: a cell with text must be on screen, whole.
_CELLS = """() => Array.from(document.querySelectorAll('article table td')).map(td => {
  const box = td.getBoundingClientRect(), style = getComputedStyle(td)
  return {text: td.textContent.trim(), left: box.left, right: box.right, width: box.width, height: box.height,
          hidden: style.visibility === 'hidden' || style.display === 'none',
          clipped: td.scrollWidth > td.clientWidth + 1}
})"""


def test_listings_fit_a_phone_without_sideways_scrolling(browser, real_site: BuiltSite, real_base: str) -> None:
    """At 390 px, the home page and every topic page are no wider than the screen, and
    every table cell that holds something is visible and entirely on screen."""
    width = 390
    # Not the stub at a renamed topic's old address: it leaves for the new one at once.
    urls = [""] + [f"topics/{p.parent.name}/" for p in sorted((real_site.site / "topics").glob("*/index.html"))
                   if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(urls) > 10
    context = browser.new_context(viewport={"width": width, "height": 844}, service_workers="block")
    page = context.new_page()
    tables = 0
    try:
        for url in urls:
            page.goto(real_base + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, url
            cells = page.evaluate(_CELLS)
            tables += bool(cells)
            for cell in cells:
                if not cell["text"]:
                    continue
                assert not cell["hidden"] and cell["width"] > 0 and cell["height"] > 0, (url, cell)
                assert cell["left"] >= 0 and cell["right"] <= width, (url, cell)
                assert not cell["clipped"], (url, cell)
    finally:
        context.close()
    assert tables == len(urls) - 1  # each topic page has its table


def test_a_wide_screen_keeps_the_table(browser, seed_base: str) -> None:
    """The cards are for phones only: at 1280 px the cells of a row sit side by side."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    try:
        page.goto(seed_base + "topics/vision/")
        row = page.locator("article table tbody tr").first
        tops = {round(b["y"]) for b in (c.bounding_box() for c in row.locator("td").all())}
        assert len(tops) == 1
        assert page.locator("article table thead th").first.evaluate("th => getComputedStyle(th).display") \
            == "table-cell"
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_sort_buttons_work_from_the_keyboard(browser, seed_base: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844}, service_workers="block")
    page = context.new_page()
    try:
        page.goto(seed_base + "topics/pretraining/")
        headers = page.locator("article table thead th")
        names = headers.all_inner_texts()
        assert [n.strip(" ↕↑↓") for n in names][:2] == ["Paper", "Published"]
        assert headers.locator("button").count() == headers.count()
        # The table comes newest first, and its Published header says so.
        assert headers.nth(1).get_attribute("aria-sort") == "descending"
        assert headers.nth(0).get_attribute("aria-sort") is None

        def titles() -> list[str]:
            return page.locator("article table tbody tr td:first-child").all_inner_texts()

        def column(i: int) -> list[str]:
            return [t.strip() for t in page.locator(f"article table tbody tr td:nth-child({i + 1})").all_inner_texts()]

        before = titles()
        # Tab to the Paper button, as a keyboard user would.
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('th') !== null"):
                break
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        assert page.evaluate("document.activeElement.closest('th').textContent").strip(" ↕↑↓") == "Paper"
        page.keyboard.press("Enter")
        ascending = titles()
        assert sorted(ascending) == sorted(before) and ascending != before
        assert ascending == sorted(ascending, key=str.casefold)
        assert headers.nth(0).get_attribute("aria-sort") == "ascending"
        assert headers.nth(1).get_attribute("aria-sort") is None
        page.keyboard.press("Space")
        assert titles() == sorted(ascending, key=str.casefold, reverse=True)
        assert headers.nth(0).get_attribute("aria-sort") == "descending"
        # Next header: Published, newest first on its first press, then oldest first;
        # undated papers stay last either way.
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert headers.nth(1).get_attribute("aria-sort") == "descending"
        assert headers.nth(0).get_attribute("aria-sort") is None
        dates = column(1)
        known = [d for d in dates if d]
        assert known and known == sorted(known, reverse=True) and dates[: len(known)] == known
        page.keyboard.press("Enter")
        assert headers.nth(1).get_attribute("aria-sort") == "ascending"
        dates = column(1)
        assert [d for d in dates if d] == sorted(known) and dates[: len(known)] == sorted(known)
    finally:
        context.close()


# The drawer's nav as markup, its links absolute, without the whitespace between tags
# and the page-dependent `--active` classes.
_DRAWER = """() => {
  const nav = document.querySelector('.md-sidebar--primary nav.md-nav--primary')
  if (!nav) return null
  const copy = nav.cloneNode(true)
  for (const a of copy.querySelectorAll('a[href]')) a.setAttribute('href', a.href)
  return copy.outerHTML.replace(/>\\s+</g, '><').replace(/ md-nav__(item|link)--active/g, '')
}"""


def test_a_phone_opens_the_same_drawer_on_a_paper_page_as_on_a_nav_page(browser, seed_base: str) -> None:
    """A paper page is sent with the drawer empty (drawer.js fills it from the tabs): at
    390 px the menu button opens a drawer with the same links and markup as the one
    the Browse page is sent with, Browse marked as the reader's section, and a link in
    it leads there."""
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(seed_base + "browse/")
        sent = page.evaluate(_DRAWER)
        assert sent and sent.count('class="md-nav__item') == 7
        page.goto(seed_base + f"papers/{HAT}/")
        drawer = page.locator(".md-sidebar--primary")
        closed = drawer.bounding_box()
        assert closed and closed["x"] + closed["width"] <= 0  # off screen until opened
        page.locator('label.md-header__button[for="__drawer"]').click()
        link = drawer.locator(".md-nav__link", has_text="Topics")
        link.wait_for(state="visible")
        # On screen once it has slid in (Material's transition).
        page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
        assert page.evaluate(_DRAWER) == sent
        assert drawer.locator(".md-nav__item--active").inner_text() == "Browse"
        link.click()
        page.wait_for_url(seed_base + "topics/")
    finally:
        context.close()
    assert _foreign(requests, seed_base) == []


def test_the_palette_switch_is_built_and_switches_and_remembers(browser, seed_base: str) -> None:
    """The light/dark switch's radio buttons and labels are built by palette.js from the
    list on the form: Material's markup, the icon painted, a click switches to the dark
    scheme, and the next page opens in it."""
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block",
                                  color_scheme="light")
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(seed_base + f"papers/{HAT}/")
        form = page.locator('form[data-md-component="palette"]')
        assert form.locator("input.md-option[type=radio][name=__palette]").count() == 2
        assert form.locator('[data-md-color-media="(prefers-color-scheme: dark)"][data-md-color-scheme="slate"]'
                            '[aria-label="Switch to light mode"]').count() == 1
        to_dark = form.locator('label[title="Switch to dark mode"]')
        assert to_dark.is_visible() and not form.locator('label[title="Switch to light mode"]').is_visible()
        mask = to_dark.locator("svg").evaluate("e => getComputedStyle(e).maskImage || getComputedStyle(e).webkitMaskImage")
        assert mask.startswith("url(")  # its icon has a rule in icons.css
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        to_dark.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        assert form.locator('label[title="Switch to light mode"]').is_visible()
        page.goto(seed_base + "browse/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    finally:
        context.close()
    assert _foreign(requests, seed_base) == []
