"""Search and Browse on real built sites (generator + `mkdocs build --strict` +
Pagefind), in Debian's headless Chromium, served from 127.0.0.1.

Most tests search the seed site (the seed listings' import): they need particular papers,
such as the one LLaMA paper. On the committed content, whatever contributors add, the
search must find every paper by its title. Expected papers come from the content files,
never from the generator's output. Every test records the requests the page made, and
none may leave the origin.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from chromium import chromium, serve
from helpers import BuiltSite, run_python, shown_topics
from tests.test_site import content_papers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

HAS_CODE = re.compile(r"^Has code\b")
"""The "Has code" checkbox (its name ends with its count), not its "Exclude Has code" toggle."""

HAT = "hat-hybrid-attention-transformer-for-image-restoration"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def base(seed_site: BuiltSite) -> Iterator[str]:
    with serve(seed_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def bundled_base(seed_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with its index split into bundles of 200 papers (as 50,000 papers
    are split into bundles of 5,000), searched together in the browser."""
    site = tmp_path_factory.mktemp("bundled") / "site"
    shutil.copytree(seed_site.site, site)
    # In its own process: asyncio (Pagefind's API) and Playwright's sync API share no thread.
    done = run_python("-m", "generator", "--content", seed_site.content, "index", "--site", site,
                      "--bundle-papers", "200")
    assert done.returncode == 0 and "(3 bundles)" in done.stdout, done.stderr
    with serve(site) as url:
        yield url


class Visit:
    """A fresh browser context (cold cache) that records every request it makes."""

    def __init__(self, browser, base: str, width: int = 1280) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.errors.append("dialog: " + dialog.message), dialog.dismiss()))

    def foreign(self) -> list[str]:
        origin = urlsplit(self.base)
        return [u for u in self.requests if u.startswith(("http:", "https:"))
                and (urlsplit(u).scheme, urlsplit(u).netloc) != (origin.scheme, origin.netloc)]

    def close(self) -> None:
        self.context.close()
        assert self.errors == []
        assert self.requests and self.foreign() == []


@pytest.fixture
def visit(browser, base: str) -> Iterator[Visit]:
    v = Visit(browser, base)
    yield v
    v.close()


def header_search(v: Visit, query: str) -> list[str]:
    """Type `query` into the header box; the titles of the result cards shown."""
    v.page.locator(".md-search__input").click()
    v.page.locator(".md-search__input").fill(query)
    v.page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.match(/found/)")
    return v.page.locator(".md-search-result .pi-card__title").all_inner_texts()


def browse_results(v: Visit) -> tuple[int, list[str]]:
    """The Browse page's count and the slugs of the cards on the current page."""
    v.page.wait_for_function("() => !document.querySelector('[data-pi-browse]').hasAttribute('aria-busy')")
    status = v.page.locator("#pi-browse-status").inner_text()
    count = int(re.match(r"([\d,]+) papers?", status).group(1).replace(",", ""))
    hrefs = v.page.locator("#pi-browse-results .pi-card__title").evaluate_all("els => els.map(e => e.href)")
    return count, [re.search(r"/papers/([^/]+)/", h).group(1) for h in hrefs]


def year_of(data: dict) -> str:
    return str(data["published"].year) if data.get("published") else "undated"


def has_code(data: dict) -> bool:
    return any(link["kind"] == "code" for link in data.get("links") or ())


# --- finding papers -------------------------------------------------------------


def test_a_word_only_in_one_abstract_finds_that_paper(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    # Words of the running text: a URL's words are searchable, but not shown marked.
    prose = {slug: re.sub(r"https?://\S+", " ", d["abstract"]).lower() for slug, d in papers.items()}
    words_of = {slug: set(re.findall(r"[a-z]{8,}", text)) for slug, text in prose.items()}
    everywhere = [w for d in papers.values() for w in re.findall(r"[a-z]+", f"{d['title']} {d['abstract']}".lower())]
    # A word of one abstract only, not in its title, and no other word starts like it
    # (Pagefind also matches the start of longer words).
    candidates = sorted(
        (w, slug) for slug, words in words_of.items() for w in words
        if w not in papers[slug]["title"].lower()
        and sum(1 for other in everywhere if other.startswith(w[:7])) == sum(
            1 for other in re.findall(r"[a-z]+", prose[slug]) if other.startswith(w[:7]))
        and sum(w in ws for ws in words_of.values()) == 1
    )
    assert candidates, "no abstract-only word in the content"
    word, slug = candidates[len(candidates) // 2]
    visit.page.goto(visit.base)
    titles = header_search(visit, word)
    assert titles[:1] == [papers[slug]["title"]], word
    # Its card shows the word, marked, in the abstract's excerpt.
    marks = visit.page.locator(".md-search-result .pi-card").first.locator(".pi-card__excerpt mark").all_inner_texts()
    assert any(word in m.lower() for m in marks), (word, marks)


@pytest.mark.parametrize("query", ["LLaMA", "Llama", "llama"])
def test_any_case_of_llama_finds_the_llama_paper_first(seed_site: BuiltSite, visit: Visit, query: str) -> None:
    papers = content_papers(seed_site.content)
    llama = [d["title"] for d in papers.values() if "llama" in d["title"].lower()]
    assert len(llama) == 1
    visit.page.goto(visit.base + f"papers/{HAT}/")
    assert header_search(visit, query)[:1] == llama


@pytest.mark.parametrize("query", ["TULU", "tulu", "TÜLU"])
def test_tulu_finds_tulu_3_first(seed_site: BuiltSite, visit: Visit, query: str) -> None:
    papers = content_papers(seed_site.content)
    tulu = [d["title"] for d in papers.values() if d["title"].startswith("TÜLU 3")]
    assert len(tulu) == 1
    visit.page.goto(visit.base)
    assert header_search(visit, query)[:1] == tulu


def test_super_resolution_with_or_without_hyphen_finds_the_same_papers(visit: Visit) -> None:
    found = {}
    for query in ("super resolution", "super-resolution", "Super-Resolution"):
        visit.page.goto(visit.base + "browse/?q=" + query.replace(" ", "+"))
        count, slugs = browse_results(visit)
        assert count == len(slugs)  # one page of results
        found[query] = set(slugs)
    assert HAT in found["super resolution"]
    assert found["super resolution"] == found["super-resolution"] == found["Super-Resolution"]


def test_a_query_without_results_says_so_and_points_to_topics(visit: Visit) -> None:
    visit.page.goto(visit.base)
    assert header_search(visit, "zqxjkvw") == []
    message = visit.page.locator(".md-search-result .pi-noresults")
    assert message.is_visible() and "zqxjkvw" in message.inner_text()
    assert not visit.page.locator(".pi-search__more").is_visible()  # no "All 0 results" link
    assert message.get_by_role("link").get_attribute("href").endswith("/topics/")
    visit.page.goto(visit.base + "browse/?q=zqxjkvw")
    assert browse_results(visit) == (0, [])
    assert visit.page.locator("#pi-browse-none").is_visible()
    assert not visit.page.locator("#pi-browse-pages").is_visible()
    assert visit.page.locator("#pi-browse-none a").get_attribute("href").endswith("topics/")


# --- facets, sorting and the URL ----------------------------------------------------


def test_has_code_filter_returns_only_papers_with_code(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    expected = {slug for slug, d in papers.items() if has_code(d)}
    visit.page.goto(visit.base + "browse/")
    count, _ = browse_results(visit)
    assert count == len(papers)
    visit.page.get_by_role("checkbox", name=HAS_CODE).check()
    visit.page.wait_for_url("**/browse/?code=yes")
    count, slugs = browse_results(visit)
    assert count == len(expected) and slugs and set(slugs) <= expected


def test_topic_filter_returns_only_papers_of_that_topic(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    expected = {slug for slug, d in papers.items() if "retrieval" in shown_topics(d)}
    assert len(expected) > 20, "the retrieval topic needs more than one page of results for this test"
    visit.page.goto(visit.base + "browse/")
    browse_results(visit)
    visit.page.locator("input[name=topic][value=retrieval]").check()
    visit.page.wait_for_url("**/browse/?topic=retrieval")
    seen: list[str] = []
    count, slugs = browse_results(visit)
    seen += slugs
    pages = visit.page.locator("#pi-browse-pages")
    while pages.get_by_role("link", name="Next", exact=True).count():
        pages.get_by_role("link", name="Next", exact=True).click()
        _, slugs = browse_results(visit)
        seen += slugs
    assert count == len(expected) and sorted(seen) == sorted(expected)


def test_sorts_newest_and_most_upvoted(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    visit.page.goto(visit.base + "browse/?sort=upvoted")
    _, slugs = browse_results(visit)
    votes = [papers[s].get("upvotes") or 0 for s in slugs]
    assert votes == sorted(votes, reverse=True) and votes[0] == max(d.get("upvotes") or 0 for d in papers.values())
    visit.page.goto(visit.base + "browse/")  # no query: newest first
    _, slugs = browse_results(visit)
    dates = [str(papers[s].get("published") or "") for s in slugs]
    assert dates == sorted(dates, reverse=True) and dates[0] == max(str(d.get("published") or "") for d in papers.values())


def test_a_shared_url_restores_query_filters_sort_and_page(browser, base: str) -> None:
    v = Visit(browser, base)
    try:
        v.page.goto(base + "browse/")
        browse_results(v)
        v.page.locator("#pi-browse-q").fill("language model")
        browse_results(v)
        v.page.locator("input[name=topic][value=alignment]").check()
        browse_results(v)
        v.page.get_by_role("checkbox", name=HAS_CODE).check()
        browse_results(v)
        v.page.locator("select[name=sort]").select_option("newest")
        browse_results(v)
        shared = v.page.url
        query = parse_qs(urlsplit(shared).query)
        assert query == {"q": ["language model"], "topic": ["alignment"], "code": ["yes"], "sort": ["newest"]}
        shown = browse_results(v)

        # Back steps through the changes, one at a time.
        v.page.go_back()
        assert parse_qs(urlsplit(v.page.url).query).get("sort") is None
        assert v.page.locator("select[name=sort]").input_value() == "relevance"
        v.page.go_back()
        assert v.page.get_by_role("checkbox", name=HAS_CODE).is_checked() is False
        v.page.go_back()
        assert v.page.locator("input[name=topic][value=alignment]").is_checked() is False
        assert v.page.locator("#pi-browse-q").input_value() == "language model"
        v.page.go_back()
        assert v.page.locator("#pi-browse-q").input_value() == ""
    finally:
        v.close()

    other = Visit(browser, base)  # a reader who was sent the link
    try:
        other.page.goto(shared)
        assert browse_results(other) == shown
        assert other.page.locator("#pi-browse-q").input_value() == "language model"
        assert other.page.locator("input[name=topic][value=alignment]").is_checked()
        assert other.page.get_by_role("checkbox", name=HAS_CODE).is_checked()
        assert other.page.locator("select[name=sort]").input_value() == "newest"
    finally:
        other.close()


def test_pages_of_results_are_in_the_url(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    visit.page.goto(visit.base + "browse/?page=2")
    count, second = browse_results(visit)
    assert count == len(papers) and len(second) == 20
    visit.page.locator("#pi-browse-pages").get_by_role("link", name="Previous", exact=True).click()
    visit.page.wait_for_url("**/browse/")
    _, first = browse_results(visit)
    assert len(first) == 20 and not set(first) & set(second)
    visit.page.go_back()
    assert browse_results(visit)[1] == second


def test_bundles_search_as_one_index(seed_site: BuiltSite, browser, base: str, bundled_base: str) -> None:
    """Browse's orders, result counts and facet counts are the same whether the index is
    one bundle or several; so is the best match of a query."""
    views = [(None, {}, "newest"), (None, {}, "upvoted"), ("transformer", {}, "upvoted"),
             ("language model", {"topic": {"any": ["alignment"]}}, "newest"),
             ("diffusion", {"code": "yes"}, "relevance")]
    script = """async (views) => {
      const api = window.PaperIndexSearch
      const pf = await api.pagefind()
      await pf.filters()
      const out = []
      for (const [query, filters, order] of views) {
        const found = await api.find(pf, query, filters, order)
        const results = await found.slice(0, found.total)
        const urls = await Promise.all(results.map(r => r.data().then(d => d.url)))
        const counts = {}
        for (const [facet, values] of Object.entries(found.filters))
          for (const [value, n] of Object.entries(values)) if (n) counts[facet + "=" + value] = n
        out.push({ urls: order === "relevance" ? urls.slice(0, 1) : urls, counts: counts, total: found.total })
      }
      return JSON.stringify(out)
    }"""
    seen = []
    for where in (base, bundled_base):
        v = Visit(browser, where)
        try:
            v.page.goto(where + "browse/")
            browse_results(v)
            seen.append(json.loads(v.page.evaluate(script, views)))
            assert any("/pagefind/2/" in u for u in v.requests) == (where == bundled_base)
        finally:
            v.close()
    one, bundled = seen
    assert one[0]["total"] == len(content_papers(seed_site.content))
    assert one[1]["urls"][0] != one[0]["urls"][0]  # "most upvoted" is not "newest"
    assert one == bundled



ASKED = """(() => {
  window.__asked = []
  const segment = Intl.Segmenter.prototype.segment
  Intl.Segmenter.prototype.segment = function (text) {
    window.__asked.push(String(text))
    return segment.call(this, text)
  }
})()"""
"""Records every query Pagefind is asked: its search splits each query with Intl.Segmenter
(and nothing else on the page uses it)."""


def test_a_query_typed_on_while_the_index_loads_is_never_searched(browser, base: str) -> None:
    """A cold search asks Pagefind only for what the box holds once Pagefind is ready:
    a query typed and paused over while the index loads, then replaced, is never searched
    (it would make the final query wait for it), and the results are the final query's."""
    warm = Visit(browser, base)
    try:
        warm.page.goto(base)
        expected = header_search(warm, "transformer")
    finally:
        warm.close()
    v = Visit(browser, base)
    held: list = []
    released = []

    def hold(route) -> None:
        route.continue_() if released else held.append(route)

    try:
        v.page.add_init_script(ASKED)
        v.page.route(re.compile(r"/pagefind/wasm\.[^/]*\.pagefind$"), hold)
        v.page.goto(base + f"papers/{HAT}/")
        v.page.locator(".md-search__input").click()
        v.page.locator(".md-search__input").fill("diffusion")
        v.page.wait_for_timeout(600)  # well past the pause after which "diffusion" is due
        assert held
        v.page.locator(".md-search__input").fill("transformer")
        released.append(True)
        while held:
            held.pop().continue_()
        v.page.wait_for_function(
            "() => document.querySelector('.md-search-result__meta').textContent.match(/found/)")
        assert [q for q in v.page.evaluate("() => window.__asked") if q] == ["transformer"]
        assert v.page.locator(".md-search-result .pi-card__title").all_inner_texts() == expected
    finally:
        v.close()


def test_a_cold_search_shows_the_first_bundle_before_the_others_load(seed_site: BuiltSite, browser, base: str,
                                                                    bundled_base: str) -> None:
    """Past one bundle, the header search shows the first bundle's best matches without
    waiting for the other bundles' files; once they load, the results and count are those
    of the whole index: its count is the one-bundle site's, its cards those of a search
    on a warm page of the same site."""
    statuses, lists = [], []
    for where in (base, bundled_base):
        whole = Visit(browser, where)
        try:
            whole.page.goto(where)
            whole.page.evaluate("() => window.PaperIndexSearch.pagefind()")  # every bundle loaded first
            lists.append(header_search(whole, "transformer"))
            statuses.append(whole.page.locator(".md-search-result__meta").inner_text())
        finally:
            whole.close()
    assert statuses[0] == statuses[1]
    expected, expected_status = lists[1], statuses[1]
    v = Visit(browser, bundled_base)
    held: list = []
    released = []

    def hold(route) -> None:
        route.continue_() if released else held.append(route)

    try:
        v.page.route(re.compile(r"/pagefind/[12]/"), hold)
        v.page.goto(bundled_base)
        v.page.locator(".md-search__input").click()
        v.page.locator(".md-search__input").fill("transformer")
        v.page.wait_for_function("() => document.querySelectorAll('.md-search-result .pi-card').length > 1")
        assert "Searching every paper" in v.page.locator(".md-search-result__meta").inner_text()
        early = v.page.locator(".md-search-result .pi-card__title").all_inner_texts()
        titles = {" ".join(d["title"].split()) for d in content_papers(seed_site.content).values()}
        assert early and set(early) <= titles
        assert held and not any(re.search(r"/pagefind/[12]/", u) and u.endswith(".pf_fragment")
                                for u in v.requests)
        released.append(True)
        while held:
            held.pop().continue_()
        v.page.wait_for_function(
            "() => document.querySelector('.md-search-result__meta').textContent.match(/found/)")
        assert v.page.locator(".md-search-result__meta").inner_text() == expected_status
        assert v.page.locator(".md-search-result .pi-card__title").all_inner_texts() == expected
    finally:
        v.close()


# --- keyboard ---------------------------------------------------------------------


def test_keyboard_only_search_opens_a_result(seed_site: BuiltSite, visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + f"papers/{HAT}/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("transformer")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result .pi-card').length > 2")
    titles = page.locator(".md-search-result .pi-card__title").all_inner_texts()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.textContent") == titles[1]
    with page.expect_navigation():  # to the new page's load: its deferred search.js has run
        page.keyboard.press("Enter")
    assert page.locator("h1").first.inner_text() == titles[1]

    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    page.keyboard.type("llama")
    page.wait_for_function("() => document.querySelector('.md-search-result .pi-card')")
    first = page.locator(".md-search-result .pi-card__title").first.inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # in the box: the first result
    assert page.locator("h1").first.inner_text() == first


def test_keyboard_only_browse(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "browse/")
    browse_results(visit)
    page.locator("#pi-browse-q").focus()
    page.keyboard.type("retrieval")
    browse_results(visit)
    page.keyboard.press("Tab")  # into the filters
    page.keyboard.press("Space")  # the first checkbox: Has code
    page.wait_for_url("**code=yes**")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["retrieval"], "code": ["yes"]}


# --- exclusion ------------------------------------------------------------------------


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def facet_counts(v: Visit, facet: str) -> dict[str, str]:
    """Each value of a facet -> the count Browse shows beside it."""
    return v.page.locator(f".pi-facet__count[data-facet={facet}]").evaluate_all(
        "els => Object.fromEntries(els.map(e => [e.dataset.value, e.textContent]))")


def test_exclusion_from_the_keyboard_survives_a_reload_and_back(seed_site: BuiltSite, visit: Visit) -> None:
    papers = content_papers(seed_site.content)
    vision = {s for s, d in papers.items() if "data" in shown_topics(d)}
    wanted = {s for s in vision if "pretraining" not in shown_topics(papers[s])}
    assert len(wanted) < len(vision), "some data papers must be on pretraining for this test"
    page = visit.page
    page.goto(visit.base + "browse/")
    browse_results(visit)
    page.locator("input[name=topic][value=data]").focus()
    page.keyboard.press("Space")
    page.wait_for_url("**topic=data")
    assert browse_results(visit)[0] == len(vision)
    # From a value's checkbox, Tab reaches its exclude toggle, named for what it does.
    page.locator("input[name=topic][value=pretraining]").focus()
    page.keyboard.press("Tab")
    toggle = page.get_by_role("checkbox", name="Exclude Pretraining", exact=True)
    assert toggle.evaluate("el => el === document.activeElement")
    assert not toggle.is_checked()
    page.keyboard.press("Space")
    page.wait_for_url("**not-topic=pretraining")
    assert query_of(page.url) == {"topic": ["data"], "not-topic": ["pretraining"]}
    count, slugs = browse_results(visit)
    assert count == len(wanted) and slugs and set(slugs) <= wanted
    assert toggle.is_checked()
    # Its count says how many papers it leaves out, and the value reads as excluded.
    assert facet_counts(visit, "topic")["pretraining"] == f"{len(vision - wanted)} hidden"
    assert "pi-facet__option--excluded" in page.locator(
        ".pi-facet__option", has=page.locator("input[name=topic][value=pretraining]")).get_attribute("class")

    page.reload()
    assert browse_results(visit) == (count, slugs)
    assert toggle.is_checked() and page.locator("input[name=topic][value=data]").is_checked()
    assert not page.locator("input[name=topic][value=pretraining]").is_checked()

    page.go_back()  # one step back: data, nothing excluded
    assert query_of(page.url) == {"topic": ["data"]}
    assert browse_results(visit)[0] == len(vision)
    assert not toggle.is_checked()
    assert facet_counts(visit, "topic")["pretraining"] == str(len(vision - wanted))
    page.go_back()
    assert query_of(page.url) == {}
    assert browse_results(visit)[0] == len(papers)
    page.go_forward()
    page.go_forward()
    assert query_of(page.url) == {"topic": ["data"], "not-topic": ["pretraining"]}
    assert browse_results(visit)[0] == len(wanted) and toggle.is_checked()

    # Including an excluded value takes it out of the exclusions: never both.
    page.locator("input[name=topic][value=pretraining]").focus()
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "not-topic" not in url)
    assert sorted(query_of(page.url)["topic"]) == ["data", "pretraining"] and "not-topic" not in query_of(page.url)
    assert not toggle.is_checked()


def test_an_address_with_values_the_page_does_not_offer(seed_site: BuiltSite, visit: Visit) -> None:
    """A shared or bookmarked address may name a topic since renamed or a year with no papers:
    Browse drops those values, from the view and from the address, instead of showing none."""
    page = visit.page
    page.goto(visit.base + "browse/?topic=data")
    wanted = browse_results(visit)
    assert wanted[0] > 0
    page.goto(visit.base + "browse/?topic=no-such-topic&topic=data&not-year=1800&code=maybe")
    page.wait_for_url(lambda url: "no-such-topic" not in url)
    assert query_of(page.url) == {"topic": ["data"]}
    assert browse_results(visit) == wanted
    assert page.locator("input[name=topic][value=data]").is_checked()


def test_counts_stay_true_with_values_excluded(seed_site: BuiltSite, visit: Visit) -> None:
    """Without code, and not on retrieval: the results, and each value's count among them
    (an excluded value's: how many papers it leaves out), computed from the files."""
    papers = content_papers(seed_site.content)
    rest = {s: d for s, d in papers.items() if not has_code(d) and "retrieval" not in shown_topics(d)}
    visit.page.goto(visit.base + "browse/?not-code=yes&not-topic=retrieval")
    count, slugs = browse_results(visit)
    assert 0 < count == len(rest) < len(papers) and set(slugs) <= set(rest)
    assert visit.page.get_by_role("checkbox", name="Exclude Has code", exact=True).is_checked()
    topics = facet_counts(visit, "topic")
    for topic, shown in topics.items():
        if topic == "retrieval":
            hidden = sum(1 for d in papers.values() if not has_code(d) and topic in shown_topics(d))
            assert shown == f"{hidden} hidden"
        else:
            assert shown == str(sum(1 for d in rest.values() if topic in shown_topics(d))), topic
    years = facet_counts(visit, "year")
    for year, shown in years.items():
        assert shown == str(sum(1 for d in rest.values() if year_of(d) == year)), year
    hidden_code = sum(1 for d in papers.values() if has_code(d) and "retrieval" not in shown_topics(d))
    assert facet_counts(visit, "code") == {"yes": f"{hidden_code} hidden"}


# --- lean pages -----------------------------------------------------------------------


def test_a_cold_paper_page_loads_nothing_that_grows_with_the_catalog(visit: Visit) -> None:
    visit.page.goto(visit.base + f"papers/{HAT}/")
    visit.page.wait_for_load_state("networkidle")
    paths = [urlsplit(u).path for u in visit.requests]
    assert not [p for p in paths if p.endswith(("sitemap.xml", "search_index.json", ".pf_meta", ".pf_index"))]
    assert not [p for p in paths if p.endswith("/tables.js") or "/pagefind/" in p]
    # The search index loads when the box is used, in chunks.
    header_search(visit, "transformer")
    assert any(p.endswith(".pf_meta") for p in (urlsplit(u).path for u in visit.requests))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_box_in_the_header_in_both_palettes(browser, base: str, width: int, scheme: str) -> None:
    v = Visit(browser, base, width)
    try:
        v.page.emulate_media(color_scheme=scheme)
        v.page.goto(base + "topics/vision/")
        if width < 900:  # phones: the magnifier opens the box
            v.page.locator("label.md-header__button[for=__search]").click()
        box = v.page.locator(".md-header .md-search__input")
        titles = header_search(v, "diffusion")
        assert titles and box.is_visible()
        # The first card within the width, once the panel's slide-in has ended (on a
        # busy machine the check can land mid-transition); one that never fits times out.
        v.page.wait_for_function("""w => {
          const r = document.querySelector(".md-search-result .pi-card").getBoundingClientRect()
          return r.x >= 0 && r.right <= w + 0.5 && r.width > 0
        }""", arg=width, timeout=10_000)
        expected = "slate" if scheme == "dark" else "default"
        assert v.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    finally:
        v.close()


# --- the committed content: every paper is found by its title ---------------------------

_FIND_EVERY_TITLE = """async (titles) => {
  const pagefind = await import('/pagefind/pagefind.js')
  await pagefind.init()
  const missing = []
  for (const [slug, title] of titles) {
    const search = await pagefind.search(title)
    const first = await Promise.all(search.results.slice(0, 5).map(r => r.data()))
    if (!first.some(d => d.url.includes('/papers/' + slug + '/'))) missing.push([slug, title, first.map(d => d.url)])
  }
  return missing
}"""


def test_the_search_finds_every_committed_paper_by_its_title(browser, real_site: BuiltSite) -> None:
    """Pagefind's own JS API in the page, as search.js calls it: each title, searched for
    as a reader would paste it, has its paper among the first five results."""
    papers = content_papers(real_site.content)
    with serve(real_site.site) as url:
        v = Visit(browser, url)
        try:
            v.page.goto(v.base + "browse/")
            missing = v.page.evaluate(_FIND_EVERY_TITLE, [[slug, d["title"]] for slug, d in sorted(papers.items())])
            assert missing == []
        finally:
            v.close()
