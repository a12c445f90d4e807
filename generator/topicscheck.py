"""Review content/topics.yml: the topic list that every paper's topic ids refer to.

Besides its own problems it returns the topic ids, each with the node where it
is defined, so that paper files can be checked against them and a topic that
no paper uses can be reported on its own line. A topics.yml too broken to give
its ids is returned as not `loaded`: then no paper is blamed for unknown ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from generator.errors import Problem
from generator.fieldcheck import check_keys, check_text, check_text_list, is_slug, suggest
from generator.yamlnodes import Doc, FieldPath, describe, field_name, parse_file

TOPICS_FILE_KEYS = ("fallback", "topics")
TOPIC_KEYS = ("id", "title", "description", "icon", "keywords", "patterns")
TOPIC_REQUIRED = ("id", "title", "description")
_ICON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class TopicIds:
    """What the paper and cross-file checks need to know about topics.yml."""

    path: str
    ids: dict[str, Node | None] = field(default_factory=dict)
    """Topic id -> the node of its id value (where an empty topic is reported)."""
    fallback: str | None = None
    loaded: bool = False
    """False when topics.yml is unusable, so papers' topic ids cannot be checked."""


def check_topics(path: Path, display: str, problems: list[Problem]) -> TopicIds:
    """Report every problem in topics.yml into `problems`; return its topic ids."""
    if not path.is_file():
        problems.append(
            Problem(
                display, 1, 1, "error", "file not found; expected the topic list (fallback, topics)"
            )
        )
        return TopicIds(display)
    doc = parse_file(path, display, problems)
    if doc is None:
        return TopicIds(display)
    data = doc.data
    if not isinstance(data, dict):
        doc.report(
            doc.root,
            f"expected a mapping with the keys fallback and topics, found "
            f"{describe(doc.root, data)}",
        )
        return TopicIds(display)
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
    for i, topic in enumerate(topics):
        _check_topic(doc, ("topics", i), topic, ids, first_line)
    fallback = _check_fallback(doc, data, ids) if "fallback" in data else None
    return TopicIds(display, ids, fallback, loaded=True)


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
        if not isinstance(icon, str) or not _ICON.fullmatch(icon):
            doc.expected((*here, "icon"), "a Material icon name like 'material-magnify'", icon)
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
            f"'{fallback}'{suggest(fallback, ids)}",
        )
        return None
    return fallback
