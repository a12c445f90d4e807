"""Properties of the listing parser and the link extractor, on generated input (Hypothesis).

- parse_text raises nothing but ContentError, whatever the text;
- parse -> format_listing -> parse gives the same entries, in all three layouts;
- every link extracted comes from a span of the input, in canonical form, and
  passes `check`'s URL rule (the import must never write a link `check` refuses);
- clean_text never raises and keeps every URL it links as the text wrote it.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.ingest.listing import CHROME, Layout, Listing, format_listing, parse_text
from generator.ingest.normalize import clean_text, extract_links, find_links
from generator.links import canonical_url, classify, url_problem
from generator.text import nfc

settings.register_profile(
    "paper-index", deadline=None, max_examples=150, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("paper-index-thorough", settings.get_profile("paper-index"), max_examples=5000)
# A few seconds in the suite; HYPOTHESIS_PROFILE=paper-index-thorough for a long hunt.
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "paper-index"))

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
NUMBERS = st.one_of(st.integers(0, 10**6).map(str), st.just("0" * 12), st.just("9" * 5000))

date_lines = st.builds(
    lambda month, day, year, votes: f"{month} {day}{year}{votes}",
    st.sampled_from(MONTHS), st.integers(0, 99),
    st.one_of(st.just(""), st.integers(1000, 9999).map(lambda y: f", {y}")),
    st.one_of(st.just(""), NUMBERS.map(lambda n: f" {n}")),
)
author_lines = st.builds(
    lambda bullet, space, n, word: f"{space}{bullet} {n} {word}",
    st.sampled_from(["•", "·", "*", "-"]), st.sampled_from(["", "  ", "\t"]), NUMBERS,
    st.sampled_from(["author", "authors"]),
)
# The lines of a fresh copy of the Daily Papers page (generator.ingest.cards).
card_lines = st.one_of(
    st.builds("Submitted by {}".format, st.sampled_from(["akhaliq", "A. Name", "x"])),
    st.just("Submitted by"), st.just("Upvote"), NUMBERS.map("Upvote {}".format), NUMBERS,
    st.builds(lambda month, day, year: f"Published on {month} {day}{year}", st.sampled_from(MONTHS),
              st.integers(0, 99), st.one_of(st.just(""), st.integers(1000, 9999).map(", {}".format))),
    st.sampled_from(["arXiv:2411.01234", "arXiv: 2411.01234v2", "arxiv:hep-th/9901001"]),
    NUMBERS.map("· {} authors".format), NUMBERS.map("{} comments".format),
)
odd_lines = st.sampled_from(
    sorted(CHROME) + ["Subscribe", "SubscribeA glued title", "·", "•", "\ufeff", "\u00a0", "  ", "\t",
                      "\x00\x1b[0m", "\u2028", "\x85", "x" * 401, "y " * 3000, "z" * 100_000])
any_lines = st.one_of(st.text(max_size=60), odd_lines, date_lines, author_lines, card_lines)


@st.composite
def dumps(draw: st.DrawFn, lines: st.SearchStrategy[str]) -> str:
    """Lines joined by \\n, \\r\\n or \\r, maybe after a BOM: what a saved web page looks like."""
    body = draw(st.lists(lines, max_size=24))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff"])) + newline.join(body) + draw(st.sampled_from(["", newline]))


def _entries(listing: Listing) -> list[tuple[object, ...]]:
    return [(e.title, e.abstract, e.author_count, e.date_text, e.upvotes, e.arxiv, e.submitter)
            for e in listing.entries]


# --- the listing parser ----------------------------------------------------------


@given(st.one_of(st.text(), dumps(any_lines)))
def test_parse_text_raises_only_content_error(text: str) -> None:
    try:
        listing = parse_text(text, "x", "x.txt")
    except ContentError as exc:
        assert exc.problems and all(p.path == "x.txt" and p.line >= 1 for p in exc.problems)
        return
    assert listing.entries
    lines = len(re.split(r"\r\n|\r|\n", text))
    for entry in listing.entries:
        assert entry.title and entry.abstract and 1 <= entry.line <= lines
        assert entry.title == entry.title.strip() and not re.search("[\r\n]", entry.title + entry.abstract)


# Text of one line that the parser keeps as it is: no line breaks and nothing that
# strip() removes at either end (the parser strips titles and abstracts).
line_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\r\n"),
                    min_size=1, max_size=80).map(str.strip).filter(bool)


@st.composite
def listings(draw: st.DrawFn) -> str:
    """A dump in one of the three layouts, with the page chrome, blank lines and header
    date real dumps have, built from generated entries."""
    layout = draw(st.sampled_from(list(Layout)))
    lines = draw(st.lists(st.sampled_from(sorted(CHROME)), max_size=3))
    if draw(st.booleans()):
        lines += [draw(date_lines), ""]
    for _ in range(draw(st.integers(1, 5))):
        title, abstract = draw(line_text), draw(line_text)
        if layout is Layout.COMPACT:
            lines += [title, abstract]
            continue
        lines += [title, "", abstract, ""]
        if layout is Layout.METADATA:
            lines += draw(st.lists(st.one_of(author_lines, date_lines, st.just("·"), card_lines),
                                   min_size=1, max_size=3))
            lines.append("")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff"])) + newline.join(lines) + draw(st.sampled_from(["", newline * 3]))


@given(st.one_of(listings(), dumps(any_lines)))
@example("\n\ufeff\n\n0")  # a BOM-only first title: written first, it was read as a byte order mark
@example("Dec 10\n\nSubscribeSep 11\n\nnew\n\nabstract\n\n• 2 authors\n")
def test_parse_format_parse_keeps_the_entries(text: str) -> None:
    try:
        first = parse_text(text, "x")
    except ContentError:
        assume(False)
        return
    formatted = format_listing(first)
    again = parse_text(formatted, "x")
    assert _entries(again) == _entries(first)
    assert (again.layout, again.header_date) == (first.layout, first.header_date)
    assert format_listing(again) == formatted


TITLES = ["Scaling Retrieval to a Billion Documents", "Minute-Long Video Diffusion with Memory",
          "Learning to Cite Sources", "R²AG: Retrieval with O(log n) Lookups"]
ABSTRACT = ("We study {} at scale and show that a simple method keeps its cost low while its quality "
            "stays within one point of the best known result on every benchmark that we try here.")
# How each kind of metadata line may be written; `{}` is the fact.
SPELLINGS = {
    "submitter": ["Submitted by {}", "Submitted by\n{}"],
    "upvotes": ["{}", "Upvote {}", "Upvote\n{}"],
    "author_count": ["· {} authors", "  • {} authors"],
    "arxiv": ["arXiv:{}", "arXiv: {}v2"],
    "date_text": ["Published on {}", "{}"],
}


@st.composite
def card_shapes(draw: st.DrawFn) -> tuple[str, list[tuple[object, ...]]]:
    """A listing of 1-4 cards whose metadata lines stand where the listing puts each kind
    (before the title, between the title and the abstract, or after the abstract, in an
    order of its own, each line maybe twice), and the entries it holds."""
    place = {kind: draw(st.sampled_from(["before", "between", "after"])) for kind in SPELLINGS}
    order = draw(st.permutations(list(SPELLINGS)))
    lines: list[str] = []
    expected = []
    for k in range(draw(st.integers(1, 4))):
        title, abstract = TITLES[k], ABSTRACT.format(TITLES[k].lower())
        facts = {"submitter": draw(st.sampled_from(["akhaliq", "taesiri"])),
                 "upvotes": draw(st.integers(0, 999)), "author_count": draw(st.integers(1, 99)),
                 "arxiv": f"2411.{draw(st.integers(10000, 99999))}",
                 "date_text": f"Nov {draw(st.integers(1, 28))}"}
        region = {"before": [], "between": [], "after": []}
        for kind in order:
            line = draw(st.sampled_from(SPELLINGS[kind])).format(facts[kind])
            region[place[kind]] += [line] * draw(st.sampled_from([1, 1, 2]))
        lines += region["before"] + [title] + region["between"] + [abstract] + region["after"]
        expected.append((title, abstract, facts["author_count"], facts["date_text"], facts["upvotes"],
                         facts["arxiv"], facts["submitter"]))
    if lines[0] == expected[0][3]:
        lines[0] = f"Published on {lines[0]}"  # a bare date above everything is the page's own
    return "\n".join(lines) + "\n", expected


@given(card_shapes())
def test_a_card_reads_the_same_wherever_its_metadata_stands(shape: tuple[str, list[tuple[object, ...]]]) -> None:
    text, expected = shape
    listing = parse_text(text, "x")
    assert listing.layout is Layout.METADATA
    assert _entries(listing) == expected


# --- the link extractor ----------------------------------------------------------

URL_HOSTS = st.sampled_from(["https://github.com/", "http://github.com/", "github.com/", "www.github.com/",
                             "https://huggingface.co/", "huggingface.co/", "https://gitlab.com/",
                             "https://example.org/", "http://WWW.Example.ORG:8080/", "https://x.y/",
                             "https://[::1/", "https://a.b:99999/", "https://ex_ample.org/"])
URL_PATHS = st.text(st.sampled_from("abcXYZ019-_./~%?#=&+,;:!*()[]{}|^`'\"<>\\$@ \t\n"), max_size=25)
LATEX = st.sampled_from(["\\url{", "{", "}", "{URL}", "{link}}", "\\%", "``", "''", "~", "\\textsc{x}",
                         "\\\"U", ". ", ", ", ") ", "(", " and ", "\\'s", "$0.02", "\n"])
abstracts = st.lists(st.one_of(st.builds(str.__add__, URL_HOSTS, URL_PATHS), LATEX, st.text(max_size=10)),
                     max_size=12).map("".join)


def _core(url: str) -> str:
    """What a URL names, ignoring the spellings canonical_url unifies: scheme, `www.`,
    case, and the separators `/?#` (a code host's `/a/b/` loses its final slash, and
    urlunsplit drops an empty `?` or `#`)."""
    return re.sub(r"[/?#]", "", re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()))


@given(st.one_of(abstracts, st.text()))
@example("see https://github.com/acme/repo|extra, https://[::1/x and https://x.org:99999/p")
@example("https://github.com/?#0 and www.GitHub.com/A/B.git/.")
def test_every_link_comes_from_the_text_and_passes_check(raw: str) -> None:
    found = find_links(raw)
    for span, link in found:
        assert span in raw
        assert link.url == canonical_url(link.url), "not in canonical form"
        # The URL is the span's, less the sentence punctuation after it and the
        # spellings canonical_url unifies (scheme, www., host case, `.git`, separators).
        assert _core(span).startswith(_core(link.url)), (span, link.url)
        assert link.kind == classify(link.url)
        assert url_problem(link.url) is None, (span, link.url)
    links = extract_links(raw)
    assert [link.url for link in links] == list(dict.fromkeys(link.url for _, link in found))


@given(st.one_of(abstracts, st.text()))
def test_clean_text_keeps_every_url_as_written_and_tidies_whitespace(raw: str) -> None:
    text = clean_text(raw)
    assert text == text.strip() and not re.search(r"\s\s", text)
    for span, _ in find_links(raw):
        assert nfc(span) in text, span
