"""Material icon names: one rule for topics.yml, the topic cards and the badges.

A topic's `icon` is a Material shortcode name (`material-magnify`), which the
Markdown pages write as `:material-magnify:`; a badge's icon is a path
(`material/github`) that the theme's templates include as an SVG file. Both
name a file in Material's bundled icon sets.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ICON_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
"""A shortcode name: the icon set, a hyphen, the icon (`material-magnify`)."""
_SETS = ("fontawesome/brands", "fontawesome/regular", "fontawesome/solid", "material",
         "octicons", "simple")


@cache
def _icons_dir() -> Path | None:
    try:
        import material
    except ImportError:  # pragma: no cover - Material is a dependency
        return None
    return Path(material.__file__).resolve().parent / "templates" / ".icons"


def icon_path(name: str) -> str | None:
    """The icon file of a shortcode name, relative to the icon folder: `material/magnify`."""
    for icon_set in _SETS:
        prefix = icon_set.replace("/", "-") + "-"
        if name.startswith(prefix):
            return f"{icon_set}/{name[len(prefix):]}"
    return None


def shortcode(path: str) -> str:
    """`material/github` -> `material-github`, for `:material-github:` in Markdown."""
    return path.replace("/", "-")


def icon_exists(name: str) -> bool:
    """True when `name` is a shortcode of an icon that Material ships."""
    folder, path = _icons_dir(), icon_path(name)
    if folder is None:
        return bool(ICON_NAME.fullmatch(name))
    return path is not None and (folder / f"{path}.svg").is_file()


ICON_LITERAL = re.compile(
    r"""["'](?P<path>(?:material|octicons|simple|fontawesome/(?:brands|regular|solid))/[a-z0-9-]+)["']""")
"""A quoted icon path in a template (`icon("material/github")`, `or "material/menu"`)."""


def icon_svg(path: str) -> str | None:
    """The SVG source of a Material icon path (`material/github`), or None if there is none."""
    folder = _icons_dir()
    if folder is None or not ICON_LITERAL.fullmatch(f'"{path}"'):
        return None
    file = folder / f"{path}.svg"
    return file.read_text(encoding="utf-8") if file.is_file() else None


def icons_in_templates(folders: list[Path]) -> set[str]:
    """Every icon path quoted in the templates and scripts under `folders` (or in a
    template named itself), so a template that names an icon gets it in the icon
    stylesheet without a second list to update."""
    found: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.suffix in (".html", ".md", ".js") and path.is_file():
                found |= {m.group("path") for m in ICON_LITERAL.finditer(path.read_text(encoding="utf-8"))}
    return found
