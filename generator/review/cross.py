"""Checks across files: duplicate papers, clashing redirects, and topics with no papers.

These need every paper file at once, so they run after the per-file checks,
on the data of the files that parsed. A problem is reported on each file
involved, naming the others, since a pull request may touch only one of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from generator.errors import Problem, Severity, short
from generator.identity import is_slug, title_key
from generator.review.nodes import Doc, position
from generator.review.similar import similar_pairs
from generator.review.topics import TopicIds

NEAR_DUPLICATE_RATIO = 93.0
"""rapidfuzz ratio on title_key at or above which two different titles are flagged."""
ABSTRACT_RATIO = 90.0
"""rapidfuzz ratio on the normalized abstracts (title_key) at or above which two papers are
flagged. No two of the 532 real papers reach 78; unrelated abstracts are under 47 (99%)."""
UNRELATED_ABSTRACTS = 60.0
"""Two papers that share a code link are flagged unless both abstracts are this unlike:
one repository can hold the code of several papers (vec2text holds two of the real ones,
whose abstracts are 48% alike)."""
TITLE_PREFIX = 4
"""Rarest words per title that blocking compares (similar.py): on the planted corpora of
the tests, 3 already find every pair that comparing all pairs finds."""
ABSTRACT_PREFIX = 8
ABSTRACT_MAX_DF = 100
"""A word in more abstracts than this is too common to block on."""
ABSTRACT_MIN_SHARED = 2
"""Of their ABSTRACT_PREFIX rarest words, two abstracts must share this many to be compared."""
ABSTRACT_MIN_WORDS = 20
"""A shorter abstract (a placeholder, a sentence) says too little to tell two papers apart."""


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
    abstracts and shared code links, which only ever warns.
    """
    papers = [(slug, doc) for slug, doc in docs if isinstance(doc.data, dict)]
    _duplicate_titles([doc for _, doc in papers], near=near_duplicates)
    if near_duplicates:
        _similar_abstracts([doc for _, doc in papers])
        _shared_code_links([doc for _, doc in papers])
    _duplicate_arxiv_ids([doc for _, doc in papers])
    _redirects(papers, live={slug: doc.path for slug, doc in docs})
    if topics.loaded:
        _unused_topics([doc for _, doc in papers], topics, topics_problems)


def _shared(groups: dict[str, list[Doc]]) -> Iterator[tuple[str, Doc, str]]:
    """(key, doc, the other files' paths) for every doc in a group of two or more."""
    for key, group in groups.items():
        for doc in group if len(group) > 1 else ():
            yield key, doc, ", ".join(d.path for d in group if d is not doc)


def _text(doc: Doc, key: str) -> str:
    value = doc.data.get(key)
    return value if isinstance(value, str) else ""


def _warn_both(a: Doc, b: Doc, field: tuple[Any, ...], what: str) -> None:
    """A possible duplicate, reported on both files, each naming the other."""
    for doc, other in ((a, b), (b, a)):
        doc.report(doc.node_at(field), f"possible duplicate: {what} {other.path} "
                                       f"({short(_text(other, 'title'))!r})", Severity.WARNING)


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
    for i, j, score in similar_pairs(keys, NEAR_DUPLICATE_RATIO, TITLE_PREFIX):
        for a in by_title[keys[i]]:
            for b in by_title[keys[j]]:
                _warn_both(a, b, ("title",), f"the title is {score:.0f}% similar to the title in")


def _similar_abstracts(papers: list[Doc]) -> None:
    """Issue 20: a paper added again under a changed title keeps its abstract."""
    keyed = [(doc, title_key(_text(doc, "abstract"))) for doc in papers]
    keyed = [(doc, key) for doc, key in keyed if key.count(" ") + 1 >= ABSTRACT_MIN_WORDS]
    texts = [key for _, key in keyed]
    for i, j, score in similar_pairs(texts, ABSTRACT_RATIO, ABSTRACT_PREFIX, ABSTRACT_MAX_DF,
                                     ABSTRACT_MIN_SHARED):
        _warn_both(keyed[i][0], keyed[j][0], ("abstract",),
                   f"the abstract is {score:.0f}% similar to the abstract in")


def code_link_key(url: str) -> str:
    """The form two links to one repository share: no scheme, `www.`, case, `.git` or `/` at the end."""
    key = url.strip().casefold().split("://", 1)[-1].split("#", 1)[0].split("?", 1)[0]
    key = key.removeprefix("www.").rstrip("/")
    return key.removesuffix(".git").rstrip("/")


def _shared_code_links(papers: list[Doc]) -> None:
    """The same code link in two papers, unless their abstracts are plainly unrelated."""
    from rapidfuzz import fuzz

    by_link: dict[str, list[tuple[Doc, int, str]]] = defaultdict(list)
    for doc in papers:
        links = doc.data.get("links")
        for n, link in enumerate(links if isinstance(links, list) else ()):
            url = link.get("url") if isinstance(link, dict) else None
            if isinstance(url, str) and link.get("kind") == "code" and (key := code_link_key(url)):
                if all(d is not doc for d, _, _ in by_link[key]):
                    by_link[key].append((doc, n, url))
    for group in by_link.values():
        for k, (a, n, url_a) in enumerate(group):
            for b, m, url_b in group[k + 1:]:
                first, second = title_key(_text(a, "abstract")), title_key(_text(b, "abstract"))
                if first and second and fuzz.ratio(first, second) < UNRELATED_ABSTRACTS:
                    continue
                for doc, other, i, url in ((a, b, n, url_a), (b, a, m, url_b)):
                    doc.report(doc.node_at(("links", i, "url")),
                               f"possible duplicate: the code link {short(url)} is also in {other.path} "
                               f"({short(_text(other, 'title'))!r})", Severity.WARNING)


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
