"""The slug of a new paper: python-slugify's words, cut at a word boundary, never in the middle,
and ending on a word that says something."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify

from generator.identity import SLUG_MAX, STOP_WORDS, cut_slug, end_on_a_word, is_slug, slug_for, suggest_slug

LONG = ("Bridging Cross-Lingual Gaps During Leveraging the Multilingual Sequence-to-Sequence "
        "Pretraining for Text Generation and Understanding")


def test_python_slugify_drops_a_word_from_the_middle() -> None:
    """Why the words are cut here (GUIDE: python-slugify's word_boundary bug)."""
    assert slugify(LONG, max_length=SLUG_MAX, word_boundary=True) == (
        "bridging-cross-lingual-gaps-during-leveraging-the-multilingual-sequence-to-for")


def test_a_long_title_is_cut_after_its_last_whole_word_that_is_no_stop_word() -> None:
    assert cut_slug(slugify(LONG)) == (
        "bridging-cross-lingual-gaps-during-leveraging-the-multilingual-sequence-to")
    assert slug_for(LONG, set()) == (
        "bridging-cross-lingual-gaps-during-leveraging-the-multilingual-sequence")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Taking a Deep Breath: Enhancing Language Modeling of Large Language Models with "
         "Sentinel Tokens", "taking-a-deep-breath-enhancing-language-modeling-of-large-language-models"),
        ("Understanding the Role of Input Token Characters in Language Models: How Does "
         "Information Loss Affect Performance?",
         "understanding-the-role-of-input-token-characters-in-language-models"),
        ("What Is It For", "what-is-it-for"),  # only stop words: nothing else to end on
        ("To Be", "to-be"),
        ("Pretraining for the Win and", "pretraining-for-the-win"),
    ],
)
def test_a_slug_ends_on_a_word_that_is_no_stop_word(title: str, slug: str) -> None:
    assert slug_for(title, set()) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("HAT: Hybrid Attention Transformer", "hat-hybrid-attention-transformer"),
        ("R²AG: Retrieval", "r2ag-retrieval"),
        ("", "paper"),
        ("x" * 100, "x" * 80),
        ("a " + "y" * 90, "a"),
    ],
)
def test_slug_for(title: str, slug: str) -> None:
    assert slug_for(title, set()) == slug


def test_a_taken_slug_gets_a_number_and_stays_within_the_limit() -> None:
    base = slug_for(LONG, set())
    assert slug_for(LONG, {base}) == f"{base}-2"  # 76 characters: it fits
    wide = "Aaaaaaaaaa " * 7 + "Bb"  # a 79-character slug: with "-2" it must lose a word
    assert slug_for(wide, set()) == "aaaaaaaaaa-" * 7 + "bb"
    assert slug_for(wide, {"aaaaaaaaaa-" * 7 + "bb"}) == "aaaaaaaaaa-" * 7 + "2"
    assert slug_for("Short", {"short", "short-2"}) == "short-3"
    # Cut to make room for the number, the slug ends on a word before it.
    ending = "Aaaaaaaaaa " * 6 + "of " + "B" * 11  # 80 characters; with "-2" it loses "b...", then "of"
    assert slug_for(ending, set()) == "aaaaaaaaaa-" * 6 + "of-" + "b" * 11
    assert slug_for(ending, {slug_for(ending, set())}) == "aaaaaaaaaa-" * 6 + "2"


@given(st.text(max_size=300))
def test_a_slug_is_valid_and_a_prefix_of_the_full_slug_at_a_word_boundary(title: str) -> None:
    slug = slug_for(title, set())
    full = slugify(title)
    assert is_slug(slug)
    if full:
        assert full == slug or full.startswith(slug + "-") or (len(full.split("-")[0]) > SLUG_MAX
                                                                 and slug == full[:SLUG_MAX])
        words = slug.split("-")
        assert words[-1] not in STOP_WORDS or set(words) <= STOP_WORDS
        assert end_on_a_word(slug) == slug


def test_suggest_slug_cuts_at_a_word_too() -> None:
    assert suggest_slug("Bad_Name " + LONG) == end_on_a_word(cut_slug(slugify("Bad_Name " + LONG)))
    assert is_slug(suggest_slug("Bad_Name " + LONG))
