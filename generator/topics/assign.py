"""Assign topics by rule. The rules are data in `content/topics.yml`.

A curator steers what lands where with a pull request to topics.yml; the code
only scores the hits of each topic's rules:

- a rule is a keyword (whole words, ignoring case, with a plural and a hyphen
  for a space), an acronym (exact case, so CLIP is not a video clip and GLUE
  not a molecular glue), a title keyword (a word too generic to count in an
  abstract: it counts only in the title) or a regular expression; each has a
  weight;
- a hit in the title adds the rule's weight `title_weight` times, and each hit
  in the abstract adds it once, up to `abstract_cap` hits per rule;
- the text a topic's `exclude` phrases match never counts for that topic
  (`code is available` is not the code domain);
- where two rules of a topic match at the same place, the longer match counts.

A paper gets each topic that scores at least `min_score`, at most `max_topics`,
the best first; the second topic also needs `second_ratio` of the best score, a
third `third_ratio`, unless its title hits alone reach `min_score` (a topic the
title names is central, however much the abstract says about another). A paper
no topic scores enough for gets its best topic if that reaches `min_best`, else
the fallback topic. `score_topics` returns every hit behind a
score, for `python -m generator topics explain`; the scores are also the features the topic
proposer (`generator.topics.propose`) learns from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.model import RuleKind, Scoring, Topic, TopicRule, TopicRules

_BEFORE = r"(?<![\w-])"
"""A match starts a word that is not the second half of a hyphenated one (`pre-training data`
is no `training data`)."""
_AFTER = r"(?![\w])"


def _phrase(text: str) -> str:
    """A keyword as a regex: a space also matches a hyphen, and a plural s/es may follow."""
    return re.escape(text).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?"


def rule_regex(rule: TopicRule) -> str:
    """One rule as a regular expression (without the word boundaries)."""
    if rule.kind is RuleKind.PATTERN:
        return f"(?i:{rule.text})"
    if rule.kind is RuleKind.ACRONYM:
        return f"(?-i:{re.escape(rule.text)}s?)"
    return f"(?i:{_phrase(rule.text)})"


@dataclass(frozen=True)
class _Compiled:
    topic: Topic
    title: re.Pattern[str] | None
    """Every rule as a named alternative `r<i>`, the longest text first; where a title keyword
    and a keyword have the same text, the title keyword (and its weight) wins."""
    abstract: re.Pattern[str] | None
    """The same, without the title keywords."""
    exclude: re.Pattern[str] | None


def _alternatives(topic: Topic, kinds: set[RuleKind]) -> re.Pattern[str] | None:
    order = sorted((i for i, r in enumerate(topic.rules) if r.kind in kinds),
                   key=lambda i: (-len(topic.rules[i].text),
                                  topic.rules[i].kind is not RuleKind.TITLE_KEYWORD))
    if not order:
        return None
    alternatives = "|".join(f"(?P<r{i}>{rule_regex(topic.rules[i])})" for i in order)
    return re.compile(f"{_BEFORE}(?:{alternatives}){_AFTER}")


@lru_cache(maxsize=64)
def _compile(topic: Topic) -> _Compiled:
    title = _alternatives(topic, set(RuleKind))
    abstract = _alternatives(topic, set(RuleKind) - {RuleKind.TITLE_KEYWORD})
    exclude = None
    if topic.exclude:
        exclude = re.compile(f"{_BEFORE}(?:{'|'.join(_phrase(p) for p in topic.exclude)}){_AFTER}",
                             re.IGNORECASE)
    return _Compiled(topic, title, abstract, exclude)


@dataclass(frozen=True)
class Hit:
    """The hits of one rule in one paper, and what they add to the topic's score."""

    rule: TopicRule
    in_title: int
    """Matches in the title (any number counts as one)."""
    in_abstract: int
    """Matches in the abstract, all of them (`counted` says how many count)."""
    score: float
    matched: tuple[str, ...]
    """The distinct texts it matched, as written."""


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: float
    hits: tuple[Hit, ...]
    excluded: tuple[str, ...] = ()
    """The text the topic's `exclude` phrases removed."""
    title_score: float = 0.0
    """What the title alone adds: a topic the title names is central to the paper."""


def _mask(text: str, exclude: re.Pattern[str] | None) -> tuple[str, list[str]]:
    if exclude is None:
        return text, []
    found = [m[0] for m in exclude.finditer(text)]
    return exclude.sub(lambda m: " " * len(m[0]), text), found


def _matches(regex: re.Pattern[str], text: str) -> dict[int, list[str]]:
    """The text each rule matched. An abbreviation in parentheses right after a match of the
    same topic (`masked language modeling (MLM)`) names the same thing again: it does not
    count twice."""
    found: dict[int, list[str]] = {}
    last_end = -1
    for match in regex.finditer(text):
        before = text[last_end:match.start()] if last_end >= 0 else None
        last_end = match.end()
        if before is not None and re.fullmatch(r"\s*\(", before) and text[match.end():match.end() + 1] == ")":
            continue
        found.setdefault(int(match.lastgroup[1:]), []).append(match[0])  # type: ignore[index]
    return found


def score_topic(topic: Topic, title: str, abstract: str, scoring: Scoring) -> TopicScore:
    """Every hit of the topic's rules in the paper, and the topic's score."""
    compiled = _compile(topic)
    if compiled.title is None:
        return TopicScore(topic.id, 0.0, ())
    title, out_title = _mask(title, compiled.exclude)
    abstract, out_abstract = _mask(abstract, compiled.exclude)
    in_title = _matches(compiled.title, title)
    in_abstract = _matches(compiled.abstract, abstract) if compiled.abstract else {}
    hits = []
    for i, rule in enumerate(topic.rules):
        t, a = in_title.get(i, []), in_abstract.get(i, [])
        if not t and not a:
            continue
        score = rule.weight * (scoring.title_weight * bool(t) + min(len(a), scoring.abstract_cap))
        hits.append(Hit(rule, len(t), len(a), score, tuple(dict.fromkeys(t + a))))
    title_score = sum(h.rule.weight * scoring.title_weight for h in hits if h.in_title)
    return TopicScore(topic.id, sum(h.score for h in hits), tuple(hits),
                      tuple(out_title + out_abstract), title_score)


def score_topics(title: str, abstract: str, rules: TopicRules) -> list[TopicScore]:
    """Every topic with a hit, the best first (ties in the order of topics.yml)."""
    scores = [score_topic(t, title, abstract, rules.scoring) for t in rules.topics]
    return sorted((s for s in scores if s.hits), key=lambda s: -s.score)


def choose(scores: list[TopicScore], rules: TopicRules) -> tuple[str, ...]:
    """The topics `scores` earn (see the module docstring)."""
    scoring = rules.scoring
    chosen: list[str] = []
    for s in scores:
        if len(chosen) >= scoring.max_topics or s.score < scoring.min_score:
            break
        ratio = scoring.second_ratio if len(chosen) < 2 else (
            scoring.second_ratio if scoring.third_ratio is None else scoring.third_ratio)
        if chosen and s.score < ratio * scores[0].score and s.title_score < scoring.min_score:
            continue
        chosen.append(s.topic)
    if not chosen and scores and scoring.min_best is not None \
            and scores[0].score >= scoring.min_best:
        chosen.append(scores[0].topic)
    if not chosen and rules.fallback:
        return (rules.fallback,)
    return tuple(chosen)


def assign_topics(title: str, abstract: str, rules: TopicRules) -> tuple[str, ...]:
    """Up to `max_topics` topics, best first; the fallback when no topic scores enough."""
    return choose(score_topics(title, abstract, rules), rules)
