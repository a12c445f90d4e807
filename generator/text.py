"""Rules on bare text that every stage shares: Unicode form, refused characters, lengths.

A listing, a paper file and `new`'s flags all end up on a public page, so the
same text rules hold for each: text is NFC (a composed `é`, never `e` plus a
combining accent, so equal titles are equal strings and search finds them),
and it holds no control character other than a tab or a line break, which no
one types on purpose and which can break a terminal (escape sequences) or a
file (NUL). Nor does it hold a noncharacter (U+FFFE, U+FFFF, U+FDD0-U+FDEF and
each plane's last two) or a lone surrogate: they are no text, and YAML readers
refuse them, so one would make MkDocs drop a page's front matter. Bidirectional
overrides, which can make text display in another order than it reads, are
only warned about.

Text from a web service is shown in a message only through `quote_untrusted`.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc: C0, DEL, C1) other than tab and newline."""
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
"""The 66 noncharacters, as a regex class body: U+FDD0-U+FDEF and U+nFFFE, U+nFFFF of
every plane. Unicode reserves them for a program's own use; they are never text."""
SURROGATES = "\ud800-\udfff"
"""Half of a UTF-16 pair: in a Python string only from a broken escape (a JSON `\\ud800`)
or from undecodable bytes (a command-line argument in a C locale)."""
REFUSED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{NONCHARACTERS}{SURROGATES}]")
"""Every character `check`, the import and `new` refuse in text."""
_MAYBE_REFUSED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{SURROGATES}\ufdd0-\ufdef\ufffe\uffff"
                            "\U0001fffe-\U0010ffff]")
"""REFUSED, with every astral character from U+1FFFE on: a class of ranges only, which
Python's regex engine scans 30 times faster than REFUSED's 34 astral noncharacters."""
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


def refused_character(text: str) -> re.Match[str] | None:
    """The first character `check`, the import and `new` refuse (REFUSED), or None."""
    found = _MAYBE_REFUSED.search(text)
    while found is not None and not REFUSED.fullmatch(found[0]):  # an astral character
        found = _MAYBE_REFUSED.search(text, found.end())
    return found


def refusal(char: str) -> tuple[str, str]:
    """What a refused character is and why it is refused, for a message that reads
    `{what} at ...; expected text ({why})`."""
    if CONTROL.fullmatch(char):
        return f"control character {describe(char)}", "only tabs and line breaks are allowed"
    if unicodedata.category(char) == "Cs":
        return (f"lone surrogate U+{ord(char):04X}",
                "a surrogate is half of a UTF-16 pair, never a character on its own")
    return (f"noncharacter U+{ord(char):04X}",
            "Unicode reserves noncharacters for a program's own use")


def describe(char: str) -> str:
    """`U+001B (ESCAPE)`: a character no one can see, named so it can be found."""
    code = ord(char)
    name = unicodedata.name(char, "") or _C0_NAMES.get(code) or (
        "a noncharacter" if re.fullmatch(f"[{NONCHARACTERS}]", char)
        else _UNNAMED.get(unicodedata.category(char), "an unassigned character"))
    return f"U+{code:04X} ({name})"


UNSHOWABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{NONCHARACTERS}{SURROGATES}"
                        "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
"""What `quote_untrusted` drops: control characters (tab and line breaks too), the Unicode
line and paragraph separators, noncharacters, surrogates and every bidirectional control."""


def quote_untrusted(text: object, limit: int = 200) -> str:
    """Text from a web service made safe to show in a log or an error line: each run of
    control characters, line breaks, noncharacters, surrogates or bidi controls becomes
    one space, and the result is cut to `limit` characters with an ellipsis. So it can
    never start a line of its own (a GitHub `::error` workflow command), move a
    terminal's cursor, or reorder the message around it."""
    flat = " ".join(UNSHOWABLE.sub(" ", str(text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


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
_UNNAMED = {"Cc": "a control character", "Cs": "a lone surrogate", "Co": "a private-use character"}


def nfc(text: str) -> str:
    """`text` in Unicode Normalization Form C."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def word_count(text: str) -> int:
    return len(text.split())
