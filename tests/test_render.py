"""The render stage without MkDocs: writer safety, escaping, front matter, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from slugify import slugify

from generator.errors import ContentError, GeneratorError
from generator.model import Catalog, Link, LinkKind, Paper, Topic
from generator.site.orders import CatalogIndex, most_upvoted, newest_added, newest_first
from generator.site.citation import bibtex, bibtex_keys
from generator.site.templating import md_inline, md_paragraphs
from generator.site.paperfacts import first_sentence, link_label, paper_badges
from generator.site.build import build, repo_links
from generator.site.pages import Renderer
from generator.site.settings import Settings
from generator.site.writer import OutputError, TreeWriter
from helpers import FIXTURE_CONTENT

SETTINGS = Settings(site_url="https://paper-index.github.io/paper-index/")

# The Markdown extensions of mkdocs.yml that change how text is parsed.
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.escapeall", "pymdownx.emoji"]
CONFIG = {"pymdownx.escapeall": {"hardbreak": False, "nbsp": False}}

NASTY = [
    "ReST-MCTS*",
    "<SR>",
    "P(y|x)",
    "n_TOF",
    "AntLM_{BabyLlama}",
    "a | b",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**bold** __u__ `code` ~~s~~ ==m== ^^c^^ :fire: $x$",
    "# not a heading",
    "1. not a list",
    "back\\slash \\* & &amp; &#39; 'quotes' \"double\"",
    "{ onclick=alert(1) }",
    "![img](https://example.org/x.png)",
]


def _visible(html_text: str) -> str:
    import html as html_mod
    import re

    return html_mod.unescape(re.sub(r"<[^>]+>", "", html_text)).strip()


@pytest.mark.parametrize("text", NASTY)
def test_md_inline_shows_text_literally(text: str) -> None:
    out = markdown.markdown(f"{md_inline(text)}", extensions=EXTENSIONS, extension_configs=CONFIG)
    assert out.startswith("<p>") and out.count("<") == 2, out  # only <p></p>: no markup from content
    assert _visible(out) == text


@pytest.mark.parametrize("text", NASTY)
def test_md_inline_is_literal_in_a_table_cell_and_link(text: str) -> None:
    source = f"| A | B |\n|---|---|\n| [{md_inline(text)}](x.md) | {md_inline(text)} |\n"
    out = markdown.markdown(source, extensions=EXTENSIONS, extension_configs=CONFIG)
    cells = out.split("<td>")[1:]
    assert len(cells) == 2, out
    assert _visible(cells[0].split("</td>")[0]) == text
    assert _visible(cells[1].split("</td>")[0]) == text


def test_md_paragraphs_keeps_paragraphs() -> None:
    out = markdown.markdown(md_paragraphs("First *one*.\n\n  Second | two."), extensions=EXTENSIONS,
                            extension_configs=CONFIG)
    assert out.count("<p>") == 2 and "<em>" not in out


def test_writer_refuses_a_path_twice(tmp_path: Path) -> None:
    with TreeWriter(tmp_path / "out") as writer:
        writer.write("papers/a.md", "one")
        with pytest.raises(OutputError, match="twice"):
            writer.write("papers/a.md", "two")
        with pytest.raises(OutputError, match="twice"):
            writer.write("papers/A.md", "two")


@pytest.mark.parametrize("bad", ["../x.md", "papers/../../x.md", "/etc/passwd", "a//b.md", "./a.md", "", "a\\b.md"])
def test_writer_refuses_paths_that_escape(tmp_path: Path, bad: str) -> None:
    with TreeWriter(tmp_path / "out") as writer, pytest.raises(OutputError):
        writer.write(bad, "x")
    assert not (tmp_path / "x.md").exists()


def test_writer_swaps_in_only_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.md").write_text("old")
    with pytest.raises(RuntimeError), TreeWriter(out) as writer:
        writer.write("new.md", "new")
        raise RuntimeError("boom")
    assert sorted(p.name for p in out.iterdir()) == ["old.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "staging folder left behind"
    with TreeWriter(out) as writer:
        writer.write("new.md", "new")
        writer.commit()
    assert sorted(p.name for p in out.iterdir()) == ["new.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_invalid_content_writes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "docs"
    build(content, out, SETTINGS)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    bad = content / "papers" / "zz-bad.yml"
    bad.write_text("title: Bad\nabstract: x\nlinks:\n  - url: javascript:alert(1)\n    kind: code\n")
    with pytest.raises(ContentError) as info:
        build(content, out, SETTINGS)
    assert "zz-bad.yml" in str(info.value)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "docs"]  # the cache, no staging folder


def test_a_redirect_onto_an_existing_slug_is_refused(tmp_path: Path) -> None:
    topic = Topic(id="t", title="T", description="d")
    papers = (Paper(slug="a", title="A", abstract="x", topics=("t",)),
              Paper(slug="b", title="B", abstract="y", topics=("t",), redirect_from=("a",)))
    renderer = Renderer(Catalog(papers=papers, topics=(topic,)), Settings())
    with TreeWriter(tmp_path / "out") as writer, pytest.raises(OutputError, match="twice"):
        for page in renderer.pages({}):
            writer.write(page.path, page.text())


def _front(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_paper_front_matter() -> None:
    topic = Topic(id="vision", title="Vision & <Images>", description="d")
    paper = Paper(slug="p", title="<SR>: a 'quote'", abstract="First sentence, e.g. this. Second one.",
                  published=dt.date(2023, 9, 11), upvotes=4, arxiv="2306.04751", topics=("vision",),
                  links=(Link("https://github.com/o/r", LinkKind("code")),), authors=("A <B>",))
    page = Renderer(Catalog(papers=(paper,), topics=(topic,)), Settings()).paper_page(paper, {})
    meta = _front(page.text())
    assert page.path == "papers/p.md"
    assert meta["title"] == "&lt;SR&gt;: a &#x27;quote&#x27;"
    assert meta["description"] == "First sentence, e.g. this."
    assert meta["paper"]["topics"] == [{"id": "vision", "title": "Vision & <Images>"}]  # raw: paper.html escapes it
    assert meta["template"] == "paper.html" and meta["slug"] == "p"
    assert meta["edit_path"] == "content/papers/p.yml"
    assert meta["date"] == "2023-09-11"
    assert meta["paper"]["authors"] == ["A <B>"]  # raw: paper.html escapes it
    urls = [b["url"] for b in meta["paper"]["badges"]]
    assert urls == ["https://github.com/o/r", "https://arxiv.org/abs/2306.04751",
                    "https://arxiv.org/pdf/2306.04751", "https://huggingface.co/papers/2306.04751"]


def test_badges_without_arxiv_search_by_title() -> None:
    paper = Paper(slug="p", title="A & B: c?", abstract="x")
    urls = [b["url"] for b in paper_badges(paper)]
    assert urls == ["https://arxiv.org/search/?query=A+%26+B%3A+c%3F&searchtype=title",
                    "https://huggingface.co/papers?q=A+%26+B%3A+c%3F"]


def test_non_http_links_never_become_badges() -> None:
    # Validation rejects these; render drops them anyway (defense in depth).
    paper = Paper(slug="p", title="T", abstract="x", links=(Link("javascript:alert(1)", LinkKind("code")),
                                                           Link("data:text/html,x", LinkKind("project"))))
    assert not [b for b in paper_badges(paper) if not b["url"].startswith("https://")]
    topic = Topic(id="t", title="T", description="d")
    page = Renderer(Catalog(papers=(paper,), topics=(topic,)), Settings()).topic_page(topic)
    assert "javascript" not in page.body and "data:" not in page.body


@pytest.mark.parametrize(("url", "kind", "label"), [
    ("https://github.com/XPixelGroup/HAT", "code", "XPixelGroup/HAT"),
    ("https://github.com/o/r.git", "code", "o/r"),
    ("https://huggingface.co/datasets/org/set", "hf-dataset", "Dataset: org/set"),
    ("https://huggingface.co/org/model", "hf-model", "Model: org/model"),
    ("https://huggingface.co/spaces/org/demo", "hf-space", "Space: org/demo"),
    ("https://www.example.org/x", "other", "example.org"),
    ("https://example.org/x", "project", "Project page"),
])
def test_link_labels(url: str, kind: str, label: str) -> None:
    assert link_label(Link(url, LinkKind(kind)))[0] == label


def test_first_sentence() -> None:
    assert first_sentence("We do X, e.g. images. Then Z.") == "We do X, e.g. images."
    assert first_sentence("By J. Smith et al. We win. Yes.") == "By J. Smith et al. We win."
    assert first_sentence("One   line\nonly") == "One line only"
    assert first_sentence("word " * 200).endswith("…")


def test_bibtex_escapes_latex_specials() -> None:
    paper = Paper(slug="rest-mcts", title="ReST_MCTS {x} 100% & #1", abstract="x",
                  authors=("A B", "C D"), published=dt.date(2024, 1, 2), arxiv="2406.03816")
    entry = bibtex(paper, "https://site/papers/rest-mcts/")
    assert entry.startswith("@misc{rest2024mcts,")
    assert r"title = {{ReST\_MCTS \{x\} 100\% \& \#1}}" in entry
    assert "author = {A B and C D}" in entry and "eprint = {2406.03816}" in entry


def test_bibtex_of_an_undated_paper_takes_the_year_it_was_added_and_says_so() -> None:
    import bibtexparser

    undated = Paper(slug="sparse-mixtures", title="Sparse Mixtures", abstract="x",
                    added=dt.date(2026, 12, 4))
    entry = bibtex(undated, "https://site/papers/sparse-mixtures/")
    comment, rest = entry.split("\n", 1)
    assert comment.startswith("% ") and "added to the index" in comment
    assert rest.startswith("@misc{sparsemixtures,") and "  year = {2026},\n" in rest
    library = bibtexparser.parse_string(entry)
    assert [e.fields_dict["year"].value for e in library.entries] == ["2026"]
    assert not library.failed_blocks
    # A publication date is the year, and needs no comment; with neither there is no year.
    dated = bibtex(Paper(slug="s", title="S", abstract="x", published=dt.date(2023, 6, 7),
                         added=dt.date(2026, 12, 4)), "u")
    assert dated.startswith("@misc{") and "year = {2023}" in dated
    assert "year" not in bibtex(Paper(slug="s", title="S", abstract="x"), "u")


def test_repo_links_point_at_the_repository() -> None:
    text = "See [README](README.md), [x](content/topics.yml), [a](#anchor) and [b](https://e.org)."
    out = repo_links(text, Settings(repo_url="https://git.example/o/r", branch="trunk"))
    assert "(https://git.example/o/r/blob/trunk/README.md)" in out
    assert "(https://git.example/o/r/blob/trunk/content/topics.yml)" in out
    assert "(#anchor)" in out and "(https://e.org)" in out
    # Without a repository there is nothing to point at: the text stays as written.
    assert repo_links(text, Settings()) == text


def test_without_a_repository_no_page_links_repository_files() -> None:
    paper = Paper(slug="p", title="T", abstract="x", sources=("003_listing",))
    renderer = Renderer(Catalog(papers=(paper,), topics=()), Settings())
    body = renderer.paper_page(paper, {"003_listing": "Listing three"}).meta["body"]
    assert "Listing three" in body and "/blob/" not in body and 'href="/' not in body
    assert "/blob/" not in renderer.contributing_page().body


def test_unknown_topic_is_an_error() -> None:
    paper = Paper(slug="p", title="T", abstract="x", topics=("nope",))
    with pytest.raises(GeneratorError, match="nope"):
        Renderer(Catalog(papers=(paper,), topics=()), Settings())


def test_build_report(tmp_path: Path) -> None:
    """The report counts what was written: 23 pages (home, browse, code and tags redirects,
    topics index, 3 topics, 1 renamed topic's redirect, years index and 4 years, 4 papers,
    1 paper redirect, stats, downloads, about, contributing), 14 downloads (feed.xml,
    papers.json, papers.csv, papers.bib, the schema, and a feed, JSON and BibTeX for each of
    the 3 topics), the icon stylesheets, the search records and robots.txt; a second build
    writes nothing."""
    out = tmp_path / "docs"
    report = str(build(FIXTURE_CONTENT, out, SETTINGS))
    assert re.fullmatch(rf"Built 23 pages \(4 papers, 3 topics, 2 redirects\) and 14 downloads \(feeds, "
                        rf"JSON, CSV, BibTeX\) into {re.escape(str(out))} in \d+\.\d\ds: "
                        r"41 file\(s\) written, 0 removed, 0 unchanged", report), report
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # The pages, the downloads, two icon sheets, the search records and robots.txt.
    assert len(written) == 23 + 14 + 4
    assert "topics/thinking.md" in written
    assert {"feed.xml", "papers.json", "papers.csv", "papers.bib", "schema/papers.schema.json",
            "stats.md", "downloads.md", "assets/stylesheets/icons.css",
            "assets/stylesheets/listing-icons.css", ".search-records.jsonl", "robots.txt"} <= set(written)
    assert sum(1 for name in written if re.fullmatch(r"topics/[a-z0-9-]+/(feed\.xml|papers\.json|papers\.bib)",
                                                     name)) == 9
    again = str(build(FIXTURE_CONTENT, out, SETTINGS))
    assert again.endswith(": 0 file(s) written, 0 removed, 41 unchanged"), again


# --- ordering, citation keys and downloads --------------------------------------


def _p(slug: str, **kw: object) -> Paper:
    return Paper(slug=slug, title=kw.pop("title", slug.upper()), abstract="x", **kw)  # type: ignore[arg-type]


def _dated_papers() -> list[Paper]:
    """Papers that differ in added, published and upvotes, for the two newest orders."""
    day = dt.date
    return [
        _p("old", added=day(2025, 1, 1), published=day(2024, 1, 1), upvotes=99),
        _p("undated", added=day(2025, 6, 1)),
        _p("voted", added=day(2025, 6, 1), upvotes=3),
        _p("zero-votes", added=day(2025, 6, 1), upvotes=0),
        _p("published", added=day(2025, 6, 1), published=day(2023, 5, 5)),
        _p("newer-published", added=day(2025, 6, 1), published=day(2024, 5, 5), upvotes=1),
        _p("never-added", published=day(2025, 5, 5)),
        _p("old-listing", added=day(2024, 1, 1), upvotes=500),
    ]


def test_newest_first_goes_by_published_then_added_then_upvotes() -> None:
    day = dt.date
    papers = [*_dated_papers(), _p("nothing")]
    order = [p.slug for p in newest_first(papers)]
    assert order == ["never-added", "newer-published", "old", "published", "voted", "zero-votes", "undated",
                     "old-listing", "nothing"]
    assert [p.slug for p in most_upvoted(papers, 2)] == ["old-listing", "old"]
    assert [p.slug for p in most_upvoted(papers, 10)] == ["old-listing", "old", "voted", "newer-published"]


def test_newest_added_goes_by_added_then_published_then_upvotes() -> None:
    """What is new here: the day a paper entered the index first, whatever its own date;
    a paper that never says when it came goes last, and its feed entry claims no day
    later than the oldest addition."""
    day = dt.date
    papers = [
        *_dated_papers(),
        _p("years-old-added-today", added=day(2025, 7, 1), published=day(2015, 1, 1)),
        _p("nothing"),
    ]
    order = [p.slug for p in newest_added(papers)]
    assert order == ["years-old-added-today", "newer-published", "published", "voted", "zero-votes",
                     "undated", "old", "old-listing", "never-added", "nothing"]
    assert [p.slug for p in newest_added(list(reversed(papers)))] == order
    index = CatalogIndex.of(Catalog(papers=tuple(papers), topics=()))
    assert [p.slug for p in index.newest] == order
    updated = [index.updated(p) for p in index.newest]
    assert updated == [day(2025, 7, 1)] + [day(2025, 6, 1)] * 5 + [day(2025, 1, 1)] + [day(2024, 1, 1)] * 3
    assert CatalogIndex.of(Catalog(papers=(_p("nothing"),), topics=())).updated(papers[-1]) is None


def test_papers_alike_in_every_date_are_neither_alphabetical_nor_shuffled() -> None:
    """Hundreds of undated papers share a capture day: their order must not read as
    A-Z (four "A Survey on ..." in a row), and must be the same on every build."""
    titles = [f"A Survey on {w}" for w in ("Agents", "Alignment", "Audio", "Attention")] + [
        f"{w} Models" for w in ("Bert", "Diffusion", "Graph", "Mamba", "Speech", "Vision", "World", "Zero")]
    papers = [_p(slugify(t), title=t, added=dt.date(2025, 6, 1)) for t in titles]
    order = [p.title for p in newest_first(papers)]
    assert sorted(order) == sorted(titles)
    assert order != sorted(order, key=str.casefold) and order != sorted(order, key=str.casefold, reverse=True)
    assert [p.title for p in newest_first(list(reversed(papers)))] == order


def test_bibtex_keys_are_unique_and_stable() -> None:
    day = dt.date
    first = _p("a-survey-of-llms", added=day(2025, 1, 1))
    later = _p("survey-of-llms-again", added=day(2025, 2, 1))
    digit = _p("2d-matryoshka-embeddings", added=day(2025, 1, 1))
    keys = bibtex_keys([later, first, digit])
    assert keys == {"a-survey-of-llms": "surveyllms", "survey-of-llms-again": "surveyllmsb",
                    "2d-matryoshka-embeddings": "matryoshkaembeddings"}
    # A paper added later never takes an older paper's key.
    newcomer = _p("0-survey-llms", added=day(2026, 1, 1))
    assert bibtex_keys([first, later, newcomer, digit])["a-survey-of-llms"] == "surveyllms"
    many = bibtex_keys([_p(f"survey-llms-{i:02d}x", added=day(2025, 1, 1)) for i in range(30)])
    assert len(set(many.values())) == 30 and all(k.isalnum() for k in many.values())


@pytest.mark.parametrize("title", ["A { lone brace", "close } then open {", "fine {nested {x}}", "x^2 ~ \\ %"])
def test_bibtex_braces_always_balance(title: str) -> None:
    entry = bibtex(_p("t", title=title), "https://site/papers/t/", "key")
    depth = 0
    for c in entry:  # BibTeX counts every brace, escaped or not
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0, entry
    assert depth == 0, entry


def test_exports_need_a_site_url() -> None:
    topic = Topic(id="t", title="T", description="d")
    renderer = Renderer(Catalog(papers=(_p("a", topics=("t",)),), topics=(topic,)), Settings())
    with pytest.raises(GeneratorError, match="site_url"):
        renderer.exports()


def test_feed_drops_characters_xml_forbids() -> None:
    import xml.etree.ElementTree as ET

    topic = Topic(id="t", title="T & <U>", description="d")
    paper = Paper(slug="a", title="Bell\x07 <b>&amp;</b> \x00end", abstract="tab\tok \x1b[0m \ufffe",
                  topics=("t",), added=dt.date(2025, 1, 2))
    feed = Renderer(Catalog(papers=(paper,), topics=(topic,)), Settings(site_url="https://e.org/x/")).feed()
    root = ET.fromstring(feed.text)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.findtext("a:entry/a:title", namespaces=ns) == "Bell <b>&amp;</b> end"
    assert root.findtext("a:entry/a:summary", namespaces=ns) == "tab\tok [0m "
    assert root.find("a:entry/a:category", ns).get("label") == "T & <U>"
    assert root.findtext("a:updated", namespaces=ns) == "2025-01-02T00:00:00Z"


def test_home_items_never_show_attribute_lists() -> None:
    """An item with nothing to put on its meta line (no date, votes, code or topic)
    must not leave a `{ .class }` line behind as text."""
    topic = Topic(id="t", title="T", description="d")
    bare = Paper(slug="bare", title="Bare", abstract="")
    listed = Paper(slug="listed", title="Listed", abstract="", added=dt.date(2025, 1, 1))
    full = Paper(slug="full", title="Full", abstract="One. Two.", added=dt.date(2025, 1, 1), upvotes=0,
                 published=dt.date(2024, 1, 1), topics=("t",), links=(Link("https://github.com/o/r", LinkKind("code")),))
    body = Renderer(Catalog(papers=(bare, listed, full), topics=(topic,)), Settings()).home().body
    out = markdown.markdown(body, extensions=EXTENSIONS + ["md_in_html"], extension_configs=CONFIG)
    assert "{" not in _visible(out)
    # An item's dates: the day it was added (the list's order), and its published one.
    assert out.count('class="pi-item__meta"') == 2 and out.count('class="pi-item__teaser"') == 1
    assert out.count('Added <time datetime="2025-01-01">1 January 2025</time>') == 2
    assert out.count('Published <time datetime="2024-01-01">2024-01-01</time>') == 1


def test_most_upvoted_shows_only_with_enough_votes() -> None:
    topic = Topic(id="t", title="T", description="d")
    settings = Settings(upvoted_min_papers=3, upvoted_min_top=10)

    def home(*votes: int) -> str:
        papers = tuple(Paper(slug=f"p{i}", title=f"P{i}", abstract="x", topics=("t",), upvotes=v)
                       for i, v in enumerate(votes))
        return Renderer(Catalog(papers=papers, topics=(topic,)), settings).home().body

    assert "Most upvoted" not in home(9, 8, 7, 6)  # the top is too low
    assert "Most upvoted" not in home(50, 40, 0)  # too few papers have a vote
    shown = home(50, 0, 40, 3)
    assert "Most upvoted" in shown
    assert re.findall(r"\]\(papers/(p\d)\.md\)</li>", shown) == ["p0", "p2", "p3"]


def test_a_paper_names_its_sources_for_readers() -> None:
    topic = Topic(id="t", title="T", description="d")
    paper = Paper(slug="p", title="P", abstract="x", topics=("t",),
                  sources=("001_golden", "hf-daily-2025-12-10", "hf-daily-2025-02-30", "002_gone", "003_unnamed"))
    body = Renderer(Catalog(papers=(paper,), topics=(topic,)), Settings(repo_url="https://git.example/r")).paper_page(
        paper, {"001_golden": "Hugging Face papers, 1 May 2025", "003_unnamed": ""}).meta["body"]
    items = re.findall(r"<li>(.*?)</li>", body.split('id="found-in"', 1)[1])
    assert items == [
        '<a href="https://git.example/r/blob/main/content/listings/001_golden.txt">Hugging Face papers, 1 May 2025</a>',
        "Hugging Face daily papers, 10 December 2025",
        "Listing hf-daily-2025-02-30",  # not a real day: shown as it is written
        "Listing 002_gone",
        '<a href="https://git.example/r/blob/main/content/listings/003_unnamed.txt">Listing 003_unnamed</a>',
    ]


HOSTILE_URLS = (
    'Code at https://github.com/o/r. Demo (https://o.github.io/a_(b)) and https://e.org/?a=1&b=2 too. '
    'javascript:alert(1) https://x.org/"onmouseover="alert(2) <https://y.org/<script>alert(3)</script>> '
    "https://z.org/'onfocus='alert(4) data:text/html,<b>x</b> http:/bad ftp://f.org/x "
    "https://q.org/`tick` https://h.org:99999/x"
)


def test_urls_in_an_abstract_become_safe_links() -> None:
    """Only http(s) URLs become links, with rel="nofollow noopener" and nothing else on
    them; no quote or bracket in the text leaves its attribute; the words stay the same."""
    from html.parser import HTMLParser

    class Anchors(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.anchors: list[dict[str, str | None]] = []
            self.tags: set[str] = set()
            self.attrs: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            self.attrs |= {name for name, _ in attrs}
            if tag == "a":
                self.anchors.append(dict(attrs))

    topic = Topic(id="t", title="T", description="d")
    paper = Paper(slug="p", title="P", abstract=HOSTILE_URLS, topics=("t",), note="See https://n.org/x!")
    out = Renderer(Catalog(papers=(paper,), topics=(topic,)), Settings()).paper_page(paper, {}).meta["body"]
    abstract = out.split('<div class="pi-abstract">', 1)[1].split("<h2", 1)[0]
    parser = Anchors()
    parser.feed(abstract)
    assert [a["href"] for a in parser.anchors] == [
        "https://github.com/o/r", "https://o.github.io/a_(b)", "https://e.org/?a=1&b=2",
        "https://x.org/", "https://y.org/", "https://z.org/", "https://q.org/", "https://n.org/x"]
    assert all(a == {"href": a["href"], "rel": "nofollow noopener"} for a in parser.anchors)
    assert parser.tags <= {"div", "p", "a"}, parser.tags
    assert not {name for name in parser.attrs if name.startswith("on")}
    abstract_text = _visible(abstract.split('<div class="admonition note">', 1)[0])
    assert " ".join(abstract_text.split()) == " ".join(HOSTILE_URLS.split())


def test_a_large_topic_lists_its_newest_papers_and_sends_readers_to_browse() -> None:
    topic = Topic(id="t", title="T", description="d")
    papers = tuple(_p(f"p{i}", topics=("t",), published=dt.date(2020, 1, 1 + i)) for i in range(5))
    catalog = Catalog(papers=papers, topics=(topic,))
    body = Renderer(catalog, Settings(topic_rows=3)).topic_page(topic).body
    assert re.findall(r"\(\.\./papers/(p\d)\.md\)", body) == ["p4", "p3", "p2"]
    assert "__5__ papers" in body and "browse all 5 with filters" in body
    assert "(../browse.md?topic=t&amp;sort=newest)" in body  # &amp; in HTML is &
    whole = Renderer(catalog, Settings(topic_rows=5)).topic_page(topic).body
    assert len(re.findall(r"\(\.\./papers/p\d\.md\)", whole)) == 5 and "browse all" not in whole
