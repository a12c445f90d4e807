"""Related papers: plausible on a real catalog (the seed listings' import), deterministic
and never the paper itself on the committed one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.model import Paper
from generator.review.check import load_catalog
from generator.site.related import STOP_WORDS, paper_text, related_papers, tfidf, tokens
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


# --- the TF-IDF is scikit-learn's, written out in numpy --------------------------------

TRICKY = ["", "a", "The THE the", "x y zz", "GPT-4o, LLaMA-2 & Mixtral_8x7B: 3D 3d", "naïve café Straße ΣΊΣΥΦΟΣ",
          "日本語のテキスト と 中文 文本", "emoji 🙂🙂 words", "tab\tand\nnewline", "under_score __init__"]


def _sklearn(docs: list[tuple[str, ...]]):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    few = len(docs) < 50
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, max_df=1.0 if few else 0.5,
                                 min_df=1 if few else 2, dtype=np.float32)
    return vectorizer.fit_transform(docs).tocsr()


def _same_matrix(ours, theirs) -> None:
    import numpy as np

    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data), abs(ours.data - theirs.data).max()  # to the bit


def test_the_stop_words_and_tokens_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    assert STOP_WORDS == ENGLISH_STOP_WORDS
    analyze = TfidfVectorizer(stop_words="english").build_analyzer()
    texts = TRICKY + [paper_text(p) for p in load_catalog(CONTENT).papers]
    assert [tokens(t) for t in texts] == [tuple(analyze(t)) for t in texts]


def test_the_tfidf_matrix_is_scikit_learns_to_the_bit(seeds: Path) -> None:
    papers = sorted(load_catalog(CONTENT).papers + load_catalog(seeds).papers, key=lambda p: p.slug)
    docs = [tokens(paper_text(p)) for p in papers]
    assert len(docs) > 1000
    _same_matrix(tfidf(docs), _sklearn(docs))  # max_df 0.5 and min_df 2 prune terms here
    few = docs[:30]  # under 50 papers, every term is kept
    _same_matrix(tfidf(few), _sklearn(few))
    odd = [tokens(t) for t in TRICKY] + [("solo",), ("solo", "solo", "duo"), ("duo",)]
    _same_matrix(tfidf(odd), _sklearn(odd))
