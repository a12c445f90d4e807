"""Checks of single fields, shared by the paper files and topics.yml.

Each check reports on the field's own node and says what it expected and what
it found, so a curator reading a pull request annotation knows what to type.
`url_problem` and `ARXIV_ID` judge a bare value, with no file around it:
`new` checks its input with them before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from generator.yamlnodes import Doc, FieldPath, field_name, short

MAX_SLUG = 80
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})")
"""A new-style (2306.04751) or old-style (hep-th/9901001) arXiv id."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]+")
_URL_FORBIDDEN = set('<>"\\^`{|}')


def is_slug(text: str) -> bool:
    """True for a valid file name stem / URL slug: what python-slugify would produce."""
    from slugify import slugify

    return 0 < len(text) <= MAX_SLUG and slugify(text) == text


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable link (http or https, well formed), or None."""
    scheme = _SCHEME.match(url)
    if scheme is None:
        return f"expected an http or https URL (https://...), found {short(url)!r}"
    if scheme.group(1) not in ("http", "https"):
        found = f"the scheme '{scheme.group(0)}' in {short(url)!r}"
        return f"expected an http or https URL, found {found}"
    if not url[scheme.end() :].startswith("//"):
        return f"malformed URL {short(url)!r}: expected '//' after '{scheme.group(0)}'"
    bad = next(
        (c for c in url if c.isspace() or ord(c) < 32 or ord(c) == 127 or c in _URL_FORBIDDEN), None
    )
    if bad is not None:
        return f"malformed URL {short(url)!r}: found {bad!r}, which must be percent-encoded"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL {short(url)!r}: {exc}"
    host = parts.hostname or ""
    if not (_HOST.fullmatch(host) or (":" in host and parts.netloc.count("[") == 1)):
        return f"malformed URL {short(url)!r}: expected a host name like example.org after '//'"
    return None


def check_keys(
    doc: Doc,
    here: FieldPath,
    mapping: dict[str, Any],
    allowed: tuple[str, ...],
    expected: str,
    required: tuple[str, ...] = (),
) -> None:
    """Unknown keys (with a suggestion, else `expected`) and missing required keys."""
    prefix = f"{field_name(here)}: " if here else ""
    for key in mapping:
        if key not in allowed:
            doc.report(
                doc.node_at((*here, key), key=True),
                f"{prefix}unknown key '{key}'{suggest(key, allowed) or expected}",
                path=(*here, key),
            )
    for key in required:
        if key not in mapping:
            doc.report(
                doc.node_at(here), f"{prefix}missing required key '{key}'", path=(*here, key)
            )


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
