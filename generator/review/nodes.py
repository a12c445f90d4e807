"""Load a YAML file for review: the node tree, plain data, and a place to report problems.

The reviewer works on the composed node tree, not on loaded data, because
loading throws away what a reviewer needs: the line and column of each value,
keys that appear twice (PyYAML silently keeps the last), and the raw text of
dates (an impossible date like 2023-02-30 fails inside PyYAML's constructor).
So `parse_file` composes the nodes and turns them into data itself, keeping
dates as text and refusing tags and aliases that a content file has no use for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AnyStr

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Problem, Severity, short
from generator.text import refusal

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _SEQ, _MAP = (
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_STANDARD_TAGS = {
    ScalarNode: (_STR, _TIMESTAMP, _NULL, _INT, _FLOAT, _BOOL),
    SequenceNode: (_SEQ,),
    MappingNode: (_MAP,),
}

FieldPath = tuple[str | int, ...]
"""Where a value sits in a file: ("links", 0, "url") is links[0].url."""


def field_name(path: FieldPath) -> str:
    """The path as a reader writes it: `links[0].url`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def describe(node: Node | None, value: Any) -> str:
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
    return f"the text {short(str(value))!r}"


def position(mark: yaml.Mark | None) -> tuple[int, int]:
    """1-based (line, column) of a YAML mark; (1, 1) when there is none."""
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _line_col(text: AnyStr, offset: int, newline: AnyStr) -> tuple[int, int]:
    """1-based (line, column) of an offset into text or bytes."""
    return text.count(newline, 0, offset) + 1, offset - text.rfind(newline, 0, offset)


@dataclass
class Doc:
    """One parsed YAML file: its node tree, its data, and the problems found so far."""

    path: str
    problems: list[Problem]
    root: Node | None = None
    data: Any = None
    text: str = ""
    """The file's text, for `fmt` to compare with the canonical form."""
    covered: set[FieldPath] = field(default_factory=set)
    """Field paths a specific check already reported, so the schema does not repeat them."""
    bad_nodes: set[int] = field(default_factory=set)
    """Nodes already reported as unsupported YAML; one message about them is enough."""

    def add(self, line: int, col: int, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.path, line, col, severity, message))

    def report(
        self,
        node: Node | None,
        message: str,
        severity: Severity = Severity.ERROR,
        path: FieldPath | None = None,
    ) -> None:
        """Report a problem at `node`; `path` marks the field as covered for the schema."""
        if node is not None and id(node) in self.bad_nodes:
            return
        self.add(*position(node.start_mark if node else None), message, severity)
        if path is not None:
            self.covered.add(path)

    def expected(self, path: FieldPath, what: str, value: Any, suffix: str = "") -> None:
        """The common report: `<field>: expected <what>, found <what the value is>`."""
        node = self.node_at(path)
        self.report(
            node,
            f"{field_name(path)}: expected {what}, found {describe(node, value)}{suffix}",
            path=path,
        )

    def is_mapping(self, what: str) -> bool:
        """True when the file is a mapping; else reports `expected <what>, found ...`."""
        if isinstance(self.data, dict):
            return True
        found = "an empty file" if self.root is None else describe(self.root, self.data)
        self.report(self.root, f"expected {what}, found {found}")
        return False

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


@dataclass
class CachedDoc(Doc):
    """A file the review cache answered for: its data and problems, and the node tree
    only when a check across files asks for a position (parsed then, once)."""

    source: Path | None = None

    def node_at(self, path: FieldPath, key: bool = False) -> Node | None:
        if self.root is None and self.source is not None:
            parsed = parse_file(self.source, self.path, [])
            self.source = None
            if parsed is not None:
                self.root, self.bad_nodes = parsed.root, parsed.bad_nodes
        return super().node_at(path, key)


def parse_file(path: Path, display: str, problems: list[Problem]) -> Doc | None:
    """Read and compose one YAML file; None (with a problem reported) if it is not YAML."""
    doc = Doc(display, problems)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc.add(1, 1, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.add(
            *_line_col(raw, exc.start, b"\n"),
            f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x}",
        )
        return None
    return parse_text(text, display, problems)


def parse_text(text: str, display: str, problems: list[Problem]) -> Doc | None:
    """Compose a file's text (or the text a file would have); None if it is not YAML."""
    doc = Doc(display, problems)
    doc.text = text
    try:
        doc.root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:  # re-parse in pure Python: its messages and marks are the documented ones
            doc.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            _report_syntax_error(doc, text, exc)
            return None
    if "*" in text:
        aliases = [
            e for e in yaml.parse(text, Loader=_FAST_LOADER) if isinstance(e, yaml.AliasEvent)
        ]
        for event in aliases:
            doc.add(
                *position(event.start_mark),
                f"found the alias *{event.anchor}; expected each value "
                "written out in full (anchors and aliases are not supported)",
            )
        if aliases:
            return None
    doc.data = _to_data(doc, doc.root)
    return doc


TAB_INDENT = ("invalid YAML: YAML does not allow tabs for indentation: replace them with spaces "
              "(`fmt` cannot read the file until then)")
TAB_INSIDE = ("invalid YAML: YAML does not allow a tab here: replace it with a space "
              "(`fmt` cannot read the file until then)")


def _report_syntax_error(doc: Doc, text: str, exc: yaml.YAMLError) -> None:
    """PyYAML's own words for what is wrong, where it is, and a hint for the usual slip."""
    if isinstance(exc, yaml.MarkedYAMLError) and "'\\t'" in (exc.problem or ""):
        line, col = position(exc.problem_mark)
        before = (text.splitlines()[line - 1:line] or [""])[0][: col - 1]
        doc.add(line, col, TAB_INSIDE if before.strip() else TAB_INDENT)
    elif isinstance(exc, yaml.MarkedYAMLError):
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.problem == "mapping values are not allowed here":
            message += " (quote a value that contains ': ')"
        if exc.context and exc.problem and exc.context_mark:
            message += (
                f" ({exc.context} at line {exc.context_mark.line + 1}, "
                f"column {exc.context_mark.column + 1})"
            )
        doc.add(*position(exc.problem_mark or exc.context_mark), message)
    elif isinstance(exc, yaml.reader.ReaderError):
        # PyYAML's reader refuses a subset of generator.text.REFUSED: C0, C1, surrogates, U+FFFE/F.
        what, why = refusal(chr(exc.character))
        doc.add(*_line_col(text, exc.position, "\n"),
                f"invalid YAML: found the {what}, which YAML does not allow; expected text ({why})")
    else:
        doc.add(1, 1, f"invalid YAML: {exc}")


def _to_data(doc: Doc, node: Node | None, path: FieldPath = ()) -> Any:
    """JSON-like data from a node: dates stay text, duplicate keys and odd YAML are reported."""
    if node is None:
        return None
    if node.tag not in _STANDARD_TAGS[type(node)]:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        doc.report(
            node,
            f"{field_name(path) + ': ' if path else ''}found the YAML tag '{tag}'; expected "
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
                doc.report(key, f"expected a plain key, found {describe(key, None)} as a key")
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
