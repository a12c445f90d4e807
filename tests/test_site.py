"""The built site, asserted on its HTML: real generator + real `mkdocs build --strict`.

Expected values come from the content files (read here with PyYAML), never from
the generator's output.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.site.settings import Settings
from helpers import ROOT, BuiltSite, shown_topics
from tests.search_index import fragments

# One xdist worker builds the sites once for all site and browser tests.
pytestmark = pytest.mark.xdist_group("site")

HAT = "hat-hybrid-attention-transformer-for-image-restoration"
TOPIC_ROWS = Settings.topic_rows
"""A topic page lists this many of its papers at most."""
NASTY_TITLES = {
    "rest-mcts-llm-self-training": "ReST-MCTS*: LLM Self-Training via Process Reward Guided Tree Search",
    "sr-tokens-for-super-resolution": "<SR> Tokens: P(y|x) for n_TOF and AntLM_{BabyLlama} | piped",
    "script-alert-1": "<script>alert(1)</script><img src=x onerror=alert(2)>",
}


class Elements(HTMLParser):
    """Every start tag with its attributes, plus the text inside chosen tags."""

    def __init__(self, text_of: tuple[str, ...] = ("title", "h1", "script", "a", "td")) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_of = text_of
        self.texts: dict[str, list[str]] = {t: [] for t in text_of}
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.text_of:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, parts = self._open.pop(i)
                self.texts[name].append(" ".join("".join(parts).split()))
                break

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)

    def links(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def content_papers(content: Path) -> dict[str, dict]:
    """Each paper file as PyYAML reads it, with its dates (quoted text in the files) as dates."""
    papers = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "papers").glob("*.yml"))}
    for data in papers.values():
        for key in ("published", "added"):
            if isinstance(data.get(key), str):
                data[key] = dt.date.fromisoformat(data[key])
    return papers


def paper_slugs_linked(page_html: str, page_url: str) -> set[str]:
    """Slugs of the paper pages a page links to, resolving its relative hrefs."""
    base = "http://site/" + page_url
    from urllib.parse import urljoin

    slugs = set()
    for href in parse(page_html).links():
        path = urlsplit(urljoin(base, href)).path
        match = re.fullmatch(r"/papers/([a-z0-9-]+)/", path)
        if match:
            slugs.add(match.group(1))
    return slugs


def html_files(site: BuiltSite) -> list[Path]:
    return sorted(site.site.rglob("*.html"))


# --- the real site, from content/: what holds for any valid content -----------------
# (tests about particular papers read the seed site, built from the seed listings' import)


def test_one_page_per_paper(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    assert len(papers) > 0
    redirects = {old for data in papers.values() for old in data.get("redirect_from") or ()}
    built = {p.parent.name for p in (real_site.site / "papers").glob("*/index.html")}
    assert built - redirects == set(papers)
    assert len(built) == len(papers) + len(redirects)


def topic_members(site: BuiltSite) -> dict[str, set[str]]:
    """Topic id -> the slugs of its papers, from the content files."""
    papers = content_papers(site.content)
    topics = yaml.safe_load((site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]
    return {t["id"]: {slug for slug, data in papers.items() if t["id"] in shown_topics(data)}
            for t in topics}


def test_every_paper_is_linked_from_a_topic_page(real_site: BuiltSite) -> None:
    """...unless all its topics have more papers than a topic page lists (Browse has them)."""
    linked: set[str] = set()
    for page in (real_site.site / "topics").glob("*/index.html"):
        linked |= paper_slugs_linked(page.read_text(encoding="utf-8"), f"topics/{page.parent.name}/")
    small = set().union(*(m for m in topic_members(real_site).values() if len(m) <= TOPIC_ROWS))
    assert small and small - linked == set()


def test_each_topic_page_lists_exactly_its_papers(real_site: BuiltSite) -> None:
    """All of them, or as many as a topic page lists, and each one of the topic's."""
    members = topic_members(real_site)
    assert members
    for topic, expected in members.items():
        url = f"topics/{topic}/"
        linked = paper_slugs_linked(real_site.html(url), url)
        if len(expected) <= TOPIC_ROWS:
            assert linked == expected, topic
        else:
            assert len(linked) == TOPIC_ROWS and linked <= expected, topic


def test_hat_page_has_a_code_badge_to_its_repository(seed_site: BuiltSite) -> None:
    page = parse(seed_site.html(f"papers/{HAT}/"))
    badges = [a for t, a in page.tags if t == "a" and "pi-badge--code" in a.get("class", "")]
    assert "https://github.com/XPixelGroup/HAT" in [a["href"] for a in badges]
    assert "HAT: Hybrid Attention Transformer for Image Restoration - Paper Index" in page.texts["title"]


def test_search_index_has_every_paper_and_nothing_else(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    records = fragments(real_site.site)
    assert set(records) == {f"/papers/{slug}/" for slug in papers}
    for slug, data in papers.items():
        assert records[f"/papers/{slug}/"]["meta"]["title"] == data["title"], slug


def test_paper_edit_link_opens_the_content_file(real_site: BuiltSite) -> None:
    for slug in sorted(content_papers(real_site.content))[::25]:
        page = parse(real_site.html(f"papers/{slug}/"))
        edits = [a["href"] for t, a in page.tags if t == "a" and a.get("rel") == "edit"]
        assert edits == [f"https://github.com/paper-index/paper-index/edit/main/content/papers/{slug}.yml"]


def test_generated_listings_have_no_edit_link(real_site: BuiltSite) -> None:
    for url in ("", "code/", "years/"):
        assert not [a for t, a in parse(real_site.html(url)).tags if t == "a" and a.get("rel") == "edit"], url


def test_home_shows_counts_newest_and_topic_cards(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    with_code = sum(1 for d in papers.values() if any(link["kind"] == "code" for link in d.get("links") or ()))
    text = real_site.html("")
    assert re.search(rf"<strong>{len(papers)}</strong>\s*papers", text)
    assert re.search(rf"<strong>{with_code}</strong>\s*with code", text)
    topics = yaml.safe_load((real_site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]
    counts = {t["id"]: 0 for t in topics}
    for data in papers.values():
        for t in shown_topics(data):
            counts[t] += 1
    # Search, then every topic with its number of papers, then the newest papers.
    listed = re.findall(r'<a class="pi-topic-list__link" href="topics/([a-z0-9-]+)/">.*?<span class="pi-topic-list__count">(\d+)</span></a>',
                        text)
    assert {t: int(n) for t, n in listed} == counts
    assert text.index('pi-search-button"') < text.index('class="pi-topic-list"') < text.index(
        'class="pi-items"')
    # The newest here: added last, whenever it was published.
    from test_feeds import added_key
    top = min(map(added_key, papers.values()))
    assert {s for s, d in papers.items() if added_key(d) == top} & paper_slugs_linked(text, "")


def _refresh(page_html: str) -> list[str]:
    return [a["content"] for t, a in parse(page_html).tags if t == "meta" and a.get("http-equiv") == "refresh"]


def test_with_code_url_opens_browse_with_the_code_filter(real_site: BuiltSite) -> None:
    assert _refresh(real_site.html("code/")) == ["0; url=../browse/?code=yes&sort=newest"]
    papers = content_papers(real_site.content)
    expected = {s for s, d in papers.items() if any(link["kind"] == "code" for link in d.get("links") or ())}
    tagged = {url for url, r in fragments(real_site.site).items() if r["filters"].get("code") == ["yes"]}
    assert tagged == {f"/papers/{s}/" for s in expected}


def test_year_urls_open_browse_with_the_year_filter(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    years = {str(d["published"].year) if d.get("published") else "undated" for d in papers.values()}
    assert _refresh(real_site.html("years/")) == ["0; url=../browse/?sort=newest"]
    for year in years:
        assert _refresh(real_site.html(f"years/{year}/")) == [f"0; url=../../browse/?year={year}&sort=newest"]
    records = fragments(real_site.site)
    for slug, data in papers.items():
        year = str(data["published"].year) if data.get("published") else "undated"
        assert records[f"/papers/{slug}/"]["filters"]["year"] == [year], slug


def test_no_resource_is_loaded_from_another_origin(real_site: BuiltSite, fixture_site: BuiltSite) -> None:
    loaded = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
              "audio": "src", "embed": "src", "object": "data", "link": "href"}
    not_loads = {"canonical", "alternate", "prev", "next"}
    for site in (real_site, fixture_site):
        for path in html_files(site):
            text = path.read_text(encoding="utf-8")
            assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path
            for tag, attrs in parse(text).tags:
                if tag == "link" and set(attrs.get("rel", "").split()) & not_loads:
                    continue
                url = attrs.get(loaded.get(tag, ""), "")
                if url:
                    parts = urlsplit(url)
                    assert not parts.scheme and not parts.netloc, f"{path}: <{tag}> loads {url}"
    for css in (real_site.site / "assets").rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def biggest_topic(site: BuiltSite) -> str:
    """The URL of the topic page with the most papers (ties: the first in topics.yml)."""
    members = topic_members(site)
    return f"topics/{max(members, key=lambda t: len(members[t]))}/"


def test_tables_are_sortable_with_the_local_script(real_site: BuiltSite) -> None:
    url = biggest_topic(real_site)
    page = parse(real_site.html(url))
    scripts = [a["src"] for t, a in page.tags if t == "script" and "src" in a]
    assert "../../assets/javascripts/tables.js" in scripts
    assert (real_site.site / "assets/javascripts/tables.js").is_file()
    tables = [a for t, a in page.tags if t == "table"]
    assert len(tables) == 1 and "data-pi-sortable" in tables[0]
    # Every cell names its column, which the phone layout shows.
    headers = [a for t, a in page.tags if t == "th"]
    cells = [a.get("data-label") for t, a in page.tags if t == "td"]
    assert len(headers) >= 2 and len(cells) % len(headers) == 0
    th = Elements(text_of=("th",))
    th.feed(real_site.html(url))
    assert set(cells) == set(th.texts["th"]) == {"Paper", "Published", "Upvotes", "Code"}


def test_old_tags_url_opens_topics_and_papers_link_their_topics(real_site: BuiltSite) -> None:
    assert _refresh(real_site.html("tags/")) == ["0; url=../topics/"]
    topics = {t["id"]: t["title"] for t in
              yaml.safe_load((real_site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]}
    papers = content_papers(real_site.content)
    for slug in sorted(papers)[::25]:
        page = parse(real_site.html(f"papers/{slug}/"))
        chips = [a["href"] for t, a in page.tags if t == "a" and "md-tag" in a.get("class", "").split()]
        assert chips == [f"../../topics/{t}/" for t in shown_topics(papers[slug])], slug
        for t in shown_topics(papers[slug]):
            assert html.escape(topics[t], quote=False) in real_site.html(f"papers/{slug}/")


def test_hand_written_pages_are_copied(real_site: BuiltSite, fixture_site: BuiltSite) -> None:
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", about, re.M).group(1)
    assert heading in real_site.html("about/")
    first = re.search(r"^# (.+)$", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.M).group(1)
    assert html.escape(first, quote=False) in real_site.html("contributing/")
    # No CONTRIBUTING.md next to the fixture content: a generated page stands in.
    assert "pull request" in fixture_site.html("contributing/")
    assert "About the fixture" in fixture_site.html("about/")


def test_mkdocs_config_matches_the_generator() -> None:
    from generator.site.settings import Settings

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # The repository is named once, in mkdocs.yml; the generator reads it from there.
    written = re.search(r"^repo_url: (\S+)$", text, re.M)
    assert written and Settings.from_mkdocs(ROOT / "mkdocs.yml").repo_url == written[1].rstrip("/")
    assert Settings().repo_url == ""
    assert re.search(r"^\s+font: false\b", text, re.M)
    assert re.search(r"^not_in_nav: \|\n\s+/papers/$", text, re.M)


# --- the fixture site: literal text and injection attempts -----------------------


def test_redirect_stub_points_at_the_paper(fixture_site: BuiltSite) -> None:
    page = parse(fixture_site.html("papers/hat-hybrid-attention-transformer/"))
    refresh = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "refresh"]
    assert refresh == [f"0; url=../{HAT}/"]
    canonical = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [f"https://paper-index.github.io/paper-index/papers/{HAT}/"]
    assert f"../{HAT}/" in page.links()


def test_a_renamed_topic_s_old_page_leads_to_the_topic(fixture_site: BuiltSite) -> None:
    """topics.yml's `redirect_from: [thinking]` on reasoning: topics/thinking/ is a stub."""
    page = parse(fixture_site.html("topics/thinking/"))
    refresh = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "refresh"]
    assert refresh == ["0; url=../reasoning/"]
    canonical = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "canonical"]
    assert canonical == ["https://paper-index.github.io/paper-index/topics/reasoning/"]
    assert "../reasoning/" in page.links()
    assert page.texts["a"] == ["Reasoning topic page"]
    assert not (fixture_site.site / "topics" / "thinking" / "feed.xml").exists()


@pytest.mark.parametrize("slug", sorted(NASTY_TITLES))
def test_titles_render_literally_on_the_paper_page(fixture_site: BuiltSite, slug: str) -> None:
    title = NASTY_TITLES[slug]
    page = parse(fixture_site.html(f"papers/{slug}/"))
    assert page.texts["title"] == [f"{title} - Paper Index"]
    assert page.texts["h1"][0] == title
    descriptions = [a["content"] for t, a in page.tags if t == "meta" and a.get("name") == "description"]
    assert len(descriptions) == 1 and "\n" not in descriptions[0]


@pytest.mark.parametrize("url", ["", "topics/reasoning/"])
def test_titles_render_literally_in_listings(fixture_site: BuiltSite, url: str) -> None:
    page = parse(fixture_site.html(url))
    texts = set(page.texts["a"])
    shown = [t for t in NASTY_TITLES.values() if t in texts]
    assert shown, f"no nasty title shown literally on {url!r}: {sorted(texts)[:20]}"


def test_abstract_note_and_authors_render_literally(fixture_site: BuiltSite) -> None:
    text = fixture_site.html("papers/rest-mcts-llm-self-training/")
    data = yaml.safe_load((fixture_site.content / "papers" / "rest-mcts-llm-self-training.yml").read_text())
    visible = html.unescape(re.sub(r"<[^>]+>", "", text))
    assert " ".join(data["abstract"].split()) in " ".join(visible.split())
    assert data["note"] in " ".join(visible.split())
    assert "Sining <Zhoubian>" in visible
    assert "<em>not</em>" not in text and "<strong>bold</strong>" not in text
    assert 'href="javascript:' not in text


def test_a_paper_page_body_is_html_with_headings_as_markdown_wrote_them(real_site: BuiltSite) -> None:
    """The body reaches MkDocs as front matter and the Markdown is empty (paper_body.html):
    the headings keep their permalinks, the skip link still leads to the abstract."""
    slug = next(slug for slug, data in sorted(content_papers(real_site.content).items()) if data.get("sources"))
    source = (real_site.docs / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    assert source.endswith("\n---\n\n"), "the Markdown after the front matter is empty"
    text = real_site.html(f"papers/{slug}/")
    assert '<a href="#abstract" class="md-skip">Skip to content</a>' in text
    headings = re.findall(r'<h2(?: class="[^"]*")? id="([^"]+)">([^<]+)<a class="headerlink" '
                          r'href="#\1" title="Permanent link">&para;</a></h2>', text)
    assert [h for h, _ in headings] == ["abstract", "cite", "found-in"]
    assert text.index('id="found-in"') < text.index('id="related"')


def test_search_index_holds_titles_as_plain_text(fixture_site: BuiltSite) -> None:
    """Pagefind keeps titles as text; search.js sets them with textContent (the browser
    tests check that nothing runs)."""
    records = fragments(fixture_site.site)
    for slug, title in NASTY_TITLES.items():
        assert records[f"/papers/{slug}/"]["meta"]["title"] == title


def test_no_content_becomes_live_markup(fixture_site: BuiltSite) -> None:
    for path in html_files(fixture_site):
        page = parse(path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            assert not any(k.startswith("on") for k in attrs), f"{path}: <{tag} {attrs}>"
            assert not (tag == "img" and attrs.get("src") == "x"), path
            for key in ("href", "src", "action", "formaction"):
                assert not attrs.get(key, "").strip().lower().startswith("javascript:"), f"{path}: {attrs}"
        assert not any("alert(" in s for s in page.texts["script"]), path


def test_no_template_source_is_published(real_site: BuiltSite) -> None:
    """Generator templates live in the theme folder; MkDocs must not copy them into the site."""
    leaked = [
        str(path.relative_to(real_site.site))
        for path in real_site.site.rglob("*")
        if path.is_file() and path.suffix in {".xml", ".json", ".bib", ".md", ".html", ".txt"}
        and any(marker in path.read_text(encoding="utf-8", errors="replace") for marker in ("{#-", "{%-", "{% "))
    ]
    assert leaked == []
    assert not (real_site.site / "generator").exists()


def test_paper_pages_show_their_related_papers(seed_site: BuiltSite) -> None:
    """The textual-inversion papers are each other's related papers on the built pages, and
    every related link leads to another paper page, at most five of them."""
    from test_related import TEXTUAL_INVERSION

    for slug in TEXTUAL_INVERSION:
        page = seed_site.html(f"papers/{slug}/")
        block = re.search(r'<ul class="pi-related">(.*?)</ul>', page, re.S)
        assert block, slug
        linked = re.findall(r'<a href="\.\./([a-z0-9-]+)/">', block.group(1))
        assert TEXTUAL_INVERSION - {slug} <= set(linked), (slug, linked)
        assert slug not in linked and 0 < len(linked) <= 5
        for other in linked:
            assert (seed_site.site / "papers" / other / "index.html").is_file()


def test_found_in_names_each_listing_as_the_manifest_does(seed_site: BuiltSite) -> None:
    manifest = yaml.safe_load((seed_site.content / "listings" / "manifest.yml").read_text(encoding="utf-8"))
    names = {item["file"].removesuffix(".txt"): item["name"] for item in manifest["listings"]}
    papers = content_papers(seed_site.content)
    for slug in (HAT, *sorted(papers)[::50]):
        page = seed_site.html(f"papers/{slug}/")
        found = re.search(r'<h2 id="found-in">.*?<ul>(.*?)</ul>', page, re.S)
        assert found, slug
        shown = [html.unescape(t) for t in re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", found.group(1))]
        assert shown == [names[s] for s in papers[slug]["sources"]], slug
        assert "Listing 0" not in page


@pytest.mark.parametrize("url, tab", [
    ("", "Home"), ("browse/", "Browse"), ("topics/", "Topics"), ("topics/vision/", "Topics"),
    (f"papers/{HAT}/", "Browse"), ("about/", "About"),
])
def test_the_current_section_is_highlighted_in_the_tabs_and_the_drawer(seed_site: BuiltSite, url: str,
                                                                       tab: str) -> None:
    page = seed_site.html(url)
    tabs = re.findall(r'<li class="md-tabs__item md-tabs__item--active"><a [^>]*>([^<]+)</a>', page)
    drawer = re.findall(r'<li class="md-nav__item md-nav__item--active"><a [^>]*><span[^>]*>([^<]+)</span>', page)
    assert tabs == [tab]
    if re.search(r'<div class="md-sidebar__inner"[^>]*></div>', page):
        # Sent empty, filled from the tabs (drawer.js; test_browser.py opens it).
        assert drawer == [] and "assets/javascripts/drawer.js" in page
    else:
        assert drawer == [tab]


def test_a_paper_page_links_each_topic_once_to_its_topic_page(real_site: BuiltSite) -> None:
    """One taxonomy: a topic on a paper page leads to one place, its topic page; nothing
    links to the old tags page."""
    papers = content_papers(real_site.content)
    for slug in sorted(papers)[::40]:
        page = parse(real_site.html(f"papers/{slug}/"))
        topic_links = [a["href"] for t, a in page.tags
                       if t == "a" and "/topics/" in a.get("href", "") and a.get("href") != "../../topics/"]
        assert topic_links == [f"../../topics/{t}/" for t in shown_topics(papers[slug])], slug
        assert not [h for h in page.links() if "tags" in h], slug
