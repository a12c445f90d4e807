"""Review content/topics.yml: the topic list that every paper's topic ids refer to.

Besides its own problems it returns the topic ids, each with the node where it
is defined, so that paper files can be checked against them and a topic that
no paper uses can be reported on its own line. A topics.yml too broken to give
its ids is returned as not `loaded`: then no paper is blamed for unknown ids.

This is the one reader of topics.yml: the import, `new` and the build get their
`Topic` records from `load_topics`, which refuses a file with errors.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from generator.errors import ContentError, Problem, Severity, closest, did_you_mean
from generator.identity import is_slug, reserved_hint
from generator.icons import ICON_NAME, icon_exists
from generator.model import RuleKind, Scoring, Topic, TopicRule, TopicRules
from generator.review.fields import check_keys, check_slug_list, check_text, check_text_list
from generator.review.nodes import Doc, FieldPath, field_name, parse_file

TOPICS_FILE_KEYS = ("fallback", "scoring", "topics")
RULE_KEYS = tuple(str(kind) for kind in RuleKind)
TOPIC_KEYS = ("id", "title", "description", "icon", "redirect_from", *RULE_KEYS, "exclude")
TOPIC_REQUIRED = ("id", "title", "description")
SCORING_KEYS = {field.name: field.type for field in dataclasses.fields(Scoring)}


@dataclass(frozen=True)
class TopicIds:
    """What the paper and cross-file checks need to know about topics.yml."""

    path: str
    ids: dict[str, Node | None] = field(default_factory=dict)
    """Topic id -> the node of its id value (where an empty topic is reported)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Old topic id (a `redirect_from` entry) -> the topic it now leads to."""
    fallback: str | None = None
    loaded: bool = False
    """False when topics.yml is unusable, so papers' topic ids cannot be checked."""
    topics: tuple[Topic, ...] = ()
    """The topics that have no error of their own, in file order."""
    scoring: Scoring = Scoring()
    complete: bool = False
    """True when topics.yml has no error, so that its rules give every paper its topics."""

    @property
    def rules(self) -> TopicRules:
        return TopicRules(self.topics, self.fallback, self.scoring)


def unknown_topic(word: str, ids: Iterable[str], topics: Iterable[Topic], where: str) -> str:
    """The message for a topic id that topics.yml does not define: the closest id, else the
    topic whose title has the word (`interpretability` -> `theory`, "Theory and
    interpretability"), and every valid id, so the fix is on the screen."""
    ids = sorted(ids)
    titles = {t.id: t.title for t in topics}
    near = closest(word, ids)
    if near is None:
        wanted = word.casefold().replace("_", "-").split("-")
        near = next((t for t in ids if t in titles and all(
            closest(part, re.findall(r"\w+", titles[t].casefold()), cutoff=0.8)
            for part in wanted if part)), None)
    hint = "."
    if near:
        hint = f"; did you mean '{near}'" + (f" ({titles[near]})?" if near in titles else "?")
    return f"unknown topic '{word}'{hint} Expected one of the ids in {where}: {', '.join(ids)}"


def check_topics(path: Path, display: str, problems: list[Problem]) -> TopicIds:
    """Report every problem in topics.yml into `problems`; return its topic ids."""
    first_problem = len(problems)
    if not path.is_file():
        problems.append(
            Problem(
                display, 1, 1, Severity.ERROR, "file not found; expected the topic list (fallback, topics)"
            )
        )
        return TopicIds(display)
    doc = parse_file(path, display, problems)
    if doc is None:
        return TopicIds(display)
    if not doc.is_mapping("a mapping with the keys fallback and topics"):
        return TopicIds(display)
    data = doc.data
    check_keys(doc, (), data, TOPICS_FILE_KEYS, "; expected fallback or topics")
    if "topics" not in data:
        doc.report(doc.root, "missing required key 'topics' (the list of topics)")
        return TopicIds(display)
    topics = data["topics"]
    if not isinstance(topics, list):
        doc.expected(("topics",), "a list of topics", topics)
        return TopicIds(display)
    ids: dict[str, Node | None] = {}
    first_line: dict[str, int] = {}
    records: list[Topic] = []
    for i, topic in enumerate(topics):
        before = len(problems)
        _check_topic(doc, ("topics", i), topic, ids, first_line)
        if len(problems) == before:
            records.append(_topic(topic))
    renamed = _check_redirects(doc, topics, ids)
    fallback = _check_fallback(doc, data, ids) if "fallback" in data else None
    scoring = _check_scoring(doc, data["scoring"]) if "scoring" in data else Scoring()
    complete = not any(p.severity == Severity.ERROR for p in problems[first_problem:])
    return TopicIds(display, ids, renamed, fallback, loaded=True, topics=tuple(records),
                    scoring=scoring, complete=complete)


def _weighted(value: Any) -> list[tuple[str, float]]:
    """A rule list as (text, weight): a list weighs 1 each, a mapping gives the weights."""
    if isinstance(value, dict):
        return [(str(k), float(v)) for k, v in value.items()]
    return [(str(v), 1.0) for v in value or ()]


def _topic(item: dict[str, Any]) -> Topic:
    rules = tuple(TopicRule(kind, text, weight)
                  for kind in RuleKind for text, weight in _weighted(item.get(str(kind))))
    return Topic(
        id=item["id"],
        title=item["title"],
        description=item["description"],
        rules=rules,
        exclude=tuple(item.get("exclude") or ()),
        icon=item.get("icon"),
        redirect_from=tuple(item.get("redirect_from") or ()),
    )


def load_topics(path: Path) -> TopicRules:
    """The topics, the fallback topic id and the scoring; ContentError if topics.yml has any
    error."""
    problems: list[Problem] = []
    found = check_topics(path, str(path), problems)
    if any(p.severity == Severity.ERROR for p in problems):
        raise ContentError(problems)
    return found.rules


def _check_scoring(doc: Doc, value: Any) -> Scoring:
    """The `scoring:` mapping: known keys, each a number in its range."""
    if not isinstance(value, dict):
        doc.expected(("scoring",), "a mapping of scoring settings", value)
        return Scoring()
    check_keys(doc, ("scoring",), value, tuple(SCORING_KEYS), "; expected one of "
               + ", ".join(SCORING_KEYS))
    settings: dict[str, Any] = {}
    for key, kind in SCORING_KEYS.items():
        if key not in value:
            continue
        number = value[key]
        whole = kind == "int"
        ok = isinstance(number, int) if whole else isinstance(number, (int, float))
        low = 0.0 if key == "second_ratio" else (1 if whole else 0.0)
        ok = ok and not isinstance(number, bool) and number >= low
        if key == "second_ratio":
            ok = ok and number <= 1
        elif not whole:
            ok = ok and number > 0
        if not ok:
            what = {"second_ratio": "a number from 0 to 1"}.get(
                key, "a whole number >= 1" if whole else "a number > 0")
            doc.expected(("scoring", key), what, number)
        else:
            settings[key] = number
    return Scoring(**settings)


def _check_topic(
    doc: Doc, here: FieldPath, topic: Any, ids: dict[str, Node | None], first_line: dict[str, int]
) -> None:
    """One entry of the topic list; a good, new id is added to `ids`."""
    if not isinstance(topic, dict):
        doc.expected(here, "a topic (a mapping with id, title, description)", topic)
        return
    check_keys(
        doc, here, topic, TOPIC_KEYS, "; expected one of " + ", ".join(TOPIC_KEYS), TOPIC_REQUIRED
    )
    for key in ("title", "description"):
        if key in topic:
            check_text(doc, (*here, key), topic[key])
    if "id" in topic:
        topic_id = topic["id"]
        id_node = doc.node_at((*here, "id"))
        if not isinstance(topic_id, str) or not is_slug(topic_id):
            doc.expected(
                (*here, "id"), "a topic id (lowercase a-z, 0-9 and single hyphens)", topic_id,
                reserved_hint(topic_id),
            )
        elif topic_id in first_line:
            doc.report(
                id_node,
                f"{field_name((*here, 'id'))}: duplicate topic id '{topic_id}' "
                f"(first defined at line {first_line[topic_id]})",
            )
        else:
            first_line[topic_id] = id_node.start_mark.line + 1 if id_node else 1
            ids[topic_id] = id_node
    if "icon" in topic:
        icon = topic["icon"]
        if not isinstance(icon, str) or not ICON_NAME.fullmatch(icon):
            doc.expected((*here, "icon"), "a Material icon name like 'material-magnify'", icon)
        elif not icon_exists(icon):
            doc.report(
                doc.node_at((*here, "icon")),
                f"{field_name((*here, 'icon'))}: expected a Material icon name like "
                f"'material-magnify', found '{icon}', which Material does not have",
            )
    if "redirect_from" in topic:
        check_slug_list(doc, (*here, "redirect_from"), topic["redirect_from"], "old topic ids",
                        "an old topic id (lowercase a-z, 0-9 and single hyphens)")
    for kind in RuleKind:
        if str(kind) in topic:
            _check_rules(doc, (*here, str(kind)), topic[str(kind)], kind)
    if "exclude" in topic:
        check_text_list(doc, (*here, "exclude"), topic["exclude"], "phrases")


RESERVED_IDS = ("index",)
"""Ids that cannot be a topic's old id: topics/index/ is the Topics page."""


def _check_redirects(doc: Doc, topics: list[Any], ids: dict[str, Node | None]) -> dict[str, str]:
    """Old topic ids -> their topic. An old id must not be a live topic's id (its page would
    be shadowed), nor claimed by two topics, nor a reserved page name."""
    renamed: dict[str, str] = {}
    claimed_at: dict[str, FieldPath] = {}
    for i, topic in enumerate(topics):
        if not isinstance(topic, dict) or not isinstance(topic.get("redirect_from"), list):
            continue
        olds = topic["redirect_from"]
        for j, old in enumerate(olds):
            here: FieldPath = ("topics", i, "redirect_from", j)
            if not isinstance(old, str) or not is_slug(old) or olds.index(old) != j:
                continue  # reported by check_slug_list
            node = doc.node_at(here)
            if old in ids:
                doc.report(node, f"{field_name(here)}: '{old}' is the id of a live topic; expected "
                                 "an old id no topic has now (a redirect would shadow its page)")
            elif old in RESERVED_IDS:
                doc.report(node, f"{field_name(here)}: '{old}' is reserved (topics/{old}/ is "
                                 "the Topics page); expected an old topic id")
            elif old in claimed_at:
                doc.report(node, f"{field_name(here)}: '{old}' is also claimed at "
                                 f"{field_name(claimed_at[old])}; an old id can lead to only one "
                                 "topic")
            elif isinstance(topic.get("id"), str) and topic["id"] in ids:
                claimed_at[old] = here
                renamed[old] = topic["id"]
    return renamed


_WHAT = {RuleKind.KEYWORD: "keywords", RuleKind.ACRONYM: "acronyms",
         RuleKind.TITLE_KEYWORD: "keywords", RuleKind.PATTERN: "regular expressions"}


def _check_rules(doc: Doc, here: FieldPath, value: Any, kind: RuleKind) -> None:
    """A rule list: texts (weight 1 each), or a mapping of each text to its weight > 0."""
    if isinstance(value, dict):
        texts = list(value)
        for text, weight in value.items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
                doc.expected((*here, text), "a weight (a number > 0)", weight)
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                doc.report(doc.node_at(here), f"{field_name(here)}: expected {_WHAT[kind]} as "
                                              f"keys, found {text!r}", path=here)
                return
    elif check_text_list(doc, here, value, f"{_WHAT[kind]} (or a mapping of each to its weight)"):
        texts = value
    else:
        return
    if kind is not RuleKind.PATTERN:
        return
    for pattern in texts:
        try:
            re.compile(pattern)
        except re.error as exc:
            path = (*here, pattern) if isinstance(value, dict) else (*here, texts.index(pattern))
            doc.report(
                doc.node_at(path, key=isinstance(value, dict)),
                f"{field_name(path)}: expected a valid regular "
                f"expression, found {pattern!r} ({exc.msg} at position {exc.pos})",
            )


def _check_fallback(doc: Doc, data: dict[str, Any], ids: dict[str, Node | None]) -> str | None:
    """The fallback topic id if it names a defined topic, else None (and a report)."""
    fallback = data["fallback"]
    if not isinstance(fallback, str):
        doc.expected(("fallback",), "the id of a topic defined in topics", fallback)
        return None
    if fallback not in ids:
        doc.report(
            doc.node_at(("fallback",)),
            f"fallback: expected the id of a topic defined in topics, found "
            f"'{fallback}'{did_you_mean(fallback, ids)}",
        )
        return None
    return fallback
