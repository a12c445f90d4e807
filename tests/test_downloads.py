"""The feeds, papers.csv, the JSON and BibTeX files (whole catalog and per topic), the
published schema, the Downloads page and the Stats page, on the real built sites.

Every file is parsed back with a standard reader (feedparser, csv, json + jsonschema,
bibtexparser, ElementTree) and compared with the content files read here with PyYAML;
no expected value comes from the generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bibtexparser
import feedparser
import jsonschema
import pytest
import yaml

from helpers import BuiltSite, base_content, cli, mkdocs_config_for, shown_topics
from test_feeds import SITE_URL, assert_newest_added, assert_newest_first
from test_site import content_papers, parse

pytestmark = pytest.mark.xdist_group("site")

FEED_SIZE = 50
SVG = "{http://www.w3.org/2000/svg}"


def site_of(which: str, request: pytest.FixtureRequest) -> BuiltSite:
    return request.getfixturevalue(which)


def bib_year_date(data: dict) -> dt.date | None:
    """The date a BibTeX entry's year comes from: published, else added."""
    return data.get("published") or data.get("added")


def entered(data: dict, catalog: dict[str, dict]) -> dt.date:
    """The `updated` a feed entry promises: the day the paper entered the index, else (a
    file without `added`) the oldest day any paper of the catalog did."""
    return data.get("added") or min(d["added"] for d in catalog.values() if d.get("added"))


def topics_of(site: BuiltSite) -> list[dict]:
    return yaml.safe_load((site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]


def topic_papers(papers: dict[str, dict], topic_id: str) -> dict[str, dict]:
    return {s: d for s, d in papers.items() if topic_id in shown_topics(d)}


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def has_code(data: dict) -> bool:
    return any(link["kind"] == "code" for link in data.get("links") or ())


def check_feed(path: Path, papers: dict[str, dict], catalog: dict[str, dict]) -> None:
    """A feed at `path` holds `papers` by the day they entered the index, newest first,
    each with its own dates and authors."""
    raw = path.read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # RFC 4287's required elements, checked on the XML itself.
    root = ET.fromstring(raw)
    atom = "{http://www.w3.org/2005/Atom}"
    for tag in ("id", "title", "updated"):
        assert root.findtext(atom + tag), tag
    self_links = [link.get("href") for link in root.findall(atom + "link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].startswith(SITE_URL)
    assert path.as_posix().endswith("/" + self_links[0][len(SITE_URL):])  # it names its own address
    got = [re.fullmatch(re.escape(SITE_URL) + r"papers/([a-z0-9-]+)/", e.link).group(1)
           for e in parsed.entries]
    assert len(got) == min(FEED_SIZE, len(papers))
    assert_newest_added(got, papers)
    for entry, element, slug in zip(parsed.entries, root.findall(atom + "entry"), got):
        data = papers[slug]
        for tag in ("id", "title", "updated"):
            assert element.findtext(atom + tag), (slug, tag)
        assert entry.title == data["title"]
        assert [a.get("name") for a in entry.get("authors", []) if a] == list(data.get("authors") or [])
        assert entry.updated == stamp(entered(data, catalog))
        assert "1970" not in entry.updated
        if data.get("published"):
            assert entry.published == stamp(data["published"])
        else:
            assert element.find(atom + "published") is None
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True), f"{path.name} is not newest first by updated"
    assert parsed.feed.updated == updated[0]


# --- feeds ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["real_site", "seed_site", "fixture_site"])
def test_site_feed_is_newest_first_by_entry(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    papers = content_papers(site.content)
    check_feed(site.site / "feed.xml", papers, papers)
    if which == "real_site":  # not alphabetical within a day
        titles = [e.title for e in feedparser.parse((site.site / "feed.xml").read_bytes()).entries]
        assert titles != sorted(titles, key=str.casefold)


@pytest.mark.parametrize("which", ["real_site", "seed_site", "fixture_site"])
def test_every_feed_reads_newest_first_by_updated(which: str, request: pytest.FixtureRequest) -> None:
    """Every feed the site publishes, found on disk: its entries' `updated` never rise,
    and the feed's own `updated` is its first entry's."""
    site = site_of(which, request)
    feeds = sorted(site.site.rglob("feed.xml"))
    assert len(feeds) == 1 + sum(1 for t in topics_of(site)
                                 if topic_papers(content_papers(site.content), t["id"]))
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        updated = [e.updated for e in parsed.entries]
        assert updated, path
        assert all(a >= b for a, b in zip(updated, updated[1:])), path
        assert parsed.feed.updated == updated[0], path


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_every_topic_has_a_feed_its_page_announces(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    papers = content_papers(site.content)
    checked = 0
    for topic in topics_of(site):
        mine = topic_papers(papers, topic["id"])
        if not mine:
            continue
        check_feed(site.site / "topics" / topic["id"] / "feed.xml", mine, papers)
        page = f"topics/{topic['id']}/"
        head = site.html(page).split("</head>", 1)[0]
        feeds = [a for t, a in parse(head).tags
                 if t == "link" and "alternate" in a.get("rel", "").split()
                 and a.get("type") == "application/atom+xml"]
        targets = {urlsplit(urljoin("http://site/" + page, a["href"])).path for a in feeds}
        assert f"/topics/{topic['id']}/feed.xml" in targets, page
        assert "/feed.xml" in targets, page  # the site's feed stays announced too
        checked += 1
    assert checked >= 2


def test_a_paper_without_any_date_is_still_valid_atom(tmp_path: Path) -> None:
    content = base_content(tmp_path)
    paper = content / "papers" / "text-embeddings-reveal-almost-as-much-as-text.yml"
    data = yaml.safe_load(paper.read_text(encoding="utf-8"))
    data.pop("published", None)
    data.pop("added", None)
    paper.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    config = mkdocs_config_for(tmp_path)
    code, out, err = cli("--content", content, "build", "--out", tmp_path / "docs", "-f", config)
    assert code == 0, err
    papers = content_papers(content)
    assert not papers["text-embeddings-reveal-almost-as-much-as-text"].get("added")
    check_feed(tmp_path / "docs" / "feed.xml", papers, papers)
    # It comes last: nothing says when it came.
    assert feedparser.parse((tmp_path / "docs" / "feed.xml").read_bytes()).entries[-1].link.endswith(
        "/text-embeddings-reveal-almost-as-much-as-text/")


# --- papers.json, the schema and the topics' JSON ----------------------------------


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_papers_json_validates_against_the_published_schema(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    schema = json.loads((site.site / "schema" / "papers.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads((site.site / "papers.json").read_text(encoding="utf-8"))
    assert doc["$schema"] == SITE_URL + "schema/papers.schema.json" == schema["$id"]
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    # The schema can fail: a record without a title, or with a date in another shape.
    broken = json.loads(json.dumps(doc))
    del broken["papers"][0]["title"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    broken = json.loads(json.dumps(doc))
    broken["papers"][0]["added"] = "10 Dec 2025"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_topic_json_and_bib_hold_the_topics_papers(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    papers = content_papers(site.content)
    schema = json.loads((site.site / "schema" / "papers.schema.json").read_text(encoding="utf-8"))
    for topic in topics_of(site):
        mine = topic_papers(papers, topic["id"])
        folder = site.site / "topics" / topic["id"]
        if not mine:
            assert not (folder / "papers.json").exists()
            continue
        doc = json.loads((folder / "papers.json").read_text(encoding="utf-8"))
        jsonschema.validate(doc, schema)
        assert [t["id"] for t in doc["topics"]] == [topic["id"]]
        assert doc["topics"][0]["title"] == topic["title"]
        assert doc["count"] == len(mine)
        assert len(doc["papers"]) == len(mine)
        assert_newest_first([r["slug"] for r in doc["papers"]], mine)
        for r in doc["papers"]:
            assert r["title"] == mine[r["slug"]]["title"]
            assert r["authors"] == list(mine[r["slug"]].get("authors") or [])
            assert "abstract" not in r  # papers.json holds each abstract once
        library = bibtexparser.parse_string((folder / "papers.bib").read_text(encoding="utf-8"))
        assert not library.failed_blocks
        assert len(library.entries) == len(mine)
        urls = {e.fields_dict["url"].value for e in library.entries}
        for slug, data in mine.items():
            expected = (f"https://arxiv.org/abs/{data['arxiv']}" if data.get("arxiv")
                        else f"{SITE_URL}papers/{slug}/")
            assert expected in urls, slug


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_papers_bib_parses_with_bibtexparser(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    papers = content_papers(site.content)
    library = bibtexparser.parse_string((site.site / "papers.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len({e.key for e in library.entries}) == len(library.entries)
    assert len(library.entries) == len(papers)
    years = Counter(e.fields_dict["year"].value for e in library.entries if "year" in e.fields_dict)
    # The publication year, else the year the paper was added (with a comment saying so).
    assert years == Counter(str(bib_year_date(d).year) for d in papers.values() if bib_year_date(d))
    comments = [c for c in library.comments if "added to the index" in str(c.comment)]
    assert len(comments) == sum(1 for d in papers.values() if d.get("added") and not d.get("published"))


# --- papers.csv -----------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_papers_csv_has_one_row_per_paper_in_the_documented_columns(which: str, request: pytest.FixtureRequest) -> None:
    site = site_of(which, request)
    papers = content_papers(site.content)
    rows = read_csv(site.site / "papers.csv")
    assert len(rows) == len(papers)
    page = site.html("downloads/")
    section = page.split('id="paperscsv"', 1)[1].split("<h2", 1)[0]
    documented = re.findall(r"<tr>\s*<td[^>]*><code>([a-z_]+)</code></td>", section)
    assert list(rows[0]) == documented
    for row in rows:
        data = papers[row["slug"]]
        assert row["url"] == f"{SITE_URL}papers/{row['slug']}/"
        title = data["title"]
        assert row["title"] == ("'" + title if title[:1] in "=+-@" else title)
        assert row["authors"].split("; ") == list(data.get("authors") or []) or (
            row["authors"] == "" and not data.get("authors"))
        assert row["topics"].split() == shown_topics(data)
        assert row["published"] == (data["published"].isoformat() if data.get("published") else "")
        assert row["added"] == (data["added"].isoformat() if data.get("added") else "")
        assert row["upvotes"] == (str(data["upvotes"]) if data.get("upvotes") is not None else "")
        links = data.get("links") or []
        assert row["links"].split() == [link["url"] for link in links]
        assert row["link_kinds"].split() == [link["kind"] for link in links]
        assert row["code"].split() == [link["url"] for link in links if link["kind"] == "code"]
        assert "abstract" not in row  # papers.json has the abstracts


HOSTILE = {
    "formula-title": "=HYPERLINK(\"https://evil.example\",\"click\")",
    "plus-title": "+1+cmd|' /C calc'!A0",
    "minus-title": "-2+3",
    "at-title": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_papers_csv_defuses_formulas(tmp_path: Path) -> None:
    content = base_content(tmp_path)
    for slug, title in HOSTILE.items():
        data = {"title": title, "abstract": "=1+1 " + slug + " abstract, long enough to be a text.",
                "authors": ["=cmd()", "Ada Lovelace"], "topics": ["other"], "added": "2025-12-10"}
        (content / "papers" / f"{slug}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    config = mkdocs_config_for(tmp_path)
    code, out, err = cli("--content", content, "build", "--out", tmp_path / "docs", "-f", config)
    assert code == 0, err
    rows = {r["slug"]: r for r in read_csv(tmp_path / "docs" / "papers.csv")}
    for slug, title in HOSTILE.items():
        row = rows[slug]
        assert row["title"] == "'" + title
        assert row["authors"] == "'=cmd(); Ada Lovelace"
    for row in rows.values():  # no cell anywhere starts a formula
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row.values() if cell), row


# --- the Downloads page -----------------------------------------------------------


def test_downloads_page_is_in_the_nav_and_links_every_file(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    home = parse(real_site.html(""))
    assert any(urlsplit(urljoin("http://site/", h)).path == "/downloads/" for h in home.links())
    page = real_site.html("downloads/")
    targets = {urlsplit(urljoin("http://site/downloads/", h)).path for h in parse(page).links()}
    files = ["feed.xml", "papers.json", "papers.csv", "papers.bib", "schema/papers.schema.json"]
    for topic in topics_of(real_site):
        if topic_papers(papers, topic["id"]):
            files += [f"topics/{topic['id']}/{n}" for n in ("feed.xml", "papers.json", "papers.bib")]
    for name in files:
        assert f"/{name}" in targets, name
        assert (real_site.site / name).is_file(), name
    text = re.sub(r"<[^>]+>", " ", page)
    assert f"All {len(papers)} papers" in text
    # The sizes shown are the files' sizes.
    for name in ("papers.json", "papers.csv", "papers.bib"):
        size = (real_site.site / name).stat().st_size
        cell = re.search(rf'href="\.\./{re.escape(name)}">{re.escape(name)}</a></td>.*?<td[^>]*>([\d.]+) (B|KB|MB)</td>',
                         page, re.S)
        assert cell, name
        shown = float(cell.group(1)) * {"B": 1, "KB": 1000, "MB": 1_000_000}[cell.group(2)]
        assert abs(shown - size) <= 0.05 * size, (name, shown, size)


# --- the Stats page ---------------------------------------------------------------


def charts(page: str) -> dict[str, ET.Element]:
    """Every chart on the page, parsed as XML (so each must be well-formed), by its title."""
    found = {}
    for text in re.findall(r"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\".*?</svg>", page, re.S):
        svg = ET.fromstring(text)
        assert svg.get("role") == "img"
        ids = svg.get("aria-labelledby").split()
        by_id = {el.get("id"): el for el in svg.iter() if el.get("id")}
        assert [by_id[i].tag for i in ids] == [SVG + "title", SVG + "desc"]
        found[by_id[ids[0]].text] = svg
    return found


def bars(svg: ET.Element) -> dict[str, str]:
    """label -> value, from each bar's tooltip (`label: value`)."""
    return dict(rect.findtext(SVG + "title").rsplit(": ", 1) for rect in svg.iter(SVG + "rect"))


def test_stats_charts_match_the_catalog(real_site: BuiltSite) -> None:
    papers = content_papers(real_site.content)
    topics = {t["id"]: t["title"] for t in topics_of(real_site)}
    page = real_site.html("stats/")
    found = charts(page)
    years = Counter(str(d["published"].year) for d in papers.values() if d.get("published"))
    assert bars(found["Papers per year of publication"]) == {y: str(n) for y, n in years.items()}
    per_topic = Counter(t for d in papers.values() for t in shown_topics(d))
    assert bars(found["Papers per topic"]) == {topics[t]: str(n) for t, n in per_topic.items()}
    code = Counter(t for d in papers.values() if has_code(d) for t in shown_topics(d))
    assert bars(found["Share of papers with code, per topic"]) == {
        topics[t]: f"{round(100 * code[t] / n)}%" for t, n in per_topic.items()}
    voted = [d["upvotes"] for d in papers.values() if d.get("upvotes") is not None]
    if len(voted) < 20:  # too thin for a chart: a sentence and the table instead
        assert "Upvote distribution" not in found
        assert f"Papers with an upvote count: {len(voted)}. Too few" in re.sub(r"<[^>]+>", "", page)
    with_code = sum(1 for d in papers.values() if has_code(d))
    assert f"<strong>{with_code}</strong> of them ({round(100 * with_code / len(papers))}%)" in page
    for svg in found.values():  # drawn in the text colour, so it follows the palette
        colours = {v for el in svg.iter() for k, v in el.attrib.items() if k in ("fill", "stroke")}
        assert colours == {"currentColor"}
    # The table alternative holds the same numbers.
    table = page.split('id="papers-per-topic"', 1)[1].split("<h2", 1)[0]
    cells = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(\d+)</td>", table, re.S)
    assert {re.sub(r"<[^>]+>", "", a): b for a, b in cells} == {topics[t]: str(n) for t, n in per_topic.items()}


def test_stats_page_is_in_the_nav_and_thin_data_has_no_chart(real_site: BuiltSite, fixture_site: BuiltSite) -> None:
    home = parse(real_site.html(""))
    assert any(urlsplit(urljoin("http://site/", h)).path == "/stats/" for h in home.links())
    page = fixture_site.html("stats/")
    assert charts(page) == {}  # four papers: every chart would be noise
    assert page.count("Too few for a chart to mean anything") >= 3


def test_stats_chart_labels_are_escaped() -> None:
    from generator.model import Catalog, Paper, Topic
    from generator.site.pages import Renderer
    from generator.site.settings import Settings

    evil = '<script>alert(1)</script>"&'
    topics = (Topic(id="evil", title=evil, description="d"), Topic(id="calm", title="Calm", description="d"))
    papers = tuple(Paper(slug=f"p{i}", title=f"P{i}", abstract="x", topics=("evil" if i % 2 else "calm",),
                         published=dt.date(2020 + i % 3, 1, 1)) for i in range(30))
    body = Renderer(Catalog(papers=papers, topics=topics), Settings()).stats_page().body
    assert "<script>" not in body
    svgs = re.findall(r"<svg xmlns=.*?</svg>", body, re.S)
    assert len(svgs) == 3
    labels = [t.text for svg in svgs for t in ET.fromstring(svg).iter(SVG + "text")]
    assert any(label.startswith("<script>") for label in labels)  # shown as text, not run


def test_a_topic_file_holds_its_newest_papers_up_to_the_cap(tmp_path: Path) -> None:
    """Settings.topic_download_rows: a topic's papers.json and papers.bib hold its newest
    papers up to the cap, and the Downloads page says so; papers.json holds every paper."""
    import shutil

    from generator.site.build import build
    from generator.site.settings import Settings
    from helpers import FIXTURE_CONTENT

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for rows, out in ((1, tmp_path / "capped"), (1000, tmp_path / "whole")):
        build(content, out, Settings(site_url=SITE_URL, topic_download_rows=rows), cache=False)
    whole = json.loads((tmp_path / "whole" / "topics" / "vision" / "papers.json").read_text(encoding="utf-8"))
    capped = json.loads((tmp_path / "capped" / "topics" / "vision" / "papers.json").read_text(encoding="utf-8"))
    assert whole["count"] >= 2 and capped["count"] == 1
    assert capped["papers"] == whole["papers"][:1]  # the newest
    bib = (tmp_path / "capped" / "topics" / "vision" / "papers.bib").read_text(encoding="utf-8")
    assert bib.count("@misc{") == 1
    everything = json.loads((tmp_path / "capped" / "papers.json").read_text(encoding="utf-8"))
    assert everything["count"] == len(list((content / "papers").glob("*.yml")))
    said = "A topic's JSON and BibTeX files hold its 1 newest papers"
    assert said in (tmp_path / "capped" / "downloads.md").read_text(encoding="utf-8")
    assert "newest papers; `papers.json`" not in (tmp_path / "whole" / "downloads.md").read_text(encoding="utf-8")
