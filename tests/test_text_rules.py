"""The text rules every stage shares (generator/text.py): NFC, refused characters, lengths,
and how text from a service is quoted in a message."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.text import (
    ABSTRACT_MAX,
    ABSTRACT_WARN,
    MIN_ABSTRACT_WORDS,
    describe,
    quote_untrusted,
    refusal,
    refused_character,
)
from helpers import base_content, cli


def test_fmt_composes_text_that_check_warns_is_not_nfc(in_tmp: Path) -> None:
    base_content(in_tmp)
    path = Path("content/papers/retrieval-for-cafe-menus.yml")
    title = unicodedata.normalize("NFD", "Retrieval for Café Menus")
    path.write_text(f"title: {title}\nabstract: We study retrieval.\ntopics:\n  - retrieval\n",
                    encoding="utf-8")
    assert cli("--content", "content", "check", path) == (
        0, f"{path}:1:8: warning: title: text not in Unicode NFC form (a letter and a combining accent "
           "where one composed character belongs); `python -m generator fmt` composes it\n",
        "1 file checked: 0 errors, 1 warning\n")
    assert cli("--content", "content", "fmt", path)[0] == 0
    assert "Café" in path.read_text(encoding="utf-8")
    assert cli("--content", "content", "check", path) == (0, "", "1 file checked: 0 errors, 0 warnings\n")


def test_the_limits_are_the_documented_ones() -> None:
    assert (ABSTRACT_WARN, ABSTRACT_MAX, MIN_ABSTRACT_WORDS) == (5_000, 20_000, 20)


def test_control_characters_are_named() -> None:
    assert [describe(c) for c in "\x00\x1b\x7f\x85\u202e"] == [
        "U+0000 (NULL)", "U+001B (ESCAPE)", "U+007F (DELETE)", "U+0085 (NEXT LINE)",
        "U+202E (RIGHT-TO-LEFT OVERRIDE)"]


def test_every_noncharacter_and_surrogate_is_refused_and_nothing_else_outside_cc() -> None:
    """Unicode's definition (chapter 23.7): U+FDD0..U+FDEF and the last two code points of
    each of the 17 planes are the 66 noncharacters; U+D800..U+DFFF are the surrogates."""
    nonchars = [c for c in range(0x110000) if 0xFDD0 <= c <= 0xFDEF or c & 0xFFFE == 0xFFFE]
    assert len(nonchars) == 66
    refused = [c for c in range(0x110000) if refused_character(chr(c))]
    controls = [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc" and c not in (9, 10)]
    surrogates = list(range(0xD800, 0xE000))
    assert refused == sorted(controls + nonchars + surrogates)


def test_refused_characters_are_named_with_the_reason() -> None:
    assert [refusal(c)[0] for c in "\x07\ufffe\U0010ffff\ufdef\udfff"] == [
        "control character U+0007 (BELL)", "noncharacter U+FFFE", "noncharacter U+10FFFF",
        "noncharacter U+FDEF", "lone surrogate U+DFFF"]
    assert [describe(c) for c in "\uffff\ud800\ue000\u0378\U0001f600"] == [
        "U+FFFF (a noncharacter)", "U+D800 (a lone surrogate)", "U+E000 (a private-use character)",
        "U+0378 (an unassigned character)", "U+1F600 (GRINNING FACE)"]
    found = refused_character("ok\tline\nthen \ud83d")
    assert found is not None and found.start() == 13


def test_text_from_a_service_cannot_start_a_log_line() -> None:
    """A title holding a GitHub workflow command after a line break, terminal escapes, bidi
    controls, noncharacters and a lone surrogate comes out as one flat line."""
    answer = ("Title\n::error file=x,line=1::pwned\r\n::add-mask::secret\x1b[2J\x1b]0;t\x07 "
              "\u2028::warning::x\u2029\x85 rtl\u202egnp.exe\u2066x\u2069 \ufffe\ud800 end")
    assert quote_untrusted(answer) == (
        "Title ::error file=x,line=1::pwned ::add-mask::secret [2J ]0;t ::warning::x rtl gnp.exe x end")


def test_quoted_text_is_cut_with_an_ellipsis() -> None:
    assert quote_untrusted("x" * 200) == "x" * 200
    assert quote_untrusted("x" * 201) == "x" * 199 + "…"
    assert quote_untrusted("word " * 10, limit=12) == "word word w…"
    assert quote_untrusted(None) == "None"
