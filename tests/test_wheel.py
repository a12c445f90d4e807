"""The built wheel is enough to build the site: its templates (package data) ship.

The wheel is built from a copy of the sources (`python -m build`), installed
with the hash-checked runtime lock (requirements/runtime.txt) into a fresh
virtual environment (no system site-packages, no PYTHONPATH), and that
environment's `python -m generator build` and `python -m mkdocs build --strict`
turn a copy of content/ and mkdocs.yml into the site; the installed templates
must be the checkout's, byte for byte. A package without its templates, or a
runtime lock that misses a dependency (`pip check`), fails here and nowhere else.

The wheels come from a wheelhouse kept between runs (downloaded once with the
machine's pip configuration, hashes checked), so later runs install offline.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from helpers import CONTENT, ROOT

pytestmark = pytest.mark.xdist_group("wheel")

RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """A command with a clean environment: no PYTHONPATH leading back to the checkout."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            env={**clean, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, timeout=900)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def wheelhouse() -> Path:
    """The runtime lock's wheels and the build backend's, downloaded once per lock."""
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    key = hashlib.sha256(b"\n".join([sys.version.encode(), RUNTIME_LOCK.read_bytes(), *map(str.encode, backend)]))
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paper-index-tests"
    folder = cache / f"wheels-{key.hexdigest()[:16]}"
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".wheels-{key.hexdigest()[:16]}.{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        pip_download = (sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "--dest", partial)
        run(*pip_download, "--no-deps", "--require-hashes", "-r", RUNTIME_LOCK)
        run(*pip_download, *backend)
        os.replace(partial, folder)
        for stale in cache.glob("wheels-*"):  # a lock that changed since
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
    return folder


def test_the_wheel_builds_the_site(fast_tmp: Path) -> None:
    wheels = wheelhouse()
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)}
    pip = (sys.executable, "-m", "pip")

    source = fast_tmp / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "build", "--wheel", "--outdir", fast_tmp / "dist", source, env=offline)
    (wheel,) = (fast_tmp / "dist").glob("paper_index-*.whl")

    venv = fast_tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    install = (*pip, "--python", python, "install", "--quiet", "--no-compile", "--only-binary", ":all:")
    run(*install, "--require-hashes", "-r", RUNTIME_LOCK, env=offline)
    run(*install, "--no-deps", wheel, env=offline)
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

    first = min((CONTENT / "papers").glob("*.yml"))
    page = (project / "site" / "papers" / first.stem / "index.html").read_text(encoding="utf-8")
    assert yaml.safe_load(first.read_text(encoding="utf-8"))["title"] in html.unescape(page)
    assert (project / "site" / "feed.xml").is_file()
