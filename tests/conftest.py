"""Session fixtures: generate, `mkdocs build --strict` and index (Pagefind) a real site
ONCE, reused by every site and browser test.

Two sites are built, each into its own temporary folder (never into the repo):
- `real_site`: from the committed `content/`;
- `fixture_site`: from `tests/fixtures/site_content/`, a handful of papers with
  titles full of Markdown/HTML characters and injection attempts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "site_content"


@dataclass(frozen=True)
class BuiltSite:
    content: Path
    docs: Path
    site: Path
    generate_output: str
    mkdocs_output: str

    def html(self, rel: str) -> str:
        """The HTML of a page, by its URL path (`papers/x/`) or file path."""
        path = self.site / rel
        if rel.endswith("/") or not rel:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def mkdocs_config_for(work: Path) -> Path:
    """The repo's mkdocs.yml, with every relative path made absolute and the
    docs/site folders pointed into `work`, so a test build touches nothing in the repo."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        r"^(docs_dir: ).*$": str(work / "docs"),
        r"^(site_dir: ).*$": str(work / "site"),
        r"^(\s+custom_dir: )overrides$": str(ROOT / "overrides"),
        r"^(\s+- )generator/site/serve_hook\.py$": str(ROOT / "generator" / "site" / "serve_hook.py"),
        r"^(\s+- )content$": str(ROOT / "content"),
    }
    for pattern, value in replacements.items():
        text, count = re.subn(pattern, lambda m, v=value: m.group(1) + v, text, flags=re.M)
        assert count == 1, f"mkdocs.yml no longer has a line matching {pattern!r}"
    config = work / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build_site(content: Path, work: Path) -> BuiltSite:
    """`python -m generator build`, `mkdocs build --strict`, then `python -m pagefind`,
    all for real (what `make site` runs)."""
    work.mkdir(parents=True, exist_ok=True)
    gen = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "build", "--out", str(work / "docs")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert gen.returncode == 0, f"generator failed:\n{gen.stdout}\n{gen.stderr}"
    config = mkdocs_config_for(work)
    mk = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=work, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert mk.returncode == 0, f"mkdocs build --strict failed:\n{mk.stdout}\n{mk.stderr}"
    pf = subprocess.run(  # from the repository, so that it reads pagefind.yml
        [sys.executable, "-m", "pagefind", "--site", str(work / "site"), "--silent"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert pf.returncode == 0, f"pagefind failed:\n{pf.stdout}\n{pf.stderr}"
    return BuiltSite(content, work / "docs", work / "site", gen.stdout, mk.stdout + mk.stderr)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(ROOT / "content", tmp_path_factory.mktemp("real_site"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_site(FIXTURE_CONTENT, tmp_path_factory.mktemp("fixture_site"))
