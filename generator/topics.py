"""Assign topics by rule. The rules are data in `content/topics.yml`.

A curator changes what lands where with a pull request to topics.yml; the code
only scores keyword and pattern hits, with title hits weighing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from generator.errors import ContentError, Problem
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


def load_topics(path: Path) -> tuple[tuple[Topic, ...], str | None]:
    """The topics and the fallback topic id. Raises ContentError on unreadable files.

    Field-by-field review (unknown keys, bad patterns, ...) is `check`'s job;
    this only refuses what it cannot build topics from.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError([Problem(str(path), 0, 0, "error", f"cannot read topics: {exc.strerror}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ContentError(
            [Problem(str(path), mark.line + 1 if mark else 0, mark.column + 1 if mark else 0, "error",
                     f"YAML syntax error: {exc.problem}")]
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ContentError([Problem(str(path), 1, 1, "error", "expected a mapping with a `topics:` list")])
    topics = []
    for item in data["topics"]:
        try:
            topics.append(
                Topic(
                    id=str(item["id"]),
                    title=str(item["title"]),
                    description=str(item.get("description", "")),
                    keywords=tuple(str(k) for k in item.get("keywords") or ()),
                    patterns=tuple(str(p) for p in item.get("patterns") or ()),
                    icon=item.get("icon"),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ContentError([Problem(str(path), 1, 1, "error", f"bad topic entry {item!r}: {exc}")]) from None
    fallback = data.get("fallback")
    return tuple(topics), str(fallback) if fallback else None


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
