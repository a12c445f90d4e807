"""`python -m generator fmt`: canonical, idempotent, lossless, and hands off broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.store.paperfile import load_yaml, paper_from_mapping
from helpers import CONTENT, base_content, cli

PAPERS = CONTENT / "papers"
PAPER_COUNT = len(list(PAPERS.glob("*.yml")))
MESSY_PATH = "content/papers/a-messy-paper-about-dense-retrieval.yml"

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
added: '2025-01-02'
"""
"""What the store's documented format (content/README.md) says MESSY should become."""


@pytest.fixture
def site(in_tmp: Path) -> Path:
    """A copy of the committed content folder inside tmp_path, the current directory."""
    shutil.copytree(CONTENT, in_tmp / "content", ignore=shutil.ignore_patterns("listings"))
    return in_tmp


@pytest.fixture
def small(in_tmp: Path) -> Path:
    """A small valid content folder (tests/check_cases/_base: two papers, made canonical)
    in the current directory: fmt reads and rewrites every paper, so fewer is faster."""
    base_content(in_tmp)
    assert fmt()[0] == 0
    return in_tmp


def fmt(*args: str) -> tuple[int, str, str]:
    return cli("--content", "content", "fmt", *args)


def load(path: Path):  # type: ignore[no-untyped-def]
    return paper_from_mapping(path.stem, load_yaml(path.read_text(encoding="utf-8")))


def test_committed_papers_are_canonical(site: Path) -> None:
    assert fmt("--check") == (0, "", f"0 would reformat, {PAPER_COUNT} already canonical\n")


def test_fmt_rewrites_a_messy_file_and_is_idempotent(small: Path) -> None:
    messy = small / MESSY_PATH
    messy.write_text(MESSY, encoding="utf-8")
    before = load(messy)
    others = {p.name: p.read_bytes() for p in (small / "content/papers").iterdir() if p != messy}

    assert fmt("--check") == (1, f"would reformat {MESSY_PATH}\n", "1 would reformat, 2 already canonical\n")
    assert messy.read_text(encoding="utf-8") == MESSY  # --check changes nothing

    assert fmt() == (0, f"reformatted {MESSY_PATH}\n", "1 reformatted, 2 already canonical\n")
    assert {p.name: p.read_bytes() for p in (small / "content/papers").iterdir() if p != messy} == others
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL
    assert load(messy) == before

    assert fmt(MESSY_PATH) == (0, "", "0 reformatted, 1 already canonical\n")
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL
    assert fmt("--check")[0] == 0


def _mangle(text: str) -> str:
    """The same data, written the way a hand edit might: reversed keys, flow lists, one long line."""
    data = load_yaml(text)
    return yaml.safe_dump(dict(reversed(list(data.items()))), default_flow_style=True, width=10_000,
                          allow_unicode=False, sort_keys=False)


def test_fmt_restores_mangled_papers_byte_for_byte(site: Path) -> None:
    originals = sorted(PAPERS.glob("*.yml"))[::25]
    for original in originals:
        path = site / "content/papers" / original.name
        mangled = _mangle(original.read_text(encoding="utf-8"))
        assert mangled != original.read_text(encoding="utf-8")
        path.write_text(mangled, encoding="utf-8")
        assert load(path) == load(original)
    assert fmt() == (
        0,
        "".join(f"reformatted content/papers/{original.name}\n" for original in originals),
        f"{len(originals)} reformatted, {PAPER_COUNT - len(originals)} already canonical\n",
    )
    for original in originals:
        path = site / "content/papers" / original.name
        assert path.read_bytes() == original.read_bytes(), original.name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: Broken: Colon\nabstract: x\n",
         "1:14: error: invalid YAML: mapping values are not allowed here (quote a value that contains ': ')"),
        ("title:    Negative\nabstract: x\nupvotes: -1\ntopics: [other]\n",
         "3:10: error: upvotes: expected a whole number >= 0, found the number -1"),
    ],
    ids=["yaml", "schema"],
)
def test_fmt_leaves_a_broken_file_alone(small: Path, text: str, message: str) -> None:
    broken = small / "content/papers/broken.yml"
    broken.write_text(text, encoding="utf-8")
    messy = small / MESSY_PATH
    messy.write_text(MESSY, encoding="utf-8")
    assert fmt() == (
        1,
        f"reformatted {MESSY_PATH}\n",
        f"content/papers/broken.yml:{message}\n"
        "1 reformatted, 2 already canonical, 1 not formatted because of errors\n",
    )
    assert broken.read_text(encoding="utf-8") == text
    assert messy.read_text(encoding="utf-8") == MESSY_CANONICAL  # the good file is still formatted


def test_fmt_formats_paper_files_only(small: Path) -> None:
    before = (small / "content/topics.yml").read_bytes()
    assert fmt("content/topics.yml", "README.md") == (
        1,
        "",
        "content/topics.yml:1:1: error: expected a paper file (papers/<slug>.yml); fmt formats paper files only\n"
        "README.md:1:1: error: expected a paper file (papers/<slug>.yml); fmt formats paper files only\n"
        "0 reformatted, 0 already canonical, 2 not formatted because of errors\n",
    )
    assert (small / "content/topics.yml").read_bytes() == before
