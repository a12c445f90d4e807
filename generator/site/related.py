"""Related papers: for each paper, the few others most alike in title and abstract.

Similarity is the cosine of TF-IDF vectors (scikit-learn), with the title
counted twice, plus a little weight per shared topic. Comparing every pair
would grow with the square of the catalog, so each paper keeps only its most
distinctive terms, terms that half the catalog shares are dropped, and the
sparse product is taken a block of rows at a time: the work grows with the
papers times the candidates their terms lead to, and memory stays bounded.
Ties go to the slug that sorts first, so the result is the same on every run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from generator.model import Paper

TERMS_PER_PAPER = 24
"""The most distinctive terms a paper keeps; the rest of its vector is dropped."""
PAPERS_PER_TERM = 150
"""The papers a term leads to at most: those where it weighs most."""
TOPIC_BONUS = 0.02
"""Added to the similarity per topic two papers share (at most three)."""
MIN_SCORE = 0.08
"""Below this, two papers are not shown as related however few others there are."""
BLOCK = 2048
"""Rows of the similarity product computed at once."""


def _identity(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tokens


def _text(paper: Paper) -> str:
    return f"{paper.title} {paper.title} {paper.abstract}"


def paper_text(paper: Paper) -> str:
    """What related papers compare: the title twice, then the abstract."""
    return _text(paper)


@functools.lru_cache(maxsize=1 << 17)
def tokens(text: str) -> tuple[str, ...]:
    """scikit-learn's own analysis of a text (lowercase, its word pattern, its English stop
    words), remembered in the process: under `make serve` an edit re-analyzes one text."""
    return tuple(_analyzer()(text))


@functools.cache
def _analyzer() -> Callable[[str], list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english").build_analyzer()


def preload() -> None:
    """Import scikit-learn's vectorizer now (0.6 s), in a process that will fork others to
    compute related papers (`make serve`): each then starts with it."""
    _analyzer()


def _vectors(papers: Sequence[Paper], analyze: Callable[[str], tuple[str, ...]]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer

    few = len(papers) < 50  # too few papers to tell common words from shared topics
    # The tokens come from the same analyzer the vectorizer would build: the same matrix.
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True,
                                 max_df=1.0 if few else 0.5, min_df=1 if few else 2,
                                 dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([analyze(_text(p)) for p in papers]).tocsr()
    except ValueError:  # no term left: nothing in common to find
        return sparse.csr_matrix((len(papers), 1), dtype=np.float32)
    return _keep_top(matrix, TERMS_PER_PAPER, normalize=True)


def _keep_top(matrix: sparse.csr_matrix, keep: int, normalize: bool) -> sparse.csr_matrix:
    """Each row with only its `keep` largest entries (renormalized to unit length)."""
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        data, idx = matrix.data[start:end], matrix.indices[start:end]
        if len(data) > keep:
            top = np.argpartition(-data, keep - 1)[:keep]
            data, idx = data[top], idx[top]
        norm = (float(np.sqrt(np.dot(data, data))) or 1.0) if normalize else 1.0
        rows.extend([i] * len(data))
        cols.extend(idx.tolist())
        vals.extend((data / norm).tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=matrix.shape, dtype=np.float32)


def related_papers(papers: Sequence[Paper], k: int = 5,
                   analyze: Callable[[str], tuple[str, ...]] = tokens) -> dict[str, tuple[str, ...]]:
    """Slug -> up to `k` slugs of related papers, most related first. `analyze`: a text's
    tokens as `tokens` gives them (the build's memo passes the ones it kept)."""
    papers = sorted(papers, key=lambda p: p.slug)
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    vectors = _vectors(papers, analyze)
    postings = _keep_top(vectors.T.tocsr(), PAPERS_PER_TERM, normalize=False)
    postings_by_term = postings.tocsc()
    topic_sets = [frozenset(p.shown_topics) for p in papers]
    shortlist = 4 * k
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(papers), BLOCK):
        block = (vectors[start : start + BLOCK] @ postings_by_term).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            candidates, scores = block.indices[lo:hi], block.data[lo:hi]
            keep = candidates != i
            candidates, scores = candidates[keep], scores[keep]
            if len(scores) > shortlist:
                top = np.argpartition(-scores, shortlist - 1)[:shortlist]
                candidates, scores = candidates[top], scores[top]
            ranked = []
            for j, score in zip(candidates.tolist(), scores.tolist(), strict=True):
                score += TOPIC_BONUS * min(len(topic_sets[i] & topic_sets[j]), 3)
                if score >= MIN_SCORE:
                    ranked.append((-round(score, 6), j))
            ranked.sort()
            related[papers[i].slug] = tuple(papers[j].slug for _, j in ranked[:k])
    return related
