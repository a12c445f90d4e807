"""Related papers: for each paper, the few others most alike in title and abstract.

Similarity is the cosine of TF-IDF vectors, with the title counted twice, plus a
little weight per shared topic. Comparing every pair would grow with the square of
the catalog, so each paper keeps only its most distinctive terms, terms that half the
catalog shares are dropped, and the sparse product is taken a block of rows at a time:
the work grows with the papers times the candidates their terms lead to, and memory
stays bounded. Ties go to the slug that sorts first, so the result is the same on
every run.

The TF-IDF is scikit-learn's (`TfidfVectorizer(stop_words="english", sublinear_tf=True)`,
float32), written out here in numpy: importing scikit-learn took 0.55 s of every build
that computes related papers, its vocabulary count another 0.4 s at 10,000 papers, and
the matrix is the same to the bit (tests/test_related.py compares them).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import chain

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


STOP_WORDS = frozenset("""
    a about above across after afterwards again against all almost alone along
    already also although always am among amongst amoungst amount an and another any
    anyhow anyone anything anyway anywhere are around as at back be became because
    become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt
    cry de describe detail do done down due during each eg eight either eleven else
    elsewhere empty enough etc even ever every everyone everything everywhere except
    few fifteen fifty fill find fire first five for former formerly forty found four
    from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however
    hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next
    nine no nobody none noone nor not nothing now nowhere of off often on once one
    only onto or other others otherwise our ours ourselves out over own part per
    perhaps please put rather re same see seem seemed seeming seems serious several
    she should show side since sincere six sixty so some somehow someone something
    sometime sometimes somewhere still such system take ten than that the their them
    themselves then thence there thereafter thereby therefore therein thereupon
    these they thick thin third this those though three through throughout thru thus
    to together too top toward towards twelve twenty two un under until up upon us
    very via was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who
    whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
""".split())
"""scikit-learn's English stop words (`sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`)."""
_WORD = re.compile(r"(?u)\b\w\w+\b")
"""scikit-learn's default token pattern: words of two characters or more."""


def _text(paper: Paper) -> str:
    return f"{paper.title} {paper.title} {paper.abstract}"


def paper_text(paper: Paper) -> str:
    """What related papers compare: the title twice, then the abstract."""
    return _text(paper)


@functools.lru_cache(maxsize=1 << 17)
def tokens(text: str) -> tuple[str, ...]:
    """scikit-learn's analysis of a text (lowercase, its word pattern, its English stop
    words), remembered in the process: under `make serve` an edit re-analyzes one text."""
    return tuple(word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS)


def tfidf(docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """What `TfidfVectorizer(analyzer=tokens-as-given, sublinear_tf=True, max_df, min_df,
    dtype=float32).fit_transform(docs)` gives, step for step: columns in the terms'
    alphabetical order, each row's entries in the order of the terms' first appearance
    in the catalog, each row's squares summed in double precision in that order."""
    few = len(docs) < 50  # too few papers to tell common words from shared topics
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    lengths = [len(doc) for doc in docs]
    # Each token's term (numbered by first appearance), straight into an array: a list
    # of 7.7 million ids took 0.3 GB more at 50,000 papers.
    keys = np.fromiter(chain.from_iterable(map(vocabulary.__getitem__, doc) for doc in docs),
                       dtype=np.int64, count=sum(lengths))
    n, size = len(docs), len(vocabulary)
    keys += np.repeat(np.arange(n, dtype=np.int64) * size, lengths)  # paper * size + term
    # One entry per (paper, term), ordered by paper then first appearance, with its count
    # (each array let go as soon as used: at 50,000 papers they are 40 to 60 MB each).
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    counts = np.diff(starts, append=len(keys)).astype(np.float32)
    keys = keys[starts]
    del starts
    rows = (keys // size).astype(np.int32)
    keys %= size
    terms = keys.astype(np.int32)
    del keys
    df = np.bincount(terms, minlength=size)
    kept = (df <= (1.0 if few else 0.5) * n) & (df >= (1 if few else 2))
    if not kept.any():
        raise ValueError("no term left")
    old = np.flatnonzero(kept)
    column = np.full(size, -1, dtype=np.int32)  # first-appearance index -> alphabetical column
    column[old[np.argsort(np.array(list(vocabulary))[old], kind="stable")]] = np.arange(len(old), dtype=np.int32)
    entry = kept[terms]
    rows, terms, data = rows[entry], column[terms[entry]], counts[entry]
    del counts, entry
    lengths = np.bincount(rows, minlength=n)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    df_kept = np.bincount(terms, minlength=len(old)).astype(np.float32) + np.float32(1.0)
    idf = np.full_like(df_kept, fill_value=n + 1, dtype=np.float32)
    idf /= df_kept
    np.log(idf, out=idf)
    idf += np.float32(1.0)
    np.log(data, out=data)  # sublinear tf
    data += np.float32(1.0)
    data *= idf[terms]
    squares = np.zeros(n)
    np.add.at(squares, rows, (data * data).astype(np.float64))  # in order, as sklearn's loop
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    data = (data.astype(np.float64) / np.repeat(norms, lengths)).astype(np.float32)
    return sparse.csr_matrix((data, terms, indptr), shape=(n, len(old)))


def _vectors(papers: Sequence[Paper], analyze: Callable[[str], tuple[str, ...]]) -> sparse.csr_matrix:
    try:
        matrix = tfidf([analyze(_text(p)) for p in papers])
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
