"""Assign topics by rule. The rules are data in `content/topics.yml`.

A curator changes what lands where with a pull request to topics.yml; the code
only scores keyword and pattern hits, with title hits weighing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.model import Topic

TITLE_WEIGHT = 3
"""A hit in the title counts this many abstract hits."""
ABSTRACT_CAP = 4
"""Abstract hits counted per topic at most, so one repeated word can't dominate."""
THRESHOLD = 3
"""Score a topic needs to be assigned besides the best one."""
MAX_TOPICS = 3


@dataclass(frozen=True)
class _Rule:
    topic: str
    regex: re.Pattern[str]


@lru_cache(maxsize=8)
def _rules(topics: tuple[Topic, ...]) -> tuple[_Rule, ...]:
    rules = []
    for topic in topics:
        alternatives = [re.escape(k).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?" for k in topic.keywords]
        alternatives += [f"(?:{p})" for p in topic.patterns]
        if alternatives:
            regex = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)
            rules.append(_Rule(topic.id, regex))
    return tuple(rules)


def score_topics(title: str, abstract: str, topics: tuple[Topic, ...]) -> dict[str, int]:
    scores = {}
    for rule in _rules(topics):
        in_title = len({m.lower() for m in rule.regex.findall(title)})
        in_abstract = min(len(rule.regex.findall(abstract)), ABSTRACT_CAP)
        score = TITLE_WEIGHT * in_title + in_abstract
        if score:
            scores[rule.topic] = score
    return scores


def assign_topics(
    title: str, abstract: str, topics: tuple[Topic, ...], fallback: str | None = None
) -> tuple[str, ...]:
    """Up to three topics, best first; the fallback when no rule matches at all."""
    scores = score_topics(title, abstract, topics)
    if not scores:
        return (fallback,) if fallback else ()
    order = {t.id: i for i, t in enumerate(topics)}
    ranked = sorted(scores, key=lambda t: (-scores[t], order[t]))
    chosen = [t for t in ranked if scores[t] >= THRESHOLD][:MAX_TOPICS]
    return tuple(chosen or ranked[:1])
