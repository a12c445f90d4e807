"""Golden cases of the listing import: the page variants people copy, and the ways they go wrong.

Each folder in `tests/listing_cases/` holds a `listing.txt`, written by hand from the
structure of a real Hugging Face papers page, an optional `args` file (the import's
options, one a line; `--as-of 2025-11-28` by default) and what the import must do with it:

- `expected.yml`: it succeeds, with this stdout and stderr, and writes exactly these papers;
- `expected.txt`: it fails with exit code 1 and exactly this stderr, and writes nothing.

Every case imports into an empty content folder with `tests/listing_cases/topics.yml`, so
the goldens do not change when the real topic rules do. After an intended change, run
`pytest tests/test_variants.py --update-goldens` and read the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from generator.errors import ContentError
from generator.ingest.listing import parse_text
from generator.text import ABSTRACT_MAX
from helpers import TESTS, cli

CASES = TESTS / "listing_cases"
DEFAULT_ARGS = ["--as-of", "2025-11-28"]


class _Literal(str):
    pass


yaml.SafeDumper.add_representer(
    _Literal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|"))


def _content(folder: Path) -> Path:
    content = folder / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(CASES / "topics.yml", content / "topics.yml")
    return content


def _import_case(case: str, folder: Path) -> tuple[int, str, str, dict[str, str]]:
    """Import the case's listing into an empty content folder under `folder` (the current
    directory, for relative paths in messages): exit code, stdout, stderr and the papers."""
    folder = Path(os.path.relpath(folder))
    shutil.copy(CASES / case / "listing.txt", folder / "listing.txt")
    args_file = CASES / case / "args"
    args = args_file.read_text(encoding="utf-8").split() if args_file.is_file() else DEFAULT_ARGS
    content = _content(folder)
    code, out, err = cli("--content", content, "import", folder / "listing.txt", *args)
    papers = {p.name: p.read_text(encoding="utf-8") for p in sorted((content / "papers").iterdir())}
    return code, out, err, papers


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_listing_case(case: str, in_tmp: Path, update_goldens: bool) -> None:
    folder = CASES / case
    code, out, err, papers = _import_case(case, in_tmp)
    if update_goldens:
        (folder / "expected.yml").unlink(missing_ok=True)
        (folder / "expected.txt").unlink(missing_ok=True)
        if code == 0:
            doc = {"stdout": _Literal(out), "stderr": _Literal(err) if err else "",
                   "papers": {name: _Literal(text) for name, text in papers.items()}}
            (folder / "expected.yml").write_text(
                yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        else:
            (folder / "expected.txt").write_text(err, encoding="utf-8")
    if (folder / "expected.txt").is_file():
        assert (code, out, err) == (1, "", (folder / "expected.txt").read_text(encoding="utf-8"))
        assert papers == {}, "a failed import wrote something"
    else:
        expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
        assert (code, out, err) == (0, expected["stdout"], expected["stderr"])
        assert papers == expected["papers"]


def test_a_200_kb_abstract_is_refused_at_its_line(in_tmp: Path) -> None:
    content = _content(in_tmp)
    words = "word " * 40_000
    (in_tmp / "big.txt").write_text(f"A Title\n{words}\n", encoding="utf-8")
    assert cli("--content", "content", "import", "big.txt", "--as-of", "2025-11-28", "--force") == (
        1, "", f"big.txt:2:1: error: the abstract of 'A Title' has {len(words.strip()):,} characters; "
               f"expected at most {ABSTRACT_MAX:,} (a whole paper or page pasted by mistake?)\n"
               "Error: 1 error found; nothing was written\n")
    assert not list((content / "papers").iterdir())


def test_control_characters_are_reported_on_twenty_lines_at_most() -> None:
    with pytest.raises(ContentError) as info:
        parse_text("\x00\n" * 30, "x", "x.txt")
    problems = info.value.problems
    assert len(problems) == 21
    assert str(problems[0]) == ("x.txt:1:1: error: control character U+0000 (NULL) in the listing; "
                                "expected text (only tabs and line breaks are allowed)")
    assert str(problems[-1]) == ("x.txt:21:1: error: control characters on 10 more lines from here "
                                 "(is this a text file?)")


SAME_PAGE = ("daily-page", "card-metadata-before-title", "card-metadata-between-title-and-abstract",
             "card-metadata-after-abstract", "card-metadata-in-every-place",
             "card-states-a-fact-twice-alike")
"""One Daily Papers page copied in every shape a card comes in: its metadata lines before the
title, between the title and the abstract, after the abstract, all three at once, and each
fact stated twice."""
FEWER_FACTS = ("daily-page-one-line-submitter", "daily-page-without-author-lines",
               "daily-upvotes-after-abstract")
"""The same two papers in older shapes that state fewer of their facts."""


def test_every_card_shape_imports_to_the_same_papers(in_tmp: Path) -> None:
    imported = {}
    for case in SAME_PAGE + FEWER_FACTS:
        (in_tmp / case).mkdir()
        code, _, err, papers = _import_case(case, in_tmp / case)
        assert (code, err) == (0, ""), case
        imported[case] = {name: yaml.safe_load(text) for name, text in papers.items()}
    reference = imported["daily-page"]
    assert [case for case in SAME_PAGE if imported[case] != reference] == []
    for case in FEWER_FACTS:
        assert {name: (p["title"], p["abstract"], p["upvotes"]) for name, p in imported[case].items()} == {
            name: (p["title"], p["abstract"], p["upvotes"]) for name, p in reference.items()}, case
