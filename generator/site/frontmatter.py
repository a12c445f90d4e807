"""A page's front matter that MkDocs always reads, and the proof that it did.

MkDocs (`mkdocs/utils/meta.py`) parses the block between the `---` lines with
PyYAML (libyaml's CSafeLoader) and, on any error, silently renders the whole
block as the page's Markdown, where raw HTML from a field survives. So the
front matter is written in a form every YAML reader reads back to the same
values, whatever the text holds: YAML's flow style, which is JSON, on one line,
with every character that YAML refuses or reads as a line break written as an
escape (C1 controls and DEL, U+2028/U+2029, U+FEFF, the noncharacters).
`check` refuses most of those already; the escapes keep the writer total.

The last key, `page_check`, is a digest of the rest of the page (front matter
and body). The templates print it (`data-pi-page` on `<html>`), and after
MkDocs has run, `unread_pages` finds every page whose HTML does not carry its
own digest: a page whose front matter MkDocs could not read. No text in the
page can forge it, since the digest covers that text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.text import NONCHARACTERS, SURROGATES

CHECK_KEY = "page_check"
"""The front-matter key of the digest; the templates print it as `data-pi-page`."""
CHECK_ATTRIBUTE = "data-pi-page"
_ESCAPED = re.compile(f"[\\x7f-\\x9f\\u2028\\u2029\\ufeff{NONCHARACTERS}]")
"""Raw in a JSON string, but refused by YAML (DEL and C1 but NEL, U+FFFE/F), read by it as a
line break (NEL, U+2028, U+2029) or skipped (a byte order mark): written as escapes."""
_MAYBE_ESCAPED = re.compile(
    "[\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufdd0-\\ufdef\\ufffe\\uffff\\U00010000-\\U0010ffff]")
"""_ESCAPED and every astral character: ranges only, which the regex engine scans 20 times
faster than _ESCAPED's 34 astral noncharacters; `_escape` keeps the others as they are."""
_SURROGATE = re.compile(f"[{SURROGATES}]")
_CHECK_ENTRY = re.compile(f',?"{CHECK_KEY}":"(?P<digest>[0-9a-f]{{16}})"}}\\Z')
_FRONT = re.compile(r"---\n(?P<front>[^\n]*)\n---\n")


def _json_value(value: object) -> str:
    """Dates in hand-written front matter, as YAML would write them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} into front matter")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if not _ESCAPED.fullmatch(match[0]):
        return match[0]
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _digest(front: str, body: str) -> str:
    return hashlib.sha256(f"{front}\n{body}".encode("utf-8")).hexdigest()[:16]


def page_text(meta: dict[str, Any], body: str, where: str) -> str:
    """A Markdown page: front matter for `meta`, ending with its `page_check`, then `body`.
    `where` names the page in the error a lone surrogate raises (no YAML reader accepts
    one, even escaped, and no UTF-8 file can hold one)."""
    # json.dumps writes YAML's flow style ten times faster than even libyaml's emitter.
    front = json.dumps(meta, ensure_ascii=False, separators=(",", ":"), default=_json_value)
    for text in (front, body):
        if not text.isascii() and (surrogate := _SURROGATE.search(text)) is not None:
            raise GeneratorError(f"{where}: cannot write the lone surrogate U+{ord(surrogate[0]):04X} "
                                 "into a page (`check` refuses it in content)")
    if not front.isascii():
        front = _MAYBE_ESCAPED.sub(_escape, front)
    entry = f'"{CHECK_KEY}":"{_digest(front, body)}"}}'
    front = front[:-1] + ("," if front != "{}" else "") + entry
    return f"---\n{front}\n---\n\n{body}"


def expected_check(text: str) -> str | None:
    """The digest a page's HTML must carry: the one in its front matter, if it matches the
    rest of the page; None for a page without one, or one edited since it was written."""
    match = _FRONT.match(text)
    if match is None:
        return None
    front = match["front"]
    entry = _CHECK_ENTRY.search(front, max(0, len(front) - 40))  # the last 33 characters
    if entry is None:
        return None
    front = front[: entry.start()] + "}"
    body = text[match.end():].removeprefix("\n")
    return entry["digest"] if _digest(front, body) == entry["digest"] else None


def _refuse(value: str) -> object:
    raise ValueError(f"not read as YAML reads it: {value}")


def read_generated(text: str) -> tuple[str, dict[str, Any]] | None:
    """(body, front matter) of a page `page_text` wrote, read as JSON, which it is: the
    same values as YAML gives, ten times faster. None for any other page: one with a
    character `page_text` would have escaped, a number YAML might read otherwise (a
    float, NaN: `page_text` writes none), or an escape JSON lacks (`\\U` for an astral
    noncharacter); YAML reads those, or refuses them."""
    match = _FRONT.match(text)
    if match is None or _CHECK_ENTRY.search(front := match["front"], max(0, len(front) - 40)) is None:
        return None
    if not front.isascii() and any(_ESCAPED.fullmatch(m[0]) for m in _MAYBE_ESCAPED.finditer(front)):
        return None  # raw, where `page_text` writes an escape: YAML refuses or reads it otherwise
    try:
        meta = json.loads(front, parse_float=_refuse, parse_constant=_refuse)
    except ValueError:
        return None
    return (text[match.end():].lstrip("\n"), meta) if isinstance(meta, dict) else None


def unread_pages(docs_dir: Path, site_dir: Path, use_directory_urls: bool = True) -> list[str]:
    """Every Markdown page in `docs_dir` (a docs folder `generator build` wrote) whose HTML
    in `site_dir` does not carry the digest of its front matter: MkDocs did not read its
    front matter (or the page lacks one, or was not built at all)."""
    from mkdocs.structure.files import File

    unread = []
    for source in sorted(docs_dir.rglob("*.md")):
        rel = source.relative_to(docs_dir).as_posix()
        html = site_dir / File(rel, str(docs_dir), str(site_dir), use_directory_urls).dest_path
        digest = expected_check(source.read_text(encoding="utf-8-sig"))
        mark = f'{CHECK_ATTRIBUTE}="{digest}"'.encode()
        if digest is None or not html.is_file() or mark not in html.read_bytes():
            unread.append(rel)
    return unread
