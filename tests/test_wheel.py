"""The built wheel is enough to build the site: its templates (package data) ship.

The wheel is built from a copy of the sources, installed with the runtime
dependencies pinned in requirements.lock into a fresh virtual environment
(no system site-packages, no PYTHONPATH), and that environment's
`python -m generator build` and `python -m mkdocs build --strict` turn a copy of
content/ and mkdocs.yml into the site; the installed templates must be the
checkout's, byte for byte. A package without its templates, or a dependency
missing from pyproject.toml, fails here and nowhere else.

The wheels come from a wheelhouse kept between runs (downloaded once with the
machine's pip configuration), so later runs install offline.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers import CONTENT, ROOT

pytestmark = pytest.mark.xdist_group("wheel")

HAT = "hat-hybrid-attention-transformer-for-image-restoration"


def run(*args: str | Path, cwd: Path = ROOT) -> str:
    """A command with a clean environment: no PYTHONPATH leading back to the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            env={**env, "NO_MKDOCS_2_WARNING": "1"}, timeout=900)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def runtime_requirements() -> list[str]:
    """The requirements.lock lines of the runtime dependencies: those pyproject.toml
    declares, and theirs, found through the installed distributions' metadata."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            pins[canonicalize_name(line.split("==")[0])] = line.strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    needed: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if (req.marker and not req.marker.evaluate({"extra": ""})) or name in needed:
            continue
        needed.add(name)
        todo += [Requirement(r) for r in distribution(name).requires or ()]
    assert needed <= set(pins), f"runtime dependencies not pinned in requirements.lock: {needed - set(pins)}"
    return [pins[name] for name in sorted(needed)]


def wheelhouse(pins: list[str]) -> Path:
    """Wheels of `pins` and of the build backend, downloaded once per set of pins."""
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    key = hashlib.sha256("\n".join([sys.version, *pins, *backend]).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paper-index-tests"
    folder = cache / f"wheels-{key}"
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".wheels-{key}.{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--dest", partial, *pins)
        run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", partial,
            *backend)
        os.replace(partial, folder)
    return folder


def test_the_wheel_builds_the_site(fast_tmp: Path) -> None:
    pins = runtime_requirements()
    wheels = wheelhouse(pins)
    offline = ("--no-index", "--find-links", wheels)
    pip = (sys.executable, "-m", "pip")

    source = fast_tmp / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    run(*pip, "wheel", "--quiet", "--no-deps", *offline, "--wheel-dir", fast_tmp / "dist", source)
    (wheel,) = (fast_tmp / "dist").glob("paper_index-*.whl")

    venv = fast_tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(*pip, "--python", python, "install", "--quiet", "--no-deps", "--no-compile", *offline, *pins, wheel)
    assert run(*pip, "--python", python, "check").startswith("No broken requirements found.")

    project = fast_tmp / "project"
    shutil.copytree(CONTENT, project / "content")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    installed = Path(run(python, "-c", "import generator.site.serve_hook as m; print(m.__file__)",
                         cwd=project).strip())
    assert installed.is_relative_to(venv), f"the generator came from {installed}, not the wheel"
    # Every template, byte for byte: the package data shipped whole.
    templates = ROOT / "generator" / "site" / "templates"
    shipped = installed.parent / "templates"
    assert {p.name: p.read_bytes() for p in shipped.iterdir()} == {p.name: p.read_bytes() for p in templates.iterdir()}
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, hooks = re.subn(r"^(\s+- )generator/site/serve_hook\.py$", rf"\g<1>{installed}", config, flags=re.M)
    assert hooks == 1, "mkdocs.yml no longer names generator/site/serve_hook.py"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")

    papers = len(list((CONTENT / "papers").iterdir()))
    built = run(python, "-m", "generator", "build", cwd=project)
    assert re.match(rf"Built \d+ pages \({papers} papers, ", built), built
    run(python, "-m", "mkdocs", "build", "--strict", cwd=project)

    page = (project / "site" / "papers" / HAT / "index.html").read_text(encoding="utf-8")
    assert "HAT: Hybrid Attention Transformer for Image Restoration" in page
    assert (project / "site" / "feed.xml").is_file()
