"""What papers.json, the per-topic JSON files and papers.csv say about a paper, and the
JSON Schema published for them: one record shape, defined once.

A record carries the model's fields under their model names, so the schema of each
value is the paper file's own (`generator.review.schema.field_schema`, from the
FieldSpec in `generator.model`); only `slug`, `url` and `topics` are the site's.
The CSV is the same record flattened, one column per key, with its columns
documented here and shown on the Downloads page.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator import warm
from generator.model import PAPER_FIELDS, LinkKind, Paper, Topic
from generator.review.schema import field_schema
from generator.site.paperfacts import paper_url, web_links

SCHEMA_PATH = "schema/papers.schema.json"
"""Where the schema of papers.json is published, under site_url."""

RECORD_FIELDS = ("title", "abstract", "authors", "author_count", "published", "added", "upvotes",
                 "arxiv", "arxiv_category", "links")
"""The paper file's fields a record carries, in record order (after `slug` and `url`)."""

_SPECS = dict(PAPER_FIELDS)
_LISTS = {"authors", "links"}


OPTIONAL_FIELDS = ("abstract",)
"""What a topic's papers.json leaves out: every abstract is in papers.json already, and
repeating it once per topic made the downloads a third of the site at 50,000 papers."""


def record(paper: Paper, site_url: str, whole: bool = True) -> dict[str, Any]:
    """A paper as plain JSON values: no HTML escaping (it is data), null for a missing value.
    Not `whole`: without OPTIONAL_FIELDS. The same dict for the same paper (do not change it):
    papers.json, papers.csv and each of the paper's topic files ask for it."""
    return _record(paper, site_url, whole)


@functools.lru_cache(maxsize=1 << 17)
def _record(paper: Paper, site_url: str, whole: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"slug": paper.slug, "url": paper_url(paper, site_url)}
    for name in RECORD_FIELDS:
        if not whole and name in OPTIONAL_FIELDS:
            continue
        value = getattr(paper, name)
        if name == "links":
            value = [{"url": link.url, "kind": str(link.kind)} for link in web_links(paper)]
        elif name in _LISTS:
            value = list(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    values["topics"] = list(paper.shown_topics)
    return values


def topic_record(topic: Topic, site_url: str) -> dict[str, str]:
    return {"id": topic.id, "title": topic.title, "description": topic.description,
            "url": f"{site_url}topics/{topic.id}/"}


def catalog_document(site_url: str, topics: list[Topic], papers: list[Paper],
                     whole: bool = True) -> dict[str, Any]:
    """papers.json, or a topic's papers.json (the same shape, one topic and its papers,
    not `whole`: without OPTIONAL_FIELDS)."""
    records = [record(p, site_url, whole) for p in papers]
    return {"$schema": site_url + SCHEMA_PATH, "site": site_url, "count": len(records),
            "topics": [topic_record(t, site_url) for t in topics], "papers": records}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    description = schema.get("description")
    inner = {k: v for k, v in schema.items() if k != "description"}
    return {"description": description, "anyOf": [inner, {"type": "null"}]}


def papers_schema(site_url: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of papers.json and of every topic's papers.json."""
    fields: dict[str, Any] = {
        "slug": {"description": "The paper's slug: its file name in content/papers/ and its "
                                "page's address.", "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "url": {"description": "The paper's page on the site.", "type": "string",
                "pattern": "^https?://"},
    }
    for name in RECORD_FIELDS:
        schema = field_schema(_SPECS[name])
        fields[name] = schema if name in _LISTS else _nullable(schema)
        if name in OPTIONAL_FIELDS:
            fields[name]["description"] += " Only in papers.json: a topic's papers.json leaves it out."
    topics = dict(field_schema(_SPECS["topics"]))
    topics["description"] = ("The paper's topics as the site shows them, the best first: a "
                             "curator's `topics`, else the proposed ones (`proposed_topics`).")
    fields["topics"] = topics
    topic = {"type": "object", "additionalProperties": False,
             "required": ["id", "title", "description", "url"],
             "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                            "description": {"type": "string"},
                            "url": {"type": "string", "pattern": "^https?://"}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": site_url + SCHEMA_PATH,
        "title": "papers.json: the papers of the index",
        "description": "Generated from generator/model.py at every build; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "required": ["$schema", "site", "count", "topics", "papers"],
        "properties": {
            "$schema": {"description": "The address of this schema.", "type": "string"},
            "site": {"description": "The site's address.", "type": "string"},
            "count": {"description": "How many papers the file holds.", "type": "integer",
                      "minimum": 0},
            "topics": {"description": "The topics the file covers.", "type": "array",
                       "items": topic},
            "papers": {"description": "One record per paper.", "type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": [f for f in fields if f not in OPTIONAL_FIELDS],
                "properties": fields}},
        },
    }


# --- papers.csv -----------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (CSV injection):
such a cell gets a leading apostrophe, which spreadsheets show as text."""


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    """What the column holds, for the Downloads page."""
    value: Callable[[dict[str, Any]], object]
    """The cell, from the paper's record."""


def _join(sep: str, key: str, part: str | None = None) -> Callable[[dict[str, Any]], str]:
    return lambda r: sep.join(item[part] if part else item for item in r[key])


AUTHOR_SEPARATOR = "; "
CSV_COLUMNS: tuple[Column, ...] = (
    Column("slug", "The paper's slug (its page's address).", lambda r: r["slug"]),
    Column("url", "The paper's page on this site.", lambda r: r["url"]),
    Column("title", "The title.", lambda r: r["title"]),
    Column("authors", "Author names in order, joined by a semicolon and a space.",
           _join(AUTHOR_SEPARATOR, "authors")),
    Column("author_count", "How many authors the listing showed, when the names are unknown.",
           lambda r: r["author_count"]),
    Column("published", "The publication date, YYYY-MM-DD, or empty.", lambda r: r["published"]),
    Column("added", "The capture date of the listing that brought the paper in, YYYY-MM-DD.",
           lambda r: r["added"]),
    Column("upvotes", "Hugging Face upvotes when last seen, or empty.", lambda r: r["upvotes"]),
    Column("arxiv", "The arXiv id, or empty.", lambda r: r["arxiv"]),
    Column("arxiv_category", "The primary arXiv category, or empty.", lambda r: r["arxiv_category"]),
    Column("topics", "Topic ids, the best first, joined by spaces.", _join(" ", "topics")),
    Column("code", "Code repository URLs, joined by spaces.",
           lambda r: " ".join(link["url"] for link in r["links"] if link["kind"] == LinkKind.CODE)),
    Column("links", "Every link's URL (code, models, datasets, demos, project pages), joined by "
                    "spaces.", _join(" ", "links", "url")),
    Column("link_kinds", "Each link's kind (code, hf-model, hf-dataset, hf-space, hf-collection, project, "
                         "other), in the order of the links column, joined by spaces.",
           _join(" ", "links", "kind")),
)
"""No abstract: papers.json has them. A spreadsheet row stays one line, and the file small."""


def papers_csv(papers: list[Paper], site_url: str) -> str:
    """papers.csv: a header row, then one row per paper (RFC 4180, UTF-8, CRLF line ends)."""
    return _csv_line([c.name for c in CSV_COLUMNS]) + "".join(
        warm.for_paper("csv row", p, site_url, functools.partial(_csv_row, p, site_url)) for p in papers)


def _csv_row(paper: Paper, site_url: str) -> str:
    rec = record(paper, site_url, whole=False)
    return _csv_line([csv_cell(c.value(rec)) for c in CSV_COLUMNS])


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()
