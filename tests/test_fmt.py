"""`python -m generator fmt`: canonical, idempotent, lossless, and hands off broken files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.store.paperfile import load_yaml, paper_from_mapping

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "content" / "papers"

MESSY = """\
topics: [retrieval]
title:    A Messy Paper About Dense Retrieval
links:
    -   kind: code
        url: https://github.com/example/messy
abstract: "This abstract is long enough to be folded by the canonical writer,   because it goes well over seventy-eight characters on one line."
added: 2025-01-02
"""

MESSY_CANONICAL = """\
title: A Messy Paper About Dense Retrieval
abstract: >-
  This abstract is long enough to be folded by the canonical writer, because it
  goes well over seventy-eight characters on one line.
links:
  - url: https://github.com/example/messy
    kind: code
topics:
  - retrieval
added: 2025-01-02
"""
"""What the store's documented format (content/README.md) says MESSY should become."""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the committed content folder inside tmp_path."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("listings"))
    return tmp_path


def fmt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", "content", "fmt", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )


def load(path: Path):  # type: ignore[no-untyped-def]
    return paper_from_mapping(path.stem, load_yaml(path.read_text(encoding="utf-8")))


def test_committed_papers_are_canonical(site: Path) -> None:
    result = fmt(site, "--check")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_fmt_rewrites_a_messy_file_and_is_idempotent(site: Path) -> None:
    messy = site / "content/papers/a-messy-paper-about-dense-retrieval.yml"
    messy.write_text(MESSY, encoding="utf-8")
    before = load(messy)

    check = fmt(site, "--check")
    assert check.returncode == 1
    assert check.stdout == "would reformat content/papers/a-messy-paper-about-dense-retrieval.yml\n"
    assert messy.read_text(encoding="utf-8") == MESSY  # --check changes nothing

    first = fmt(site)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "reformatted content/papers/a-messy-paper-about-dense-retrieval.yml\n"
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL
    assert load(messy) == before

    second = fmt(site, "content/papers/a-messy-paper-about-dense-retrieval.yml")
    assert (second.returncode, second.stdout) == (0, "")
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL
    assert fmt(site, "--check").returncode == 0


def _mangle(text: str) -> str:
    """The same data, written the way a hand edit might: reversed keys, flow lists, one long line."""
    data = load_yaml(text)
    return yaml.safe_dump(dict(reversed(list(data.items()))), default_flow_style=True, width=10_000,
                          allow_unicode=False, sort_keys=False)


def test_fmt_restores_mangled_papers_byte_for_byte(site: Path) -> None:
    originals = sorted(PAPERS.glob("*.yml"))[::25]
    assert len(originals) >= 20
    for original in originals:
        path = site / "content/papers" / original.name
        path.write_text(_mangle(original.read_text(encoding="utf-8")), encoding="utf-8")
        assert load(path) == load(original)
    result = fmt(site)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(originals)
    for original in originals:
        path = site / "content/papers" / original.name
        assert path.read_bytes() == original.read_bytes(), original.name
        assert load(path) == load(original)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: Broken: Colon\nabstract: x\n", "1:14: error: invalid YAML"),
        ("title:    Negative\nabstract: x\nupvotes: -1\ntopics: [other]\n", "3:10: error: upvotes: expected"),
    ],
    ids=["yaml", "schema"],
)
def test_fmt_leaves_a_broken_file_alone(site: Path, text: str, message: str) -> None:
    broken = site / "content/papers/broken.yml"
    broken.write_text(text, encoding="utf-8")
    messy = site / "content/papers/a-messy-paper-about-dense-retrieval.yml"
    messy.write_text(MESSY, encoding="utf-8")
    result = fmt(site)
    assert result.returncode == 1
    assert f"content/papers/broken.yml:{message}" in result.stderr
    assert broken.read_text(encoding="utf-8") == text
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL  # the good file is still formatted
