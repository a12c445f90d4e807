"""A paper file's text: `content/papers/<slug>.yml` <-> Paper, in one canonical form.

The files are edited by hand in pull requests, so the writer aims at small,
readable diffs: a fixed key order (the model's), block style, and long text
as a folded paragraph instead of one 1,500-character line. Both directions
follow `PAPER_FIELDS`, one rule per field kind.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml

from generator.model import PAPER_FIELDS, Kind, Link, LinkKind, Paper, Proposal
from generator.text import nfc

FOLD_AT = 78
"""Long text fields are folded to lines of about this width."""
_FOLDED_KINDS = {Kind.PROSE, Kind.PARAGRAPHS}


def paper_files(content_dir: Path) -> list[Path]:
    """The files in content/papers/, hidden ones (editor and writer temporaries) aside, sorted.

    Every non-hidden file counts, so that `check` can name a misnamed one.
    """
    papers_dir = Path(content_dir) / "papers"
    if not papers_dir.is_dir():
        return []
    # Names, not Paths, to sort and test: 10,000 Paths compared cost a third of the review
    # that `make serve` runs after each edit. One folder: the same order as its Paths.
    with os.scandir(papers_dir) as entries:
        names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_file())
    return [papers_dir / name for name in names]


class _StringLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's, when present) that leaves dates as strings."""


_StringLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Folded(str):
    """A string the dumper writes as a folded block (`>-`)."""


def _represent_folded(dumper: yaml.SafeDumper, value: _Folded) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")


_Dumper.add_representer(_Folded, _represent_folded)


def load_yaml(text: str) -> Any:
    """Parse YAML with dates kept as strings. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_StringLoader)  # noqa: S506 - a SafeLoader subclass


def _to_yaml_value(kind: Kind, value: Any) -> Any:
    if kind is Kind.DATE and isinstance(value, dt.date):
        # Written as text, which YAML then quotes ('2023-09-11'): plain PyYAML reads an
        # unquoted date as a date object, which the JSON Schema's `type: string` refuses.
        return value.isoformat()
    if kind is Kind.LINKS:
        return [{"url": link.url, "kind": str(link.kind)} for link in value]
    if kind is Kind.PROPOSALS:
        return [{"topic": p.topic} if p.confidence is None else
                {"topic": p.topic, "confidence": p.confidence} for p in value]
    if isinstance(value, tuple):
        return list(value)
    if kind in _FOLDED_KINDS and value and len(value) > FOLD_AT:
        return _Folded(value)
    return value


def paper_to_mapping(paper: Paper) -> dict[str, Any]:
    """The paper as the mapping written to its file: empty fields are left out."""
    values = {name: _to_yaml_value(spec.kind, getattr(paper, name)) for name, spec in PAPER_FIELDS}
    return {key: value for key, value in values.items() if value not in (None, [], "")}


def paper_to_yaml(paper: Paper) -> str:
    """The canonical text of a paper file; the same paper always gives the same bytes."""
    mapping = paper_to_mapping(paper)
    text = yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=FOLD_AT)
    if load_yaml(text) != _as_loaded(mapping):
        # PyYAML cannot fold every string faithfully; fall back to its own choice.
        plain = {k: str(v) if isinstance(v, _Folded) else v for k, v in mapping.items()}
        text = yaml.dump(plain, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=FOLD_AT)
    return text


def _as_loaded(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, str) else v)
            for k, v in mapping.items()}


_NONE_WHEN_EMPTY = (Kind.LINE, Kind.PROSE, Kind.PARAGRAPHS, Kind.COUNT, Kind.DATE, Kind.ARXIV,
                    Kind.CATEGORY)
"""The kinds whose empty value is None; every other kind's is ()."""

_FROM_YAML: dict[Kind, Any] = {
    Kind.LINE: lambda value: nfc(str(value).strip()),
    Kind.PROSE: lambda value: nfc(" ".join(str(value).split())),
    Kind.PARAGRAPHS: lambda value: nfc(str(value).strip()) or None,
    Kind.COUNT: lambda value: value,
    Kind.DATE: lambda value: value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)),
    Kind.ARXIV: str,
    Kind.CATEGORY: str,
    Kind.LINKS: lambda value: tuple(Link(url=str(link["url"]), kind=LinkKind(link["kind"]))
                                    for link in value),
    Kind.PROPOSALS: lambda value: tuple(Proposal(str(p["topic"]), None if p.get("confidence") is None
                                                 else float(p["confidence"])) for p in value),
    Kind.NAMES: lambda value: tuple(nfc(str(item).strip()) for item in value),
}
"""A non-empty YAML value as the Paper holds it, by kind (anything else: a tuple)."""

_FIELDS = tuple((name, _FROM_YAML.get(spec.kind, tuple), None if spec.kind in _NONE_WHEN_EMPTY else ())
                for name, spec in PAPER_FIELDS)
"""Per field, once: its name, its conversion and its empty value (a build converts
150,000 values at 10,000 papers)."""


def paper_from_mapping(slug: str, data: dict[str, Any]) -> Paper:
    """Build a Paper from a file's mapping. Assumes it passed the review."""
    get = data.get
    values = {name: empty if (value := get(name)) is None or value == "" or value == [] else convert(value)
              for name, convert, empty in _FIELDS}
    return Paper(slug=slug, **values)
