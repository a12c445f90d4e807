"""Write a generated tree in place, touching only what changed, or not at all.

A build writes a file only when its bytes differ from what is already there,
and removes the files that no longer have a source. Unchanged pages keep their
modification time, so `mkdocs serve --dirty` rebuilds just the pages an edit
affected, and a 50,000-page build does not rewrite 50,000 files.

All or nothing, as before: new and changed files are first written into a
staging folder next to the output; `commit()` moves them into place and removes
the stale files only after every page was rendered. Leaving the `with` block
by an exception removes the staging folder and leaves the output as it was.

Like Pelican's writer, it refuses to write one path twice (two pages claiming
one URL would silently lose one) and refuses paths that escape the output
folder (a slug is data).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import GeneratorError
from generator.store.digest import file_sha256


class OutputError(GeneratorError):
    """A page could not be written where it was asked to go."""


@dataclass(frozen=True)
class WriteReport:
    """What a commit did to the output folder."""

    written: int
    """Files the build produced."""
    changed: int
    """Of those, files that were new or whose bytes changed."""
    removed: int
    """Files that were in the folder and no longer have a source."""


def _existing(root: Path) -> dict[str, int]:
    """Every file under root as POSIX relative path -> size, in one walk."""
    found: dict[str, int] = {}
    if not root.is_dir():
        return found
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), rel + "/"))
                else:
                    found[rel] = entry.stat(follow_symlinks=False).st_size
    return found


class TreeWriter:
    """Collects the files of one build; `commit()` applies the difference to the folder.

    Use as a context manager: leaving the block with an exception removes the
    staging folder and leaves the previous output untouched.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: dict[str, str] = {}
        """Lower-cased path -> path as given, for every file of this build."""
        self._staged: list[str] = []
        self._existing: dict[str, int] = {}
        self._stage: Path | None = None
        self._safe_dirs: set[str] = set()
        """Folders (relative) already known to resolve inside the output folder."""

    def __enter__(self) -> TreeWriter:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._existing = _existing(self.out_dir)
        self._stage = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.", dir=self.out_dir.parent))
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._stage is not None and self._stage.exists():
            shutil.rmtree(self._stage)
        self._stage = None

    def _check(self, rel: str) -> None:
        """OutputError if `rel` is unsafe (cf. Pelican's sanitised_join) or already written."""
        if self._stage is None:
            raise OutputError("the writer is not open; use it as a context manager")
        # Strings, not a PurePosixPath: 10,000 pages at 10,000 papers. An empty part is
        # also what a leading "/" (an absolute path) gives.
        if not rel or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
            raise OutputError(f"refusing to write {rel!r}: it is not a plain relative path inside {self.out_dir}")
        # With no "..", only a symlinked folder could lead outside: resolve each folder
        # once (the file itself is replaced by a rename, which never follows a link).
        folder = rel.rpartition("/")[0] or "."
        if folder not in self._safe_dirs:
            if not (self.out_dir / folder).resolve().is_relative_to(self.out_dir.resolve()):
                raise OutputError(f"refusing to write {rel!r}: it escapes {self.out_dir}")
            self._safe_dirs.add(folder)
        key = rel.lower()  # case-insensitive file systems would merge these two
        if key in self.written:
            raise OutputError(f"refusing to write {rel!r} twice: two pages claim the same output path")
        self.written[key] = rel

    def write(self, rel: str, text: str) -> bool:
        """Record `text` at `rel` (a POSIX path relative to the output folder); stage it
        only if the folder does not already hold exactly these bytes. True if staged."""
        return self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> bool:
        """`write` for a file that need not be text (an image of a theme)."""
        self._check(rel)
        size = self._existing.get(rel)
        if size == len(data) and (self.out_dir / rel).read_bytes() == data:
            return False
        assert self._stage is not None
        target = self._stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self._staged.append(rel)
        return True

    def recorded(self, since: int = 0) -> list[tuple[str, bool]]:
        """The files recorded so far (from the `since`-th on), as (path, staged), in order:
        what a forked copy of this writer sends back to be adopted."""
        staged = set(self._staged)
        return [(rel, rel in staged) for rel in list(self.written.values())[since:]]

    def adopt(self, rel: str, staged: bool) -> None:
        """Record a file that a forked copy of this writer wrote into the same staging
        folder (`staged`) or found unchanged: the copy's records stayed in its process."""
        self._check(rel)
        if staged:
            self._staged.append(rel)

    def keep(self, rel: str, sha256: str) -> bool:
        """Record `rel` as written, unchanged, if the folder holds a file there whose
        SHA-256 is `sha256` (what the build's memo says it wrote); else record nothing."""
        if rel not in self._existing or rel.lower() in self.written:
            return False
        try:
            held = file_sha256(self.out_dir / rel)
        except OSError:
            return False
        if held != sha256:
            return False
        self._check(rel)
        return True

    def copy(self, rel: str, source: Path) -> None:
        """Record a copy of an existing file."""
        self.write(rel, source.read_text(encoding="utf-8"))

    def commit(self) -> WriteReport:
        """Move the staged files into place, then remove the files no page claimed.

        Each file is replaced atomically (os.replace), so a reader of the folder,
        such as `mkdocs serve`, sees either the old or the new version of a page.
        """
        if self._stage is None:
            raise OutputError("nothing to commit")
        if not self._existing and not (self.out_dir.is_dir() and any(self.out_dir.iterdir())):
            # A first build: the staging folder is the whole tree, moved in one rename.
            if self.out_dir.is_dir():
                self.out_dir.rmdir()
            os.chmod(self._stage, 0o755)
            os.replace(self._stage, self.out_dir)
            self._stage = None
            return WriteReport(written=len(self.written), changed=len(self._staged), removed=0)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for rel in self._staged:
            target = self.out_dir / rel
            if target.is_dir():  # a folder where a file now goes: it has no source left
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._stage / rel, target)
        claimed = set(self.written.values())
        stale = [rel for rel in self._existing if rel not in claimed]
        for rel in stale:
            (self.out_dir / rel).unlink(missing_ok=True)
        for folder in sorted({str(PurePosixPath(rel).parent) for rel in stale}, key=len, reverse=True):
            path = self.out_dir / folder
            while folder not in ("", ".") and path.is_dir() and not any(path.iterdir()):
                path.rmdir()
                folder = str(PurePosixPath(folder).parent)
                path = self.out_dir / folder
        shutil.rmtree(self._stage)
        self._stage = None
        return WriteReport(written=len(self.written), changed=len(self._staged), removed=len(stale))
