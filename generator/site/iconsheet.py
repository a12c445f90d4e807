"""assets/stylesheets/icons.css: every icon the site shows, once, as a CSS mask.

Material inlines an icon's SVG wherever a template includes it, so every page
repeated the same path data (18 icons, about 9.6 KB of a 28 KB paper page).
Here each icon is written once, as a data URI in one stylesheet that the
browser caches, and templates draw it with an empty masked <svg>
(`overrides/partials/icon.html`, `templates/_icons.md`).

The sheet holds the icons that something can ask for: any icon path quoted in
a template (the theme's overrides and the generator's own), the icons
mkdocs.yml sets, every link kind's badge, and the topics' icons.
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

PATH = "assets/stylesheets/icons.css"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_SAFE = " =:/;,.-_'()!*~@+?&"
"""Left as is in a data URI inside url("..."); everything else is percent-encoded."""


def wanted_icons(catalog: Catalog, settings: Settings) -> set[str]:
    folders = [_TEMPLATES] + ([settings.theme_dir] if settings.theme_dir else [])
    paths = icons_in_templates(folders) | set(settings.theme_icons) | BADGE_ICONS
    for topic in catalog.topics:
        if topic.icon and ICON_NAME.fullmatch(topic.icon) and (path := icon_path(topic.icon)):
            paths.add(path)
    return paths


def icon_sheet(catalog: Catalog, settings: Settings) -> str:
    """The stylesheet's text; a GeneratorError if a template names an icon Material lacks."""
    icons, missing = [], []
    for path in sorted(wanted_icons(catalog, settings)):
        svg = icon_svg(path)
        if svg is None:
            missing.append(path)
            continue
        uri = "data:image/svg+xml," + quote(" ".join(svg.split()), safe=_SAFE)
        icons.append({"name": shortcode(path), "uri": Markup(uri)})
    if missing:
        raise GeneratorError(f"no such Material icon: {', '.join(missing)}; expected icon paths "
                             "like 'material/github' (see Material's .icons folder)")
    return css_env().get_template("icons.css").render(icons=icons)
