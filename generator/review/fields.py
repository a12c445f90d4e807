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
from generator.identity import is_slug, reserved_hint
from generator.review.nodes import Doc, FieldPath, field_name
from generator.text import BIDI, describe, is_nfc, refusal, refused_character

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


def refused_text(path: FieldPath, value: str) -> str | None:
    """The message for the first refused character in a field's text, or None."""
    if (found := refused_character(value)) is None:
        return None
    what, why = refusal(found[0])
    return f"{field_name(path)}: {what} at character {found.start() + 1}; expected text ({why})"


def check_characters(doc: Doc, path: FieldPath, value: str) -> bool:
    """No refused character (a control character other than a tab and a line break, a
    noncharacter, a lone surrogate); NFC, or a warning that `fmt` composes it. False when
    the text has a refused character."""
    if (refused := refused_text(path, value)) is not None:
        doc.report(doc.node_at(path), refused, path=path)
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


def check_slug_list(doc: Doc, path: FieldPath, value: Any, what: str, expected: str) -> list[str]:
    """A list of distinct slugs (old paper slugs, old topic ids); reports each bad item.
    `expected` names one item (`an old slug (...)`). Returns the good, first-seen items."""
    if not check_list(doc, path, value, what):
        return []
    good: list[str] = []
    for i, slug in enumerate(value):
        here: FieldPath = (*path, i)
        if not isinstance(slug, str) or not is_slug(slug):
            doc.expected(here, expected, slug, reserved_hint(slug))
        elif value.index(slug) != i:
            doc.report(
                doc.node_at(here),
                f"{field_name(here)}: duplicate '{slug}' (already at "
                f"{field_name((*path, value.index(slug)))})",
                path=here,
            )
        else:
            good.append(slug)
    return good


def check_whole_number(doc: Doc, key: str, value: Any, minimum: int,
                       maximum: int | None = None) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
        doc.expected((key,), f"a whole number >= {minimum}", value)
    elif maximum is not None and value > maximum:
        # Python writes no int of more than 4,300 digits: count those by their bits.
        digits = f"{len(str(value)):,}" if value.bit_length() < 14_000 else "over 4,200"
        found = f"the number {value:,}" if value < 10**20 else f"a number of {digits} digits"
        doc.report(doc.node_at((key,)), f"{key}: expected at most {maximum:,}, found {found}",
                   path=(key,))


def check_date(doc: Doc, key: str, value: Any) -> dt.date | None:
    """An ISO date, checked from its text: PyYAML itself would fail on 2023-02-30. The date,
    or None when it is not one."""
    if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        doc.expected((key,), "a date as YYYY-MM-DD", value)
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        doc.report(
            doc.node_at((key,)),
            f"{key}: expected a real date as YYYY-MM-DD, found {value} ({exc})",
            path=(key,),
        )
        return None


def check_date_bounds(doc: Doc, key: str, day: dt.date, earliest: dt.date | None,
                      not_after: str | None) -> None:
    """A date no earlier than `earliest`, and not after the paper's date `not_after`: rules that
    need no clock, so that `check` gives the same answer on any day."""
    if earliest is not None and day < earliest:
        doc.report(doc.node_at((key,)), f"{key}: {day} is before {earliest}; expected a date "
                                        f"from {earliest} on", path=(key,))
    other = doc.data.get(not_after) if not_after else None
    if isinstance(other, str) and _ISO_DATE.fullmatch(other):
        try:
            limit = dt.date.fromisoformat(other)
        except ValueError:
            return  # reported on its own field
        if day > limit:
            doc.report(doc.node_at((key,)), f"{key}: {day} is after {not_after} ({limit}); "
                                            f"expected a date on or before it", path=(key,))


PASTED = " (a whole paper or page pasted by mistake?)"
"""The hint on text far over its limit, for a field that has a warning length too."""


def too_many(path: FieldPath, value: list[Any] | tuple[Any, ...], what: str,
             max_items: int | None) -> str | None:
    """The message for a list longer than `max_items`, or None."""
    if max_items is None or len(value) <= max_items:
        return None
    return f"{field_name(path)}: {len(value):,} {what}; expected at most {max_items:,}"


def too_long(path: FieldPath, value: Any, max_length: int | None, hint: str = "") -> str | None:
    """The message for text longer than `max_length` characters (whitespace runs counted
    as one), or None."""
    if max_length is None or not isinstance(value, str):
        return None
    length = len(" ".join(value.split()))
    if length <= max_length:
        return None
    return f"{field_name(path)}: {length:,} characters; expected at most {max_length:,}{hint}"


def check_list_length(doc: Doc, path: FieldPath, value: list[Any], what: str,
                      max_items: int | None) -> None:
    if (message := too_many(path, value, what, max_items)) is not None:
        doc.report(doc.node_at(path), message, path=path)


def check_length(doc: Doc, path: FieldPath, value: Any, max_length: int | None,
                 hint: str = "") -> None:
    if (message := too_long(path, value, max_length, hint)) is not None:
        doc.report(doc.node_at(path), message, path=path)
