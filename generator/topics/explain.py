"""What drove a paper's proposed topics, in words, for `topics explain`.

The proposer's probability of a topic is a logistic function of a sum, so the sum can be
split exactly into what the rules add, what the nearest curated papers add and the
topic's prior; the neighbours' part is then traced to the curated papers that have the
topic and to the terms the paper shares with them (the TF-IDF products that make up
their cosine similarity).
"""

from __future__ import annotations

import numpy as np

from generator.model import Paper, TopicRules
from generator.topics.propose import (
    ASSIGN,
    MIN_CURATED,
    NEIGHBOURS,
    Evidence,
    Proposer,
    propose_topics,
)
from generator.topics.proposals import CONFIDENT, describe

SHOWN_BELOW = 0.2
"""A topic the proposer leaves out is shown when its probability reaches this."""
TERMS = 6
"""The strongest shared terms shown per topic."""
NEAREST = 5
"""The nearest curated papers listed."""


def explain_proposals(paper: Paper, proposer: Proposer | None, rules: TopicRules) -> list[str]:
    """The proposal, each topic's probability split into its parts, and the neighbours."""
    proposals = propose_topics([paper], proposer, rules)[0]
    lines = _provenance(paper, describe(proposals))
    if proposer is None:
        return lines + [f"proposer: fewer than {MIN_CURATED} curated papers to learn from, so the "
                        "rules propose alone, with no confidence (see the rules below)"]
    lines.append(f"proposer: trained on {len(proposer.curated)} curated papers (not this one); "
                 f"after the first, a topic is proposed at {ASSIGN:.2f} or more, and it is "
                 f"confident at {CONFIDENT:.2f} or more")
    evidence = proposer.evidence([paper])
    probability = evidence.probability[0]
    ids = proposer.topic_ids
    proposed = [p.topic for p in proposals]
    names = proposer.vectorizer.get_feature_names_out()
    for j in np.argsort(-probability, kind="stable"):
        if ids[j] not in proposed and probability[j] < SHOWN_BELOW:
            continue
        verdict = (f"proposed ({proposed.index(ids[j]) + 1} of {len(proposed)}), "
                   + ("confident" if probability[j] >= CONFIDENT else "needs review")
                   if ids[j] in proposed else "not proposed")
        rules_part, near_part = evidence.rules[0, j], evidence.neighbours[0, j]
        logit = rules_part + near_part + evidence.prior[j]
        lines += ["", f"{ids[j]}: {probability[j]:.2f}, {verdict}",
                  f"  log-odds {logit:+.2f} = rules {rules_part:+.2f}, nearest curated papers "
                  f"{near_part:+.2f}, topic prior {evidence.prior[j]:+.2f}"]
        order = evidence.order[0]
        have = ", ".join(f"{int(proposer.labels[order[:k], j].sum())} of {k}" for k in NEIGHBOURS)
        lines.append(f"  nearest curated papers with it: {have}")
        if terms := _shared_terms(evidence, proposer, j, names):
            lines.append(f"  strongest terms shared with them: {', '.join(terms)}")
    lines += ["", "nearest curated papers:"]
    for n in evidence.order[0][:NEAREST]:
        near = proposer.curated[n]
        lines.append(f"  {evidence.similarity[0, n]:.2f}  {near.slug} ({', '.join(near.topics)})")
    return lines


def _provenance(paper: Paper, proposal: str) -> list[str]:
    if paper.topics:
        return [f"topics: {', '.join(paper.topics)} (chosen by a curator: nothing changes them)",
                f"the proposer would give: {proposal}"]
    lines = [f"proposed: {proposal}"]
    if paper.proposed_topics:
        lines.append("  the file's proposal, made when it arrived: "
                     + describe(paper.proposed_topics))
    return lines


def _shared_terms(evidence: Evidence, proposer: Proposer, topic: int,
                  names: np.ndarray) -> list[str]:
    """The terms that weigh most in the paper's similarity to the curated papers among its
    nearest that have the topic, weighted by how similar each is."""
    order = evidence.order[0][:max(NEIGHBOURS)]
    with_topic = [n for n in order if proposer.labels[n, topic]]
    weights = np.clip(evidence.similarity[0, with_topic], 0, None)
    if not with_topic or not weights.sum():
        return []
    near = np.asarray(proposer.matrix[with_topic].T @ weights).ravel()
    shared = evidence.vectors[0].toarray()[0] * near
    strongest = [i for i in np.argsort(-shared, kind="stable")[:TERMS] if shared[i] > 0]
    return [str(names[i]) for i in strongest]
