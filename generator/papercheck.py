"""Review one paper file: every field against what the site needs, then the schema.

The specific checks come first because they can say more than a JSON Schema
error: the line of the value, a suggestion for a misspelt key, why an unquoted
arXiv id went wrong. The schema (content/schema/paper.schema.json) then catches
whatever they do not cover, so the schema stays the one definition of a paper.

Link kinds are checked against `normalize.classify(url)`: a specific kind
(code, hf-*) must match exactly, in both directions, because those drive the
badges and filters. `project` and `other` are interchangeable, because telling
a project page from any other web page is a curator's judgement that no rule on
the URL can make.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.fieldcheck import (
    ARXIV_ID,
    MAX_SLUG,
    check_date,
    check_keys,
    check_list,
    check_text,
    check_text_list,
    check_whole_number,
    is_slug,
    suggest,
    url_problem,
)
from generator.model import LINK_KINDS, PAPER_KEYS
from generator.topicscheck import TopicIds
from generator.yamlnodes import Doc, FieldPath, describe, field_name, short

REQUIRED_KEYS = ("title", "abstract")
LINK_KEYS = ("url", "kind")
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

Classify = Callable[[str], str]


def check_paper(doc: Doc, topics: TopicIds, classify: Classify | None) -> None:
    """The checks on one paper file that need nothing but the file and the topic ids."""
    data = doc.data
    if not isinstance(data, dict):
        doc.report(
            doc.root,
            f"expected a mapping of paper fields (title, abstract, ...), found "
            f"{'an empty file' if doc.root is None else describe(doc.root, data)}",
        )
        return
    check_keys(
        doc, (), data, PAPER_KEYS, "; expected one of " + ", ".join(PAPER_KEYS), REQUIRED_KEYS
    )
    for key in ("title", "abstract"):
        if key in data:
            check_text(doc, (key,), data[key])
    if "note" in data and not isinstance(data["note"], str):
        check_text(doc, ("note",), data["note"])
    if "authors" in data:
        check_text_list(doc, ("authors",), data["authors"], "author names")
    if "author_count" in data:
        check_whole_number(doc, "author_count", data["author_count"], 1)
    if "upvotes" in data:
        check_whole_number(doc, "upvotes", data["upvotes"], 0)
    for key in ("published", "added"):
        if key in data:
            check_date(doc, key, data[key])
    if "arxiv" in data:
        _arxiv(doc, data["arxiv"])
    if "links" in data:
        _links(doc, data["links"], classify)
    if "topics" in data:
        _topic_ids(doc, data["topics"], topics)
    else:
        doc.report(
            doc.root,
            "missing key 'topics'; expected a list of topic ids, or the paper "
            "appears on no topic page",
            "warning",
        )
    if "sources" in data:
        check_text_list(doc, ("sources",), data["sources"], "listing names", unique=True)
    if "redirect_from" in data:
        _redirects(doc, data["redirect_from"])


def _arxiv(doc: Doc, value: Any) -> None:
    if isinstance(value, str) and ARXIV_ID.fullmatch(value):
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        written = getattr(doc.node_at(("arxiv",)), "value", value)
        doc.expected(
            ("arxiv",),
            f"the arXiv id as quoted text ('{written}')",
            value,
            "; unquoted, YAML reads it as a number",
        )
    else:
        doc.expected(("arxiv",), "an arXiv id like '2306.04751' or 'hep-th/9901001'", value)


def _links(doc: Doc, links: Any, classify: Classify | None) -> None:
    if not check_list(doc, ("links",), links, "links (url, kind)"):
        return
    seen: dict[str, int] = {}
    for i, link in enumerate(links):
        here: FieldPath = ("links", i)
        if not isinstance(link, dict):
            doc.expected(here, "a link (a mapping with url and kind)", link)
            continue
        check_keys(doc, here, link, LINK_KEYS, "; expected url and kind", LINK_KEYS)
        url, kind = link.get("url"), link.get("kind")
        url_ok = "url" in link and _link_url(doc, i, url, seen)
        kind_ok = "kind" in link and _link_kind(doc, (*here, "kind"), kind)
        if url_ok and kind_ok and classify is not None and isinstance(url, str):
            expected = classify(url)
            if expected != kind and not {expected, kind} <= LENIENT_KINDS:
                doc.report(
                    doc.node_at((*here, "kind")),
                    f"{field_name((*here, 'kind'))}: expected '{expected}' for this URL "
                    f"({KIND_NAMES.get(expected, expected)}), found '{kind}'",
                    path=(*here, "kind"),
                )


def _link_url(doc: Doc, i: int, url: Any, seen: dict[str, int]) -> bool:
    """True for a good URL that no earlier link of this paper has."""
    path: FieldPath = ("links", i, "url")
    if not isinstance(url, str):
        doc.expected(path, "a URL", url)
        return False
    node = doc.node_at(path)
    if (why := url_problem(url)) is not None:
        doc.report(node, f"{field_name(path)}: {why}", path=path)
        return False
    if url in seen:
        doc.report(
            node,
            f"{field_name(path)}: duplicate link (same URL as links[{seen[url]}])",
            "warning",
            path=path,
        )
        return False
    seen[url] = i
    return True


def _link_kind(doc: Doc, path: FieldPath, kind: Any) -> bool:
    if kind in LINK_KINDS and isinstance(kind, str):
        return True
    suggestion = suggest(kind, LINK_KINDS) if isinstance(kind, str) else ""
    doc.expected(path, f"one of {', '.join(LINK_KINDS)}", kind, suggestion)
    return False


def _topic_ids(doc: Doc, value: Any, topics: TopicIds) -> None:
    check_text_list(doc, ("topics",), value, "topic ids", unique=True)
    if not isinstance(value, list):
        return
    if not value:
        doc.report(
            doc.node_at(("topics",)),
            "topics: expected at least one topic id, found an "
            "empty list; the paper will appear on no topic page",
            "warning",
        )
    if not topics.loaded:
        return
    for i, topic in enumerate(value):
        if isinstance(topic, str) and topic.strip() and topic not in topics.ids:
            doc.report(
                doc.node_at(("topics", i)),
                f"topics[{i}]: unknown topic '{topic}'{suggest(topic, topics.ids)} "
                f"(expected an id defined in {topics.path})",
                path=("topics", i),
            )


def _redirects(doc: Doc, value: Any) -> None:
    if not check_list(doc, ("redirect_from",), value, "old slugs"):
        return
    for i, slug in enumerate(value):
        here: FieldPath = ("redirect_from", i)
        if not isinstance(slug, str) or not is_slug(slug):
            doc.expected(
                here,
                f"an old slug (lowercase a-z, 0-9 and single hyphens, at most {MAX_SLUG} "
                "characters)",
                slug,
            )
        elif value.index(slug) != i:
            doc.report(
                doc.node_at(here),
                f"{field_name(here)}: duplicate '{slug}' (already at "
                f"redirect_from[{value.index(slug)}])",
                path=here,
            )


# --- the schema catch-all --------------------------------------------------------------


def schema_validator(content_dir: Path) -> Any:
    """A validator for content/schema/paper.schema.json (or the repo's copy), or None."""
    from jsonschema import Draft202012Validator

    for candidate in (content_dir / SCHEMA_PATH, _REPO_SCHEMA):
        if candidate.is_file():
            schema = json.loads(candidate.read_text(encoding="utf-8"))
            return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return None


def check_schema(doc: Doc, validator: Any) -> None:
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
        where = field_name(path) or "the file"
        schema_path = "/".join(str(p) for p in error.schema_path)
        doc.report(
            doc.node_at(path),
            f"{where}: {short(error.message, 200)} (schema rule {schema_path})",
            path=path,
        )
