"""Read a raw Hugging Face papers listing dump into raw entries.

The dumps come in three layouts, told apart by their shape, never by file name:

- compact: title and abstract alternate line by line; the first title is glued
  to the page-chrome word "Subscribe";
- blank-line: title and abstract are paragraphs separated by blank lines;
- metadata: each entry is followed by `• N authors`, a `·` line and a date line
  (`Sep 11, 2023`, `Oct 19, 2022 1` with upvotes, or `Sep 27` with no year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from generator.dates import MONTH_ABBREVIATIONS, MONTH_NUMBERS, latest_on_or_before
from generator.errors import ContentError, Problem, Severity
from generator.model import RawEntry

CHROME = {
    "new",
    "get trending papers in your email inbox once a day!",
    "get trending papers in your email inbox!",
    "subscribe",
    "byak and the research community",
    "daily papers",
}
"""Page chrome, compared case-insensitively. It is never a paper."""

DATE_LINE = re.compile(
    rf"^(?P<month>{'|'.join(MONTH_ABBREVIATIONS)})[a-z]*\.? (?P<day>\d{{1,2}})"
    r"(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?$"
)
AUTHORS_LINE = re.compile(r"^[•·*-]\s*(?P<count>\d+)\s+authors?$")
DOT_LINE = re.compile(r"^[·•]$")
SUBSCRIBE = re.compile(r"^Subscribe(?=\S)")

MAX_TITLE = 400
"""A 'title' longer than this means the entries are out of step: fail loudly."""
MAX_DIGITS = 9
"""Author counts and upvotes are small numbers; Python refuses to read a run of more than
4,300 digits as one (ValueError), so a longer run is reported here instead."""


class Layout(StrEnum):
    """The three shapes a dump comes in (see the module docstring)."""

    COMPACT = "compact"
    BLANK_LINE = "blank-line"
    METADATA = "metadata"


@dataclass(frozen=True)
class Listing:
    """A parsed dump: its layout, its header date (if any) and its entries."""

    source: str
    layout: Layout
    header_date: str | None
    entries: tuple[RawEntry, ...]


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def read_text(path: Path) -> str:
    """The file's text; a non-UTF-8 or empty file is a ContentError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(
            [Problem(str(path), 1, 1, Severity.ERROR, f"cannot read listing: {exc.strerror}")]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            [Problem(str(path), line, col, Severity.ERROR, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded")]
        ) from None


def parse_file(path: Path, source: str | None = None) -> Listing:
    return parse_text(read_text(path), source or path.stem, str(path))


def parse_text(text: str, source: str, path: str = "<stdin>") -> Listing:
    """Parse a whole dump. Raises ContentError (with file and line) if it is not one."""
    lines = [
        _Line(n, raw.rstrip().replace("\u00a0", " "))
        for n, raw in enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)
    ]
    content, header_date = _strip_chrome(lines)
    if not any(line.text for line in content):
        what = "is empty" if not text.strip() else "holds no entries (only page chrome)"
        raise ContentError([Problem(path, 1, 1, Severity.ERROR, f"listing {what}; expected title and abstract lines")])
    if any(AUTHORS_LINE.match(line.text.strip()) for line in content):
        layout, entries = Layout.METADATA, _parse_metadata(content, source, path)
    elif _has_blank_separators(content):
        layout, entries = Layout.BLANK_LINE, _parse_pairs(content, source, path)
    else:
        layout, entries = Layout.COMPACT, _parse_pairs(content, source, path)
    return Listing(source=source, layout=layout, header_date=header_date, entries=tuple(entries))


def _strip_chrome(lines: list[_Line]) -> tuple[list[_Line], str | None]:
    """Drop page chrome; the header's own date line (`Dec 10`) is the listing date."""
    header_date = None
    content: list[_Line] = []
    seen_entry = False
    for line in lines:
        text = line.text.strip()
        if text.lower() in CHROME:
            continue
        if not seen_entry and text:
            glued = SUBSCRIBE.match(text)
            if glued:
                line = _Line(line.number, text[glued.end() :])
            elif DATE_LINE.match(text) and header_date is None:
                header_date = text
                continue
            seen_entry = True
        content.append(line)
    while content and not content[-1].text:
        content.pop()
    return content, header_date


def _has_blank_separators(content: list[_Line]) -> bool:
    """True when paragraphs are one line each, split by blank lines."""
    nonblank = [i for i, line in enumerate(content) if line.text]
    gaps = sum(1 for a, b in zip(nonblank, nonblank[1:]) if b > a + 1)
    return gaps >= (len(nonblank) - 1) / 2 and len(nonblank) > 1


def _parse_pairs(content: list[_Line], source: str, path: str) -> list[RawEntry]:
    items = [line for line in content if line.text]
    entries = []
    for i in range(0, len(items), 2):
        title = items[i]
        if i + 1 >= len(items):
            raise _truncated(path, title)
        entries.append(_entry(title, items[i + 1], source, path))
    return entries


def _parse_metadata(content: list[_Line], source: str, path: str) -> list[RawEntry]:
    items = [line for line in content if line.text]
    entries = []
    i = 0
    while i < len(items):
        title = items[i]
        if _is_meta(title.text):
            raise ContentError(
                [Problem(path, title.number, 1, Severity.ERROR, f"expected a paper title, found metadata line {title.text.strip()!r}")]
            )
        if i + 1 >= len(items) or _is_meta(items[i + 1].text):
            raise _truncated(path, title)
        abstract = items[i + 1]
        i += 2
        author_count = upvotes = None
        date_text = None
        while i < len(items) and _is_meta(items[i].text):
            text = items[i].text.strip()
            if m := AUTHORS_LINE.match(text):
                author_count = _number(m["count"], items[i], path)
            elif m := DATE_LINE.match(text):
                date_text = text if m["upvotes"] is None else text[: m.start("upvotes")].rstrip()
                upvotes = _number(m["upvotes"], items[i], path) if m["upvotes"] else None
            i += 1
        entries.append(_entry(title, abstract, source, path, author_count, date_text, upvotes))
    return entries


def _number(digits: str, line: _Line, path: str) -> int:
    """The count on a metadata line, or a ContentError naming the line if it is absurdly long."""
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise ContentError([Problem(path, line.number, 1, Severity.ERROR,
                                    f"expected a number of at most {MAX_DIGITS} digits, found "
                                    f"{len(digits)} digits in {line.text.strip()[:60]!r}")])
    return int(digits)


def _is_meta(text: str) -> bool:
    text = text.strip()
    return bool(AUTHORS_LINE.match(text) or DOT_LINE.match(text) or DATE_LINE.match(text))


def _entry(
    title: _Line,
    abstract: _Line,
    source: str,
    path: str,
    author_count: int | None = None,
    date_text: str | None = None,
    upvotes: int | None = None,
) -> RawEntry:
    if len(title.text) > MAX_TITLE:
        raise ContentError(
            [
                Problem(
                    path, title.number, 1, Severity.ERROR,
                    f"expected a paper title, found a {len(title.text)}-character paragraph "
                    "(title and abstract lines are out of step)",
                )
            ]
        )
    return RawEntry(
        title=title.text.strip(),
        abstract=abstract.text.strip(),
        source=source,
        line=title.number,
        author_count=author_count,
        date_text=date_text,
        upvotes=upvotes,
    )


def format_listing(listing: Listing) -> str:
    """A dump in `listing.layout` that parses back to the same entries (and header date).

    The inverse of `parse_text` up to line numbers, for tests and for writing
    fixtures. The first title is glued to "Subscribe" as in a compact dump (and in
    any layout where the title alone would be read as chrome, as the header date, or,
    starting with U+FEFF, as a byte order mark).
    """
    out: list[str] = [listing.header_date, ""] if listing.header_date else []
    for i, entry in enumerate(listing.entries):
        title = entry.title
        if i == 0 and (listing.layout is Layout.COMPACT or SUBSCRIBE.match(title)
                       or title.lower() in CHROME or title.startswith("\ufeff")
                       or (listing.header_date is None and DATE_LINE.match(title))):
            title = "Subscribe" + title
        if listing.layout is Layout.COMPACT:
            out += [title, entry.abstract]
            continue
        out += [title, "", entry.abstract, ""]
        if listing.layout is Layout.METADATA:
            if entry.author_count is not None:
                out.append(f"  • {entry.author_count} author{'' if entry.author_count == 1 else 's'}")
            if entry.author_count is not None and entry.date_text is not None:
                out.append("·")
            if entry.date_text is not None:
                upvotes = "" if entry.upvotes is None else f" {entry.upvotes}"
                out.append(f"{entry.date_text}{upvotes}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _truncated(path: str, title: _Line) -> ContentError:
    return ContentError(
        [Problem(path, title.number, 1, Severity.ERROR, f"truncated entry: title {title.text.strip()[:60]!r} has no abstract")]
    )


def resolve_date(text: str, as_of: dt.date) -> dt.date:
    """`Sep 11, 2023` as written; `Sep 27` as the latest Sep 27 not after as_of."""
    match = DATE_LINE.match(text.strip())
    if not match:
        raise ValueError(f"expected a date such as 'Sep 11, 2023' or 'Sep 27', found {text!r}")
    month, day = MONTH_NUMBERS[match["month"][:3]], int(match["day"])
    if match["year"]:
        return dt.date(int(match["year"]), month, day)
    found = latest_on_or_before(month, day, as_of)
    if found is None:
        raise ValueError(f"no valid date {text!r} on or before {as_of}")
    return found
