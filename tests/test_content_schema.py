"""The committed paper files against the published schema, read as a standard consumer reads
them: PyYAML's `safe_load` and the `jsonschema` package, nothing of ours in between.

PyYAML turns an unquoted `2023-09-11` into a date, which the schema's `type: string`
refuses; the store writes dates quoted so that this pair accepts every file.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.model import Paper
from generator.store.paperfile import paper_to_yaml
from helpers import CONTENT

SCHEMA = json.loads((CONTENT / "schema" / "paper.schema.json").read_text(encoding="utf-8"))
PAPER_FILES = sorted((CONTENT / "papers").glob("*.yml"))


def test_there_are_papers_to_check() -> None:
    assert PAPER_FILES


@pytest.mark.parametrize("path", PAPER_FILES, ids=lambda p: p.stem)
def test_every_paper_file_validates_with_pyyaml_and_jsonschema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA,
                        format_checker=jsonschema.FormatChecker())


def test_an_unquoted_date_is_what_the_pair_refuses() -> None:
    """The test above can fail: the very pair rejects the old, unquoted form."""
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'string'"):
        jsonschema.validate(yaml.safe_load("title: T\nabstract: A\nadded: 2025-12-10\n"), SCHEMA)


def test_the_writer_quotes_dates() -> None:
    import datetime as dt

    text = paper_to_yaml(Paper(slug="x", title="T", abstract="A", published=dt.date(2023, 9, 11),
                               added=dt.date(2025, 12, 10)))
    assert "published: '2023-09-11'\n" in text and text.endswith("added: '2025-12-10'\n")
    jsonschema.validate(yaml.safe_load(text), SCHEMA)
