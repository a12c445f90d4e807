"""Review content/topics.yml: the topic list that every paper's topic ids refer to.

Besides its own problems it returns the topic ids, each with the node where it
is defined, so that paper files can be checked against them and a topic that
no paper uses can be reported on its own line. A topics.yml too broken to give
its ids is returned as not `loaded`: then no paper is blamed for unknown ids.

This is the one reader of topics.yml: the import, `new` and the build get their
`Topic` records from `load_topics`, which refuses a file with errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from generator.errors import ContentError, Problem, Severity, did_you_mean
from generator.identity import is_slug
from generator.icons import ICON_NAME, icon_exists
from generator.model import Topic
from generator.review.fields import check_keys, check_text, check_text_list
from generator.review.nodes import Doc, FieldPath, field_name, parse_file

TOPICS_FILE_KEYS = ("fallback", "topics")
TOPIC_KEYS = ("id", "title", "description", "icon", "keywords", "patterns")
TOPIC_REQUIRED = ("id", "title", "description")


@dataclass(frozen=True)
class TopicIds:
    """What the paper and cross-file checks need to know about topics.yml."""

    path: str
    ids: dict[str, Node | None] = field(default_factory=dict)
    """Topic id -> the node of its id value (where an empty topic is reported)."""
    fallback: str | None = None
    loaded: bool = False
    """False when topics.yml is unusable, so papers' topic ids cannot be checked."""
    topics: tuple[Topic, ...] = ()
    """The topics that have no error of their own, in file order."""


def check_topics(path: Path, display: str, problems: list[Problem]) -> TopicIds:
    """Report every problem in topics.yml into `problems`; return its topic ids."""
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
    fallback = _check_fallback(doc, data, ids) if "fallback" in data else None
    return TopicIds(display, ids, fallback, loaded=True, topics=tuple(records))


def _topic(item: dict[str, Any]) -> Topic:
    return Topic(
        id=item["id"],
        title=item["title"],
        description=item["description"],
        keywords=tuple(item.get("keywords") or ()),
        patterns=tuple(item.get("patterns") or ()),
        icon=item.get("icon"),
    )


def load_topics(path: Path) -> tuple[tuple[Topic, ...], str | None]:
    """The topics and the fallback topic id; ContentError if topics.yml has any error."""
    problems: list[Problem] = []
    found = check_topics(path, str(path), problems)
    if any(p.severity == Severity.ERROR for p in problems):
        raise ContentError(problems)
    return found.topics, found.fallback


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
                (*here, "id"), "a topic id (lowercase a-z, 0-9 and single hyphens)", topic_id
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
    if "keywords" in topic:
        check_text_list(doc, (*here, "keywords"), topic["keywords"], "keywords")
    if "patterns" in topic and check_text_list(
        doc, (*here, "patterns"), topic["patterns"], "regular expressions"
    ):
        for j, pattern in enumerate(topic["patterns"]):
            try:
                re.compile(pattern)
            except re.error as exc:
                doc.report(
                    doc.node_at((*here, "patterns", j)),
                    f"{field_name((*here, 'patterns', j))}: expected a valid regular "
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
