"""Every badge a paper page can show renders with its icon: each link kind, each code host,
arXiv's pages and PDF, Hugging Face Papers and the title searches. Asserted on a real
build (generator + `mkdocs build --strict`) and its icon stylesheet."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from generator.model import BADGE_ICONS, BadgeKind, Link, LinkKind
from generator.store.paperfile import paper_to_yaml
from helpers import EVERY_FIELD, FIXTURE_CONTENT, BuiltSite, base_content, build_site

BADGE = re.compile(r'<a class="pi-badge pi-badge--(?P<kind>[a-z-]+)"[^>]*><svg class="pi-i pi-i--(?P<icon>[a-z0-9-]+)"')
HOSTS = {"https://gitlab.com/o/r": "simple-gitlab", "https://codeberg.org/o/r": "material-code-braces",
         "https://github.com/o/r": "material-github"}


def every_badge_site(tmp_path: Path) -> BuiltSite:
    """tests/check_cases/_base (HAT with an arXiv id, a paper without one) and a paper with
    a link of every kind, on every code host."""
    content = base_content(tmp_path)
    shutil.copytree(FIXTURE_CONTENT / "pages", content / "pages")  # the nav's About page
    links = EVERY_FIELD.links + tuple(Link(url, LinkKind.CODE) for url in HOSTS if "github" not in url)
    paper = dataclasses.replace(EVERY_FIELD, links=links, proposed_topics=(), redirect_from=())
    (content / "papers" / f"{paper.slug}.yml").write_text(paper_to_yaml(paper), encoding="utf-8")
    return build_site(content, tmp_path / "work")


def test_every_badge_kind_renders_with_an_icon_the_stylesheet_draws(tmp_path: Path) -> None:
    site = every_badge_site(tmp_path)
    sheet = (site.site / "assets" / "stylesheets" / "icons.css").read_text(encoding="utf-8")
    drawn = set(re.findall(r"\.pi-i--([a-z0-9-]+)\{", sheet))
    shown: dict[str, set[str]] = {}
    for page in (site.site / "papers").glob("*/index.html"):
        for match in BADGE.finditer(page.read_text(encoding="utf-8")):
            shown.setdefault(match["kind"], set()).add(match["icon"])
    assert set(shown) == {str(k) for k in LinkKind} | {str(k) for k in BadgeKind}
    icons = set().union(*shown.values())
    assert icons == {path.replace("/", "-") for path in BADGE_ICONS}
    assert icons - drawn == set(), "badges whose icon has no rule in icons.css (a black square)"
    assert shown["pdf"] == {"material-file-pdf-box"}
    page = site.html(f"papers/{EVERY_FIELD.slug}/")
    for url, icon in HOSTS.items():
        assert re.search(rf'href="{re.escape(url)}"[^>]*><svg class="pi-i pi-i--{icon}"', page), url
