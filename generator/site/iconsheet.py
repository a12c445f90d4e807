"""The icon stylesheets: every icon the site shows, once, as a CSS mask.

Material inlines an icon's SVG wherever a template includes it, so every page
repeated the same path data (18 icons, about 9.6 KB of a 28 KB paper page).
Here each icon is written once, as a data URI in a stylesheet that the browser
caches, and templates draw it with an empty masked <svg>
(`theme/partials/icon.html`, `site/templates/_icons.md`).

Two sheets, so that a paper page (the page a search engine or a shared link
opens cold) downloads only the icons it can show:
- icons.css (mkdocs.yml's extra_css, every page): the icons of the theme's
  templates and scripts (the header, the drawer, a paper page, the search
  results, Browse), the icons mkdocs.yml sets and every link kind's badge;
- listing-icons.css (theme/main.html, every page but a paper's): the icons only
  the listings draw, those of the generator's page templates and the topics'.
A sheet holds the icons something can ask for: any icon path quoted in a
template (the theme's, an index's overrides/ and the generator's own).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from generator.errors import GeneratorError
from generator.icons import ICON_NAME, icon_path, icon_svg, icons_in_templates, shortcode
from generator.model import BADGE_ICONS, Catalog
from generator.site.settings import Settings
from generator.site.templating import css_env
from generator.site.theme import template_folders

PATH = "assets/stylesheets/icons.css"
LISTING_PATH = "assets/stylesheets/listing-icons.css"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_PAPER_TEMPLATES = [_TEMPLATES / "paper_body.html", _TEMPLATES / "_icons.md"]
"""The generator's templates whose output is part of a paper page."""
_SAFE = " =:/;,.-_'()!*~@+?&"
"""Left as is in a data URI inside url("..."); everything else is percent-encoded."""


def page_icons(settings: Settings) -> set[str]:
    """The icons any page can show, a paper page's included (icons.css)."""
    folders = [*template_folders(settings.overrides_dir), *_PAPER_TEMPLATES]
    return icons_in_templates(folders) | set(settings.theme_icons) | BADGE_ICONS


def listing_icons(catalog: Catalog) -> set[str]:
    """The icons listings show: those of the generator's page templates and the topics'
    (listing-icons.css holds those that icons.css does not)."""
    paths = icons_in_templates([_TEMPLATES])
    for topic in catalog.topics:
        if topic.icon and ICON_NAME.fullmatch(topic.icon) and (path := icon_path(topic.icon)):
            paths.add(path)
    return paths


def icon_sheets(catalog: Catalog, settings: Settings) -> dict[str, str]:
    """Each sheet's path and text; a GeneratorError if a template names an icon Material lacks."""
    page = page_icons(settings)
    sheets = {PATH: page, LISTING_PATH: listing_icons(catalog) - page}
    missing = sorted(path for paths in sheets.values() for path in paths if icon_svg(path) is None)
    if missing:
        raise GeneratorError(f"no such Material icon: {', '.join(missing)}; expected icon paths "
                             "like 'material/github' (see Material's .icons folder)")
    return {sheet: _sheet(paths) for sheet, paths in sheets.items()}


def _sheet(paths: set[str]) -> str:
    icons = []
    for path in sorted(paths):
        svg = icon_svg(path) or ""
        uri = "data:image/svg+xml," + quote(" ".join(svg.split()), safe=_SAFE)
        icons.append({"name": shortcode(path), "uri": Markup(uri)})
    return css_env().get_template("icons.css").render(icons=icons)
