"""The text rules every stage shares (generator/text.py): NFC, control characters, lengths."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.text import ABSTRACT_MAX, ABSTRACT_WARN, MIN_ABSTRACT_WORDS, describe
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
