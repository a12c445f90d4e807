"""Every page's metadata for search engines and link previews: a meta description,
a canonical URL, Open Graph and Twitter card tags, with untrusted titles and
abstracts escaped; and robots.txt. Asserted on the HTML of real builds.
"""

from __future__ import annotations

import pytest
import yaml

from helpers import ROOT, BuiltSite
from page_kinds import PAGE_KINDS, STUBS
from test_site import NASTY_TITLES, Elements

pytestmark = pytest.mark.xdist_group("site")

SITE = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
SITE_URL = SITE["site_url"]


def head_meta(html: str) -> tuple[dict[str, str], list[str]]:
    """({meta name or property: content}, [canonical hrefs]) of a page, attributes decoded."""
    parser = Elements(text_of=())
    parser.feed(html)
    meta = {key: a.get("content", "") for t, a in parser.tags if t == "meta"
            for key in (a.get("name"), a.get("property")) if key}
    canonical = [a["href"] for t, a in parser.tags if t == "link" and a.get("rel") == "canonical"]
    return meta, canonical


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_its_metadata(seed_site: BuiltSite, kind: str) -> None:
    meta, canonical = head_meta(seed_site.html(PAGE_KINDS[kind]))
    for key in ("description", "og:title", "og:description", "og:type", "og:site_name", "twitter:card"):
        assert meta.get(key, "").strip(), f"{kind}: no {key}"
    assert meta["og:description"] == meta["description"]
    assert meta["og:site_name"] == SITE["site_name"]
    assert meta["twitter:card"] == "summary"
    assert meta["og:type"] == ("article" if kind == "paper" else "website")
    if kind == "404":  # no address of its own
        assert canonical == [] and "og:url" not in meta
    else:
        assert len(canonical) == 1 and canonical[0].startswith(SITE_URL)
        assert meta["og:url"] == canonical[0]
    if kind in STUBS:  # points at where the content now is, and stays out of indexes
        assert meta["robots"] == "noindex"
    else:
        assert canonical in ([], [SITE_URL + PAGE_KINDS[kind]])


def test_descriptions_come_from_the_content(seed_site: BuiltSite) -> None:
    paper = yaml.safe_load((seed_site.content / "papers" / (PAGE_KINDS["paper"].split("/")[1] + ".yml"))
                           .read_text(encoding="utf-8"))
    meta, _ = head_meta(seed_site.html(PAGE_KINDS["paper"]))
    first = " ".join(paper["abstract"].split())
    assert first.startswith(meta["description"].rstrip(".")) and len(meta["description"]) > 40
    assert meta["og:title"] == paper["title"]
    home, _ = head_meta(seed_site.html(""))
    assert home["og:title"] == SITE["site_name"]
    about, _ = head_meta(seed_site.html("about/"))
    assert about["description"] != SITE["site_description"]
    missing, _ = head_meta(seed_site.html("404.html"))
    assert missing["description"] == SITE["site_description"]  # the site-wide fallback


@pytest.mark.parametrize("slug", NASTY_TITLES)
def test_hostile_titles_stay_text_in_the_metadata(fixture_site: BuiltSite, slug: str) -> None:
    html = fixture_site.html(f"papers/{slug}/")
    meta, _ = head_meta(html)
    assert meta["og:title"] == NASTY_TITLES[slug]
    head = html.split("</head>", 1)[0]
    # No script in the head (Material's helpers are in palette.js), whatever the title or
    # abstract holds.
    assert head.count("<script") == 0 and "<img" not in head and "onerror=alert" not in head.replace(
        "&lt;img src=x onerror=alert", "")
    if slug == "script-alert-1":
        assert meta["og:description"].startswith("<script>alert(3)</script>")
        assert '"quotes"' in meta["og:description"]


def test_robots_txt_allows_all_and_names_the_sitemap(real_site: BuiltSite) -> None:
    lines = (real_site.site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {SITE_URL}sitemap.xml" in lines
    assert (real_site.site / "sitemap.xml").is_file()


def test_the_sitemap_lists_every_page_once_and_no_stub(real_site: BuiltSite) -> None:
    """Every paper and listing page, by its address; not the stubs at old addresses (they
    ask robots not to index them) and no <lastmod> (MkDocs wrote the build's date there)."""
    import xml.etree.ElementTree as ET

    papers = sorted((ROOT / "content" / "papers").glob("*.yml"))
    root = ET.parse(real_site.site / "sitemap.xml").getroot()
    urls = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(urls) == len(set(urls))
    assert {f"{SITE_URL}papers/{p.stem}/" for p in papers} <= set(urls)
    assert {SITE_URL, f"{SITE_URL}browse/", f"{SITE_URL}topics/vision/"} <= set(urls)
    old = {old for p in papers for old in (yaml.safe_load(p.read_text(encoding="utf-8")).get("redirect_from") or [])}
    assert old and not {f"{SITE_URL}papers/{slug}/" for slug in old} & set(urls)
    assert f"{SITE_URL}code/" not in urls and f"{SITE_URL}tags/" not in urls
    assert "lastmod" not in (real_site.site / "sitemap.xml").read_text(encoding="utf-8")
