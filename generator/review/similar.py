"""Near-duplicate pairs in about linear time: blocking by rare shared words, then
rapidfuzz on the candidates only.

Comparing every title with every other of a similar length grew with the square of
the catalog (231 s at 50,000 papers). Instead each normalized text is a set of words,
ordered by a global rarity (in the fewest texts first, then alphabetically), and two
texts are candidates only when their *prefixes*, their `prefix` rarest words, share a
word (prefix filtering; Chaudhuri et al. 2006, Xiao et al. 2008). A word that no other
text has can match nothing and is skipped, and so is a word in more than `max_df` texts,
too common to block on. The candidates come out of one sparse product, the pairs whose
lengths cannot reach the cutoff are dropped, and rapidfuzz scores the rest in C.

Two texts at a ratio of 90 or more share nearly all their words, so their rarest words
meet unless every one of them was edited: that is the bound, and the one way a pair
can be missed. Abstracts, long enough to share many words by chance, must meet in
`min_shared` of them (2 of their 8): near-copies share nearly all eight.

An exact filter (character q-grams, whose prefix must hold q·d + 1 of them for d edits)
needs about half of a title's q-grams as its prefix at ratio 93, and
its candidate product ran out of memory at 50,000 titles. `tests/test_check.py`
compares these findings with every pair compared, on corpora with planted duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a build, which asks for no near duplicates, never is
    import numpy as np


def _ranked(texts: Sequence[str]) -> tuple[list[list[int]], np.ndarray]:
    """Each text's distinct words as ids in the global order (rarest first), and each
    id's document frequency."""
    import numpy as np

    words = [set(t.split()) for t in texts]
    df: Counter[str] = Counter()
    for w in words:
        df.update(w)
    order = sorted(df, key=lambda t: (df[t], t))
    ids = {t: i for i, t in enumerate(order)}
    freq = np.fromiter((df[t] for t in order), dtype=np.int64, count=len(order))
    return [sorted(ids[t] for t in w) for w in words], freq


def _pairs_sharing(prefixes: list[list[int]], vocabulary: int,
                   min_shared: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j for every two texts whose prefixes share a word (`min_shared`
    words, or all of the shorter prefix): one sparse product."""
    import numpy as np

    rows = np.repeat(np.arange(len(prefixes)), [len(p) for p in prefixes])
    cols = np.fromiter((t for p in prefixes for t in p), dtype=np.int64, count=len(rows))
    if not len(rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    from scipy import sparse

    incidence = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)),
                                  shape=(len(prefixes), vocabulary))
    shared = sparse.triu(incidence @ incidence.T, k=1).tocoo()
    i, j = shared.row.astype(np.int64), shared.col.astype(np.int64)
    if min_shared > 1:
        sizes = np.fromiter((len(p) for p in prefixes), dtype=np.int64, count=len(prefixes))
        enough = shared.data >= np.minimum(min_shared, np.minimum(sizes[i], sizes[j]))
        i, j = i[enough], j[enough]
    return i, j


def similar_pairs(texts: Sequence[str], cutoff: float, prefix: int, max_df: int | None = None,
                  min_shared: int = 1) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score), i < j, of texts whose rapidfuzz `fuzz.ratio` is at least
    `cutoff`, among those whose `prefix` rarest shared words meet in `min_shared` words
    (see the module doc). The texts are normalized already (identity.title_key): words
    joined by spaces."""
    if len(texts) < 2:
        return []
    import numpy as np
    from rapidfuzz import fuzz, process

    ranked, freq = _ranked(texts)
    most = len(texts) if max_df is None else max_df
    prefixes = [[w for w in words if 2 <= freq[w] <= most][:prefix] for words in ranked]
    i, j = _pairs_sharing(prefixes, len(freq), min_shared)
    # The indel distance is at least the difference of the lengths: most candidates end here.
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    slack = (100.0 - cutoff) / 100.0
    fits = np.abs(lengths[i] - lengths[j]) <= slack * (lengths[i] + lengths[j]) + 1e-9
    i, j = i[fits], j[fits]
    if not len(i):
        return []
    scores = process.cpdist([texts[k] for k in i.tolist()], [texts[k] for k in j.tolist()],
                            scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64, workers=-1)
    keep = np.nonzero(scores >= cutoff)[0]
    return sorted((int(i[k]), int(j[k]), float(scores[k])) for k in keep)
