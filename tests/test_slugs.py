"""The slug of a new paper: python-slugify's words, cut at a word boundary, never in the middle,
and ending on a word that says something."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify

from generator.identity import (SLUG_MAX, STOP_WORDS, cut_slug, end_on_a_word, is_slug, slug_for,
                                suggest_slug, windows_reserved)
from helpers import cli, empty_content

RESERVED = ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))]
"""Microsoft's list of the device names no Windows file or folder may take ("Naming Files,
Paths, and Namespaces"), written out here rather than read from the code."""
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
    if full in RESERVED:
        assert slug == f"{full}-2"
    elif full:
        assert full == slug or full.startswith(slug + "-") or (len(full.split("-")[0]) > SLUG_MAX
                                                                 and slug == full[:SLUG_MAX])
        words = slug.split("-")
        assert words[-1] not in STOP_WORDS or set(words) <= STOP_WORDS
        assert end_on_a_word(slug) == slug


def test_suggest_slug_cuts_at_a_word_too() -> None:
    assert suggest_slug("Bad_Name " + LONG) == end_on_a_word(cut_slug(slugify("Bad_Name " + LONG)))
    assert is_slug(suggest_slug("Bad_Name " + LONG))


@pytest.mark.parametrize("name", RESERVED)
def test_no_slug_is_a_name_windows_reserves(name: str) -> None:
    """Neither the import nor `new` makes one (a paper titled "Con" gets con-2), `check`
    refuses one, and a taken -2 moves on to -3."""
    assert not is_slug(name)
    assert slug_for(name.upper(), set()) == f"{name}-2"
    assert slug_for(name, {f"{name}-2"}) == f"{name}-3"
    assert suggest_slug(name) == f"{name}-2"


@pytest.mark.parametrize(
    ("name", "reserved"),
    [("con", True), ("CON", True), ("nul.txt", True), ("Aux.tar.gz", True), ("lpt9 ", True),
     ("prn .yml", True), ("com1-losses", False), ("console", False), ("com10", False),
     ("lpt", False), ("xcon", False), ("my.con", False)],
)
def test_windows_reads_a_device_name_before_any_extension(name: str, reserved: bool) -> None:
    assert windows_reserved(name) is reserved


def test_new_and_the_import_never_write_a_reserved_slug(in_tmp) -> None:
    content = empty_content(in_tmp)
    abstract = ("An abstract long enough for the import to take it as one, with more than twenty "
                "words in it so that it reads as the abstract of a real paper.")
    code, out, _ = cli("--content", content, "new", "--title", "Con", "--abstract", abstract)
    assert (code, out.splitlines()[0]) == (0, f"wrote {content}/papers/con-2.yml")
    # Abstracts that share no sentence, or check would warn that they look like duplicates.
    aux = ("Auxiliary losses steer a network during training, and we measure how much each of "
           "them helps on six benchmarks of image classification and retrieval.")
    nul = ("Null hypotheses in machine learning papers are rarely stated; we read two hundred "
           "of them and report which comparisons their authors actually tested.")
    (in_tmp / "listing.txt").write_text(f"AUX\n{aux}\nNul\n{nul}\n", encoding="utf-8")
    code, _, err = cli("--content", content, "import", "listing.txt", "--as-of", "2025-11-28")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (content / "papers").iterdir()) == ["aux-2.yml", "con-2.yml", "nul-2.yml"]
    assert cli("--content", content, "check", *sorted((content / "papers").iterdir()))[:2] == (0, "")


def test_is_slug_says_what_python_slugify_says() -> None:
    """is_slug answers plain slugs without asking python-slugify: the same answer."""
    import random

    from slugify import slugify

    from generator.identity import windows_reserved

    rng = random.Random(7)
    texts = set()
    for _ in range(5000):
        words = ["".join(rng.choice("abcxyz0189") for _ in range(rng.randint(1, 12)))
                 for _ in range(rng.randint(1, 10))]
        text = "-".join(words)
        if rng.random() < 0.5:  # one character made odd: case, accents, spaces, entities, hyphens
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(["Z", "_", " ", ".", "é", "ß", "'", "&amp;", "&#38;", "-", "--", "\u0301"]) + text[at:]
        texts.add(text)
    texts |= {"a", "a-b", "a--b", "-a", "a-", "con", "nul-1", "lpt1", "x" * 80, "x" * 81, "ß", "1-2-3"}
    plain = [t for t in texts if is_slug(t)]
    assert len(plain) > 500 and len(texts) - len(plain) > 500
    for text in sorted(texts):
        expected = 0 < len(text) <= SLUG_MAX and slugify(text) == text and not windows_reserved(text)
        assert is_slug(text) == expected, text
