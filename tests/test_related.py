"""Related papers: plausible on a real catalog (the seed listings' import), deterministic
and never the paper itself on the committed one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.model import Paper
from generator.review.check import load_catalog
from generator.site.related import related_papers
from helpers import CONTENT

TEXTUAL_INVERSION = {
    "an-image-is-worth-one-word-personalizing-text-to-image-generation-using-textual",
    "multiresolution-textual-inversion",
    "brat-bonus-orthogonal-token-for-architecture-agnostic-textual-inversion",
}


@pytest.fixture(scope="module")
def real() -> dict[str, tuple[str, ...]]:
    return related_papers(load_catalog(CONTENT).papers)


@pytest.fixture(scope="module")
def seeded(seeds: Path) -> dict[str, tuple[str, ...]]:
    return related_papers(load_catalog(seeds).papers)


def test_the_textual_inversion_papers_relate_to_each_other(seeded) -> None:
    for slug in TEXTUAL_INVERSION:
        assert TEXTUAL_INVERSION - {slug} <= set(seeded[slug]), (slug, seeded[slug])


def test_sentence_embedding_papers_relate(seeded) -> None:
    related = seeded["2d-matryoshka-sentence-embeddings"]
    assert "whiteningbert-an-easy-unsupervised-sentence-embedding-approach" in related
    assert all("embedding" in slug or "sentence-representation" in slug for slug in related), related


def test_at_most_five_never_itself_and_every_paper_has_an_entry(real) -> None:
    catalog = load_catalog(CONTENT)
    assert set(real) == {p.slug for p in catalog.papers}
    for slug, related in real.items():
        assert len(related) <= 5
        assert slug not in related
        assert len(set(related)) == len(related)


def test_the_order_of_the_input_does_not_matter(real) -> None:
    papers = list(load_catalog(CONTENT).papers)
    assert related_papers(list(reversed(papers))) == real


def _paper(slug: str, title: str, abstract: str, topics: tuple[str, ...] = ()) -> Paper:
    return Paper(slug=slug, title=title, abstract=abstract, topics=topics)


def test_unrelated_papers_are_not_shown_as_related() -> None:
    papers = [
        _paper("a", "Protein folding with graphs", "We fold proteins with graph networks."),
        _paper("b", "Protein folding with transformers", "Transformers fold proteins well."),
        _paper("c", "Jazz chord voicings", "Guitarists voice jazz chords on upper strings."),
    ]
    related = related_papers(papers)
    assert related["a"] == ("b",)
    assert related["b"] == ("a",)
    assert related["c"] == ()


def test_ties_are_broken_by_slug_and_shared_topics_add_weight() -> None:
    text = "Sparse attention for long documents."
    twins = [_paper(s, "Sparse attention", text) for s in ("z-twin", "m-twin", "a-twin")]
    assert related_papers(twins)["m-twin"] == ("a-twin", "z-twin")
    topical = [dataclasses.replace(twins[0], topics=("t",)), twins[1],
               dataclasses.replace(twins[2], topics=("x",)),]
    topical[1] = dataclasses.replace(topical[1], topics=("t",))
    assert related_papers(topical)["m-twin"][0] == "z-twin"


def test_a_catalog_of_one_has_nothing_related() -> None:
    assert related_papers([_paper("a", "T", "x")]) == {"a": ()}
