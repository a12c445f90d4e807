"""Golden files for the rendered pages: `tests/render_cases/<case>/content` is a small
content folder and `expected/` is the exact docs folder `generator build` writes for it
(every page, feed.xml, papers.json, papers.bib), compared byte for byte.

After an intended output change, run `pytest tests/test_render_goldens.py --update-goldens`
and review the diff of expected/ like any other change: it is what readers will get.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.site.build import build
from generator.site.settings import Settings
from helpers import TESTS

CASES = TESTS / "render_cases"
SETTINGS = Settings(site_url="https://golden.example/index/", site_name="Golden <Index>",
                    intro="Papers *about* gold: the golden cases.\nA second line, kept as a line.",
                    repo_url="https://git.example/golden/index", branch="trunk",
                    newest=5, top_upvoted=3, feed_size=6, preview_authors=4)
"""Fixed, so that the goldens do not follow mkdocs.yml; small limits, so that the
render cases reach every cut-off (home lists, feed, authors)."""


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_render_case(case: str, tmp_path: Path, update_goldens: bool) -> None:
    out, expected = tmp_path / "docs", CASES / case / "expected"
    build(CASES / case / "content", out, SETTINGS)
    if update_goldens:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    got, want = tree(out), tree(expected)
    assert sorted(got) == sorted(want), "the files written differ; see --update-goldens"
    for name in want:  # one file at a time, as text, for a readable diff
        assert got[name].decode("utf-8") == want[name].decode("utf-8"), f"{case}/expected/{name}"
