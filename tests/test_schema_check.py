"""The schema catch-all's fast path (fastjsonschema) never hides an error: on the real
papers and on each of them broken in many ways, `SchemaCheck` reports exactly what
jsonschema alone reports; and a schema with a keyword the fast path is not trusted
with is checked by jsonschema alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.review.paper import SchemaCheck, schema_validator
from generator.review.schema import paper_schema
from helpers import ROOT

BREAKS: list[tuple[str, Any]] = [
    ("title", ""), ("title", " \n"), ("title", 7), ("title", "x" * 501), ("abstract", None),
    ("authors", ["A", ""]), ("authors", "A"), ("authors", ["A", 3]), ("author_count", 0),
    ("author_count", 1.5), ("author_count", True), ("upvotes", -1), ("upvotes", 2.0),
    ("upvotes", False), ("published", "2023-02-30"), ("published", "2023-2-3"),
    ("published", "2023-02-03\n"), ("arxiv", "2306.04751\n"), ("arxiv", 2306.04751),
    ("arxiv_category", "CS"), ("links", [{"url": "ftp://x", "kind": "code"}]),
    ("links", [{"url": "https://x", "kind": "codes"}]), ("links", [{"url": "https://x"}]),
    ("links", [{"url": "https://x", "kind": "code", "more": 1}]), ("links", {"url": "x"}),
    ("topics", ["a", "a"]), ("topics", ["A"]), ("topics", [1, 1]), ("topics", [True, "true"]),
    ("proposed_topics", [{"topic": "a", "confidence": 2}]), ("redirect_from", ["Bad Slug"]),
    ("unknown_key", 1), ("added", "yesterday"), ("sources", [None]),
]


def _papers() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "content" / "papers").glob("*.yml"))]


def _messages(errors: Any) -> list[tuple[str, str]]:
    return sorted((e.message, "/".join(map(str, e.absolute_path))) for e in errors)


def _as_text(value: Any) -> Any:
    """Dates as the review reads them: text."""
    return json.loads(json.dumps(value, default=str))


@pytest.fixture(scope="module")
def check() -> SchemaCheck:
    found = schema_validator(ROOT / "content")
    assert found.fast is not None  # the schema of the model is one the fast path takes
    return found


def test_the_fast_path_reports_what_jsonschema_reports(check: SchemaCheck) -> None:
    alone = Draft202012Validator(check.full.schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    compared = errors = 0
    for paper in _papers()[:40]:
        paper = _as_text(paper)
        for key, value in [(None, None), *BREAKS]:
            data = dict(paper) if key is None else {**paper, key: value}
            expected = _messages(alone.iter_errors(data))
            assert _messages(check.iter_errors(data)) == expected, (key, value)
            compared += 1
            errors += bool(expected)
    assert errors >= 40 * (len(BREAKS) - 2)  # nearly every break is an error to find


def test_a_schema_with_other_keywords_is_checked_by_jsonschema_alone() -> None:
    schema = paper_schema()
    schema["properties"]["upvotes"] = {"const": 1}
    check = SchemaCheck(schema)
    assert check.fast is None
    assert _messages(check.iter_errors({"title": "t", "abstract": "a", "upvotes": 2})) == [
        ("1 was expected", "upvotes")]
    enum = paper_schema()
    enum["properties"]["upvotes"] = {"enum": [1]}  # fastjsonschema would take True for 1
    assert SchemaCheck(enum).fast is None


def test_a_local_schema_is_the_one_checked(tmp_path: Path) -> None:
    schema = paper_schema()
    schema["properties"]["title"]["maxLength"] = 3
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "paper.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    check = schema_validator(tmp_path)
    assert check.fast is not None
    assert _messages(check.iter_errors({"title": "long", "abstract": "a"})) == [
        ("'long' is too long", "title")]
