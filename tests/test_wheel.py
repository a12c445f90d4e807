"""The built wheel is enough to build this site, and to start a new index from nothing.

The source archive and the wheel are built from a copy of the sources (`python -m
build`: the wheel from the archive, as PyPI users get it), checked by `twine check`,
and the wheel is installed with the hash-checked runtime lock (requirements/runtime.txt)
into a fresh virtual environment (no system site-packages, no PYTHONPATH). There:
- `python -m generator build` and `python -m mkdocs build --strict` turn a copy of
  content/ and mkdocs.yml into the site; the installed templates must be the
  checkout's, byte for byte;
- `python -m generator init` makes a new index in an empty folder, an import of a seed
  listing gives it papers, and `generator build`, `mkdocs build --strict` and `generator
  index` make its site, which has the new name and whose search works in Chromium;
  `mkdocs serve` there regenerates a page and the search index through the plugin.
A package without its templates, or a runtime lock that misses a dependency (`pip
check`), fails here and nowhere else.

The wheels come from a wheelhouse kept between runs (downloaded once with the
machine's pip configuration, hashes checked), so later runs install offline.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from chromium import chromium, serve
from generator import __version__
from generator.starter.repo_files import BUNDLE, REPO_FILES
from helpers import CONTENT, ROOT, snapshot
from test_serve import serving, wait_for

pytestmark = pytest.mark.xdist_group("wheel")

RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"


def clean_env() -> dict[str, str]:
    """This process's environment without a PYTHONPATH leading back to the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """A command with a clean environment (clean_env)."""
    clean = clean_env()
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


@dataclass(frozen=True)
class Installed:
    """The distributions built from a copy of the sources, and a venv holding the wheel."""

    dist: Path
    python: Path
    venv: Path
    offline: dict[str, str]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    wheels = wheelhouse()
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)}
    pip = (sys.executable, "-m", "pip")

    source = work / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "build_hooks.py", *REPO_FILES):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "build", "--outdir", work / "dist", source, env=offline)

    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    install = (*pip, "--python", python, "install", "--quiet", "--no-compile", "--only-binary", ":all:")
    run(*install, "--require-hashes", "-r", RUNTIME_LOCK, env=offline)
    (wheel,) = (work / "dist").glob("paper_index-*.whl")
    run(*install, "--no-deps", wheel, env=offline)
    assert run(*pip, "--python", python, "check").startswith("No broken requirements found.")
    return Installed(work / "dist", python, venv, offline)


def test_the_distributions_pass_twine_check_and_agree_on_the_version(installed: Installed) -> None:
    names = sorted(p.name for p in installed.dist.iterdir())
    assert names == [f"paper_index-{__version__}-py3-none-any.whl", f"paper_index-{__version__}.tar.gz"]
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *sorted(installed.dist.iterdir()))
    assert checked.count("PASSED") == 2, checked
    assert run(installed.python, "-m", "generator", "--version", cwd=installed.dist) == \
        f"paper-index {__version__}\n"
    metadata = json.loads(run(installed.python, "-c", "import json; from importlib.metadata import "
                              "metadata; print(json.dumps(metadata('paper-index').json))",
                              cwd=installed.dist))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (metadata["version"], metadata["license_expression"]) == (__version__, "MIT")
    assert metadata["classifier"] == project["classifiers"]
    assert metadata["project_url"] == [f"{k}, {v}" for k, v in project["urls"].items()]
    assert metadata["description_content_type"] == "text/markdown"


def test_the_wheel_builds_the_site(installed: Installed, fast_tmp: Path) -> None:
    python, venv = installed.python, installed.venv
    project = fast_tmp / "project"
    shutil.copytree(CONTENT, project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")  # names no file of the package
    installed_at = Path(run(python, "-c", "import generator.site.plugin as m; print(m.__file__)",
                            cwd=project).strip())
    assert installed_at.is_relative_to(venv), f"the generator came from {installed_at}, not the wheel"
    package = installed_at.parent.parent
    # Every template and theme file, byte for byte: the package data shipped whole; and
    # the repository files `init` derives a new index from.
    for shipped, source in ((package / "site" / "templates", ROOT / "generator" / "site" / "templates"),
                            (package / "theme", ROOT / "generator" / "theme"),
                            (package / "starter" / "templates", ROOT / "generator" / "starter" / "templates")):
        assert snapshot(shipped) == snapshot(source), f"{shipped} differs from {source}"
    assert snapshot(package / "starter" / BUNDLE) == {name: (ROOT / name).read_bytes() for name in REPO_FILES}

    papers = len(list((CONTENT / "papers").iterdir()))
    built = run(python, "-m", "generator", "build", cwd=project)
    assert re.match(rf"Built \d+ pages \({papers} papers, ", built), built
    run(python, "-m", "mkdocs", "build", "--strict", cwd=project)

    first = min((CONTENT / "papers").glob("*.yml"))
    page = (project / "site" / "papers" / first.stem / "index.html").read_text(encoding="utf-8")
    assert yaml.safe_load(first.read_text(encoding="utf-8"))["title"] in html.unescape(page)
    assert (project / "site" / "feed.xml").is_file()


NAME = "Peptide & Protein Design Papers"
REPO = "https://github.com/bio-lab/peptide-papers"
SEED = "002_a5cf91813e7d014e.txt"
"""A committed seed listing, and the day it was captured (content/listings/manifest.yml)."""
SEED_DAY = "2025-03-11"
TITLE = "PepMLM: Target Sequence-Conditioned Generation of Peptide Binders via Masked Language Modeling"
"""A paper of that listing."""


def _search(browser: Any, base: str, query: str, tries: int = 1) -> Any:
    """A page of the site with `query` typed into its search box and a result card holding
    it shown. `tries`: search again from a fresh page that many times (the index may be
    rewritten meanwhile); a bounded wait, not a timing assertion."""
    for attempt in range(tries):
        page = browser.new_context(service_workers="block").new_page()
        page.goto(base)
        page.locator(".md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially(query, delay=20)
        try:
            page.locator(".pi-card__title", has_text=query).first.wait_for(state="visible", timeout=30_000)
            return page
        except PlaywrightTimeout:
            page.context.close()
            if attempt == tries - 1:
                raise
    raise AssertionError("tries: expected at least 1")


@pytest.mark.browser
def test_a_new_index_from_the_wheel(installed: Installed, fast_tmp: Path) -> None:
    """The issue's "Done when": init in an empty folder, one seed listing, the site."""
    python = installed.python
    env = {"PATH": f"{installed.venv / 'bin'}:{os.environ['PATH']}"}  # as after `make install`
    folder = fast_tmp / "peptides"
    folder.mkdir()
    out = run(python, "-m", "generator", "init", folder, "--name", NAME, "--repo", REPO,
              cwd=fast_tmp, env=env)
    assert out.startswith(f"Created the index {NAME!r} in {folder} (14 files):")
    assert (folder / "requirements.txt").read_text().endswith(f"paper-index=={__version__}\n")

    run(python, "-m", "generator", "build", cwd=folder, env=env)  # the empty site builds
    run(python, "-m", "mkdocs", "build", "--strict", cwd=folder, env=env)
    shutil.copy(ROOT / "content" / "listings" / SEED, fast_tmp / SEED)
    imported = run(python, "-m", "generator", "import", fast_tmp / SEED, "--as-of", SEED_DAY,
                   cwd=folder, env=env)
    papers = len(list((folder / "content" / "papers").glob("*.yml")))
    assert papers > 10 and str(papers) in imported, imported
    run(python, "-m", "generator", "check", cwd=folder, env=env)
    built = run(python, "-m", "generator", "build", cwd=folder, env=env)
    assert built.startswith(f"Built ") and f"({papers} papers, " in built, built
    run(python, "-m", "mkdocs", "build", "--strict", cwd=folder, env=env)
    run(python, "-m", "generator", "index", "--site", "site", cwd=folder, env=env)

    home = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert f"{NAME.replace('&', '&amp;')}</title>" in home
    assert "Paper Index" not in home and "paper-index.github.io" not in home
    (slug,) = [p.stem for p in (folder / "content" / "papers").glob("pepmlm-*.yml")]
    with serve(folder / "site") as base, chromium() as browser:
        page = _search(browser, base, "PepMLM")
        page.locator(".pi-card__title", has_text="PepMLM").first.click()
        page.wait_for_url(f"**/papers/{quote(slug)}/**")
        assert page.locator("h1").first.inner_text() == TITLE
        assert NAME in page.title()

        # `mkdocs serve` (what `make serve` runs): the plugin regenerates the edited paper
        # and re-indexes search, so the preview's search finds the new title.
        paper = folder / "content" / "papers" / f"{slug}.yml"
        with serving(folder, "--dirty", "--no-strict", python=python,
                     env={**clean_env(), **env}) as (served, output):
            url = f"{served}papers/{slug}/"
            assert TITLE in wait_for(url, TITLE, time.monotonic() + 120)
            paper.write_text(paper.read_text(encoding="utf-8").replace(
                "PepMLM: Target", "PepMLM Retitled: Target", 1), encoding="utf-8")
            assert "PepMLM Retitled: Target" in wait_for(url, "PepMLM Retitled", time.monotonic() + 120)
            page = _search(browser, served, "PepMLM Retitled", tries=8)
            assert "PepMLM Retitled" in page.locator(".pi-card__title").first.inner_text()
    assert "Search index updated" in output[0], output[0]
