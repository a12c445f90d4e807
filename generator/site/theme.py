"""The theme MkDocs reads: the package's Material templates, with the index's own laid over.

The templates, scripts and styles of every page (`generator/theme/`) belong to the
package, so an index gets a fix of the package by upgrading it, not by copying files
around. `build` writes them into mkdocs.yml's `theme.custom_dir` (build/theme, generated
like build/docs), then the files of the index's own `overrides/` folder over them, so a
lab can replace one partial or add its logo without forking the rest. A plain `mkdocs
build`, or Material's successor, then reads an ordinary folder and needs nothing else.

The generator removes what it no longer writes from that folder, so it refuses a folder
it did not create: pointed at hand-written templates, it would delete them.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import GeneratorError
from generator.site.writer import TreeWriter

PACKAGE_THEME = Path(__file__).resolve().parent.parent / "theme"
MARKER = ".generated"
"""Written into the theme folder; a folder that has files but not this one is refused.
A dot file: MkDocs copies no hidden file of a theme into the site."""
MARKER_TEXT = ("Written by `python -m generator build`: the package's theme, with the index's "
               "overrides/ laid over it.\nEdit overrides/, not this folder: every build "
               "rewrites it.\n")


def theme_files(overrides: Path | None) -> dict[str, Path]:
    """Each file of the theme (POSIX path relative to the theme folder) -> its source:
    the package's, replaced or joined by the overrides' (hidden files left out)."""
    files: dict[str, Path] = {}
    for folder in (PACKAGE_THEME, overrides):
        if folder is None:
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                          for part in rel.parts):
                files[rel.as_posix()] = path
    return files


def template_folders(overrides: Path | None) -> list[Path]:
    """The folders whose templates make up the theme, for the icon sheet's scan."""
    return [PACKAGE_THEME] + ([overrides] if overrides is not None else [])


def check_theme_dir(theme_dir: Path, overrides: Path | None) -> None:
    """GeneratorError unless `theme_dir` is a folder `build` may own."""
    hint = ("set `custom_dir: build/theme` under `theme:` in mkdocs.yml (`build` writes the "
            "theme there) and keep your own templates in overrides/")
    if overrides is not None and theme_dir.resolve() == overrides.resolve():
        raise GeneratorError(f"{theme_dir}: mkdocs.yml's theme.custom_dir is the overrides "
                             f"folder, which `build` reads; {hint}")
    if theme_dir.resolve() == PACKAGE_THEME:
        raise GeneratorError(f"{theme_dir}: mkdocs.yml's theme.custom_dir is the package's own "
                             f"theme; {hint}")
    if theme_dir.is_dir() and any(theme_dir.iterdir()) and not (theme_dir / MARKER).is_file():
        raise GeneratorError(f"{theme_dir}: mkdocs.yml's theme.custom_dir holds files that "
                             f"`build` did not write, and it would replace them; {hint}")


def stage_theme(writer: TreeWriter, overrides: Path | None) -> None:
    """Record every theme file, and the marker, in an open writer of the theme folder."""
    for rel, source in theme_files(overrides).items():
        writer.write_bytes(rel, source.read_bytes())
    writer.write(MARKER, MARKER_TEXT)
