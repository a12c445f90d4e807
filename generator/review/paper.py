"""Review one paper file: every field against what the site needs, then the schema.

The specific checks come first because they can say more than a JSON Schema
error: the line of the value, a suggestion for a misspelt key, why an unquoted
arXiv id went wrong. There is one check per field kind (`model.Kind`), so a new
field is checked by declaring it in the model. The schema
(content/schema/paper.schema.json, generated from the same model) then catches
whatever they do not cover.

Link kinds are checked against `links.classify(url)`: a specific kind
(code, hf-*) must match exactly, in both directions, because those drive the
badges and filters. `project` and `other` are interchangeable, because telling
a project page from any other web page is a curator's judgement that no rule on
the URL can make.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.errors import Severity, did_you_mean, short
from generator.identity import ARXIV_CATEGORY, ARXIV_ID, SLUG_RULE
from generator.links import classify, url_problem
from generator.mathtext import residue
from generator.model import (
    PAPER_FIELDS,
    PAPER_KEYS,
    REQUIRED_KEYS,
    RETIRED_KEYS,
    FieldSpec,
    Kind,
    LinkKind,
)
from generator.review.fields import (
    PASTED,
    check_characters,
    check_date,
    check_date_bounds,
    check_keys,
    check_length,
    check_list,
    check_list_length,
    check_slug_list,
    check_text,
    check_text_list,
    check_whole_number,
)
from generator.review.nodes import Doc, FieldPath, field_name
from generator.review.schema import SCHEMA_PATH, paper_schema
from generator.review.topics import TopicIds, unknown_topic

LINK_KEYS = ("url", "kind")
PROPOSAL_KEYS = ("topic", "confidence")
LENIENT_KINDS = frozenset({LinkKind.PROJECT, LinkKind.OTHER})
LINK_KIND_NAMES = tuple(str(kind) for kind in LinkKind)


def check_paper(doc: Doc, topics: TopicIds, *, provenance: bool = True,
                refreshing: bool = False, partial: bool = False) -> None:
    """The checks on one paper file that need nothing but the file and the topic ids.

    `provenance=False` skips the check that the paper has `topics` or `proposed_topics` (not
    both, nor a retired key): the build shows the file as it is, and the commands that write
    proposals (import, `new`, `topics refresh`) and `fmt` need not ask for them.
    `refreshing=True` (`topics refresh`, which rewrites every paper's `proposed_topics`)
    accepts any topic id there, and a retired key, so that it can replace the old id of a
    renamed topic and rewrite a file of an older format.
    `partial=True` checks the fields a record has and asks for none: a service's record
    (`review.incoming`) need not hold a whole paper."""
    if not doc.is_mapping("a mapping of paper fields (title, abstract, ...)"):
        return
    data = doc.data
    current = {key: value for key, value in data.items() if key not in RETIRED_KEYS}
    misspelt = check_keys(
        doc, (), current, PAPER_KEYS, "; expected one of " + ", ".join(PAPER_KEYS),
        () if partial else REQUIRED_KEYS,
    )
    for key, spec in PAPER_FIELDS:
        if key in data:
            # Refreshing replaces every proposal, so a renamed topic's old id is no error there.
            ids = dataclasses.replace(topics, loaded=False) if refreshing and key == PROPOSED \
                else topics
            _CHECKS[spec.kind](doc, key, spec, data[key], ids)
    # A misspelt `topics:` is the fix; "no topics" would lead away from it.
    if provenance and not refreshing and not misspelt & {"topics", PROPOSED}:
        _check_provenance(doc)


REFRESH = "python -m generator topics refresh"
PROPOSED = "proposed_topics"


def _check_provenance(doc: Doc) -> None:
    """A paper's topics come from a curator (`topics`) or the proposer (`proposed_topics`),
    never both, and never from a key the proposer replaced."""
    data = doc.data
    for old, new in RETIRED_KEYS.items():
        if old in data:
            doc.report(doc.node_at((old,), key=True),
                       f"{old}: replaced by `{new}` (proposed topics, each with a confidence); "
                       f"run `{REFRESH}`", path=(old,))
    if data.get("topics"):
        if PROPOSED in data:
            doc.report(doc.node_at((PROPOSED,)),
                       f"{PROPOSED}: not used while `topics` is set (a curator's choice); "
                       f"`{REFRESH}` removes it", Severity.WARNING, path=(PROPOSED,))
    elif PROPOSED not in data and not set(RETIRED_KEYS) & set(data):
        doc.report(doc.root, f"no topics: expected `topics` (a curator's choice) or "
                             f"`{PROPOSED}`; write `topics:`, or run `{REFRESH}` to propose them")


def _text(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if not check_text(doc, (key,), value):
        return
    node = doc.node_at((key,))
    length = len(" ".join(value.split()))
    if spec.max_length is not None and length > spec.max_length:
        check_length(doc, (key,), value, spec.max_length, PASTED if spec.warn_length else "")
    elif spec.warn_length is not None and length > spec.warn_length:
        doc.report(node, f"{key}: {length:,} characters, longer than any real abstract; expected "
                         f"at most {spec.warn_length:,} (is more than the abstract pasted in?)",
                   Severity.WARNING, path=(key,))
    if left := residue(value):
        found = ", ".join(repr(short(piece, 30)) for piece in dict.fromkeys(left))
        doc.report(node, f"{key}: looks like LaTeX math that lost its markup ({found}); expected "
                         "readable text, such as 'O(n)', '58.9 → 61.7' or '10¹⁵'",
                   Severity.WARNING, path=(key,))


def _paragraphs(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if not isinstance(value, str):
        check_text(doc, (key,), value)
    else:
        check_characters(doc, (key,), value)


def _names(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if not check_list(doc, (key,), value, spec.items):
        return
    if spec.max_items is not None and len(value) > spec.max_items:
        check_list_length(doc, (key,), value, "names", spec.max_items)
        return  # not a paper's authors: nothing to say of each name
    check_text_list(doc, (key,), value, spec.items)
    for i, name in enumerate(value):
        check_length(doc, (key, i), name, spec.max_length)


def _labels(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    check_text_list(doc, (key,), value, spec.items, unique=True)


def _count(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    check_whole_number(doc, key, value, spec.minimum or 0, spec.maximum)


def _date(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if (day := check_date(doc, key, value)) is not None:
        check_date_bounds(doc, key, day, spec.earliest, spec.not_after)


def _arxiv(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if isinstance(value, str) and ARXIV_ID.fullmatch(value):
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        written = getattr(doc.node_at((key,)), "value", value)
        doc.expected(
            (key,),
            f"the arXiv id as quoted text ('{written}')",
            value,
            "; unquoted, YAML reads it as a number",
        )
    else:
        doc.expected((key,), "an arXiv id like '2306.04751' or 'hep-th/9901001'", value)


def _category(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if not (isinstance(value, str) and ARXIV_CATEGORY.fullmatch(value)):
        doc.expected((key,), "an arXiv category like 'cs.CL' or 'hep-th'", value)


def _links(doc: Doc, key: str, spec: FieldSpec, links: Any, topics: TopicIds) -> None:
    if not check_list(doc, (key,), links, spec.items):
        return
    seen: dict[str, int] = {}
    for i, link in enumerate(links):
        here: FieldPath = (key, i)
        if not isinstance(link, dict):
            doc.expected(here, "a link (a mapping with url and kind)", link)
            continue
        check_keys(doc, here, link, LINK_KEYS, "; expected url and kind", LINK_KEYS)
        url, kind = link.get("url"), link.get("kind")
        url_ok = "url" in link and _link_url(doc, (*here, "url"), url, seen)
        kind_ok = "kind" in link and _link_kind(doc, (*here, "kind"), kind)
        if url_ok and kind_ok and isinstance(url, str):
            expected = classify(url)
            if expected != kind and not {expected, kind} <= LENIENT_KINDS:
                doc.report(
                    doc.node_at((*here, "kind")),
                    f"{field_name((*here, 'kind'))}: expected '{expected}' for this URL "
                    f"({expected.description}), found '{kind}'",
                    path=(*here, "kind"),
                )


def _link_url(doc: Doc, path: FieldPath, url: Any, seen: dict[str, int]) -> bool:
    """True for a good URL that no earlier link of this paper has."""
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
            f"{field_name(path)}: duplicate link (same URL as {field_name((path[0], seen[url]))})",
            Severity.WARNING,
            path=path,
        )
        return False
    seen[url] = path[1]  # type: ignore[assignment]
    return True


def _link_kind(doc: Doc, path: FieldPath, kind: Any) -> bool:
    if isinstance(kind, str) and kind in LINK_KIND_NAMES:
        return True
    suggestion = did_you_mean(kind, LINK_KIND_NAMES) if isinstance(kind, str) else ""
    doc.expected(path, f"one of {', '.join(LINK_KIND_NAMES)}", kind, suggestion)
    return False


def _topic_ids(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    check_text_list(doc, (key,), value, spec.items, unique=True)
    if not isinstance(value, list):
        return
    if not value:
        doc.report(
            doc.node_at((key,)),
            f"{key}: expected at least one topic id, found an "
            "empty list; the paper will appear on no topic page",
            Severity.WARNING,
        )
    for i, topic in enumerate(value):
        if isinstance(topic, str) and topic.strip():
            _known_topic(doc, (key, i), topic, topics)


def _proposals(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    if not check_list(doc, (key,), value, spec.items):
        return
    if not value:
        doc.report(doc.node_at((key,)), f"{key}: expected at least one proposed topic, found an "
                   "empty list; the paper will appear on no topic page", Severity.WARNING)
    seen: set[str] = set()
    for i, item in enumerate(value):
        here: FieldPath = (key, i)
        if not isinstance(item, dict):
            doc.expected(here, "a proposed topic (a mapping with topic and confidence)", item)
            continue
        check_keys(doc, here, item, PROPOSAL_KEYS, "; expected topic and confidence", ("topic",))
        topic, confidence = item.get("topic"), item.get("confidence")
        if "topic" in item:
            if not isinstance(topic, str) or not topic.strip():
                doc.expected((*here, "topic"), "a topic id", topic)
            elif topic in seen:
                doc.report(doc.node_at((*here, "topic")),
                           f"{field_name((*here, 'topic'))}: '{topic}' is proposed twice",
                           path=(*here, "topic"))
            else:
                seen.add(topic)
                _known_topic(doc, (*here, "topic"), topic, topics)
        if confidence is not None and (isinstance(confidence, bool)
                                       or not isinstance(confidence, (int, float))
                                       or not 0 <= confidence <= 1):
            doc.expected((*here, "confidence"), "a number from 0 to 1", confidence)


def _known_topic(doc: Doc, path: FieldPath, topic: str, topics: TopicIds) -> None:
    if topics.loaded and topic not in topics.ids:
        message = (f"unknown topic '{topic}'; it was renamed to '{topics.renamed[topic]}' "
                   f"(expected an id defined in {topics.path})" if topic in topics.renamed
                   else unknown_topic(topic, topics.ids, topics.topics, topics.path))
        doc.report(doc.node_at(path), f"{field_name(path)}: {message}", path=path)


def _slugs(doc: Doc, key: str, spec: FieldSpec, value: Any, topics: TopicIds) -> None:
    check_slug_list(doc, (key,), value, spec.items, f"an old slug ({SLUG_RULE})")


_Check = Callable[[Doc, str, FieldSpec, Any, TopicIds], None]
_CHECKS: dict[Kind, _Check] = {
    Kind.LINE: _text,
    Kind.PROSE: _text,
    Kind.PARAGRAPHS: _paragraphs,
    Kind.NAMES: _names,
    Kind.COUNT: _count,
    Kind.DATE: _date,
    Kind.ARXIV: _arxiv,
    Kind.CATEGORY: _category,
    Kind.LINKS: _links,
    Kind.TOPICS: _topic_ids,
    Kind.PROPOSALS: _proposals,
    Kind.LABELS: _labels,
    Kind.SLUGS: _slugs,
}
"""One check per field kind; a test makes sure every kind has one."""


# --- the schema catch-all --------------------------------------------------------------


def schema_validator(content_dir: Path) -> SchemaCheck:
    """A validator for the content folder's own schema/paper.schema.json (which may add
    local rules), else for the schema generated from the model."""
    local = Path(content_dir) / SCHEMA_PATH
    schema = json.loads(local.read_text(encoding="utf-8")) if local.is_file() else paper_schema()
    return SchemaCheck(schema)


_FAST_KEYWORDS = frozenset({
    "$schema", "$id", "title", "description", "type", "properties", "additionalProperties",
    "required", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "enum",
    "uniqueItems", "minimum", "maximum", "format",
})
"""The keywords the two validators read alike: fastjsonschema is never more lenient on
them (its `pattern` reads `$` as the very end, a stricter rule), given text-only enums
and jsonschema's own format checks. A schema with any other keyword is checked by
jsonschema alone."""


def _fast_enough(schema: Any) -> bool:
    """True when `schema` (and every schema inside it) uses only `_FAST_KEYWORDS`."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= _FAST_KEYWORDS:
        return False
    if "enum" in schema and not all(isinstance(v, str) for v in schema["enum"]):
        return False
    inner = [*schema.get("properties", {}).values(), schema.get("items", True),
             schema.get("additionalProperties", True)]
    return isinstance(schema.get("properties", {}), dict) and all(map(_fast_enough, inner))


class SchemaCheck:
    """The schema catch-all. jsonschema finds every error, with its path and rule, but
    takes 0.2 ms a paper; fastjsonschema (a pinned, well-kept library that compiles the
    schema into Python) first tells the papers without any error, nearly all of them,
    twenty times faster. It stops at the first error, so a paper it refuses is validated
    again by jsonschema, which alone says what is reported."""

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator

        self.full = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        self.fast: Callable[[Any], Any] | None = None
        if _fast_enough(schema):
            import fastjsonschema

            checker = self.full.format_checker
            assert checker is not None
            formats = {name: functools.partial(checker.conforms, format=name)
                       for name in checker.checkers}
            try:
                self.fast = fastjsonschema.compile(schema, formats=formats)
            except fastjsonschema.JsonSchemaException:  # a schema it cannot compile
                self.fast = None

    def iter_errors(self, data: Any) -> Iterator[Any]:
        """What jsonschema's validator finds in `data` (nothing for a paper the fast
        validator accepts)."""
        if self.fast is not None:
            try:
                self.fast(data)
                return iter(())
            except Exception:  # refused (or anything unforeseen): jsonschema decides
                pass
        return self.full.iter_errors(data)


def check_schema(doc: Doc, validator: SchemaCheck) -> None:
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
