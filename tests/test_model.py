"""One definition per fact: the model drives the schema, the checks, the store and the docs.

Each test here fails when a second copy of a fact drifts from the model: the
committed JSON Schema, the field tables in the docs, a field kind without a
check or a schema rule, a link kind without its badge.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from jsonschema import Draft202012Validator

from generator.icons import icon_exists, icon_path
from generator.model import PAPER_FIELDS, Kind, LinkKind, Paper
from generator.review import paper as paper_check
from generator.review.schema import (
    DOCS_WITH_FIELDS,
    FIELD_TABLE,
    SCHEMA_PATH,
    field_table,
    paper_schema,
    with_field_table,
)
from generator.store.paperfile import paper_from_mapping, paper_to_mapping
from helpers import CONTENT, EVERY_FIELD, ROOT


def test_the_committed_schema_is_the_models() -> None:
    committed = json.loads((CONTENT / SCHEMA_PATH).read_text(encoding="utf-8"))
    assert committed == paper_schema(), "run `make schema` after changing generator/model.py"


@pytest.mark.parametrize("doc", DOCS_WITH_FIELDS, ids=str)
def test_the_docs_field_tables_are_the_models(doc) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    match = FIELD_TABLE.search(text)
    assert match, f"{doc} has no generated field table"
    assert match.group(2).strip() == field_table().strip()
    assert with_field_table(text) == text


def test_every_paper_field_is_in_the_table_and_the_schema() -> None:
    declared = [f.name for f in dataclasses.fields(Paper) if f.name != "slug"]
    assert [name for name, _ in PAPER_FIELDS] == declared
    assert list(paper_schema()["properties"]) == declared
    for name, _ in PAPER_FIELDS:
        assert f"| `{name}` |" in field_table()


def test_every_field_kind_has_a_check_and_a_schema_rule() -> None:
    assert set(paper_check._CHECKS) == set(Kind)
    used = {spec.kind for _, spec in PAPER_FIELDS}
    assert used == set(Kind), f"kinds no field uses: {set(Kind) - used}"


def test_the_schema_accepts_what_the_store_writes() -> None:
    """Every field, as a standard PyYAML + jsonschema consumer reads the file (dates as strings)."""
    mapping = paper_to_mapping(EVERY_FIELD)
    assert list(mapping) == [name for name, _ in PAPER_FIELDS]
    as_read = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in mapping.items()}
    assert list(Draft202012Validator(paper_schema()).iter_errors(as_read)) == []
    assert paper_from_mapping(EVERY_FIELD.slug, mapping) == EVERY_FIELD


def test_the_schema_rejects_what_check_rejects() -> None:
    """The schema is not a pass-everything stub: each of these breaks one rule."""
    validator = Draft202012Validator(paper_schema())
    good = {"title": "T", "abstract": "A", "topics": ["t"]}
    assert list(validator.iter_errors(good)) == []
    for bad in ({"abstract": "A"}, {**good, "upvotes": -1}, {**good, "arxiv": 2306.04751},
                {**good, "published": "2023/09/11"}, {**good, "links": [{"url": "https://x.org"}]},
                {**good, "unknown": 1}, {**good, "author_count": 0}):
        assert list(validator.iter_errors(bad)), bad


@pytest.mark.parametrize("kind", list(LinkKind))
def test_every_link_kind_has_a_label_an_icon_and_a_description(kind: LinkKind) -> None:
    assert kind.label and kind.description
    assert icon_exists(kind.icon.replace("/", "-")), kind.icon


def test_icon_rule() -> None:
    assert icon_exists("material-magnify")
    assert icon_path("fontawesome-brands-github") == "fontawesome/brands/github"
    assert not icon_exists("magnify"), "a name without its icon set is not an icon"
    assert not icon_exists("material-no-such-icon")
