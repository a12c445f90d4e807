"""The `paper-index` MkDocs plugin: under `mkdocs serve`, regenerate when content/ changes,
keep the search index fresh, and show content errors in the browser.

The canonical build is `python -m generator build`, `mkdocs build`, then the search
indexer; this is a convenience for previews, so under `mkdocs build` it does nothing
(and Material's successor, which ignores plugins it does not know, loses nothing). Its
options are the generator's settings that mkdocs.yml holds (Settings.from_config).

The generator rewrites only the pages whose bytes change, in the docs folder that
`mkdocs serve` also watches, so the plugin only regenerates when the content files
themselves changed since the last run; otherwise every rebuild would trigger the next
one. With `mkdocs serve --dirty` (what `make serve` runs), MkDocs then rebuilds just
those pages.

While content/ has errors, the generator writes nothing and the served pages would be
the last good ones; so every page the server is asked for is replaced by an error page
that lists each problem, as Hugo's and Vite's servers do. MkDocs' reload script is on
it, so the real page comes back by itself once the file is fixed.

Under `--dirty`, a rebuild leaves out the pages outside the nav that did not change
(`on_files`): MkDocs would skip them anyway, but only after making a Page of each.

After each regeneration, the search index of the served site is brought up to date in a
separate Python process, from the records the generator just wrote into the docs folder,
while MkDocs builds the pages (after the first build, which cleans the site folder). The
served index is cut into small bundles (`search_bundle_papers`) and only the bundles whose
records changed are indexed again (search_index.update_search_index): an edit to one
paper's text re-indexes one bundle. A regeneration while an index is being written queues
one more run.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files, InclusionLevel

from generator import warm
from generator.errors import ContentError, GeneratorError, Problem

log = logging.getLogger("mkdocs.plugins.paper_index")


class PaperIndexConfig(base.Config):
    """The plugin's options in mkdocs.yml; relative folders are relative to mkdocs.yml."""

    content = c.Dir(exists=False, default="content")
    """The content folder `mkdocs serve` watches and regenerates from."""
    overrides = c.Dir(exists=False, default="overrides")
    """The index's own theme files, laid over the package's theme (generator/site/theme.py)."""
    intro = c.Optional(c.Type(str))
    """The home page's opening paragraph; default: `site_description`."""
    search_bundle_papers = c.Type(int, default=500)
    """Under `mkdocs serve`: papers per bundle of the served search index, which an edit
    indexes again (the built site's bundles are search_index.BUNDLE_PAPERS). At 10,000
    papers an edit's bundle of 500 was in the index 0.3 s sooner than one of 1,000, and
    one of 250 only 0.1 s sooner again, for twice the bundles a search merges."""


def reindex(docs_dir: Path, site_dir: str, bundle_papers: int) -> None:
    """Bring the search index of `site_dir` up to date with the records the generator wrote
    into `docs_dir`, indexing again only the bundles that changed. It writes into a new
    folder swapped in when complete, so a search meanwhile still works; on a failure the
    last good index stays. Run in a process of its own (search_index.update_served), with
    this process's generator package."""
    import json
    import subprocess
    import sys

    import generator

    root = str(Path(generator.__file__).resolve().parent.parent)
    child = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from generator.site.search_index import update_served; update_served(*sys.argv[2:])")
    done = subprocess.run([sys.executable, "-c", child, root, str(docs_dir), site_dir, str(bundle_papers)],
                          capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = {}
    if done.returncode != 0 or "error" in report:
        log.error("search index: %s", report.get("error") or done.stderr.strip()
                  or f"the indexer exited with {done.returncode}")
        return
    log.info("Search index updated in %.1fs (%d of %d bundles indexed)", report["seconds"],
             report["indexed"], report["bundles"])


class _QuietLinks(logging.Filter):
    """Drops MkDocs' note on each link to a page `PaperIndexPlugin.on_files` left out of a
    rebuild (hundreds on a topic page): such a page is still served, as last built."""

    _LINK = re.compile(r"contains a link to '(.*)' which is excluded from the built site\.$")

    def __init__(self) -> None:
        super().__init__()
        self.left_out: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        found = self._LINK.search(record.getMessage()) if self.left_out else None
        return found is None or found[1] not in self.left_out


def _nav_pages(nav: Any) -> set[str]:
    """The pages `nav` in mkdocs.yml names (they may also match `not_in_nav`)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return set().union(*map(_nav_pages, items))


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Each file under `content_dir`: (path, mtime, size), by path. os.scandir, not rglob:
    0.04 s rather than 0.14 s at 10,000 papers, on every build."""
    entries = []
    folders = [str(content_dir)]
    while folders:
        try:
            with os.scandir(folders.pop()) as found:
                for entry in found:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file():
                        stat = entry.stat()
                        entries.append((entry.path, stat.st_mtime_ns, stat.st_size))
        except OSError:  # as rglob: a folder gone or unreadable has no files (the build says why)
            continue
    return tuple(sorted(entries))


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when inside it: problems then name their
    files as `check` run there does."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def error_page(problems: Iterable[Problem | str], site_name: str) -> str:
    """The page shown instead of every page while content/ has errors."""
    from generator.site.templating import html_env

    lines = [str(p) for p in problems]
    return html_env().get_template("serve_error.html").render(problems=lines, site_name=site_name)


def _notified(server: Any) -> None:
    """The server's watches moved to the system's file notifications (inotify; watchdog's
    `Observer`, which falls back to polling where there are none). MkDocs polls every
    watched file each half second: an edit waited 0.5 s to be seen, and the 10,000 paper
    files of a large content folder were stat-ed twice a second between edits. Uses the
    server's `observer`, `_watched_paths` and `_watch_refs` (MkDocs 1.6, pinned), before
    it starts the observer. Only changes count: a notifier also reports each file opened
    and read, and every build reads mkdocs.yml, which would start the next build."""
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent,
               events.FileDeletedEvent, events.FileClosedEvent]

    class Changes(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
            return super().schedule(handler, path, **{**options, "event_filter": changes})

    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = Changes()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)


class PaperIndexPlugin(BasePlugin[PaperIndexConfig]):
    """Kept across the builds of one `mkdocs serve` (it has `on_startup`)."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.last: tuple[tuple[str, int, int], ...] | None = None
        """The content folder's fingerprint at the last regeneration."""
        self.indexed: tuple[tuple[str, int, int], ...] | None = None
        """The fingerprint the search index was last asked for."""
        self.problems: list[str] = []
        """What the last regeneration failed on, one line each; empty when it worked."""
        self.site_name = ""
        self._lock = threading.Lock()
        self._indexing = False
        """A thread is rebuilding the search index (set and cleared under the lock)."""
        self._index_again: str | None = None
        """The site folder to index once more when that thread is done."""
        self._related_ready = False
        """numpy and scipy are imported (`generator.site.related`), for the forked processes."""
        self._quiet = _QuietLinks()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving:
            warm.keep_between_builds()
        if self.serving and dirty:
            logging.getLogger("mkdocs.structure.pages").addFilter(self._quiet)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.structure.pages").removeFilter(self._quiet)

    def on_pre_build(self, *, config: Any) -> None:
        if not self.serving:
            return
        from generator.site.build import build
        from generator.site.settings import Settings

        content_dir = _shown(Path(self.config.content))
        fingerprint = _fingerprint(content_dir)
        if fingerprint == self.last:
            return
        self.last = fingerprint
        self.site_name = config["site_name"]
        try:
            log.info(str(build(content_dir, Path(config.docs_dir), Settings.from_config(config))))
        except ContentError as exc:
            self.problems = [str(p) for p in exc.problems]
            for problem in self.problems:
                log.error(problem)
            log.error("content/ has errors: the preview shows them until they are fixed")
            return
        except GeneratorError as exc:
            self.problems = [f"generator: {exc}"]
            log.error(self.problems[0])
            return
        self.problems = []
        if self.dirty and (Path(config.site_dir) / "pagefind").is_dir():
            # MkDocs keeps the site folder of a dirty build: index while it builds the pages.
            self._start_index(config)
        if not self._related_ready:
            # Related papers are computed after each edit, here or in a forked process:
            # with numpy and scipy already here, neither imports them again each time.
            import generator.site.related  # noqa: F401

            self._related_ready = True

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Under `--dirty`, leave out of the build every page outside the nav that MkDocs
        would not rebuild (its HTML is newer than its Markdown): MkDocs still made a Page of
        each, which at 10,000 papers was a third of a rebuild's time. They stay served as
        last built, and links to them are made as before. The first build, into an empty
        site folder, leaves none out."""
        if not (self.serving and self.dirty):
            return files
        left_out = set()
        pages = files.documentation_pages()
        in_nav = _nav_pages(config["nav"])
        for file in pages:
            if (file.inclusion == InclusionLevel.NOT_IN_NAV and file.src_uri not in in_nav
                    and not file.is_modified()):
                file.inclusion = InclusionLevel.EXCLUDED
                left_out.add(file.src_uri)
        self._quiet.left_out = left_out
        if left_out:
            log.info("Leaving out of this build the %d of %d pages that did not change",
                     len(left_out), len(pages))
        return files

    def on_serve(self, server: Any, *, config: Any, builder: Callable[..., Any]) -> Any:
        """Watch the content folder instead of the docs folder, and answer page requests
        with the error page while the content has errors."""
        server.watch(self.config.content)
        # The docs folder is the generator's output, written at the start of the build that
        # uses it: watched, every regeneration would be followed by a second, idle build.
        server.unwatch(config.docs_dir)
        _notified(server)
        server.set_app(self._error_app(server, server.get_app()))
        return server

    def _error_app(self, server: Any, app: Callable[..., Any]) -> Callable[..., Any]:
        """A WSGI app in front of MkDocs' own. It uses MkDocs 1.6's server internals (the
        build epoch and the reload script's injection), pinned in pyproject.toml; the
        serve tests fail if they change."""

        def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            page = path.startswith(server.mount_path) and path.endswith(("/", ".html"))
            if not page:
                return app(environ, start_response)
            with server._epoch_cond:  # as MkDocs does: never answer from a half-built site
                server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
                epoch = server._visible_epoch
            problems = self.problems
            if not problems:
                return app(environ, start_response)
            body = server._inject_js_into_html(
                error_page(problems, self.site_name).encode("utf-8"), epoch)
            start_response("500 Internal Server Error",
                           [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Length", str(len(body)))])
            return [body]

        return serve

    def on_post_build(self, *, config: Any) -> None:
        # Each regeneration writes pages that MkDocs then rebuilds once more: under --dirty
        # that second build keeps the site's index, which is already of this content.
        if not self.serving or self.problems or (self.dirty and self.indexed == self.last):
            return
        self._start_index(config)

    def _start_index(self, config: Any) -> None:
        self.indexed = self.last
        with self._lock:
            if self._indexing:
                self._index_again = config.site_dir
                return
            self._indexing = True
        threading.Thread(target=self._index, args=(Path(config.docs_dir), config.site_dir),
                         daemon=True).start()

    def _index(self, docs_dir: Path, site_dir: str) -> None:
        """Index the served site, again while builds asked for it meanwhile."""
        while True:
            reindex(docs_dir, site_dir, self.config.search_bundle_papers)
            with self._lock:
                if self._index_again is None:
                    self._indexing = False
                    return
                site_dir, self._index_again = self._index_again, None
