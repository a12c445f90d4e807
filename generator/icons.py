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
