"""The JSON Schema of a paper file and the docs' field table, both generated from the model.

`content/schema/paper.schema.json` is published for editors and other tools
(check-jsonschema, the issue form). It is written by `make schema`, never by
hand, and a test fails when the committed copy and the model disagree. The
same goes for the field tables between `<!-- paper-fields -->` markers in
CONTRIBUTING.md and content/README.md.

Run `python -m generator.review.schema` to rewrite all three.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from generator.identity import ARXIV_CATEGORY_PATTERN, ARXIV_ID_PATTERN
from generator.model import PAPER_FIELDS, REQUIRED_KEYS, FieldSpec, Kind, LinkKind

SCHEMA_PATH = Path("schema") / "paper.schema.json"
"""Where the schema lives in a content folder."""

_NON_EMPTY = {"type": "string", "minLength": 1, "pattern": "\\S"}
_SLUG_ITEM = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_DATE = {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
_KIND_SCHEMA: dict[Kind, dict[str, Any]] = {
    Kind.LINE: _NON_EMPTY,
    Kind.PROSE: _NON_EMPTY,
    Kind.PARAGRAPHS: {"type": "string"},
    Kind.NAMES: {"type": "array", "items": {"type": "string", "minLength": 1}},
    Kind.COUNT: {"type": "integer"},
    Kind.DATE: _DATE,
    Kind.ARXIV: {"type": "string", "pattern": f"^(?:{ARXIV_ID_PATTERN})$"},
    Kind.CATEGORY: {"type": "string", "pattern": f"^(?:{ARXIV_CATEGORY_PATTERN})$"},
    Kind.LINKS: {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["url", "kind"],
            "properties": {
                "url": {"type": "string", "pattern": "^https?://[^\\s]+$"},
                "kind": {"enum": [str(kind) for kind in LinkKind]},
            },
        },
    },
    Kind.TOPICS: {"type": "array", "items": _SLUG_ITEM, "uniqueItems": True},
    Kind.PROPOSALS: {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["topic"],
            "properties": {
                "topic": _SLUG_ITEM,
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
    },
    Kind.LABELS: {"type": "array", "items": {"type": "string", "minLength": 1},
                  "uniqueItems": True},
    Kind.SLUGS: {"type": "array", "items": _SLUG_ITEM, "uniqueItems": True},
}


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one field's value, also used by papers.json's published schema."""
    return _property(spec)


def _property(spec: FieldSpec) -> dict[str, Any]:
    schema = {"description": spec.doc, **_KIND_SCHEMA[spec.kind]}
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if spec.max_items is not None:
        schema["maxItems"] = spec.max_items
    if spec.max_length is not None and schema["type"] == "array":
        schema["items"] = {**schema["items"], "maxLength": spec.max_length}
    elif spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    return schema


def paper_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a paper file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "paper.schema.json",
        "title": "A paper in content/papers/<slug>.yml",
        "description": "Generated from generator/model.py by `make schema`; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED_KEYS),
        "properties": {name: _property(spec) for name, spec in PAPER_FIELDS},
    }


def schema_text() -> str:
    return json.dumps(paper_schema(), indent=2, ensure_ascii=False) + "\n"


def _type(spec: FieldSpec) -> str:
    if spec.kind is Kind.COUNT and spec.minimum is not None:
        if spec.maximum is not None:
            return f"whole number from {spec.minimum} to {spec.maximum:,}"
        return f"whole number ≥ {spec.minimum}"
    if spec.kind is Kind.LINKS:
        return "list of `{url, kind}`; kind: " + ", ".join(f"`{k}`" for k in LinkKind)
    limits = []
    if spec.max_items is not None:
        limits.append(f"at most {spec.max_items:,}")
    if spec.max_length is not None:
        each = "each " if spec.max_items is not None else ""
        limits.append(f"{each}at most {spec.max_length:,} characters")
    if spec.earliest is not None:
        limits.append(f"from {spec.earliest} on")
    if spec.not_after is not None:
        limits.append(f"not after `{spec.not_after}`")
    base = ("list of `{topic, confidence}`; confidence from 0 to 1" if spec.kind is Kind.PROPOSALS
            else spec.kind.value)
    return base + "".join(f"; {limit}" for limit in limits)


def field_table() -> str:
    """The Markdown table of paper fields for the docs."""
    rows = ["| Key | Required | Value | What it holds | On import |", "| --- | --- | --- | --- | --- |"]
    for name, spec in PAPER_FIELDS:
        rows.append(f"| `{name}` | {'yes' if spec.required else 'no'} | {_type(spec)} | "
                    f"{spec.doc} | {spec.merge.value} |")
    return "\n".join(rows) + "\n"


FIELD_TABLE = re.compile(r"(<!-- paper-fields: generated.*?-->\n)(.*?)(<!-- /paper-fields -->)", re.S)
DOCS_WITH_FIELDS = (Path("CONTRIBUTING.md"), Path("content") / "README.md")


def with_field_table(text: str) -> str:
    """`text` with its generated field table brought up to date."""
    return FIELD_TABLE.sub(lambda m: m.group(1) + "\n" + field_table() + "\n" + m.group(3), text)


def main(root: Path) -> None:
    """Rewrite the committed schema and the docs' field tables from the model."""
    (root / "content" / SCHEMA_PATH).write_text(schema_text(), encoding="utf-8")
    for doc in DOCS_WITH_FIELDS:
        path = root / doc
        path.write_text(with_field_table(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - `make schema`
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
