"""MkDocs hook: under `mkdocs serve` only, regenerate build/docs when content/ changes.

The canonical build is `python -m generator build` then `mkdocs build`; this is
a convenience for previews, so under `mkdocs build` it does nothing (and
Material's successor, which runs no hooks, loses nothing).

The generator rewrites the docs folder, which `mkdocs serve` also watches, so
the hook only regenerates when the content files themselves changed since the
last run; otherwise every rebuild would trigger the next one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.paper_index")

_serving = False
_last: tuple[tuple[str, int, int], ...] | None = None


def on_startup(command: str, dirty: bool, **kwargs: Any) -> None:
    global _serving
    _serving = command == "serve"


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for path in sorted(content_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def on_pre_build(config: Any, **kwargs: Any) -> None:
    global _last
    if not _serving:
        return
    from generator.errors import ContentError, GeneratorError
    from generator.site.build import build
    from generator.site.settings import Settings

    root = Path(config.config_file_path).resolve().parent
    content_dir = root / "content"
    fingerprint = _fingerprint(content_dir)
    if fingerprint == _last:
        return
    try:
        log.info(str(build(content_dir, Path(config.docs_dir), Settings.from_config(config))))
    except ContentError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        log.error("content/ has errors; the preview shows the last good build")
    except GeneratorError as exc:
        log.error("generator: %s", exc)
    _last = fingerprint
