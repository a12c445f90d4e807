"""Read a raw Hugging Face papers listing dump into raw entries.

The dumps come in three layouts, told apart by their shape, never by file name:

- compact: title and abstract alternate line by line; the first title is glued
  to the page-chrome word "Subscribe";
- blank-line: title and abstract are paragraphs separated by blank lines;
- metadata: a card per paper, with metadata lines anywhere around and between
  its title and abstract (`generator.ingest.cards`): `• N authors`, a `·` line
  and a date line (`Sep 11, 2023`, `Oct 19, 2022 1` with upvotes, `Sep 27` with
  no year) after the abstract, as in an older page; or, as a fresh copy of the
  Daily Papers page has them, `Submitted by <name>` and an upvote count before
  the title, and `· N authors`, `arXiv:2411.01234` and `Published on Nov 27`
  after the abstract, or between the title and the abstract.

A file is read as UTF-8 (with or without a byte order mark) or UTF-16 with a
byte order mark; anything else is refused with a message that names what it
looks like. The text is NFC-normalized, and a control character other than a
tab is refused with its line and column.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from generator.dates import MONTH_NUMBERS, latest_on_or_before
from generator.errors import ContentError, Problem, Severity, short
from generator.ingest.cards import (
    CHROME,
    DATE_LINE,
    Line,
    format_card,
    is_card_line,
    is_leading_line,
    looks_like_title,
    parse_cards,
)
from generator.model import RawEntry
from generator.text import nfc, refusal, refused_character

SUBSCRIBE = re.compile(r"^Subscribe(?=\S)")

MAX_TITLE = 400
"""A 'title' longer than this means the entries are out of step: fail loudly."""
MAX_CONTROL_PROBLEMS = 20
"""Control characters are reported on this many lines at most (a binary file has thousands)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32BE"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16BE"),
)
"""Byte order marks, longest first (UTF-32LE's starts with UTF-16LE's)."""


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


def _problem(path: str, line: int, col: int, message: str) -> ContentError:
    return ContentError([Problem(path, line, col, Severity.ERROR, message)])


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a byte order mark is dropped), or UTF-16 or UTF-32 with a
    byte order mark. Anything else, or an unreadable file, is a ContentError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(str(path), 1, 1, f"cannot read listing: {exc.strerror}") from None
    return decode(data, str(path))


def decode(data: bytes, path: str) -> str:
    """`data` as text (see `read_text`), or a ContentError naming the encoding it looks like."""
    codec, name = "utf-8", "UTF-8"
    for bom, bom_codec, bom_name in _BOMS:
        if data.startswith(bom):
            codec, name = bom_codec, bom_name
            break
    else:
        if (guess := _bomless_utf16(data)) is not None:
            raise _problem(path, 1, 1, f"the file looks like {guess} text without a byte order "
                           "mark; expected UTF-8 (save it as UTF-8, or as UTF-16 with a byte "
                           "order mark)")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(codec, errors="replace")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        if codec == "utf-8":
            message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded"
        else:
            message = (f"not valid {name} text (the file starts with a {name} byte order mark): "
                       f"bytes {data[exc.start:exc.end].hex(' ')} at offset {exc.start} cannot be "
                       "decoded")
        raise _problem(path, line, col, message) from None


def _bomless_utf16(data: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' when `data` has the zero bytes of mostly-ASCII UTF-16 text
    in every other position; None otherwise."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.8 * len(odd) and even.count(0) <= 0.2 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.8 * len(even) and odd.count(0) <= 0.2 * len(odd):
        return "UTF-16BE"
    return None


def parse_file(path: Path, source: str | None = None) -> Listing:
    return parse_text(read_text(path), source or path.stem, str(path))


def _control_problems(raw_lines: list[str], path: str) -> list[Problem]:
    problems = []
    for number, raw in enumerate(raw_lines, 1):
        if (found := refused_character(raw)) is not None:
            what, why = refusal(found[0])
            problems.append(Problem(path, number, found.start() + 1, Severity.ERROR,
                                    f"{what} in the listing; expected text ({why})"))
    if len(problems) > MAX_CONTROL_PROBLEMS:
        rest = len(problems) - MAX_CONTROL_PROBLEMS
        first = problems[MAX_CONTROL_PROBLEMS]
        problems = problems[:MAX_CONTROL_PROBLEMS] + [
            Problem(path, first.line, first.col, Severity.ERROR,
                    f"control characters on {rest} more lines from here (is this a text file?)")]
    return problems


def parse_text(text: str, source: str, path: str = "<stdin>") -> Listing:
    """Parse a whole dump. Raises ContentError (with file and line) if it is not one."""
    raw_lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if problems := _control_problems(raw_lines, path):
        raise ContentError(problems)
    lines = [Line(n, nfc(raw).rstrip().replace("\u00a0", " ")) for n, raw in enumerate(raw_lines, 1)]
    content, header_date = _strip_chrome(lines)
    if not any(line.text for line in content):
        what = "is empty" if not text.strip() else "holds no entries (only page chrome)"
        raise _problem(path, 1, 1, f"listing {what}; expected title and abstract lines")
    if any(is_card_line(line.text.strip()) for line in content):
        layout = Layout.METADATA
        entries = [_checked(e, path) for e in parse_cards(content, source, path)]
    elif _has_blank_separators(content):
        layout, entries = Layout.BLANK_LINE, _parse_pairs(content, source, path)
    else:
        layout, entries = Layout.COMPACT, _parse_pairs(content, source, path)
    return Listing(source=source, layout=layout, header_date=header_date, entries=tuple(entries))


def _strip_chrome(lines: list[Line]) -> tuple[list[Line], str | None]:
    """Drop page chrome; the header's own date line (`Dec 10`) is the listing date.

    "Subscribe" glued to the first title is cut off it, even after the lines that open
    a Daily Papers card (`Submitted by ...`, `Upvote 12`), which are kept."""
    header_date = None
    content: list[Line] = []
    seen_entry = seen_card = False
    for line in lines:
        text = line.text.strip()
        if text.lower() in CHROME:
            continue
        if not seen_entry and text:
            glued = SUBSCRIBE.match(text)
            if glued:
                line = Line(line.number, text[glued.end() :])
                seen_entry = True
            elif DATE_LINE.match(text) and header_date is None and not seen_card:
                header_date = text
                continue
            elif is_leading_line(text):
                seen_card = True
            else:
                seen_entry = True
        content.append(line)
    while content and not content[-1].text:
        content.pop()
    return content, header_date


def _has_blank_separators(content: list[Line]) -> bool:
    """True when paragraphs are one line each, split by blank lines."""
    nonblank = [i for i, line in enumerate(content) if line.text]
    gaps = sum(1 for a, b in zip(nonblank, nonblank[1:]) if b > a + 1)
    return gaps >= (len(nonblank) - 1) / 2 and len(nonblank) > 1


def _parse_pairs(content: list[Line], source: str, path: str) -> list[RawEntry]:
    items = [line for line in content if line.text]
    pairs = [(items[i], items[i + 1] if i + 1 < len(items) else None)
             for i in range(0, len(items), 2)]
    entries = []
    for k, (title, abstract) in enumerate(pairs):
        if abstract is None or len(title.text.strip()) > MAX_TITLE:
            raise _out_of_step(pairs, k, path)
        entries.append(_checked(RawEntry(title=title.text.strip(), abstract=abstract.text.strip(),
                                         source=source, line=title.number,
                                         abstract_line=abstract.number), path))
    return entries


def _out_of_step(pairs: list[tuple[Line, Line | None]], k: int, path: str) -> ContentError:
    """The error for pair `k`, whose title is a paragraph or has no abstract, blaming the line
    where titles and abstracts fell out of step when it can tell: walking back over the
    pairs whose 'title' is a sentence, the last real title either has another title for an
    abstract (it has none), or is followed by a sentence where a title belongs (a line too
    many)."""
    title, abstract = pairs[k]
    start = k if abstract is not None else k - 1
    j = start
    while j >= 0 and not looks_like_title(pairs[j][0].text.strip()):
        j -= 1  # a shifted pair: an abstract where its title belongs
    if j >= 0 and j < start:
        b_title, b_abstract = pairs[j]
        if b_abstract is not None and looks_like_title(b_abstract.text.strip()):
            return _problem(
                path, b_title.number, 1,
                f"title {short(b_title.text.strip())!r} has no abstract: the next line "
                f"({b_abstract.number}: {short(b_abstract.text.strip())!r}) reads as a title, "
                "so the titles and abstracts are out of step from here; add the missing "
                "abstract or remove the extra line")
    if j < start:
        extra = pairs[j + 1][0]
        after = (f"a second paragraph of the abstract of {short(pairs[j][0].text.strip())!r} "
                 f"(line {pairs[j][0].number}), or " if j >= 0 else "")
        return _problem(
            path, extra.number, 1,
            f"expected a paper title, found {_what(extra.text.strip())}: {after}an abstract "
            "without its title? The titles and abstracts are out of step from here; join the "
            "paragraphs or add the missing title")
    return _truncated(path, title)


def _what(text: str) -> str:
    if len(text) > MAX_TITLE:
        return f"a {len(text)}-character paragraph"
    return f"a sentence ({short(text)!r})"


def _checked(entry: RawEntry, path: str) -> RawEntry:
    if len(entry.title) > MAX_TITLE:
        raise _problem(path, entry.line, 1,
                       f"expected a paper title, found a {len(entry.title)}-character paragraph "
                       "(title and abstract lines are out of step)")
    return entry


def _truncated(path: str, title: Line) -> ContentError:
    return _problem(path, title.number, 1,
                    f"truncated entry: title {title.text.strip()[:60]!r} has no abstract")


def format_listing(listing: Listing) -> str:
    """A dump in `listing.layout` that parses back to the same entries (and header date).

    The inverse of `parse_text` up to line numbers (and the spelling of metadata lines),
    for tests and for writing fixtures. The first title is glued to "Subscribe" as in a
    compact dump (and in any layout where the title alone would be read as chrome, as the
    header date, or, starting with U+FEFF, as a byte order mark).
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
        if listing.layout is Layout.METADATA:
            out += format_card(entry, title)
        else:
            out += [title, "", entry.abstract, ""]
    if listing.layout is Layout.METADATA and not any(is_card_line(line.strip()) for line in out):
        out.append("Upvote")  # cards without metadata: a bare button keeps the layout
    return "\n".join(out).rstrip("\n") + "\n"


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
