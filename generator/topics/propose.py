"""Proposed topics for the papers no curator has read yet: the rules and the curated papers.

A curator gives every paper its `topics` by reading it against topics.yml's descriptions;
until then a paper shows proposals. The proposer learns how the curators' choices follow
two things it can compute for any paper, per topic:

- the rules of topics.yml (`generator.topics.assign`): the topic's score, the title's part
  of it, whether the rules give the topic, and whether they give it first;
- the nearest curated papers (TF-IDF cosine of title and abstract): the similarity-weighted
  share of the 5, and of the 20, most similar ones whose curator gave the topic.

One logistic regression over (paper, topic) pairs, with a bias per topic and a weight per
topic on its rule score, turns them into the probability that a curator gives the paper
the topic: its confidence. A paper is proposed its most probable topic, and then each
topic at `ASSIGN` or more, the best first, at most `max_topics` (topics.yml's scoring).

Why this shape, measured by 5-fold cross-validation on the curated papers (BENCHMARKS.md,
"Topic proposals"): a linear model over TF-IDF alone loses to the rules by far, and TF-IDF
terms beside the rules' scores still lose; the neighbours and the rules together beat the
rules alone, and say how sure they are. Static word embeddings (wordllama) as the
similarity did no better than TF-IDF, so no dependency was added.

Training is deterministic (papers sorted by slug, stable sorts, lbfgs) and runs when a
proposal is needed (an import, `new`, `topics refresh`, `topics explain`), never in the
build or `check`; nothing is stored. It learns from at most MAX_TRAINING curated papers
(`training_sample`): the neighbours are found among every pair of them, which grows with
the square of their number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from generator.model import Paper, Proposal, TopicRules
from generator.parallel import beside, can_fork
from generator.topics import cache
from generator.topics.assign import choose, score_topics

ASSIGN = 0.5
"""A topic after the first is proposed at this probability or more."""
NEIGHBOURS = (5, 20)
"""How many nearest curated papers vote, in each of the two neighbour features."""
MIN_CURATED = 50
"""With fewer curated papers there is nothing to learn from: the rules propose alone, with
no confidence (every such paper needs review)."""
RULE_FEATURES = ("rule score", "title score", "given by the rules", "first by the rules")
MAX_TRAINING = 5_000
"""The most curated papers the proposer learns from and finds neighbours among. 21 topics
need far fewer; past this, training time grows with the square of the catalog (9 minutes
for each `new` at 50,000 curated papers) and buys nothing measurable."""
_C = 1.0
"""The logistic regression's inverse regularization (scikit-learn's default)."""


def paper_text(paper: Paper) -> str:
    """What the similarity reads: the title counts twice, as the rules weigh it more."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


PARALLEL_FROM = 200
"""Papers to score before a second process pays for itself: about 6 ms each, so 200 take
over a second, and forking costs a few milliseconds."""


def rule_features(papers: Sequence[Paper], rules: TopicRules) -> np.ndarray:
    """(papers, topics, RULE_FEATURES): what the rules say about each topic (see `cache`).
    The papers the cache does not know are scored on two cores when there are many (a
    fresh clone of a 10,000-paper index scores 5,000 at the first `new`)."""
    ids = [t.id for t in rules.topics]
    known = cache.load(rules)
    keys = [cache.text_key(p.title, p.abstract) for p in papers]
    missing = {key: paper for key, paper in zip(keys, papers) if key not in known}
    if missing:
        known.update(zip(missing, _rule_entries(list(missing.values()), rules, ids)))
        cache.save(rules, known)
    out = np.zeros((len(papers), len(ids), len(RULE_FEATURES)))
    for i, key in enumerate(keys):
        for j, *features in known[key]:
            out[i, int(j)] = features
    return out


def _rule_entries(papers: list[Paper], rules: TopicRules, ids: list[str]) -> list[cache.Entry]:
    """Each paper's entry, the second half scored by a forked process when there are many."""
    if len(papers) < PARALLEL_FROM or not can_fork():
        return [_rule_entry(p, rules, ids) for p in papers]
    half = len(papers) // 2
    theirs, mine = beside(lambda: [_rule_entry(p, rules, ids) for p in papers[half:]],
                          lambda: [_rule_entry(p, rules, ids) for p in papers[:half]])
    return mine + theirs


def _rule_entry(paper: Paper, rules: TopicRules, ids: list[str]) -> cache.Entry:
    scores = score_topics(paper.title, paper.abstract, rules)
    chosen = choose(scores, rules)
    return [[ids.index(s.topic), float(np.log1p(s.score)), float(np.log1p(s.title_score)),
             float(s.topic in chosen), float(chosen[:1] == (s.topic,))] for s in scores]


def _votes(similarity: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(papers, topics, NEIGHBOURS) votes of the nearest curated papers, and the order of
    the curated papers by similarity for each paper."""
    order = np.argsort(-similarity, axis=1, kind="stable")
    votes = []
    for k in NEIGHBOURS:
        near = order[:, :k]
        weight = np.take_along_axis(similarity, near, axis=1).clip(min=0)
        votes.append(np.einsum("ik,ikt->it", weight, labels[near])
                     / (weight.sum(axis=1, keepdims=True) + 1e-9))
    return np.stack(votes, axis=2), order


_CHUNK = 512
"""Curated papers per block of the training similarities: a block is _CHUNK x all of them."""


def _training_votes(matrix: Any, labels: np.ndarray) -> np.ndarray:
    """`_votes` of every curated paper among the others (a paper is not its own neighbour),
    in blocks of rows and from each row's nearest papers only, so that training takes
    memory and time in proportion to the papers, not to their square: 10,000 curated papers
    would make a 0.8 GB similarity matrix, and sorting every row of it took minutes.

    The neighbours are exactly those of a stable sort of the whole row (ties to the lower
    index): every paper at least as similar as the k-th nearest is a candidate, and the
    candidates are sorted. Papers of similarity 0 weigh nothing, so which of them fill a
    row is immaterial."""
    n, most = matrix.shape[0], max(NEIGHBOURS)
    votes = np.zeros((n, labels.shape[1], len(NEIGHBOURS)))
    for start in range(0, n, _CHUNK):
        rows = (matrix[start:start + _CHUNK] @ matrix.T).toarray()
        block = np.arange(rows.shape[0])
        rows[block, block + start] = -1.0
        kth = -np.partition(-rows, most - 1, axis=1)[:, most - 1]
        near = np.empty((rows.shape[0], most), dtype=np.intp)
        for i, row in enumerate(rows):
            candidates = np.flatnonzero(row >= kth[i]) if kth[i] > 0 else \
                np.argpartition(-row, most - 1)[:most]
            near[i] = candidates[np.lexsort((candidates, -row[candidates]))][:most]
        for v, k in enumerate(NEIGHBOURS):
            weight = np.take_along_axis(rows, near[:, :k], axis=1).clip(min=0)
            votes[start:start + rows.shape[0], :, v] = (
                np.einsum("ik,ikt->it", weight, labels[near[:, :k]])
                / (weight.sum(axis=1, keepdims=True) + 1e-9))
    return votes


def _pairs(rule: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """One row per (paper, topic): the rules' and the neighbours' features, the topic's
    bias and the topic's own weight on its rule score."""
    n, t, _ = rule.shape
    shared = np.concatenate([rule, votes], axis=2).reshape(n * t, -1)
    topic = np.tile(np.eye(t), (n, 1))
    return np.hstack([shared, topic, topic * rule[:, :, :1].reshape(n * t, 1)])


@dataclass(frozen=True)
class Evidence:
    """What drove the probabilities of a set of papers, for `topics explain`."""

    probability: np.ndarray
    """(papers, topics)."""
    rules: np.ndarray
    """(papers, topics): the rules' part of the logit."""
    neighbours: np.ndarray
    """(papers, topics): the neighbours' part of the logit."""
    prior: np.ndarray
    """(topics,): the topic's bias and the intercept."""
    votes: np.ndarray
    """(papers, topics, NEIGHBOURS)."""
    similarity: np.ndarray
    """(papers, curated papers)."""
    order: np.ndarray
    """(papers, curated papers): the curated papers, most similar first."""
    vectors: Any
    """The papers' TF-IDF rows (sparse)."""


@dataclass(frozen=True)
class Proposer:
    """A model trained on the curated papers of one content folder."""

    rules: TopicRules
    curated: tuple[Paper, ...]
    """The training papers, sorted by slug."""
    vectorizer: Any
    matrix: Any
    """The curated papers' TF-IDF rows (sparse, L2-normalized)."""
    labels: np.ndarray
    """(curated papers, topics): 1 where the curator gave the topic."""
    weights: np.ndarray
    intercept: float

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.rules.topics)

    def evidence(self, papers: Sequence[Paper]) -> Evidence:
        vectors = self.vectorizer.transform([paper_text(p) for p in papers])
        similarity = (vectors @ self.matrix.T).toarray()
        votes, order = _votes(similarity, self.labels)
        return self._evidence(rule_features(papers, self.rules), votes, similarity, order, vectors)

    def _evidence(self, rule: np.ndarray, votes: np.ndarray, similarity: np.ndarray,
                  order: np.ndarray, vectors: Any) -> Evidence:
        n, t, r = rule.shape
        v = votes.shape[2]
        w = self.weights
        rule_part = rule @ w[:r] + rule[:, :, 0] * w[r + v + t:]
        neighbour_part = votes @ w[r:r + v]
        prior = w[r + v:r + v + t] + self.intercept
        logit = rule_part + neighbour_part + prior
        return Evidence(1 / (1 + np.exp(-logit)), rule_part, neighbour_part, prior, votes,
                        similarity, order, vectors)

    def propose(self, papers: Sequence[Paper]) -> list[tuple[Proposal, ...]]:
        """Each paper's proposed topics, the best first, with their confidence."""
        if not papers:
            return []
        return [self._choose(row) for row in self.evidence(papers).probability]

    def _choose(self, row: np.ndarray) -> tuple[Proposal, ...]:
        order = np.argsort(-row, kind="stable")[:self.rules.scoring.max_topics]
        ids = self.topic_ids
        return tuple(Proposal(ids[j], round(float(row[j]), 2)) for n, j in enumerate(order)
                     if n == 0 or row[j] >= ASSIGN)


def training_sample(curated: Sequence[Paper], most: int = MAX_TRAINING) -> tuple[Paper, ...]:
    """The curated papers, sorted by slug; past `most`, the `most` whose slugs hash lowest:
    the same papers whatever the order they come in, and one paper added or removed changes
    the sample by at most one paper."""
    papers = [p for p in curated if p.topics]
    if len(papers) > most:
        papers = sorted(papers, key=lambda p: hashlib.sha256(p.slug.encode("utf-8")).digest())[:most]
    return tuple(sorted(papers, key=lambda p: p.slug))


def train(curated: Sequence[Paper], rules: TopicRules, most: int = MAX_TRAINING) -> Proposer | None:
    """A proposer trained on the papers with a curator's `topics` (at most `most` of them:
    `training_sample`); None with fewer than MIN_CURATED of them, or when their topics leave
    nothing to learn."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    papers = training_sample(curated, most)
    if len(papers) < MIN_CURATED:
        return None
    ids = [t.id for t in rules.topics]
    labels = np.array([[t in p.topics for t in ids] for p in papers], dtype=float)
    if labels.min() == labels.max():
        return None
    vectorizer = TfidfVectorizer(min_df=2, sublinear_tf=True, stop_words="english")
    matrix = vectorizer.fit_transform([paper_text(p) for p in papers])
    votes = _training_votes(matrix, labels)
    model = LogisticRegression(C=_C, max_iter=5000)
    model.fit(_pairs(rule_features(papers, rules), votes), labels.reshape(-1))
    return Proposer(rules, papers, vectorizer, matrix, labels, model.coef_[0].copy(),
                    float(model.intercept_[0]))


def propose_topics(papers: Sequence[Paper], proposer: Proposer | None,
                   rules: TopicRules) -> list[tuple[Proposal, ...]]:
    """Each paper's proposals: the proposer's, or with none, the rules' with no confidence."""
    if proposer is not None:
        return proposer.propose(papers)
    return [tuple(Proposal(t) for t in choose(score_topics(p.title, p.abstract, rules), rules))
            for p in papers]
