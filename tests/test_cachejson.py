"""The build caches' JSON (store.cachejson): orjson's speed, the standard library's reach,
and nothing kept that would read back as something else."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from generator.review.check import check_content
from generator.store import cachejson
from helpers import FIXTURE_CONTENT

HAT = "hat-hybrid-attention-transformer-for-image-restoration"


@pytest.mark.parametrize("value", [
    {"title": "Tülu 3: über 10¹⁵ tokens → 58.9", "authors": ["A", "B"], "n": 2**63 - 1,
     "x": 0.1},
    [[["deep"]], {"": None, "t": True, "f": False}, -0.0, 1e300],
    {"big": 2**70},  # past orjson's 64 bits: the standard library's encoder writes it
    {"lone": "\ud800 and \udfff"},  # a lone surrogate: orjson refuses it; written as escapes
    "\u2028\u2029\x00\x1f",
])
def test_what_is_written_reads_back_as_itself(value: object) -> None:
    assert cachejson.encodes_as_is(value)
    assert json.loads(cachejson.dumps(value)) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, [-math.inf], {1: "an int key"},
                                   {"d": {(1, 2): 3}}])
def test_what_would_read_back_as_something_else_is_not_kept(value: object) -> None:
    assert not cachejson.encodes_as_is(value)


def test_a_lone_surrogate_is_written_in_ascii() -> None:
    written = cachejson.dumps({"a": "é", "b": "\ud800"})
    assert written == b'{"a":"\\u00e9","b":"\\ud800"}'
    assert cachejson.dumps({"a": "é"}) == '{"a":"é"}'.encode()


def _write(content: Path, slug: str, text: str) -> None:
    (content / "papers" / f"{slug}.yml").write_text(text, encoding="utf-8")


def test_the_review_cache_finds_the_same_with_files_orjson_cannot_write(tmp_path: Path) -> None:
    """A paper with a lone surrogate (the whole cache falls back to the standard library's
    encoder) and one with an infinite upvote count (its entry is not kept: orjson would
    write null): `check` from the cache finds what a check without it finds, and the
    cache holds every other paper."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    title, rest = (content / "papers" / f"{HAT}.yml").read_text(encoding="utf-8").split("\n", 1)
    assert title.startswith("title: ")
    rest = "".join(line for line in rest.splitlines(keepends=True)
                   if not line.startswith("upvotes:"))
    _write(content, "a-lone-surrogate", 'title: "Half \\ud800 a pair"\n' + rest)
    _write(content, "an-infinite-count", "title: Counted Once\nupvotes: .inf\n" + rest)
    fresh = check_content(content)
    assert any("lone surrogate" in p.message for p in fresh)
    assert any(p.path.endswith("an-infinite-count.yml") and "upvotes" in p.message for p in fresh)
    assert check_content(content, cache=True) == fresh
    [cache] = (tmp_path / ".cache" / "generator").glob("review-*.json")
    stored = json.loads(cache.read_bytes())
    assert cache.read_bytes().isascii()
    papers = len(list((content / "papers").glob("*.yml")))
    assert sum(map(len, stored["entries"].values())) == papers - 1
    assert check_content(content, cache=True) == fresh
