"""feed.xml, papers.json, papers.bib and the home page's lists, on the real built sites.

Every expected value is computed here from the content files (PyYAML), never taken
from the generator: the order below is the one the home page promises readers.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from helpers import ROOT, BuiltSite, shown_topics
from test_site import content_papers, parse

pytestmark = pytest.mark.xdist_group("site")

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_SIZE = 50
HOME_NEWEST = 12
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


def _day(day) -> tuple:
    """A date as a sort key, newest first; a missing one after every known one."""
    return (day is None, -(day.toordinal() if day else 0))


def newest_key(d: dict) -> tuple:
    """The newest research, the order of a topic's table, JSON and BibTeX: published
    (newest first), then added (newest first), then upvotes (most first); a missing
    value sorts after every known one. Papers equal on all three may come in any order,
    but the same on every build."""
    upvotes = d.get("upvotes")
    return (*_day(d.get("published")), *_day(d.get("added")), upvotes is None, -(upvotes or 0))


def added_key(d: dict) -> tuple:
    """What is new here, the order the feeds and the home page's "Newest papers" promise:
    by the day a paper entered the index (added, newest first), then as newest_key."""
    upvotes = d.get("upvotes")
    return (*_day(d.get("added")), *_day(d.get("published")), upvotes is None, -(upvotes or 0))


def assert_newest_first(slugs: list[str], papers: dict[str, dict], key=newest_key) -> None:
    """`slugs` are the first len(slugs) papers in `key` order (ties in any order)."""
    assert [key(papers[s]) for s in slugs] == sorted(map(key, papers.values()))[:len(slugs)]
    assert len(set(slugs)) == len(slugs)


def assert_newest_added(slugs: list[str], papers: dict[str, dict]) -> None:
    assert_newest_first(slugs, papers, added_key)


def feed(site: BuiltSite) -> ET.Element:
    root = ET.fromstring((site.site / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[dict[str, str]]:
    out = []
    for e in root.findall(f"{ATOM}entry"):
        links = [link.get("href", "") for link in e.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        out.append({"title": e.findtext(f"{ATOM}title", ""), "link": links[0] if len(links) == 1 else "",
                    "id": e.findtext(f"{ATOM}id", ""), "updated": e.findtext(f"{ATOM}updated", ""),
                    "summary": e.findtext(f"{ATOM}summary", "")})
    return out


def slug_of(url: str) -> str:
    assert url.startswith(SITE_URL), url
    match = re.fullmatch(r"papers/([a-z0-9-]+)/", url[len(SITE_URL):])
    assert match, url
    return match.group(1)


def bib_entries(text: str) -> list[tuple[str, str]]:
    """(key, whole entry) for each `@misc{key, ...}`, split at top-level braces as BibTeX does,
    with the `%` comment line right before it, if any (an undated paper's year says where
    it comes from)."""
    found = []
    for match in re.finditer(r"^(?:%[^\n]*\n)?@(\w+)\{([^,\s]+),", text, re.M):
        depth, end = 0, None
        for i in range(text.index("{", text.index("@", match.start())), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        assert end is not None, f"unbalanced braces in the entry {match.group(2)}"
        found.append((match.group(2), text[match.start():end]))
    return found


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --- feed.xml -----------------------------------------------------------------


def test_feed_is_atom_with_one_entry_per_newest_paper(real_site: BuiltSite) -> None:
    """The order and each entry's dates: test_downloads.test_site_feed_is_newest_first_by_real_dates."""
    papers = content_papers(real_site.content)
    root = feed(real_site)
    got = entries(root)
    assert len(got) == min(FEED_SIZE, len(papers))
    assert_newest_added([slug_of(e["link"]) for e in got], papers)
    for e in got:
        data = papers[slug_of(e["link"])]
        assert e["id"] == e["link"]
        assert e["title"] == data["title"]
        assert " ".join(e["summary"].split()) == " ".join(data["abstract"].split())
    assert root.findtext(f"{ATOM}updated") == max(e["updated"] for e in got)
    assert root.findtext(f"{ATOM}id") == SITE_URL  # a feed reader knows the feed by it
    assert root.findtext(f"{ATOM}id") and root.find(f"{ATOM}author/{ATOM}name").text
    self_links = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links == [SITE_URL + "feed.xml"]


def test_every_feed_link_opens_its_paper_page(real_site: BuiltSite) -> None:
    for e in entries(feed(real_site)):
        page = real_site.site / "papers" / slug_of(e["link"]) / "index.html"
        assert page.is_file(), e["link"]
        assert parse(page.read_text(encoding="utf-8")).texts["h1"][0] == e["title"]


def test_feed_escapes_injected_markup(fixture_site: BuiltSite) -> None:
    papers = content_papers(fixture_site.content)
    raw = (fixture_site.site / "feed.xml").read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw and "<b>" not in raw
    root = feed(fixture_site)
    assert {el.tag for el in root.iter()} <= {ATOM + t for t in (
        "feed", "title", "subtitle", "id", "link", "updated", "published", "author", "name", "uri", "entry",
        "category", "summary")}
    got = entries(root)
    assert_newest_added([slug_of(e["link"]) for e in got], papers)
    assert len(got) == len(papers)
    by_slug = {slug_of(e["link"]): e for e in got}
    assert by_slug["script-alert-1"]["title"] == papers["script-alert-1"]["title"]
    assert by_slug["script-alert-1"]["summary"] == papers["script-alert-1"]["abstract"]
    labels = {c.get("label") for c in root.iter(f"{ATOM}category")}
    topics = yaml.safe_load((fixture_site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]
    assert {t["title"] for t in topics if "<" in t["title"] or "&" in t["title"]} <= labels


def test_every_page_announces_the_feed(real_site: BuiltSite) -> None:
    pages = [p for p in real_site.site.rglob("*.html") if "http-equiv" not in p.read_text(encoding="utf-8")[:3000]]
    assert len(pages) > len(content_papers(real_site.content))
    for path in pages:
        rel = path.relative_to(real_site.site).as_posix()
        text = path.read_text(encoding="utf-8")
        # A topic page also announces its own feed (test_downloads checks which).
        topic_page = re.fullmatch(r"topics/[a-z0-9-]+/index\.html", rel) is not None
        assert text.count("application/atom+xml") == (2 if topic_page else 1), rel
        head = text.split("</head>", 1)[0]  # the announcement belongs in the head
        tags = [a for t, a in parse(head).tags
                if t == "link" and a.get("rel", "").split() == ["alternate"]
                and a.get("type") == "application/atom+xml"]
        assert len(tags) == (2 if topic_page else 1), rel
        target = urlsplit(urljoin("http://site/" + rel, tags[0]["href"])).path
        # 404.html may be served at any path, so MkDocs gives it links from site_url's root.
        assert target == (urlsplit(SITE_URL).path if rel == "404.html" else "/") + "feed.xml", rel


# --- papers.json --------------------------------------------------------------


def test_papers_json_has_one_record_per_content_file(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    doc = json.loads((real_site.site / "papers.json").read_text(encoding="utf-8"))
    records = doc["papers"]
    assert doc["count"] == len(records) == len(papers)
    assert sorted(r["slug"] for r in records) == sorted(papers)
    for r in records:
        data = papers[r["slug"]]
        assert r["title"] == data["title"]
        assert r["abstract"] == data["abstract"]
        assert r["url"] == f"{SITE_URL}papers/{r['slug']}/"
        assert (real_site.site / "papers" / r["slug"] / "index.html").is_file()
        assert r["published"] == (data["published"].isoformat() if data.get("published") else None)
        assert r["added"] == (data["added"].isoformat() if data.get("added") else None)
        assert r["upvotes"] == data.get("upvotes")
        assert r["arxiv"] == data.get("arxiv")
        assert r["topics"] == shown_topics(data)
        assert r["links"] == [{"url": link["url"], "kind": link["kind"]} for link in data.get("links") or ()]


def test_papers_json_keeps_titles_as_plain_strings(fixture_site: BuiltSite) -> None:
    papers = content_papers(fixture_site.content)
    doc = json.loads((fixture_site.site / "papers.json").read_text(encoding="utf-8"))
    by_slug = {r["slug"]: r for r in doc["papers"]}
    assert set(by_slug) == set(papers)
    assert by_slug["script-alert-1"]["title"] == "<script>alert(1)</script><img src=x onerror=alert(2)>"
    for slug, data in papers.items():
        assert by_slug[slug]["title"] == data["title"]  # data, not HTML: never entity-escaped


# --- papers.bib ---------------------------------------------------------------


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_papers_bib_has_one_entry_per_paper(which: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(which)
    papers = content_papers(site.content)
    text = (site.site / "papers.bib").read_text(encoding="utf-8")
    found = bib_entries(text)
    assert len(found) == len(papers)
    keys = [k for k, _ in found]
    assert len(set(keys)) == len(keys), sorted(k for k in keys if keys.count(k) > 1)
    assert all(re.fullmatch(r"[a-z][a-z0-9]*", k) for k in keys)
    depth = 0
    for c in text:  # the whole file: a stray brace would swallow every entry after it
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    urls = {re.search(r"url = \{([^}]*)\}", entry).group(1) for _, entry in found}
    for slug, data in papers.items():
        expected = f"https://arxiv.org/abs/{data['arxiv']}" if data.get("arxiv") else f"{SITE_URL}papers/{slug}/"
        assert expected in urls, slug


def test_paper_page_cites_the_same_entry_as_papers_bib(real_site: BuiltSite, fixture_site: BuiltSite) -> None:
    for site in (real_site, fixture_site):
        found = bib_entries((site.site / "papers.bib").read_text(encoding="utf-8"))
        for slug in sorted(content_papers(site.content))[:25]:
            page = site.html(f"papers/{slug}/")
            block = re.search(r'<h2 id="cite">.*?<pre>(.*?)</pre>', page, re.S)
            assert block, slug
            cited = plain(block.group(1)).strip()
            assert cited in {entry for _, entry in found}, slug


# --- links and the home page ------------------------------------------------------


@pytest.mark.parametrize("url", ["", "about/"])
def test_home_and_about_link_the_downloads(real_site: BuiltSite, url: str) -> None:
    targets = {urlsplit(urljoin("http://site/" + url, href)).path for href in parse(real_site.html(url)).links()}
    for name in ("feed.xml", "papers.json", "papers.bib"):
        assert f"/{name}" in targets, name
        assert (real_site.site / name).stat().st_size > 0


def _section(page: str, css_class: str) -> str:
    match = re.search(rf'<(ol|ul) class="{css_class}">(.*?)</\1>', page, re.S)
    assert match, css_class
    return match.group(2)


def _slugs_in(fragment: str) -> list[str]:
    return re.findall(r'<a href="papers/([a-z0-9-]+)/"', fragment)


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_home_newest_papers_order(which: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(which)
    papers = content_papers(site.content)
    page = site.html("")
    shown = [s for block in re.findall(r'<ol class="pi-items">(.*?)</ol>', page, re.S) for s in _slugs_in(block)]
    assert len(shown) == min(HOME_NEWEST, len(papers))
    assert_newest_added(shown, papers)
    # Each item shows the day it was added, which orders the list, and its published
    # date when it has one, each as a <time>; its upvotes only when the file has them.
    items = re.findall(r'<li class="pi-item">(.*?)</li>', page, re.S)
    assert len(items) == len(shown)
    for slug, item in zip(shown, items):
        data = papers[slug]
        times = re.findall(r'<time datetime="([\d-]+)">', item)
        expected = [data[k].isoformat() for k in ("added", "published") if data.get(k)]
        assert times == expected, slug
        assert ("Added" in plain(item)) == bool(data.get("added")), slug
        assert ('title="Published"' in item) == bool(data.get("published")), slug
        assert ('title="Upvotes' in item) == (data.get("upvotes") is not None), slug


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_home_most_upvoted_only_with_enough_votes(which: str, request: pytest.FixtureRequest) -> None:
    from generator.site.settings import Settings

    site: BuiltSite = request.getfixturevalue(which)
    papers = content_papers(site.content)
    voted = {s: d["upvotes"] for s, d in papers.items() if d.get("upvotes")}
    enough = (len(voted) >= Settings.upvoted_min_papers
              and max(voted.values(), default=0) >= Settings.upvoted_min_top)
    page = site.html("")
    assert ("Most upvoted" in page) == enough
    if not enough:
        assert 'class="pi-top"' not in page
        return
    top = _section(page, "pi-top")
    expected_votes = sorted(voted.values(), reverse=True)[:5]
    assert [voted[s] for s in _slugs_in(top)] == expected_votes
    votes = [int(v) for v in re.findall(r"</span>\s*(\d+)</span>", top)]
    assert votes == expected_votes


def test_tables_leave_out_columns_no_paper_fills() -> None:
    from generator.model import Catalog, Paper, Topic
    from generator.site.pages import Renderer
    from generator.site.settings import Settings

    topic = Topic(id="t", title="T", description="d")
    undated = (Paper(slug="a", title="A", abstract="x", topics=("t",)),
               Paper(slug="b", title="B", abstract="y", topics=("t",), upvotes=2))
    body = Renderer(Catalog(papers=undated, topics=(topic,)), Settings()).topic_page(topic).body
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', body)
    assert headers == ["Paper", "Upvotes"]
    assert re.findall(r'<td data-label="([^"]+)"', body) == ["Paper", "Upvotes"] * 2

