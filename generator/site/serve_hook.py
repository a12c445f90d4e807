"""MkDocs hook: under `mkdocs serve` only, regenerate build/docs when content/ changes,
and keep the search index fresh.

The canonical build is `python -m generator build`, `mkdocs build`, then
`python -m generator index`; this is a convenience for previews, so under `mkdocs
build` it does nothing (and Material's successor, which runs no hooks, loses
nothing).

The generator rewrites only the pages whose bytes change, in the docs folder
that `mkdocs serve` also watches, so the hook only regenerates when the content
files themselves changed since the last run; otherwise every rebuild would
trigger the next one. With `mkdocs serve --dirty` (what `make serve` runs),
MkDocs then rebuilds just those pages.

After each build, the search index is rebuilt from the catalog (generator/site/
search_index.py) in a background thread,
so the page refreshes first and search catches up a few seconds later. A build
that ends while an index is being written queues one more run.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.paper_index")

_serving = False
_content = Path("content")
"""The content folder the serve hook builds from (set from mkdocs.yml's folder)."""
_last: tuple[tuple[str, int, int], ...] | None = None
_index_lock = threading.Lock()
_indexing = False
"""A thread is rebuilding the search index (set and cleared under the lock)."""
_index_again: str | None = None
"""The site folder to index once more when that thread is done."""


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
    global _last, _content
    if not _serving:
        return
    from generator.errors import ContentError, GeneratorError
    from generator.site.build import build
    from generator.site.settings import Settings

    root = Path(config.config_file_path).resolve().parent
    content_dir = _content = root / "content"
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


def _index(site_dir: str) -> None:
    """Rebuild the served site's search index, again while builds asked for it meanwhile."""
    global _indexing, _index_again
    while True:
        start = time.perf_counter()
        # From the catalog, into a new folder swapped in when complete (a search meanwhile
        # still works); on a failure the last good index stays.
        from generator.errors import ContentError, GeneratorError
        from generator.site.search_index import index_site

        try:
            index_site(_content, Path(site_dir))
            log.info("Search index updated in %.1fs", time.perf_counter() - start)
        except ContentError:
            log.error("content/ has errors; search keeps the last good index")
        except GeneratorError as exc:
            log.error("search index: %s", exc)
        with _index_lock:
            if _index_again is None:
                _indexing = False
                return
            site_dir, _index_again = _index_again, None


def on_post_build(config: Any, **kwargs: Any) -> None:
    global _indexing, _index_again
    if not _serving:
        return
    with _index_lock:
        if _indexing:
            _index_again = config.site_dir
            return
        _indexing = True
    threading.Thread(target=_index, args=(config.site_dir,), daemon=True).start()
