"""The metadata layout: one card per paper, with metadata lines around its title and abstract.

A card is a title and its abstract, the next text line (blank lines do not
count). Its metadata lines may stand anywhere inside it: before the title,
between the title and the abstract, or after the abstract:

    Submitted by akhaliq        (or `Submitted by` and the name on the next line)
    37                          (or `Upvote` and the count, on one line or two)
    Title of the paper
    · 5 authors                 (or `•  5 authors`)
    arXiv:2411.01234            (or `arXiv: 2411.01234`)
    The abstract ...
    ·
    Sep 11, 2023 12             (a date, with the upvotes after it; or `Published on Nov 27`)

The text lines alone pair up into titles and abstracts, so only the metadata
between one card's abstract and the next card's title is in doubt. It is split
where the listing's cards change from closing lines to opening lines: a kind of
line the first card has before its title opens a card, a kind the last card has
after its abstract closes one, and when the listing does not say, `Submitted by`
and an upvote count open a card (as on the Daily Papers page) and every other
line closes one. (A bare date above everything else, `Dec 10`, is the page's own
header date, not a card's: `generator.ingest.listing`.)

A card that states a fact twice states it once (`5`, `Upvote`, `5`); two
different values are an error that names both lines. Metadata followed by a
line that reads as a title (`looks_like_title`) means the title before it has no
abstract (the Daily Papers list itself shows none): an error at that title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
_OPENING = frozenset({"submitter", "upvotes"})
"""The kinds of line that open a card on the Daily Papers page, before its title; every
other kind closes one. A listing's own first and last cards overrule this."""


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


def looks_like_title(text: str) -> bool:
    """Short, and not a sentence: a title rarely ends with a period."""
    words = len(text.split())
    return len(text) <= 300 and words < 30 and not (text.endswith(".") and words >= 8)


@dataclass(frozen=True)
class _Meta:
    line: Line
    kind: str
    """What the line is about: `authors`, `separator`, `date` (with or without `Published
    on`), `arxiv`, `upvotes` (`37`, `Upvote 37`) or `submitter`."""
    facts: dict[str, Any]
    """What the line says: {'author_count': 5}, {'date_text': 'Sep 27', 'upvotes': 3}, {}."""


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
        return _Meta(line, "authors", {"author_count": _number(m["count"], line, path)})
    if DOT_LINE.match(text):
        return _Meta(line, "separator", {})
    if m := DATE_LINE.match(text):
        facts: dict[str, Any] = {"date_text": text if m["upvotes"] is None
                                 else text[: m.start("upvotes")].rstrip()}
        if m["upvotes"]:
            facts["upvotes"] = _number(m["upvotes"], line, path)
        return _Meta(line, "date", facts)
    if m := PUBLISHED_LINE.match(text):
        return _Meta(line, "date", {"date_text": text.removeprefix("Published on ")})
    if m := ARXIV_LINE.match(text):
        return _Meta(line, "arxiv", {"arxiv": m["id"]})
    if m := UPVOTE_LINE.match(text):
        return _Meta(line, "upvotes", {"upvotes": _number(m["count"], line, path)} if m["count"] else {})
    if m := COUNT_LINE.match(text):
        return _Meta(line, "upvotes", {"upvotes": _number(m["count"], line, path)})
    if m := SUBMITTED_LINE.match(text):
        return _Meta(line, "submitter", {"submitter": m["name"].strip()} if m["name"] else {})
    return None


def _tokens(items: list[Line], path: str) -> list[Line | _Meta]:
    """Each non-blank line as text or metadata; `Submitted by` and `Upvote` take the name
    or count on the next line when they have none of their own (and are quoted as one line,
    `Upvote 7`)."""
    tokens: list[Line | _Meta] = []
    i = 0
    while i < len(items):
        meta = _meta(items[i], path)
        following = items[i + 1] if i + 1 < len(items) else None
        if meta is not None and not meta.facts and following is not None:
            text, after = meta.line.text.strip(), following.text.strip()
            if text == "Submitted by" and _meta(following, path) is None and len(after) <= _NAME_MAX:
                meta = _Meta(Line(meta.line.number, f"{text} {after}"), meta.kind, {"submitter": after})
                i += 1
            elif text == "Upvote" and (m := COUNT_LINE.match(after)):
                meta = _Meta(Line(meta.line.number, f"{text} {after}"), meta.kind,
                             {"upvotes": _number(m["count"], following, path)})
                i += 1
        tokens.append(items[i] if meta is None else meta)
        i += 1
    return tokens


@dataclass
class _Card:
    title: Line
    abstract: Line | None = None
    between: list[_Meta] = field(default_factory=list)
    """The metadata lines between the title and the abstract."""
    meta: list[_Meta] = field(default_factory=list)
    """Every metadata line of the card, once the listing is split into cards."""

    def entry(self, source: str, path: str) -> RawEntry:
        """The card as an entry: each fact once, or a ContentError naming both lines of a
        fact stated twice with different values."""
        assert self.abstract is not None
        facts: dict[str, Any] = {}
        where: dict[str, Line] = {}
        for meta in sorted(self.meta, key=lambda m: m.line.number):
            for key, value in meta.facts.items():
                if key in facts and facts[key] != value:
                    first = where[key]
                    raise _error(path, meta.line,
                                 f"a second {_WHAT[key]} for the paper "
                                 f"{short(self.title.text.strip())!r} (line {self.title.number}): "
                                 f"{meta.line.text.strip()!r} (line {meta.line.number}) disagrees "
                                 f"with {first.text.strip()!r} (line {first.number}); expected one "
                                 "card per paper (is a title or an abstract missing?)")
                facts.setdefault(key, value)
                where.setdefault(key, meta.line)
        return RawEntry(title=self.title.text.strip(), abstract=self.abstract.text.strip(),
                        source=source, line=self.title.number, abstract_line=self.abstract.number,
                        **facts)


def _no_abstract(path: str, card: _Card) -> ContentError:
    if not card.between:
        return _error(path, card.title, f"truncated entry: title {card.title.text.strip()[:60]!r} "
                                        "has no abstract")
    follows = card.between[0].line
    return _error(path, card.title,
                  f"title {short(card.title.text.strip())!r} has no abstract: metadata "
                  f"({follows.text.strip()!r}, line {follows.number}) follows it; expected its "
                  "abstract on the next line (a copy of the Daily Papers list shows no "
                  "abstracts: copy each paper's page, or use `import --hf-daily`)")


def _split(gap: list[_Meta], opens: Callable[[_Meta], bool]) -> int:
    """Where the metadata between two cards changes from the first card's closing lines to the
    next card's opening lines: the split that puts the fewest lines on the wrong side."""
    costs = [sum(opens(m) for m in gap[:s]) + sum(not opens(m) for m in gap[s:])
             for s in range(len(gap) + 1)]
    return costs.index(min(costs))


def parse_cards(content: list[Line], source: str, path: str) -> list[RawEntry]:
    """The entries of a dump in the metadata layout (see the module docstring)."""
    cards: list[_Card] = []
    gaps: list[list[_Meta]] = []
    """The metadata before each card's title, since the abstract before it."""
    loose: list[_Meta] = []
    for token in _tokens([line for line in content if line.text], path):
        card = cards[-1] if cards else None
        if isinstance(token, _Meta):
            (card.between if card is not None and card.abstract is None else loose).append(token)
        elif card is not None and card.abstract is None:
            if card.between and looks_like_title(token.text.strip()):
                raise _no_abstract(path, card)
            card.abstract = token
        else:
            cards.append(_Card(token))
            gaps.append(loose)
            loose = []
    if not cards:
        first = loose[0].line
        raise _error(path, first, f"expected a paper title, found only metadata lines "
                                  f"({first.text.strip()!r})")
    if cards[-1].abstract is None:
        raise _no_abstract(path, cards[-1])
    opening = {m.kind for m in gaps[0]}
    closing = {m.kind for m in loose}

    def opens(meta: _Meta) -> bool:
        if (meta.kind in opening) != (meta.kind in closing):
            return meta.kind in opening
        return meta.kind in _OPENING

    cards[0].meta += gaps[0]
    for before, after, gap in zip(cards, cards[1:], gaps[1:]):
        s = _split(gap, opens)
        before.meta += gap[:s]
        after.meta += gap[s:]
    cards[-1].meta += loose
    for card in cards:
        card.meta += card.between
    return [card.entry(source, path) for card in cards]


def format_card(entry: RawEntry, title: str) -> list[str]:
    """The lines of one card, which `parse_cards` reads back as `entry`: the submitter and a
    bare upvote count before the title, as on the Daily Papers page, the rest after the
    abstract."""
    lines: list[str] = []
    if entry.submitter is not None:
        lines.append(f"Submitted by {entry.submitter}")
    if entry.upvotes is not None and entry.date_text is None:
        lines.append(f"Upvote {entry.upvotes}")
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
    lines.append("")
    return lines
