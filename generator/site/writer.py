"""Write a generated tree all at once, or not at all.

Pages are written into a temporary sibling of the output folder, which replaces
the old output only when every page was written. Like Pelican's writer, it
refuses to write one path twice (two pages claiming one URL would silently
lose one) and refuses paths that escape the output folder (a slug is data).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator.errors import GeneratorError


class OutputError(GeneratorError):
    """A page could not be written where it was asked to go."""


class TreeWriter:
    """Collects files under a staging folder; `commit()` swaps it into place.

    Use as a context manager: leaving the block with an exception removes the
    staging folder and leaves the previous output untouched.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: dict[str, Path] = {}
        self._stage: Path | None = None

    def __enter__(self) -> TreeWriter:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._stage = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.", dir=self.out_dir.parent))
        os.chmod(self._stage, 0o755)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._stage is not None and self._stage.exists():
            shutil.rmtree(self._stage)
        self._stage = None

    def _target(self, rel: str) -> Path:
        """The staged path for `rel`, or OutputError if it is unsafe (cf. sanitised_join)."""
        if self._stage is None:
            raise OutputError("the writer is not open; use it as a context manager")
        pure = PurePosixPath(rel)
        if not rel or pure.is_absolute() or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
            raise OutputError(f"refusing to write {rel!r}: it is not a plain relative path inside {self.out_dir}")
        target = (self._stage / pure).resolve()
        if not target.is_relative_to(self._stage.resolve()):
            raise OutputError(f"refusing to write {rel!r}: it escapes {self.out_dir}")
        return target

    def write(self, rel: str, text: str) -> None:
        """Stage `text` at `rel` (a POSIX path relative to the output folder)."""
        target = self._target(rel)
        key = rel.lower()  # case-insensitive file systems would merge these two
        if key in self.written:
            raise OutputError(f"refusing to write {rel!r} twice: two pages claim the same output path")
        self.written[key] = target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")

    def copy(self, rel: str, source: Path) -> None:
        """Stage a copy of an existing file."""
        self.write(rel, source.read_text(encoding="utf-8"))

    def commit(self) -> None:
        """Replace the output folder with the staged tree.

        The old folder is renamed aside first, so at every instant either the
        old or the new complete tree is in place.
        """
        if self._stage is None:
            raise OutputError("nothing to commit")
        old = None
        if self.out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old.", dir=self.out_dir.parent))
            os.replace(self.out_dir, old / "tree")
        os.replace(self._stage, self.out_dir)
        self._stage = None
        if old is not None:
            shutil.rmtree(old)
