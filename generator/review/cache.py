"""The review remembers: what each paper file parsed to and what its checks found, keyed
by the file's bytes, so a build or `check` after editing one paper re-reads only that one.

An entry is valid only for the exact bytes of its file (SHA-256), its display path (the
problems name it), whether the check of each paper's topics ran, and a context digest: the
generator's own source code, topics.yml and the content's schema. Any change to those
drops every entry. The file is JSON (never pickle: a cache restored in CI must not run
code), written atomically; one that fails to read, or reads as anything unexpected, is
ignored and rebuilt. So a stale or corrupt cache can cost time, never change a result.
It also keeps each paper file's settled status with its SHA-256 (`store.digest`): the
next process then reads again only the files whose status changed.
The checks across files (duplicates, redirects, unused topics) always run on the whole
catalog; they are not cached.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from generator import warm
from generator.errors import Problem, Severity
from generator.store import cachejson
from generator.store.atomic import write_atomic
from generator.store import digest as file_digests
from generator.store.digest import file_sha256, file_status

def cache_folder(content_dir: Path) -> Path:
    """`.cache/generator/` beside the content folder (git-ignored, like `.cache/enrich`)."""
    return Path(content_dir).resolve().parent / ".cache" / "generator"
FORMAT = 1


@functools.cache
def code_digest() -> str:
    """A digest of the generator's source: a changed check is a new cache."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md", ".html", ".xml", ".svg", ".css", ".json"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, None if it cannot be read."""
    try:
        return file_sha256(path)
    except OSError:
        return None


def context_digest(content_dir: Path, *inputs: Path) -> str:
    """The digest every entry depends on: the code, the given files (topics.yml, schema)."""
    digest = hashlib.sha256(f"{FORMAT}\0{code_digest()}".encode())
    for path in inputs:
        digest.update(b"\0" + str(file_digest(content_dir / path)).encode())
    return digest.hexdigest()


class ReviewCache:
    """Entries of one content folder; `get` and `put` by file, `save` writes what was used."""

    def __init__(self, folder: Path, content_dir: Path, context: str, provenance: bool) -> None:
        where = hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:16]
        self.path = folder / f"review-{where}.json"
        self.context = context
        self.flag = "provenance" if provenance else "plain"
        self.entries: dict[str, dict[str, Any]] = {"provenance": {}, "plain": {}}
        self.used: dict[str, Any] = {}
        self.changed = False
        self.statuses: dict[str, Any] = {}
        """The files' statuses and digests as loaded (name -> [status, sha])."""
        self._load()

    def _load(self) -> None:
        try:
            # Under `make serve`, read once: what this process last saved stays in memory.
            stored = warm.remember(("review cache", self.path), _status(self.path),
                                   lambda: json.loads(self.path.read_text(encoding="utf-8")))
            if stored["context"] == self.context and stored["format"] == FORMAT:
                self.entries = {flag: dict(stored["entries"][flag]) for flag in ("provenance", "plain")}
                self.statuses = dict(stored.get("statuses", {}))
        except Exception:  # unreadable, partly written, another shape: start afresh
            self.entries = {"provenance": {}, "plain": {}}
        for name, known in list(self.statuses.items()):
            try:
                status, sha = known
                file_digests.remember(name, status, sha)
            except (TypeError, ValueError):
                del self.statuses[name]

    def get(self, key: str | None) -> tuple[Any, list[Problem]] | None:
        """(data, problems) stored for this key, or None."""
        entry = self.entries[self.flag].get(key) if key else None
        if entry is None:
            return None
        try:
            data, raw = entry
            problems = [Problem(str(p), int(line), int(col), Severity(sev), str(msg))
                        for p, line, col, sev, msg in raw]
        except (TypeError, ValueError):
            return None
        self.used[key] = entry  # type: ignore[index]
        return data, problems

    def put(self, key: str | None, data: Any, problems: list[Problem]) -> None:
        if key is None:
            return
        entry = [data, [[p.path, p.line, p.col, str(p.severity), p.message] for p in problems]]
        try:
            if not cachejson.encodes_as_is(entry):  # a value JSON would change (an int key)
                return
        except RecursionError:
            return
        self.used[key] = entry
        self.changed = True

    def save(self, files: list[Path]) -> None:
        """Keep this run's entries (and the other flag's) and the statuses of `files`,
        atomically; errors are ignored: a cache that cannot be written is only a slower
        next run."""
        statuses = {name: [list(status), sha] for name, (status, sha)
                    in file_digests.remembered([str(f) for f in files]).items()}
        if not self.changed and len(self.used) == len(self.entries[self.flag]) \
                and statuses == self.statuses:
            return
        self.entries[self.flag] = self.used
        stored = {"format": FORMAT, "context": self.context, "entries": self.entries,
                  "statuses": statuses}
        try:  # one C call to encode, then store.atomic's temporary-and-rename
            write_atomic({self.path: cachejson.dumps(stored)})
            warm.remember(("review cache", self.path), _status(self.path), lambda: stored)
        except OSError:
            pass


def _status(path: Path) -> tuple[int, ...]:
    """The cache file's status (store.digest), () when it is not there."""
    try:
        return file_status(path)
    except OSError:
        return ()
