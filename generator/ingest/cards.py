"""The metadata layout: one card per paper, with metadata lines around its title and abstract.

A card is the title, then its abstract on the next text line (blank lines do
not count), with metadata lines before the title or after the abstract:

    Submitted by akhaliq        (or `Submitted by` and the name on the next line)
    37                          (or `Upvote` and the count, on one line or two)
    Title of the paper
    The abstract ...
    · 5 authors                 (or `•  5 authors`)
    ·
    Sep 11, 2023 12             (a date, with the upvotes after it; or `Published on Nov 27`)
    arXiv:2411.01234            (or `arXiv: 2411.01234`)

The submitter and a bare upvote count open a card on the Daily Papers page, so
they belong to the title after them - unless no card starts with one and they
come after the last abstract, as in a page that puts them at the end of each
card. Every other metadata line belongs to the abstract before it. A metadata
line between a title and its abstract means the title has none (the Daily
Papers list itself shows no abstracts), and a card that states one fact twice is
out of step: both are errors that name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.dates import MONTH_ABBREVIATIONS
from generator.errors import ContentError, Problem, Severity, short
from generator.identity import ARXIV_ID_PATTERN
from generator.model import RawEntry

CHROME = {
    "new",
    "get trending papers in your email inbox once a day!",
    "get trending papers in your email inbox!",
    "subscribe",
    "byak and the research community",
    "by ak and the research community",
    "daily papers",
}
"""Page chrome, compared case-insensitively. It is never a paper."""

_DATE = (rf"(?P<month>{'|'.join(MONTH_ABBREVIATIONS)})[a-z]*\.? (?P<day>\d{{1,2}})"
         r"(?:, (?P<year>\d{4}))?")
DATE_LINE = re.compile(rf"^{_DATE}(?: (?P<upvotes>\d+))?$")
PUBLISHED_LINE = re.compile(rf"^Published on {_DATE}$")
AUTHORS_LINE = re.compile(r"^(?:[•·*-]\s*)?(?P<count>\d+)\s+authors?$")
DOT_LINE = re.compile(r"^[·•]$")
SUBMITTED_LINE = re.compile(r"^Submitted by(?:\s+(?P<name>\S.*))?$")
UPVOTE_LINE = re.compile(r"^Upvote(?:\s+(?P<count>\d+))?$")
COUNT_LINE = re.compile(r"^(?P<count>\d+)$")
ARXIV_LINE = re.compile(rf"^arXiv:\s*(?P<id>{ARXIV_ID_PATTERN})(?:v\d+)?$", re.IGNORECASE)

MAX_DIGITS = 9
"""Author counts and upvotes are small numbers; Python refuses to read a run of more than
4,300 digits as one (ValueError), so a longer run is reported here instead."""
_NAME_MAX = 60
"""A submitter's name on the line after `Submitted by` is at most this long."""

_WHAT = {"author_count": "author count", "date_text": "date", "upvotes": "upvote count",
         "arxiv": "arXiv id", "submitter": "submitter"}
_LEADING = frozenset({"submitter", "upvotes"})
"""The facts that open a Daily Papers card, before its title."""


@dataclass(frozen=True)
class Line:
    number: int
    text: str


_CHROME_LIKE = (
    (SUBMITTED_LINE, "a 'Submitted by' line"),
    (UPVOTE_LINE, "an upvote button"),
    (COUNT_LINE, "a bare number, such as an upvote count"),
    (AUTHORS_LINE, "an author count"),
    (DOT_LINE, "a separator"),
    (DATE_LINE, "a date"),
    (PUBLISHED_LINE, "a publication date"),
    (ARXIV_LINE, "an arXiv id line"),
    (re.compile(r"^\d+\s+(?:comments?|upvotes?)$", re.IGNORECASE), "a count of comments or upvotes"),
    (re.compile(r"^(?:previous|next|view all|load more|show more|see all|back to top|"
                r"hugging face|sign up|log in|login)$", re.IGNORECASE), "a navigation link"),
)


def chrome_reason(text: str) -> str | None:
    """What kind of page chrome `text` looks like (`a bare number, such as an upvote count`),
    or None when it may be a paper's title."""
    text = text.strip()
    if text.lower() in CHROME:
        return "a line of the page's header"
    return next((why for pattern, why in _CHROME_LIKE if pattern.match(text)), None)


def is_card_line(text: str) -> bool:
    """A line only a card has: it makes a dump's layout `metadata`."""
    return any(p.match(text) for p in (AUTHORS_LINE, SUBMITTED_LINE, UPVOTE_LINE,
                                       PUBLISHED_LINE, ARXIV_LINE))


def is_leading_line(text: str) -> bool:
    """A line that opens a Daily Papers card, before its title."""
    return bool(SUBMITTED_LINE.match(text) or UPVOTE_LINE.match(text))


@dataclass(frozen=True)
class _Meta:
    line: Line
    facts: dict[str, Any]
    """What the line says: {'author_count': 5}, {'date_text': 'Sep 27', 'upvotes': 3}, {}."""

    @property
    def leading(self) -> bool:
        return bool(self.facts) and set(self.facts) <= _LEADING


def _error(path: str, line: Line, message: str) -> ContentError:
    return ContentError([Problem(path, line.number, 1, Severity.ERROR, message)])


def _number(digits: str, line: Line, path: str) -> int:
    """The count on a metadata line, or a ContentError naming the line if it is absurdly long."""
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise _error(path, line, f"expected a number of at most {MAX_DIGITS} digits, found "
                                 f"{len(digits)} digits in {line.text.strip()[:60]!r}")
    return int(digits)


def _meta(line: Line, path: str) -> _Meta | None:
    """The facts of a metadata line, or None for a line of text."""
    text = line.text.strip()
    if m := AUTHORS_LINE.match(text):
        return _Meta(line, {"author_count": _number(m["count"], line, path)})
    if DOT_LINE.match(text):
        return _Meta(line, {})
    if m := DATE_LINE.match(text):
        facts: dict[str, Any] = {"date_text": text if m["upvotes"] is None
                                 else text[: m.start("upvotes")].rstrip()}
        if m["upvotes"]:
            facts["upvotes"] = _number(m["upvotes"], line, path)
        return _Meta(line, facts)
    if m := PUBLISHED_LINE.match(text):
        return _Meta(line, {"date_text": text.removeprefix("Published on ")})
    if m := ARXIV_LINE.match(text):
        return _Meta(line, {"arxiv": m["id"]})
    if m := UPVOTE_LINE.match(text):
        return _Meta(line, {"upvotes": _number(m["count"], line, path)} if m["count"] else {})
    if m := COUNT_LINE.match(text):
        return _Meta(line, {"upvotes": _number(m["count"], line, path)})
    if m := SUBMITTED_LINE.match(text):
        return _Meta(line, {"submitter": m["name"].strip()} if m["name"] else {})
    return None


def _tokens(items: list[Line], path: str) -> list[Line | _Meta]:
    """Each non-blank line as text or metadata; `Submitted by` and `Upvote` take the name
    or count on the next line when they have none of their own."""
    tokens: list[Line | _Meta] = []
    i = 0
    while i < len(items):
        meta = _meta(items[i], path)
        following = items[i + 1] if i + 1 < len(items) else None
        if meta is not None and not meta.facts and following is not None:
            text, after = meta.line.text.strip(), following.text.strip()
            if text == "Submitted by" and _meta(following, path) is None and len(after) <= _NAME_MAX:
                meta = _Meta(meta.line, {"submitter": after})
                i += 1
            elif text == "Upvote" and (m := COUNT_LINE.match(after)):
                meta = _Meta(meta.line, {"upvotes": _number(m["count"], following, path)})
                i += 1
        tokens.append(items[i] if meta is None else meta)
        i += 1
    return tokens


@dataclass
class _Card:
    title: Line
    abstract: Line | None = None
    after_title: _Meta | None = None
    """The first metadata line between the title and an abstract: then there is none."""
    facts: dict[str, Any] = field(default_factory=dict)
    where: dict[str, Line] = field(default_factory=dict)

    def add(self, meta: _Meta, path: str) -> None:
        for key, value in meta.facts.items():
            if key in self.facts:
                raise _error(path, meta.line,
                             f"a second {_WHAT[key]} ({meta.line.text.strip()!r}) for the paper "
                             f"{short(self.title.text.strip())!r} at line {self.title.number}, "
                             f"which has one at line {self.where[key].number}; expected one "
                             "card per paper (is a title or an abstract missing?)")
            self.facts[key] = value
            self.where[key] = meta.line

    def entry(self, source: str) -> RawEntry:
        assert self.abstract is not None
        return RawEntry(title=self.title.text.strip(), abstract=self.abstract.text.strip(),
                        source=source, line=self.title.number, abstract_line=self.abstract.number,
                        **self.facts)


def _no_abstract(path: str, card: _Card) -> ContentError:
    if card.after_title is None:
        return _error(path, card.title, f"truncated entry: title {card.title.text.strip()[:60]!r} "
                                        "has no abstract")
    follows = card.after_title.line
    return _error(path, card.title,
                  f"title {short(card.title.text.strip())!r} has no abstract: metadata "
                  f"({follows.text.strip()!r}, line {follows.number}) follows it; expected its "
                  "abstract on the next line (a copy of the Daily Papers list shows no "
                  "abstracts: copy each paper's page, or use `import --hf-daily`)")


def parse_cards(content: list[Line], source: str, path: str) -> list[RawEntry]:
    """The entries of a dump in the metadata layout (see the module docstring)."""
    tokens = _tokens([line for line in content if line.text], path)
    first_text = next((i for i, t in enumerate(tokens) if isinstance(t, Line)), len(tokens))
    opens = any(isinstance(t, _Meta) and t.leading for t in tokens[:first_text])
    cards: list[_Card] = []
    pending: list[_Meta] = []
    card: _Card | None = None
    for token in tokens:
        if isinstance(token, Line):
            if card is not None and card.abstract is None:
                if card.after_title is not None:
                    raise _no_abstract(path, card)
                card.abstract = token
                continue
            card = _Card(token)
            cards.append(card)
            for meta in pending:
                card.add(meta, path)
            pending = []
        elif card is None:
            if not (token.leading or is_leading_line(token.line.text.strip())):
                raise _error(path, token.line, "expected a paper title, found metadata line "
                                               f"{token.line.text.strip()!r}")
            pending.append(token)
        elif opens and token.leading and card.abstract is not None:
            pending.append(token)
        elif card.abstract is None:
            card.after_title = card.after_title or token
            if (opens and token.leading) or set(token.facts) & set(card.facts):
                raise _no_abstract(path, card)  # the next card has begun
            card.add(token, path)
        else:
            card.add(token, path)
    if card is None:
        first = pending[0].line
        raise _error(path, first, f"expected a paper title, found only metadata lines "
                                  f"({first.text.strip()!r})")
    if card.abstract is None:
        raise _no_abstract(path, card)
    for meta in pending:  # an opening line after the last abstract: it can only be the last card's
        card.add(meta, path)
    return [c.entry(source) for c in cards]


def format_card(entry: RawEntry, title: str, leading: bool) -> list[str]:
    """The lines of one card, which `parse_cards` reads back as `entry`. With `leading`, the
    submitter and a bare upvote count open the card, as on the Daily Papers page."""
    opening: list[str] = []
    if entry.submitter is not None:
        opening.append(f"Submitted by {entry.submitter}")
    if entry.upvotes is not None and entry.date_text is None:
        opening.append(f"Upvote {entry.upvotes}")
    lines = opening if leading else []
    lines += [title, "", entry.abstract, ""]
    if entry.author_count is not None:
        lines.append(f"  • {entry.author_count} author{'' if entry.author_count == 1 else 's'}")
    if entry.author_count is not None and entry.date_text is not None:
        lines.append("·")
    if entry.date_text is not None:
        upvotes = "" if entry.upvotes is None else f" {entry.upvotes}"
        lines.append(f"{entry.date_text}{upvotes}")
    if entry.arxiv is not None:
        lines.append(f"arXiv:{entry.arxiv}")
    if not leading:
        lines += opening
    lines.append("")
    return lines
