"""Review content/: every problem in every paper file and topics.yml, with its line.

It works on the composed YAML node tree, not on loaded data, because loading
throws away what a reviewer needs: the line and column of each value, keys that
appear twice (PyYAML silently keeps the last), and the raw text of dates (an
impossible date like 2023-02-30 fails inside PyYAML's constructor).

`check_content` is pure and fast - it runs on every build - and `run_check` is
the only part that prints.

Link kinds are checked against `normalize.classify(url)`: a specific kind
(code, hf-*) must match exactly, in both directions, because those drive the
badges and filters. `project` and `other` are interchangeable, because telling
a project page from any other web page is a curator's judgement that no rule on
the URL can make.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Problem
from generator.model import LINK_KINDS, PAPER_KEYS

REQUIRED_KEYS = ("title", "abstract")
LINK_KEYS = ("url", "kind")
TOPICS_FILE_KEYS = ("fallback", "topics")
TOPIC_KEYS = ("id", "title", "description", "icon", "keywords", "patterns")
TOPIC_REQUIRED = ("id", "title", "description")
MAX_SLUG = 80
NEAR_DUPLICATE_RATIO = 93.0
"""rapidfuzz ratio on title_key at or above which two different titles are flagged."""
LENIENT_KINDS = frozenset({"project", "other"})
KIND_NAMES = {
    "code": "a code repository",
    "hf-model": "a Hugging Face model",
    "hf-dataset": "a Hugging Face dataset",
    "hf-space": "a Hugging Face Space",
    "hf-collection": "a Hugging Face collection",
    "project": "a project page",
    "other": "a web page",
}
SCHEMA_PATH = Path("schema") / "paper.schema.json"
_REPO_SCHEMA = Path(__file__).resolve().parent.parent / "content" / SCHEMA_PATH
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARXIV = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]+")
_ICON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL_FORBIDDEN = set('<>"\\^`{|}')
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _SEQ, _MAP = (
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)

FieldPath = tuple[str | int, ...]


def is_slug(text: str) -> bool:
    """True for a valid file name stem / URL slug: what python-slugify would produce."""
    from slugify import slugify

    return 0 < len(text) <= MAX_SLUG and slugify(text) == text


def _field(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _describe(node: Node | None, value: Any) -> str:
    """What was found, in a reviewer's words: `the text 'many'`, `a list`."""
    if isinstance(node, SequenceNode) or isinstance(value, list):
        return "a list"
    if isinstance(node, MappingNode) or isinstance(value, dict):
        return "a mapping"
    raw = node.value if isinstance(node, ScalarNode) else str(value)
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {raw}"
    if isinstance(value, (int, float)):
        return f"the number {raw}"
    if isinstance(node, ScalarNode) and node.tag == _TIMESTAMP:
        return f"the date {raw}"
    return f"the text {_short(str(value))!r}"


# --- YAML -> nodes -> data -------------------------------------------------------------


@dataclass
class _Doc:
    """One parsed YAML file: its node tree, its data, and the problems found so far."""

    path: str
    problems: list[Problem]
    root: Node | None = None
    data: Any = None
    covered: set[FieldPath] = field(default_factory=set)
    """Field paths a specific check already reported, so the schema does not repeat them."""
    bad_nodes: set[int] = field(default_factory=set)

    def report(
        self,
        node: Node | None,
        message: str,
        severity: str = "error",
        path: FieldPath | None = None,
    ) -> None:
        if node is not None and id(node) in self.bad_nodes:
            return  # already reported as unsupported YAML; one message is enough
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.problems.append(Problem(self.path, line, col, severity, message))
        if path is not None:
            self.covered.add(path)

    def node_at(self, path: FieldPath, key: bool = False) -> Node | None:
        """The value node at `path` (the key node if `key`); the last one wins, as in PyYAML."""
        node = self.root
        for i, part in enumerate(path):
            found = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        found = k if key and i == len(path) - 1 else v
            elif (
                isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value)
            ):
                found = node.value[part]
            if found is None:
                return node
            node = found
        return node


def _parse(path: Path, display: str, problems: list[Problem]) -> _Doc | None:
    """Read and compose one YAML file; None (with a problem reported) if it is not YAML."""
    doc = _Doc(display, problems)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc.report(None, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                display,
                line,
                col,
                "error",
                f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x}",
            )
        )
        return None
    try:
        doc.root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:  # re-parse in pure Python: its messages and marks are the documented ones
            doc.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = f"invalid YAML: {exc.problem or exc.context}"
            if exc.problem == "mapping values are not allowed here":
                message += " (quote a value that contains ': ')"
            if exc.context and exc.problem and exc.context_mark:
                message += (
                    f" ({exc.context} at line {exc.context_mark.line + 1}, "
                    f"column {exc.context_mark.column + 1})"
                )
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problems.append(Problem(display, line, col, "error", message))
            return None
        except yaml.reader.ReaderError as exc:
            pos = exc.position
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            problems.append(
                Problem(
                    display,
                    line,
                    col,
                    "error",
                    f"invalid YAML: found the control character #x{exc.character:04x}, "
                    "which YAML does not allow",
                )
            )
            return None
        except yaml.YAMLError as exc:
            problems.append(Problem(display, 1, 1, "error", f"invalid YAML: {exc}"))
            return None
    if "*" in text:
        aliases = [
            e for e in yaml.parse(text, Loader=_FAST_LOADER) if isinstance(e, yaml.AliasEvent)
        ]
        for event in aliases:
            problems.append(
                Problem(
                    display,
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    "error",
                    f"found the alias *{event.anchor}; expected each value "
                    "written out in full (anchors and aliases are not supported)",
                )
            )
        if aliases:
            return None
    doc.data = _to_data(doc, doc.root)
    return doc


def _to_data(doc: _Doc, node: Node | None, path: FieldPath = ()) -> Any:
    """JSON-like data from a node: dates stay text, duplicate keys and odd YAML are reported."""
    if node is None:
        return None
    standard = {
        ScalarNode: (_STR, _TIMESTAMP, _NULL, _INT, _FLOAT, _BOOL),
        SequenceNode: (_SEQ,),
        MappingNode: (_MAP,),
    }[type(node)]
    if node.tag not in standard:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        doc.report(
            node,
            f"{_field(path) + ': ' if path else ''}found the YAML tag '{tag}'; expected "
            "plain text, numbers, lists and mappings",
            path=path,
        )
        doc.bad_nodes.add(id(node))
        return None
    if isinstance(node, SequenceNode):
        return [_to_data(doc, item, (*path, i)) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                doc.report(key, f"expected a plain key, found {_describe(key, None)} as a key")
                continue
            if key.value in first:
                doc.report(
                    key,
                    f"duplicate key '{key.value}' (first defined at line "
                    f"{first[key.value]}); YAML would silently keep only this one",
                )
            else:
                first[key.value] = key.start_mark.line + 1
            out[key.value] = _to_data(doc, value, (*path, key.value))
        return out
    if node.tag in (_STR, _TIMESTAMP):
        return node.value
    if node.tag == _NULL:
        return None
    try:
        return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError):
        return node.value


# --- topics.yml ------------------------------------------------------------------------


@dataclass
class _Topics:
    path: str
    ids: dict[str, Node | None] = field(default_factory=dict)
    """Topic id -> the node of its id value (where an empty topic is reported)."""
    fallback: str | None = None
    loaded: bool = False
    """False when topics.yml is unusable, so papers' topic ids cannot be checked."""


def _check_topics(path: Path, display: str, problems: list[Problem]) -> _Topics:
    info = _Topics(display)
    if not path.is_file():
        problems.append(
            Problem(
                display, 1, 1, "error", "file not found; expected the topic list (fallback, topics)"
            )
        )
        return info
    doc = _parse(path, display, problems)
    if doc is None:
        return info
    data = doc.data
    if not isinstance(data, dict):
        doc.report(
            doc.root,
            f"expected a mapping with the keys fallback and topics, found "
            f"{_describe(doc.root, data)}",
        )
        return info
    for key in data:
        if key not in TOPICS_FILE_KEYS:
            doc.report(
                doc.node_at((key,), key=True),
                f"unknown key '{key}'"
                f"{_suggest(key, TOPICS_FILE_KEYS) or '; expected fallback or topics'}",
            )
    topics = data.get("topics")
    if "topics" not in data:
        doc.report(doc.root, "missing required key 'topics' (the list of topics)")
        return info
    if not isinstance(topics, list):
        doc.report(
            doc.node_at(("topics",)),
            f"topics: expected a list of topics, found "
            f"{_describe(doc.node_at(('topics',)), topics)}",
        )
        return info
    info.loaded = True
    first_line: dict[str, int] = {}
    for i, topic in enumerate(topics):
        here: FieldPath = ("topics", i)
        if not isinstance(topic, dict):
            doc.report(
                doc.node_at(here),
                f"{_field(here)}: expected a topic (a mapping with id, "
                f"title, description), found {_describe(doc.node_at(here), topic)}",
            )
            continue
        for key in topic:
            if key not in TOPIC_KEYS:
                doc.report(
                    doc.node_at((*here, key), key=True),
                    f"{_field(here)}: unknown key '{key}'"
                    f"{_suggest(key, TOPIC_KEYS) or '; expected one of ' + ', '.join(TOPIC_KEYS)}",
                )
        for key in TOPIC_REQUIRED:
            if key not in topic:
                doc.report(doc.node_at(here), f"{_field(here)}: missing required key '{key}'")
        for key in ("title", "description"):
            if key in topic:
                _text(doc, (*here, key), topic[key])
        topic_id = topic.get("id")
        id_node = doc.node_at((*here, "id"))
        if "id" in topic:
            if not isinstance(topic_id, str) or not is_slug(topic_id):
                doc.report(
                    id_node,
                    f"{_field((*here, 'id'))}: expected a topic id (lowercase a-z, "
                    f"0-9 and single hyphens), found {_describe(id_node, topic_id)}",
                )
            elif topic_id in first_line:
                doc.report(
                    id_node,
                    f"{_field((*here, 'id'))}: duplicate topic id '{topic_id}' "
                    f"(first defined at line {first_line[topic_id]})",
                )
            else:
                first_line[topic_id] = id_node.start_mark.line + 1 if id_node else 1
                info.ids[topic_id] = id_node
        if "icon" in topic:
            icon = topic["icon"]
            if not isinstance(icon, str) or not _ICON.fullmatch(icon):
                node = doc.node_at((*here, "icon"))
                doc.report(
                    node,
                    f"{_field((*here, 'icon'))}: expected a Material icon name like "
                    f"'material-magnify', found {_describe(node, icon)}",
                )
        if "keywords" in topic:
            _text_list(doc, (*here, "keywords"), topic["keywords"], "keywords")
        if "patterns" in topic and _text_list(
            doc, (*here, "patterns"), topic["patterns"], "regular expressions"
        ):
            for j, pattern in enumerate(topic["patterns"]):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    doc.report(
                        doc.node_at((*here, "patterns", j)),
                        f"{_field((*here, 'patterns', j))}: expected a valid regular "
                        f"expression, found {pattern!r} ({exc.msg} at position {exc.pos})",
                    )
    if "fallback" in data:
        fallback = data["fallback"]
        node = doc.node_at(("fallback",))
        if not isinstance(fallback, str):
            doc.report(
                node,
                f"fallback: expected the id of a topic defined in topics, found "
                f"{_describe(node, fallback)}",
            )
        elif fallback not in info.ids:
            doc.report(
                node,
                f"fallback: expected the id of a topic defined in topics, found "
                f"'{fallback}'{_suggest(fallback, info.ids)}",
            )
        else:
            info.fallback = fallback
    return info


# --- one paper file --------------------------------------------------------------------


def _text(doc: _Doc, path: FieldPath, value: Any) -> bool:
    node = doc.node_at(path)
    if not isinstance(value, str):
        hint = "; quote it" if isinstance(value, (int, float, bool)) else ""
        doc.report(
            node, f"{_field(path)}: expected text, found {_describe(node, value)}{hint}", path=path
        )
        return False
    if not value.strip():
        found = "an empty string" if not value else "only whitespace"
        doc.report(node, f"{_field(path)}: expected non-empty text, found {found}", path=path)
        return False
    return True


def _text_list(doc: _Doc, path: FieldPath, value: Any, what: str, unique: bool = False) -> bool:
    """A list of non-empty strings; reports each bad item. True if the whole list is good."""
    node = doc.node_at(path)
    if not isinstance(value, list):
        doc.report(
            node,
            f"{_field(path)}: expected a list of {what}, found {_describe(node, value)}",
            path=path,
        )
        return False
    good = True
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        if not _text(doc, (*path, i), item):
            good = False
        elif unique and item in seen:
            doc.report(
                doc.node_at((*path, i)),
                f"{_field((*path, i))}: duplicate '{item}' "
                f"(already at {_field((*path, seen[item]))})",
                path=(*path, i),
            )
            good = False
        else:
            seen.setdefault(item, i)
    return good


def _whole_number(doc: _Doc, key: str, value: Any, minimum: int) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return
    node = doc.node_at((key,))
    doc.report(
        node,
        f"{key}: expected a whole number >= {minimum}, found {_describe(node, value)}",
        path=(key,),
    )


def _date(doc: _Doc, key: str, value: Any) -> None:
    node = doc.node_at((key,))
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError as exc:
            doc.report(
                node,
                f"{key}: expected a real date as YYYY-MM-DD, found {value} ({exc})",
                path=(key,),
            )
        return
    doc.report(
        node, f"{key}: expected a date as YYYY-MM-DD, found {_describe(node, value)}", path=(key,)
    )


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable link (http or https, well formed), or None."""
    scheme = _SCHEME.match(url)
    if scheme is None:
        return f"expected an http or https URL (https://...), found {_short(url)!r}"
    if scheme.group(1) not in ("http", "https"):
        found = f"the scheme '{scheme.group(0)}' in {_short(url)!r}"
        return f"expected an http or https URL, found {found}"
    if not url[scheme.end() :].startswith("//"):
        return f"malformed URL {_short(url)!r}: expected '//' after '{scheme.group(0)}'"
    bad = next(
        (c for c in url if c.isspace() or ord(c) < 32 or ord(c) == 127 or c in _URL_FORBIDDEN), None
    )
    if bad is not None:
        return f"malformed URL {_short(url)!r}: found {bad!r}, which must be percent-encoded"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL {_short(url)!r}: {exc}"
    host = parts.hostname or ""
    if not (_HOST.fullmatch(host) or (":" in host and parts.netloc.count("[") == 1)):
        return f"malformed URL {_short(url)!r}: expected a host name like example.org after '//'"
    return None


class _PaperCheck:
    """The checks on one paper file that need nothing but the file and the topic ids."""

    def __init__(self, doc: _Doc, topics: _Topics, classify: Callable[[str], str] | None):
        self.doc = doc
        self.topics = topics
        self.classify = classify

    def run(self) -> None:
        doc, data = self.doc, self.doc.data
        if not isinstance(data, dict):
            doc.report(
                doc.root,
                f"expected a mapping of paper fields (title, abstract, ...), found "
                f"{'an empty file' if doc.root is None else _describe(doc.root, data)}",
            )
            return
        for key in data:
            if key not in PAPER_KEYS:
                doc.report(
                    doc.node_at((key,), key=True),
                    f"unknown key '{key}'"
                    f"{_suggest(key, PAPER_KEYS) or '; expected one of ' + ', '.join(PAPER_KEYS)}",
                    path=(key,),
                )
        for key in REQUIRED_KEYS:
            if key not in data:
                doc.report(doc.root, f"missing required key '{key}'", path=(key,))
        for key in ("title", "abstract"):
            if key in data:
                _text(doc, (key,), data[key])
        if "note" in data and not isinstance(data["note"], str):
            _text(doc, ("note",), data["note"])
        if "authors" in data:
            _text_list(doc, ("authors",), data["authors"], "author names")
        if "author_count" in data:
            _whole_number(doc, "author_count", data["author_count"], 1)
        if "upvotes" in data:
            _whole_number(doc, "upvotes", data["upvotes"], 0)
        for key in ("published", "added"):
            if key in data:
                _date(doc, key, data[key])
        if "arxiv" in data:
            self.arxiv(data["arxiv"])
        if "links" in data:
            self.links(data["links"])
        if "topics" in data:
            self.topic_ids(data["topics"])
        else:
            doc.report(
                doc.root,
                "missing key 'topics'; expected a list of topic ids, or the paper "
                "appears on no topic page",
                "warning",
            )
        if "sources" in data:
            _text_list(doc, ("sources",), data["sources"], "listing names", unique=True)
        if "redirect_from" in data:
            self.redirects(data["redirect_from"])

    def arxiv(self, value: Any) -> None:
        node = self.doc.node_at(("arxiv",))
        if isinstance(value, str) and _ARXIV.fullmatch(value):
            return
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            message = (
                f"arxiv: expected the arXiv id as quoted text ('{getattr(node, 'value', value)}'), "
                f"found "
                f"{_describe(node, value)}; unquoted, YAML reads it as a number"
            )
        else:
            message = (
                f"arxiv: expected an arXiv id like '2306.04751' or 'hep-th/9901001', found "
                f"{_describe(node, value)}"
            )
        self.doc.report(node, message, path=("arxiv",))

    def links(self, links: Any) -> None:
        doc = self.doc
        node = doc.node_at(("links",))
        if not isinstance(links, list):
            doc.report(
                node,
                f"links: expected a list of links (url, kind), found {_describe(node, links)}",
                path=("links",),
            )
            return
        seen: dict[str, int] = {}
        for i, link in enumerate(links):
            here: FieldPath = ("links", i)
            if not isinstance(link, dict):
                doc.report(
                    doc.node_at(here),
                    f"{_field(here)}: expected a link (a mapping with url "
                    f"and kind), found {_describe(doc.node_at(here), link)}",
                    path=here,
                )
                continue
            for key in link:
                if key not in LINK_KEYS:
                    doc.report(
                        doc.node_at((*here, key), key=True),
                        f"{_field(here)}: unknown key "
                        f"'{key}'{_suggest(key, LINK_KEYS) or '; expected url and kind'}",
                        path=(*here, key),
                    )
            for key in LINK_KEYS:
                if key not in link:
                    doc.report(
                        doc.node_at(here),
                        f"{_field(here)}: missing required key '{key}'",
                        path=(*here, key),
                    )
            url, kind = link.get("url"), link.get("kind")
            url_ok = kind_ok = False
            if "url" in link:
                url_node = doc.node_at((*here, "url"))
                if not isinstance(url, str):
                    doc.report(
                        url_node,
                        f"{_field((*here, 'url'))}: expected a URL, found "
                        f"{_describe(url_node, url)}",
                        path=(*here, "url"),
                    )
                elif (why := url_problem(url)) is not None:
                    doc.report(url_node, f"{_field((*here, 'url'))}: {why}", path=(*here, "url"))
                elif url in seen:
                    doc.report(
                        url_node,
                        f"{_field((*here, 'url'))}: duplicate link (same URL as "
                        f"links[{seen[url]}])",
                        "warning",
                        path=(*here, "url"),
                    )
                else:
                    seen[url] = i
                    url_ok = True
            if "kind" in link:
                kind_node = doc.node_at((*here, "kind"))
                if kind not in LINK_KINDS or not isinstance(kind, str):
                    suggestion = _suggest(kind, LINK_KINDS) if isinstance(kind, str) else ""
                    doc.report(
                        kind_node,
                        f"{_field((*here, 'kind'))}: expected one of "
                        f"{', '.join(LINK_KINDS)}, found {_describe(kind_node, kind)}"
                        f"{suggestion}",
                        path=(*here, "kind"),
                    )
                else:
                    kind_ok = True
            if url_ok and kind_ok and self.classify is not None and isinstance(url, str):
                expected = self.classify(url)
                if expected != kind and not {expected, kind} <= LENIENT_KINDS:
                    doc.report(
                        doc.node_at((*here, "kind")),
                        f"{_field((*here, 'kind'))}: expected '{expected}' for this URL "
                        f"({KIND_NAMES.get(expected, expected)}), found '{kind}'",
                        path=(*here, "kind"),
                    )

    def topic_ids(self, value: Any) -> None:
        doc = self.doc
        _text_list(doc, ("topics",), value, "topic ids", unique=True)
        if not isinstance(value, list):
            return
        if not value:
            doc.report(
                doc.node_at(("topics",)),
                "topics: expected at least one topic id, found an "
                "empty list; the paper will appear on no topic page",
                "warning",
            )
        if not self.topics.loaded:
            return
        for i, topic in enumerate(value):
            if isinstance(topic, str) and topic.strip() and topic not in self.topics.ids:
                doc.report(
                    doc.node_at(("topics", i)),
                    f"topics[{i}]: unknown topic '{topic}'{_suggest(topic, self.topics.ids)} "
                    f"(expected an id defined in {self.topics.path})",
                    path=("topics", i),
                )

    def redirects(self, value: Any) -> None:
        doc = self.doc
        node = doc.node_at(("redirect_from",))
        if not isinstance(value, list):
            doc.report(
                node,
                f"redirect_from: expected a list of old slugs, found {_describe(node, value)}",
                path=("redirect_from",),
            )
            return
        for i, slug in enumerate(value):
            here: FieldPath = ("redirect_from", i)
            if not isinstance(slug, str) or not is_slug(slug):
                doc.report(
                    doc.node_at(here),
                    f"{_field(here)}: expected an old slug (lowercase a-z, "
                    f"0-9 and single hyphens, at most {MAX_SLUG} characters), found "
                    f"{_describe(doc.node_at(here), slug)}",
                    path=here,
                )
            elif value.index(slug) != i:
                doc.report(
                    doc.node_at(here),
                    f"{_field(here)}: duplicate '{slug}' (already at "
                    f"redirect_from[{value.index(slug)}])",
                    path=here,
                )


# --- the schema catch-all --------------------------------------------------------------


def _schema_validator(content_dir: Path) -> Any:
    """A validator for content/schema/paper.schema.json (or the repo's copy), or None."""
    from jsonschema import Draft202012Validator

    for candidate in (content_dir / SCHEMA_PATH, _REPO_SCHEMA):
        if candidate.is_file():
            schema = json.loads(candidate.read_text(encoding="utf-8"))
            return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return None


def _schema_check(doc: _Doc, validator: Any) -> None:
    """Report what the schema finds and no specific check already did."""
    if not isinstance(doc.data, dict):
        return
    for error in validator.iter_errors(doc.data):
        path: FieldPath = tuple(error.absolute_path)
        if not path and error.validator in ("required", "additionalProperties", "type"):
            continue  # the specific checks report these, with suggestions
        if any(c[: len(path)] == path or path[: len(c)] == c for c in doc.covered if c and path):
            continue
        if error.validator == "required" or (path and path[0] not in PAPER_KEYS):
            continue
        where = _field(path) or "the file"
        schema_path = "/".join(str(p) for p in error.schema_path)
        doc.report(
            doc.node_at(path),
            f"{where}: {_short(error.message, 200)} (schema rule {schema_path})",
            path=path,
        )


# --- cross-file checks -----------------------------------------------------------------


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


def _cross_checks(
    docs: list[tuple[str, _Doc]],
    topics: _Topics,
    topics_doc_problems: list[Problem],
    title_key: Callable[[str], str] | None,
) -> None:
    """Duplicates across files, redirects, and topics that no paper uses."""
    papers = [(slug, doc) for slug, doc in docs if isinstance(doc.data, dict)]
    live = {slug: doc.path for slug, doc in docs}

    def others(group: list[_Doc], me: _Doc) -> str:
        return ", ".join(d.path for d in group if d is not me)

    if title_key is not None:
        by_title: dict[str, list[_Doc]] = defaultdict(list)
        for _, doc in papers:
            title = doc.data.get("title")
            if isinstance(title, str) and title.strip() and (key := title_key(title)):
                by_title[key].append(doc)
        for group in by_title.values():
            for doc in group if len(group) > 1 else ():
                doc.report(
                    doc.node_at(("title",)),
                    f"duplicate paper: the same title is in "
                    f"{others(group, doc)}; expected each paper once (merge them and list "
                    "the old slug in redirect_from)",
                )
        keys = list(by_title)
        for i, j, score in _near_pairs(keys):
            for a, b in ((i, j), (j, i)):
                for doc in by_title[keys[a]]:
                    for other in by_title[keys[b]]:
                        doc.report(
                            doc.node_at(("title",)),
                            f"possible duplicate: the title is "
                            f"{score:.0f}% similar to the title in {other.path} "
                            f"({_short(other.data['title'])!r})",
                            "warning",
                        )

    by_arxiv: dict[str, list[_Doc]] = defaultdict(list)
    for _, doc in papers:
        if isinstance(doc.data.get("arxiv"), str) and doc.data["arxiv"]:
            by_arxiv[doc.data["arxiv"]].append(doc)
    for arxiv, group in by_arxiv.items():
        for doc in group if len(group) > 1 else ():
            doc.report(
                doc.node_at(("arxiv",)),
                f"duplicate paper: arxiv '{arxiv}' is also in "
                f"{others(group, doc)}; expected each paper once",
            )

    claims: dict[str, list[_Doc]] = defaultdict(list)
    for slug, doc in papers:
        redirects = doc.data.get("redirect_from")
        for i, old in enumerate(redirects if isinstance(redirects, list) else ()):
            if not isinstance(old, str) or not is_slug(old) or redirects.index(old) != i:
                continue
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
    for old, group in claims.items():
        for doc in group if len(group) > 1 else ():
            i = doc.data["redirect_from"].index(old)
            doc.report(
                doc.node_at(("redirect_from", i)),
                f"redirect_from[{i}]: '{old}' is also "
                f"claimed by {others(group, doc)}; an old URL can redirect to only one paper",
            )

    if topics.loaded:
        used = Counter(
            t
            for _, doc in papers
            if isinstance(doc.data.get("topics"), list)
            for t in set(doc.data["topics"])
            if isinstance(t, str)
        )
        for topic_id, node in topics.ids.items():
            if topic_id != topics.fallback and not used[topic_id]:
                line, col = (
                    (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
                )
                topics_doc_problems.append(
                    Problem(
                        topics.path,
                        line,
                        col,
                        "error",
                        f"topic '{topic_id}' has no papers; expected at least one paper "
                        "listing it in its topics (or remove the topic)",
                    )
                )


# --- public API ------------------------------------------------------------------------


def _normalize_functions() -> tuple[Callable[[str], str] | None, Callable[[str], str] | None]:
    try:
        from generator.normalize import classify, title_key
    except ImportError:  # pragma: no cover - only while normalize.py is being written
        return None, None
    return classify, title_key


def _paper_files(
    content_dir: Path, paths: list[Path] | None, problems: list[Problem]
) -> tuple[list[tuple[Path, str]], set[str] | None, bool]:
    """Every paper file as (path, display path), the display paths to report on, and
    whether topics.yml is reported on."""
    papers_dir = content_dir / "papers"
    files = (
        sorted(p for p in papers_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        if papers_dir.is_dir()
        else []
    )
    if paths is None:
        return [(p, str(p)) for p in files], None, True
    by_real = {p.resolve(): (p, str(p)) for p in files}
    wanted: set[str] = set()
    topics_wanted = False
    topics_real = (content_dir / "topics.yml").resolve()
    for given in paths:
        real = given.resolve()
        if real == topics_real:
            topics_wanted = True
        elif real in by_real:
            by_real[real] = (given, str(given))
            wanted.add(str(given))
        elif given.is_file():
            by_real[real] = (given, str(given))
            wanted.add(str(given))
        else:
            problems.append(
                Problem(
                    str(given),
                    1,
                    1,
                    "error",
                    "file not found; expected a paper file (content/papers/<slug>.yml)",
                )
            )
    return list(by_real.values()), wanted, topics_wanted


def check_content(content_dir: Path, paths: list[Path] | None = None) -> list[Problem]:
    """Every problem in content/ (or in `paths`, compared against all of content/), sorted."""
    content_dir = Path(content_dir)
    given: list[Problem] = []
    files, wanted, topics_wanted = _paper_files(content_dir, paths, given)
    topics_problems: list[Problem] = []
    topics_path = content_dir / "topics.yml"
    topics = _check_topics(topics_path, str(topics_path), topics_problems)
    classify, title_key = _normalize_functions()
    validator = _schema_validator(content_dir)

    paper_problems: list[Problem] = []
    docs: list[tuple[str, _Doc]] = []
    for path, display in files:
        slug = path.stem
        if path.suffix != ".yml":
            paper_problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "error",
                    f"file name '{path.name}': expected "
                    f"a paper file ending in .yml, found '{path.suffix or 'no extension'}'",
                )
            )
            continue
        if not is_slug(slug):
            from slugify import slugify

            fixed = slugify(slug, max_length=MAX_SLUG) or "a-slug"
            paper_problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "error",
                    f"file name '{path.name}': expected "
                    f"a slug (lowercase a-z, 0-9 and single hyphens, at most {MAX_SLUG} "
                    f"characters) with .yml, e.g. '{fixed}.yml'",
                )
            )
        doc = _parse(path, display, paper_problems)
        if doc is None:
            doc = _Doc(display, paper_problems)
        else:
            _PaperCheck(doc, topics, classify).run()
            if validator is not None:
                _schema_check(doc, validator)
        docs.append((slug, doc))
    _cross_checks(docs, topics, topics_problems, title_key)

    problems = given + [p for p in paper_problems if wanted is None or p.path in wanted]
    if wanted is None or topics_wanted or not topics.loaded:
        problems += topics_problems
    return sorted(set(problems))


def checked_file_count(content_dir: Path, paths: list[Path] | None) -> int:
    if paths:
        return len(paths)
    papers_dir = Path(content_dir) / "papers"
    count = (
        sum(1 for p in papers_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        if papers_dir.is_dir()
        else 0
    )
    return count + 1


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """A GitHub workflow command that annotates the problem's line in the pull request."""
    return (
        f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},"
        f"col={problem.col}::{_escape_data(problem.message)}"
    )


def _markdown_cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("`", "\\`").replace("\r", " ").replace("\n", " ")
    return text.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def step_summary(problems: list[Problem], summary: str) -> str:
    """The Markdown job summary: every problem, since GitHub shows only ~10 annotations."""
    lines = ["## Content check", "", summary, ""]
    if problems:
        lines += ["| Location | Severity | Problem |", "| --- | --- | --- |"]
        lines += [
            f"| {_markdown_cell(f'{p.path}:{p.line}:{p.col}')} | {p.severity} | "
            f"{_markdown_cell(p.message)} |"
            for p in problems
        ]
        lines.append("")
    return "\n".join(lines) + "\n"


def run_check(
    content_dir: Path,
    paths: list[Path] | None,
    fmt: str = "text",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`python -m generator check`: print every problem; 1 if any is an error."""
    out = out or sys.stdout
    err = err or sys.stderr
    paths = list(paths) if paths else None
    problems = check_content(Path(content_dir), paths)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    count = checked_file_count(Path(content_dir), paths)
    summary = (
        f"{count} file{'s' if count != 1 else ''} checked: {errors} error"
        f"{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    )
    for problem in problems:
        print(github_annotation(problem) if fmt == "github" else str(problem), file=out)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(step_summary(problems, summary))
    print(summary, file=err)
    return 1 if errors else 0
