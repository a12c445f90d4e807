"""Checks of single fields, shared by the paper files and topics.yml.

Each check reports on the field's own node and says what it expected and what
it found, so a curator reading a pull request annotation knows what to type.
Rules on bare values, with no file around them (URLs, slugs, arXiv ids), live
in `generator.links` and `generator.identity`, where `new` uses them too.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.errors import Severity, closest, did_you_mean
from generator.review.nodes import Doc, FieldPath, field_name
from generator.text import BIDI, control_character, describe, is_nfc

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_keys(
    doc: Doc,
    here: FieldPath,
    mapping: dict[str, Any],
    allowed: tuple[str, ...],
    expected: str,
    required: tuple[str, ...] = (),
) -> set[str]:
    """Unknown keys (with a suggestion, else `expected`) and missing required keys; returns
    the known keys that an unknown key is a near miss of.

    A required key that an unknown key misspells is not reported missing as well: the
    suggestion (`did you mean 'title'?`) is the one message, and it fixes both."""
    prefix = f"{field_name(here)}: " if here else ""
    suggested: set[str] = set()
    for key in mapping:
        if key not in allowed:
            near = closest(key, allowed)
            suggested |= {near} if near else set()
            doc.report(
                doc.node_at((*here, key), key=True),
                f"{prefix}unknown key '{key}'{did_you_mean(key, allowed) or expected}",
                path=(*here, key),
            )
    for key in required:
        if key in suggested:
            doc.covered.add((*here, key))
        elif key not in mapping:
            doc.report(
                doc.node_at(here), f"{prefix}missing required key '{key}'", path=(*here, key)
            )
    return suggested


def check_list(doc: Doc, path: FieldPath, value: Any, what: str) -> bool:
    if isinstance(value, list):
        return True
    doc.expected(path, f"a list of {what}", value)
    return False


def check_text(doc: Doc, path: FieldPath, value: Any) -> bool:
    if not isinstance(value, str):
        hint = "; quote it" if isinstance(value, (int, float, bool)) else ""
        doc.expected(path, "text", value, hint)
        return False
    if not value.strip():
        found = "an empty string" if not value else "only whitespace"
        doc.report(
            doc.node_at(path),
            f"{field_name(path)}: expected non-empty text, found {found}",
            path=path,
        )
        return False
    return check_characters(doc, path, value)


def check_characters(doc: Doc, path: FieldPath, value: str) -> bool:
    """No control character (a tab and a line break aside); NFC, or a warning that `fmt`
    composes it. False when the text has a control character."""
    if (found := control_character(value)) is not None:
        doc.report(
            doc.node_at(path),
            f"{field_name(path)}: control character {describe(found[0])} at character "
            f"{found.start() + 1}; expected text (only tabs and line breaks are allowed)",
            path=path,
        )
        return False
    if (bidi := BIDI.search(value)) is not None:
        doc.report(
            doc.node_at(path),
            f"{field_name(path)}: bidirectional control {describe(bidi[0])} at character "
            f"{bidi.start() + 1}; it can make the text display in another order than it "
            "reads (remove it unless the text needs it)",
            Severity.WARNING,
            path=path,
        )
    if not is_nfc(value):
        doc.report(
            doc.node_at(path),
            f"{field_name(path)}: text not in Unicode NFC form (a letter and a combining "
            "accent where one composed character belongs); `python -m generator fmt` "
            "composes it",
            Severity.WARNING,
            path=path,
        )
    return True


def check_text_list(doc: Doc, path: FieldPath, value: Any, what: str, unique: bool = False) -> bool:
    """A list of non-empty strings; reports each bad item. True if the whole list is good."""
    if not check_list(doc, path, value, what):
        return False
    good = True
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        if not check_text(doc, (*path, i), item):
            good = False
        elif unique and item in seen:
            doc.report(
                doc.node_at((*path, i)),
                f"{field_name((*path, i))}: duplicate '{item}' "
                f"(already at {field_name((*path, seen[item]))})",
                path=(*path, i),
            )
            good = False
        else:
            seen.setdefault(item, i)
    return good


def check_whole_number(doc: Doc, key: str, value: Any, minimum: int) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
        doc.expected((key,), f"a whole number >= {minimum}", value)


def check_date(doc: Doc, key: str, value: Any) -> None:
    """An ISO date, checked from its text: PyYAML itself would fail on 2023-02-30."""
    if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        doc.expected((key,), "a date as YYYY-MM-DD", value)
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        doc.report(
            doc.node_at((key,)),
            f"{key}: expected a real date as YYYY-MM-DD, found {value} ({exc})",
            path=(key,),
        )
