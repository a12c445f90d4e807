"""setuptools commands (pyproject.toml, [tool.setuptools.cmdclass]): the wheel carries the
repository files that `python -m generator init` derives a new index from.

Those files stay where they are (the workflows in .github/, the Makefile, ...): they
are this repository's own and its single source. `sdist` adds them to the source
archive, and `build_py` copies them into the package (generator/starter/repo/), so a
wheel built from a checkout or from the archive holds them. An editable install
reads them from the checkout instead (generator/starter/derive.py).
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
_LIST = runpy.run_path(str(ROOT / "generator" / "starter" / "repo_files.py"))
REPO_FILES: tuple[str, ...] = _LIST["REPO_FILES"]
BUNDLE = Path("generator") / "starter" / _LIST["BUNDLE"]


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in REPO_FILES:
            target = Path(self.build_lib) / BUNDLE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, target)


class Sdist(sdist):
    def make_distribution(self) -> None:
        # After egg_info made the file list (it knows only the package and pyproject's
        # files), so that a wheel built from the archive finds these too.
        self.filelist.extend(["build_hooks.py", *REPO_FILES])
        super().make_distribution()
