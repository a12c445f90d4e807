"""Lean pages, asserted on the built HTML: icons from one stylesheet, scripts only
where they are used, nothing on a page that grows with the catalog.

Sizes here are bytes of HTML, not timings; BENCHMARKS.md records the figures at
10,000 and 50,000 papers.
"""

from __future__ import annotations

import re
import statistics

import pytest
import yaml

from helpers import ROOT, BuiltSite
from tests.test_site import html_files, parse

pytestmark = pytest.mark.xdist_group("site")

PAGE_BUDGET = 16 * 1024
"""The issue's target for one paper page."""


def _scripts(text: str) -> list[str]:
    return [a["src"] for t, a in parse(text).tags if t == "script" and "src" in a]


def test_paper_pages_fit_the_budget(real_site: BuiltSite) -> None:
    papers = {p.stem for p in (real_site.content / "papers").glob("*.yml")}
    sizes = {p.parent.name: p.stat().st_size for p in (real_site.site / "papers").glob("*/index.html")
             if p.parent.name in papers}  # not the redirect stubs at old slugs
    assert len(sizes) == len(papers)
    assert statistics.median(sizes.values()) < PAGE_BUDGET * 0.95
    # Above the budget only when the abstract itself is long: the rest of the page
    # (header, navigation, badges, citation) leaves room for a 2,000-character one.
    for slug, size in sizes.items():
        data = yaml.safe_load((real_site.content / "papers" / f"{slug}.yml").read_text(encoding="utf-8"))
        assert size - len(data["abstract"].encode()) < PAGE_BUDGET - 2000, slug


FRAME_BUDGET = 8 * 1024
"""A paper page's bytes outside its <article> (head, header, search box, tabs, drawer,
footer, scripts): about 9.2 KB when the phone's drawer and the palette's buttons were sent
with every page (now drawer.js and palette.js build them), 6.9 to 7.5 KB since. At 50,000
papers each KB of it is 51 MB of the site."""


def test_paper_pages_frame_fits_its_budget(real_site: BuiltSite) -> None:
    papers = {p.stem for p in (real_site.content / "papers").glob("*.yml")}
    frames = {}
    for slug in papers:
        page = (real_site.site / "papers" / slug / "index.html").read_text(encoding="utf-8")
        article = re.search(r"<article\b.*</article>", page, re.S)
        assert article, slug
        frames[slug] = len(page.encode()) - len(article.group(0).encode())
    over = {slug: size for slug, size in frames.items() if size > FRAME_BUDGET}
    assert not over, sorted(over.items())[:5]


def _sheet_icons(site: BuiltSite, name: str) -> set[str]:
    sheet = (site.site / "assets" / "stylesheets" / name).read_text(encoding="utf-8")
    return set(re.findall(r"\.pi-i--([a-z0-9-]+)\{", sheet))


def test_icons_come_from_the_icon_stylesheets_a_page_links(real_site: BuiltSite) -> None:
    """Every icon a page draws has its rule in a sheet the page links; a paper page links
    only icons.css, which also holds the icons of the search results' cards."""
    sheets = {name: _sheet_icons(real_site, name) for name in ("icons.css", "listing-icons.css")}
    assert sheets["icons.css"] and sheets["listing-icons.css"]
    assert not sheets["icons.css"] & sheets["listing-icons.css"]  # each icon once
    seen: set[str] = set()
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        linked = set(re.findall(r'href="[^"]*assets/stylesheets/([a-z-]+\.css)"', text)) & sheets.keys()
        if path.parent.parent.name == "papers":
            assert "<path" not in text, f"{path}: inline SVG path data"
            if "paper-redirect" not in text and 'class="pi-title"' in text:
                assert linked == {"icons.css"}, path
        used = set(re.findall(r"pi-i--([a-z0-9-]+)", text))
        seen |= used
        defined = set().union(*(sheets[name] for name in linked))
        assert used <= defined, (path, sorted(used - defined))
    for script in (real_site.site / "assets" / "javascripts").glob("*.js"):
        used = {name.replace("/", "-") for name in
                re.findall(r'icon\("([a-z]+/[a-z0-9-]+)"\)', script.read_text(encoding="utf-8"))}
        seen |= used
        assert used <= sheets["icons.css"], (script.name, sorted(used - sheets["icons.css"]))
    assert sheets["listing-icons.css"] & seen  # the listings draw some of theirs


def test_table_scripts_load_only_where_there_is_a_table(real_site: BuiltSite) -> None:
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        sorting = any(s.endswith("assets/javascripts/tables.js") for s in _scripts(text))
        assert sorting == ("<table" in text and "/topics/" in path.as_posix()), path


def test_no_page_fetches_the_sitemap_or_a_whole_index(real_site: BuiltSite) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nmarkdown_extensions:")[0]
                            .replace("!!python/name:", ""))
    assert "navigation.instant" not in config["theme"]["features"]  # it fetches sitemap.xml on load
    assert not (real_site.site / "search" / "search_index.json").exists()
    for path in sorted((real_site.site / "papers").glob("*/index.html"))[::50]:
        page = path.read_text(encoding="utf-8")
        assert "sitemap" not in page and "search_index" not in page, path


def test_no_page_carries_search_markup(real_site: BuiltSite) -> None:
    """The search index is built from the catalog (`generator index`), not from the pages:
    no page spends bytes on Pagefind's attributes or hidden filter fields."""
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        assert "data-pagefind" not in text and "abstract-text" not in text, path


def test_every_file_a_page_loads_exists(real_site: BuiltSite) -> None:
    """generator/theme/base.html names Material's hashed assets; an upgrade that renames
    them must fail here, not on the site."""
    from urllib.parse import urljoin, urlsplit

    for path in [real_site.site / "index.html", real_site.site / "browse" / "index.html",
                 min((real_site.site / "topics").glob("*/index.html")),
                 min((real_site.site / "papers").glob("*/index.html"))]:
        rel = path.relative_to(real_site.site).as_posix()
        for tag, attrs in parse(path.read_text(encoding="utf-8")).tags:
            url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" and \
                "stylesheet" in attrs.get("rel", "").split() else None
            if url:
                target = urlsplit(urljoin("http://site/" + rel, url)).path.lstrip("/")
                assert (real_site.site / target).is_file(), f"{rel} loads {url}"
