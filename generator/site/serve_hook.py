"""MkDocs hook: under `mkdocs serve` only, regenerate build/docs when content/ changes,
and keep the search index fresh.

The canonical build is `python -m generator build`, `mkdocs build`, then
`python -m pagefind`; this is a convenience for previews, so under `mkdocs
build` it does nothing (and Material's successor, which runs no hooks, loses
nothing).

The generator rewrites only the pages whose bytes change, in the docs folder
that `mkdocs serve` also watches, so the hook only regenerates when the content
files themselves changed since the last run; otherwise every rebuild would
trigger the next one. With `mkdocs serve --dirty` (what `make serve` runs),
MkDocs then rebuilds just those pages.

After each build, Pagefind re-indexes the served site in a background thread,
so the page refreshes first and search catches up a few seconds later. A build
that ends while an index is being written queues one more run.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.paper_index")

_serving = False
_last: tuple[tuple[str, int, int], ...] | None = None
_index_lock = threading.Lock()
_indexing = False
"""A thread is running Pagefind (set and cleared under the lock)."""
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


def _index(site_dir: str) -> None:
    """Run Pagefind over the served site, again while builds asked for it meanwhile."""
    global _indexing, _index_again
    while True:
        start = time.perf_counter()
        # Into a new folder, swapped in when complete: Pagefind adds files next to
        # the old ones rather than replacing them, and a search meanwhile still works.
        site = Path(site_dir)
        fresh, old = site / ".pagefind-new", site / ".pagefind-old"
        shutil.rmtree(fresh, ignore_errors=True)
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", site_dir, "--silent",
                                 "--output-path", str(fresh)], capture_output=True, text=True)
        if result.returncode:
            log.error("pagefind failed: %s", (result.stderr or result.stdout).strip())
        else:
            shutil.rmtree(old, ignore_errors=True)
            if (site / "pagefind").exists():
                os.replace(site / "pagefind", old)
            os.replace(fresh, site / "pagefind")
            shutil.rmtree(old, ignore_errors=True)
            log.info("Search index updated in %.1fs", time.perf_counter() - start)
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
