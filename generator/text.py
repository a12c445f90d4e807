"""Rules on bare text that every stage shares: Unicode form, control characters, lengths.

A listing, a paper file and `new`'s flags all end up on a public page, so the
same text rules hold for each: text is NFC (a composed `é`, never `e` plus a
combining accent, so equal titles are equal strings and search finds them),
and it holds no control character other than a tab or a line break, which no
one types on purpose and which can break a terminal (escape sequences) or a
file (NUL). Bidirectional overrides, which can make text display in another
order than it reads, are only warned about.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc: C0, DEL, C1) other than tab and newline."""
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embeddings, overrides and isolates: they can make text display in another
order than it reads, so `check` warns on them (a right-to-left title needs none)."""

ABSTRACT_WARN = 5_000
"""`check` warns on an abstract longer than this many characters: the longest of the
577 abstracts in the committed listings has 1,920, and a real one rarely passes 3,000."""
ABSTRACT_MAX = 20_000
"""`check` fails an abstract longer than this, and the import refuses one: it is a
whole paper or a page pasted by mistake, not an abstract."""
MIN_ABSTRACT_WORDS = 20
"""An imported abstract needs this many words, unless the curator forces it: fewer is a
line of page chrome (an upvote count) or a title and abstract out of step. The shortest
of the 577 abstracts in the committed listings has 43."""


def control_character(text: str) -> re.Match[str] | None:
    """The first control character `check` and the import refuse, or None."""
    return CONTROL.search(text)


def describe(char: str) -> str:
    """`U+001B (ESCAPE)`: a character no one can see, named so it can be found."""
    name = unicodedata.name(char, "") or _C0_NAMES.get(ord(char), "a control character")
    return f"U+{ord(char):04X} ({name})"


_C0_NAMES = dict(enumerate((
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE")))
_C0_NAMES.update({0x7F: "DELETE", 0x85: "NEXT LINE"})
"""Python's unicodedata gives control characters no name: these are Unicode's aliases."""


def nfc(text: str) -> str:
    """`text` in Unicode Normalization Form C."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def word_count(text: str) -> int:
    return len(text.split())
