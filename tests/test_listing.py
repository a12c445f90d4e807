"""The listing parser on the real seed dumps and on crafted fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError, Problem, Severity
from generator.ingest.listing import format_listing, parse_file, parse_text
from helpers import FIXTURES, LISTINGS

# Counted by hand from the dumps: non-blank lines minus page chrome, two lines
# per entry (five in the metadata layout).
SEEDS = {
    "000_6e142910f8444dbd": ("compact", None, 113),
    "001_45326a44d991b082": ("compact", None, 239),
    "002_a5cf91813e7d014e": ("blank-line", "Mar 11", 98),
    "003_e70dd2ff951c1db1": ("metadata", "Dec 10", 41),
    "004_998dcee729a8eeba": ("blank-line", "Mar 14", 86),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_layout_and_count(name: str) -> None:
    listing = parse_file(LISTINGS / f"{name}.txt")
    layout, header, count = SEEDS[name]
    assert (listing.layout, listing.header_date, len(listing.entries)) == (layout, header, count)
    assert listing.source == name
    chrome = {"new", "subscribe", "daily papers", "byak and the research community", "mar 11", "dec 10"}
    assert not [e.title for e in listing.entries if e.title.lower() in chrome or e.title.startswith("Subscribe")]


def test_seed_totals() -> None:
    entries = [e for name in SEEDS for e in parse_file(LISTINGS / f"{name}.txt").entries]
    assert len(entries) == 577


def test_compact_first_title_is_unglued_from_subscribe() -> None:
    listing = parse_file(LISTINGS / "000_6e142910f8444dbd.txt")
    assert listing.entries[0].title == "Multiresolution Textual Inversion"
    assert listing.entries[0].line == 3
    assert listing.entries[1].title == "Text Embeddings Reveal (Almost) As Much As Text"


def test_metadata_seed_fields() -> None:
    entries = {e.title: e for e in parse_file(LISTINGS / "003_e70dd2ff951c1db1.txt").entries}
    hat = entries["HAT: Hybrid Attention Transformer for Image Restoration"]
    assert (hat.author_count, hat.date_text, hat.upvotes, hat.line) == (7, "Sep 11, 2023", None, 13)
    croco = entries["CroCo: Self-Supervised Pre-training for 3D Vision Tasks by Cross-View Completion"]
    assert (croco.author_count, croco.date_text, croco.upvotes) == (10, "Oct 19, 2022", 1)
    assert any(e.date_text == "Sep 27" for e in entries.values())


def test_crafted_compact() -> None:
    listing = parse_file(FIXTURES / "listings" / "compact.txt")
    assert listing.layout == "compact"
    assert [(e.title, e.line) for e in listing.entries] == [
        ("First Paper: A Compact Title", 3),
        ('Second Paper on T\\"ULU', 5),
    ]


def test_crafted_blank_line() -> None:
    listing = parse_file(FIXTURES / "listings" / "blank.txt")
    assert (listing.layout, listing.header_date) == ("blank-line", "Mar 11")
    assert [e.title for e in listing.entries] == ["Blank Line Paper One", "Blank Line Paper Two"]
    assert listing.entries[0].abstract == ("An abstract with ``reverse thinking'' and wav2vec~2.0 and P(y|x). It is "
                                           "long enough to read as a real abstract, with twenty words or more in it.")


def test_crafted_metadata() -> None:
    listing = parse_file(FIXTURES / "listings" / "metadata.txt")
    assert (listing.layout, listing.header_date) == ("metadata", "Dec 10")
    got = [(e.title, e.author_count, e.date_text, e.upvotes) for e in listing.entries]
    assert got == [
        ("Meta Paper With Year", 7, "Sep 11, 2023", None),
        ("Meta Paper With Upvotes", 10, "Oct 19, 2022", 12),
        ("Meta Paper Without Year", 1, "Dec 27", None),
    ]


@pytest.mark.parametrize("name", ["compact.txt", "blank.txt", "metadata.txt"])
def test_crlf_bom_and_blank_edges_parse_the_same(name: str) -> None:
    text = (FIXTURES / "listings" / name).read_text(encoding="utf-8")
    plain = parse_text(text, "x")
    messy = parse_text("\ufeff\r\n\r\n" + text.replace("\n", "\r\n") + "\r\n\r\n\r\n", "x")
    strip = lambda listing: [(e.title, e.abstract, e.author_count, e.date_text, e.upvotes) for e in listing.entries]  # noqa: E731
    assert strip(messy) == strip(plain)
    assert messy.layout == plain.layout


def test_layout_comes_from_the_text_not_the_name(tmp_path: Path) -> None:
    # A metadata dump saved under a compact dump's name is still read as metadata.
    fake = tmp_path / "000_6e142910f8444dbd.txt"
    fake.write_bytes((FIXTURES / "listings" / "metadata.txt").read_bytes())
    assert parse_file(fake).layout == "metadata"


EMPTY = "listing is empty; expected title and abstract lines"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, EMPTY),
        ("\n\n  \n", 1, EMPTY),
        ("new\n\nSubscribe\n\nDaily Papers\n", 1,
         "listing holds no entries (only page chrome); expected title and abstract lines"),
        ("Title One\nAbstract one.\nTitle Two\n", 3, "truncated entry: title 'Title Two' has no abstract"),
        ("Dec 10\n\nTitle One\n\nAbstract.\n\n  • 3 authors\n·\nSep 1, 2023\n\nLast Title\n", 11,
         "truncated entry: title 'Last Title' has no abstract"),
        # Metadata may stand before a title, but one card has one author count.
        ("\n• 2 authors\nTitle\n\nAbstract.\n\n• 3 authors\n", 7,
         "a second author count for the paper 'Title' (line 3): '• 3 authors' (line 7) disagrees with "
         "'• 2 authors' (line 2); expected one card per paper (is a title or an abstract missing?)"),
        ("T" * 401 + "\nAbstract.\n", 1,
         "expected a paper title, found a 401-character paragraph: an abstract without its title? The "
         "titles and abstracts are out of step from here; join the paragraphs or add the missing title"),
        # The line really wrong: a title whose 'abstract' is the next title, several pairs before
        # the paragraph where a title belongs shows that the lines are out of step.
        ("One\n" + "A " * 30 + "\nTwo\nThree\n" + "B " * 250 + "\nFour\n", 3,
         "title 'Two' has no abstract: the next line (4: 'Three') reads as a title, so the titles and "
         "abstracts are out of step from here; add the missing abstract or remove the extra line"),
        # A card whose abstract is missing: the metadata that follows its title says so.
        ("T1\n\n" + "A " * 30 + "\n\n• 3 authors\nT2\n• 2 authors\nT3\n\n" + "C " * 30 + "\n", 6,
         "title 'T2' has no abstract: metadata ('• 2 authors', line 7) follows it; expected its abstract "
         "on the next line (a copy of the Daily Papers list shows no abstracts: copy each paper's page, "
         "or use `import --hf-daily`)"),
        # Regressions (found by test_properties): Python refuses to read more than 4,300
        # digits as an int, and the parser used to let that ValueError escape.
        ("Title\n\nAbstract.\n\n• " + "1" * 5000 + " authors\n", 5,
         "expected a number of at most 9 digits, found 5000 digits in '• " + "1" * 58 + "'"),
        ("Title\n\nAbstract.\n\n• 3 authors\nSep 11, 2023 " + "9" * 10 + "\n", 6,
         "expected a number of at most 9 digits, found 10 digits in 'Sep 11, 2023 9999999999'"),
    ],
)
def test_bad_listing_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_text(text, "bad", "bad.txt")
    assert info.value.problems == [Problem("bad.txt", line, 1, Severity.ERROR, message)]


def test_leading_zeros_do_not_count_as_digits() -> None:
    listing = parse_text("Title\n\nAbstract.\n\n• 0000000000007 authors\nSep 11, 2023 000000000012\n", "x")
    assert [(e.author_count, e.upvotes) for e in listing.entries] == [(7, 12)]


@pytest.mark.parametrize("name", ["compact.txt", "blank.txt", "metadata.txt"])
def test_format_listing_writes_the_fixture_layouts(name: str) -> None:
    """format_listing's output parses back to the same entries, and reads like the dump."""
    listing = parse_file(FIXTURES / "listings" / name)
    text = format_listing(listing)
    again = parse_text(text, listing.source)
    assert (again.layout, again.header_date) == (listing.layout, listing.header_date)
    assert [(e.title, e.abstract, e.author_count, e.date_text, e.upvotes) for e in again.entries] == [
        (e.title, e.abstract, e.author_count, e.date_text, e.upvotes) for e in listing.entries]
    if name == "metadata.txt":
        assert text.startswith("Dec 10\n\nMeta Paper With Year\n\nAbstract one with <SR> tokens, written out to "
                               "more than twenty words so that the importer takes it for a real abstract.\n\n"
                               "  • 7 authors\n·\nSep 11, 2023\n\nMeta Paper With Upvotes\n")
    if name == "compact.txt":
        assert text.startswith("SubscribeFirst Paper: A Compact Title\nWe study compact listings, in which")


def test_non_utf8_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Title\nna\u00efve abstract\n".encode("latin-1"))
    with pytest.raises(ContentError) as info:
        parse_file(bad)
    assert info.value.problems == [
        Problem(str(bad), 2, 3, Severity.ERROR, "not UTF-8 text: byte 0xef cannot be decoded")]
