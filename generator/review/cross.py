"""Checks across files: duplicate papers, clashing redirects, and topics with no papers.

These need every paper file at once, so they run after the per-file checks,
on the data of the files that parsed. A problem is reported on each file
involved, naming the others, since a pull request may touch only one of them.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from generator.errors import Problem, Severity, short
from generator.identity import is_slug, title_key
from generator.review.nodes import Doc, position
from generator.review.topics import TopicIds

NEAR_DUPLICATE_RATIO = 93.0
"""rapidfuzz ratio on title_key at or above which two different titles are flagged."""


def cross_check(
    docs: list[tuple[str, Doc]],
    topics: TopicIds,
    topics_problems: list[Problem],
    *,
    near_duplicates: bool = True,
) -> None:
    """Duplicates across files, redirects, and topics that no paper uses.

    `docs` is every paper file as (slug, doc); problems about topics.yml go to
    `topics_problems`. `near_duplicates=False` skips the search for similar titles,
    which only ever warns and is the one check that compares titles pairwise.
    """
    papers = [(slug, doc) for slug, doc in docs if isinstance(doc.data, dict)]
    _duplicate_titles([doc for _, doc in papers], near=near_duplicates)
    _duplicate_arxiv_ids([doc for _, doc in papers])
    _redirects(papers, live={slug: doc.path for slug, doc in docs})
    if topics.loaded:
        _unused_topics([doc for _, doc in papers], topics, topics_problems)


def _shared(groups: dict[str, list[Doc]]) -> Iterator[tuple[str, Doc, str]]:
    """(key, doc, the other files' paths) for every doc in a group of two or more."""
    for key, group in groups.items():
        for doc in group if len(group) > 1 else ():
            yield key, doc, ", ".join(d.path for d in group if d is not doc)


def _duplicate_titles(papers: list[Doc], near: bool = True) -> None:
    by_title: dict[str, list[Doc]] = defaultdict(list)
    for doc in papers:
        title = doc.data.get("title")
        if isinstance(title, str) and title.strip() and (key := title_key(title)):
            by_title[key].append(doc)
    for _, doc, others in _shared(by_title):
        doc.report(
            doc.node_at(("title",)),
            f"duplicate paper: the same title is in "
            f"{others}; expected each paper once (merge them and list "
            "the old slug in redirect_from)",
        )
    keys = list(by_title) if near else []
    for i, j, score in _near_pairs(keys):
        for a, b in ((i, j), (j, i)):
            for doc in by_title[keys[a]]:
                for other in by_title[keys[b]]:
                    doc.report(
                        doc.node_at(("title",)),
                        f"possible duplicate: the title is "
                        f"{score:.0f}% similar to the title in {other.path} "
                        f"({short(other.data['title'])!r})",
                        Severity.WARNING,
                    )


def _near_pairs(keys: list[str]) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) of different keys with fuzz.ratio >= NEAR_DUPLICATE_RATIO.

    ratio = 100 * (1 - indel / (len_a + len_b)) and indel >= |len_a - len_b|, so a
    pair can only reach the cutoff if the longer key is at most `stretch` times the
    shorter: keys sorted by length are compared only within that window, by
    rapidfuzz's C loop. 10,000 titles take well under a second.
    """
    from rapidfuzz import fuzz, process

    order = sorted(range(len(keys)), key=lambda k: len(keys[k]))
    sorted_keys = [keys[k] for k in order]
    lengths = [len(k) for k in sorted_keys]
    stretch = (200 - NEAR_DUPLICATE_RATIO) / NEAR_DUPLICATE_RATIO
    pairs = []
    for i, key in enumerate(sorted_keys):
        hi = bisect.bisect_right(lengths, lengths[i] * stretch + 1e-9)
        if hi <= i + 1:
            continue
        for _, score, j in process.extract(
            key,
            sorted_keys[i + 1 : hi],
            scorer=fuzz.ratio,
            score_cutoff=NEAR_DUPLICATE_RATIO,
            limit=None,
        ):
            pairs.append((order[i], order[i + 1 + j], score))
    return pairs


def _duplicate_arxiv_ids(papers: list[Doc]) -> None:
    by_arxiv: dict[str, list[Doc]] = defaultdict(list)
    for doc in papers:
        if isinstance(doc.data.get("arxiv"), str) and doc.data["arxiv"]:
            by_arxiv[doc.data["arxiv"]].append(doc)
    for arxiv, doc, others in _shared(by_arxiv):
        doc.report(
            doc.node_at(("arxiv",)),
            f"duplicate paper: arxiv '{arxiv}' is also in {others}; expected each paper once",
        )


def _redirects(papers: list[tuple[str, Doc]], live: dict[str, str]) -> None:
    """An old slug must not be the paper's own, a live page's, or claimed twice."""
    claims: dict[str, list[Doc]] = defaultdict(list)
    for slug, doc in papers:
        redirects: Any = doc.data.get("redirect_from")
        for i, old in enumerate(redirects if isinstance(redirects, list) else ()):
            if not isinstance(old, str) or not is_slug(old) or redirects.index(old) != i:
                continue  # reported by the paper check
            node = doc.node_at(("redirect_from", i))
            if old == slug:
                doc.report(
                    node,
                    f"redirect_from[{i}]: '{old}' is this paper's own slug; expected "
                    "an old slug (a page cannot redirect to itself)",
                )
            elif old in live:
                doc.report(
                    node,
                    f"redirect_from[{i}]: '{old}' is the slug of a live page "
                    f"({live[old]}); expected an old slug that no file uses (the "
                    "redirect would shadow that page)",
                )
            else:
                claims[old].append(doc)
    for old, doc, others in _shared(claims):
        i = doc.data["redirect_from"].index(old)
        doc.report(
            doc.node_at(("redirect_from", i)),
            f"redirect_from[{i}]: '{old}' is also "
            f"claimed by {others}; an old URL can redirect to only one paper",
        )


def _shown_topics(data: dict[str, Any]) -> set[str]:
    """The topic ids the site shows for a file's data, as written: its `topics`, else its
    proposed topics. Strings only: a malformed value is reported by the paper's own check."""
    proposals = data.get("proposed_topics")
    proposed = ([p.get("topic") for p in proposals if isinstance(p, dict)]
                if isinstance(proposals, list) else [])
    shown = data.get("topics") or proposed
    return {t for t in shown if isinstance(t, str)} if isinstance(shown, list) else set()


def _unused_topics(papers: list[Doc], topics: TopicIds, problems: list[Problem]) -> None:
    """Every topic but the fallback needs a paper, or its page would be empty."""
    used = Counter(t for doc in papers for t in _shown_topics(doc.data))
    for topic_id, node in topics.ids.items():
        if topic_id != topics.fallback and not used[topic_id]:
            problems.append(
                Problem(
                    topics.path,
                    *position(node.start_mark if node else None),
                    Severity.ERROR,
                    f"topic '{topic_id}' has no papers; expected at least one paper "
                    "with it in its topics or proposed_topics (or remove the topic)",
                )
            )
