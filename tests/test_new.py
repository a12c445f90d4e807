"""`python -m generator new`: scaffold from flags or a pasted snippet, refuse duplicates."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.ingest.new import NewPaper, scaffold
from generator.store.paperfile import load_yaml
from helpers import ROOT, base_content, cli, snapshot

HAT = "content/papers/hat-hybrid-attention-transformer-for-image-restoration.yml"
TEXT = "content/papers/text-embeddings-reveal-almost-as-much-as-text.yml"
DPR = "content/papers/dense-passage-retrieval-for-open-domain-question-answering.yml"
PROPOSED = ("  (as `proposed_topics`, shown until a curator chooses: write `topics:` in the file to "
            "choose them)\n")


@pytest.fixture
def site(in_tmp: Path) -> Path:
    """A small valid content folder (two papers, three topics) in the current directory."""
    base_content(in_tmp)
    return in_tmp


def new(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    return cli("--content", "content", "new", *args, stdin=stdin)


def assert_check_passes() -> None:
    code, out, _ = cli("--content", "content", "check")
    assert (code, out) == (0, "")


SNIPPETS = {
    "compact": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "Open-domain question answering relies on efficient passage retrieval, which we learn with dense "
        "representations alone. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
    ),
    "blank-line": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "\n"
        "Open-domain question answering relies on efficient passage retrieval, which we learn with dense "
        "representations alone. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
        "\n"
    ),
    "metadata": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "\n"
        "Open-domain question answering relies on efficient passage retrieval, which we learn with dense "
        "representations alone. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
        "\n"
        "  • 3 authors\n"
        "·\n"
        "Sep 11, 2023\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(SNIPPETS))
def test_new_from_a_pasted_snippet(site: Path, layout: str) -> None:
    # Two curated papers are too few to learn from: the rules propose alone, with no confidence.
    assert new(stdin=SNIPPETS[layout]) == (
        0, f"wrote {DPR}\nproposed topics: retrieval (rules alone, needs review)\n{PROPOSED}", "")
    data = load_yaml((site / DPR).read_text(encoding="utf-8"))
    metadata = {"author_count": 3, "published": "2023-09-11"} if layout == "metadata" else {}
    expected = {
        "title": "Dense Passage Retrieval for Open-Domain Question Answering",
        "abstract": "Open-domain question answering relies on efficient passage retrieval, which we learn "
                    "with dense representations alone. We reach 90% accuracy; code at "
                    "https://github.com/facebookresearch/DPR.",
        **metadata,
        "links": [{"url": "https://github.com/facebookresearch/DPR", "kind": "code"}],
        "proposed_topics": [{"topic": "retrieval"}],
        # Today's date (test_new_dates_the_file_today pins it), and the source is named by it.
        "sources": [f"pasted-{data.get('added')}"],
        "added": data.get("added"),
    }
    assert (data, list(data)) == (expected, list(expected))
    assert_check_passes()


CARDS = """\
Dense Passage Retrieval for Open-Domain Question Answering

Open-domain question answering relies on efficient passage retrieval, which we learn with dense representations alone, and we reach high accuracy; code at https://github.com/facebookresearch/DPR.

Denoising Diffusion Restoration Models

We restore images by denoising them with a pretrained diffusion model, without training it again for each kind of degradation, and reach good results.

Dense Retrieval Without Supervision

We train a dense retriever for open-domain question answering without any labelled pairs, from the recurring spans of a corpus, and evaluate it.
"""
"""Three cards in the blank-line layout, as a contributor pastes them from a listing."""


def test_new_writes_one_file_per_pasted_card(site: Path) -> None:
    papers = ["dense-passage-retrieval-for-open-domain-question-answering",
              "denoising-diffusion-restoration-models", "dense-retrieval-without-supervision"]
    topics = ["retrieval", "image-restoration", "retrieval"]
    assert new(stdin=CARDS) == (0, "".join(
        f"wrote content/papers/{slug}.yml\nproposed topics: {topic} (rules alone, needs review)\n{PROPOSED}"
        for slug, topic in zip(papers, topics)), "")
    for slug in papers:
        data = load_yaml((site / f"content/papers/{slug}.yml").read_text(encoding="utf-8"))
        assert data["sources"] == [f"pasted-{data['added']}"], slug
    assert_check_passes()
    # The same cards again: every one is a duplicate now, and nothing is written.
    before = snapshot(site)
    assert new(stdin=CARDS) == (1, "", _duplicate(f"content/papers/{papers[0]}.yml", "the same title"))
    assert snapshot(site) == before


def test_several_cards_are_written_all_or_none(site: Path) -> None:
    """One card that is already in the index (the last): none of the others is written."""
    before = snapshot(site)
    again = CARDS + "\nText Embeddings Reveal (Almost) As Much As Text\n\nPasted again, " + "word " * 20 + "\n"
    assert new(stdin=again) == (1, "", _duplicate(TEXT, "the same title"))
    assert snapshot(site) == before


def test_topics_given_with_several_cards_go_to_each(site: Path) -> None:
    assert new("--topic", "other", stdin=CARDS)[0] == 0
    files = [load_yaml(path.read_text(encoding="utf-8")) for path in (site / "content/papers").glob("*.yml")]
    pasted = [data for data in files if str(data.get("sources")).startswith("['pasted-")]
    assert len(pasted) == 3
    assert all(data["topics"] == ["other"] and "rule_topics" not in data for data in pasted)


def test_the_site_names_a_pasted_source() -> None:
    from generator.site.paperfacts import source_name

    assert source_name("pasted-2026-12-04", {}) == "Pasted by a contributor, 4 December 2026"
    assert source_name("hf-daily-2025-12-10", {}) == "Hugging Face daily papers, 10 December 2025"
    assert source_name("pasted-someday", {}) == "Listing pasted-someday"


def test_new_from_a_two_line_snippet(site: Path) -> None:
    path = "content/papers/denoising-diffusion-restoration.yml"
    abstract = ("We restore images by denoising them with a pretrained diffusion model, without "
                "training it again for each kind of degradation.")
    assert new(stdin=f"Denoising Diffusion Restoration\n{abstract}") == (
        0, f"wrote {path}\nproposed topics: image-restoration (rules alone, needs review)\n{PROPOSED}", "")
    assert load_yaml((site / path).read_text())["proposed_topics"] == [{"topic": "image-restoration"}]
    assert_check_passes()


def test_new_from_flags(site: Path) -> None:
    result = new("--title", "A Benchmark: For Everything",
                 "--abstract", "We release   a benchmark.",
                 "--url", "https://github.com/example/bench",
                 "--url", "https://huggingface.co/datasets/example/bench",
                 "--arxiv", "https://arxiv.org/abs/2401.01234v2",
                 "--topic", "retrieval", "--topic", "other")
    assert result == (0, "wrote content/papers/a-benchmark-for-everything.yml\n"
                         "topics: retrieval, other (as given, as `topics`: nothing will change them)\n", "")
    data = load_yaml((site / "content/papers/a-benchmark-for-everything.yml").read_text())
    assert data == {
        "title": "A Benchmark: For Everything",
        "abstract": "We release a benchmark.",
        "published": "2024-01-01",  # the month of the arXiv id: it gives no day
        "arxiv": "2401.01234",
        "links": [
            {"url": "https://github.com/example/bench", "kind": "code"},
            {"url": "https://huggingface.co/datasets/example/bench", "kind": "hf-dataset"},
        ],
        "topics": ["retrieval", "other"],
        "added": data.get("added"),
    }
    assert list(data) == ["title", "abstract", "published", "arxiv", "links", "topics", "added"]
    assert_check_passes()


@pytest.mark.parametrize(("args", "published"), [
    (["--published", "2023-06-07"], "2023-06-07"),
    (["--published", "2023-06-07", "--arxiv", "2306.04751"], "2023-06-07"),  # the day beats the month
    (["--arxiv", "2306.04751"], "2023-06-01"),
    (["--arxiv", "arXiv:2306.04751v3"], "2023-06-01"),
    (["--arxiv", "hep-th/9901001"], None),  # an old-style id gives no month
    ([], None),
])
def test_new_dates_a_paper(site: Path, args: list[str], published: str | None) -> None:
    assert new("--title", "Sparse Mixtures", "--abstract", "We route tokens to experts.", *args)[0] == 0
    data = load_yaml((site / "content/papers/sparse-mixtures.yml").read_text(encoding="utf-8"))
    assert data.get("published") == published
    assert_check_passes()


def test_new_refuses_a_date_that_is_not_one(site: Path) -> None:
    code, _, err = new("--title", "T", "--abstract", "A", "--published", "2023-13-01")
    assert code == 2 and "--published: expected a date as YYYY-MM-DD, got '2023-13-01'" in err


def test_new_dates_the_file_today(site: Path) -> None:
    import datetime as dt

    [(target, paper)], warnings = scaffold(site / "content", NewPaper(title="Dated", abstract="Text."),
                                           None, today=dt.date(2026, 2, 3))
    assert (paper.added, paper.sources, warnings) == (dt.date(2026, 2, 3), (), [])
    assert target.read_text(encoding="utf-8").endswith("added: '2026-02-03'\n")
    pasted, _ = scaffold(site / "content", NewPaper(), io.StringIO(SNIPPETS["compact"]),
                         today=dt.date(2026, 12, 4))
    assert [paper.sources for _, paper in pasted] == [("pasted-2026-12-04",)]


def _duplicate(path: str, why: str) -> str:
    return (f"Error: {path} already has this paper ({why}); edit that file instead of creating a new "
            "one. Nothing was written.\n")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--title", "hat: HYBRID attention transformer for image restoration!", "--abstract", "x"], None,
         _duplicate(HAT, "the same title")),
        (["--title", "Another Name", "--abstract", "x", "--arxiv", "2309.05239"], None,
         _duplicate(HAT, "the same arxiv id 2309.05239")),
        ([], "Text Embeddings Reveal (Almost) As Much As Text\nPasted again.\n",
         _duplicate(TEXT, "the same title")),
    ],
    ids=["title", "arxiv", "snippet"],
)
def test_new_refuses_a_duplicate(site: Path, args: list[str], stdin: str | None, message: str) -> None:
    before = snapshot(site)
    assert new(*args, stdin=stdin) == (1, "", message)
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--title", "T", "--abstract", "A", "--topic", "retreival"], None,
         "Error: --topic: unknown topic 'retreival'; did you mean 'retrieval' (Retrieval and RAG)? "
         "Expected one of the ids in content/topics.yml: image-restoration, other, retrieval\n"),
        (["--title", "T", "--abstract", "A", "--topic", "rag"], None,
         "Error: --topic: unknown topic 'rag'; did you mean 'retrieval' (Retrieval and RAG)? "
         "Expected one of the ids in content/topics.yml: image-restoration, other, retrieval\n"),
        (["--title", "T", "--abstract", "A", "--url", "javascript:alert(1)"], None,
         "Error: --url: expected an http or https URL, found the scheme 'javascript:' in 'javascript:alert(1)'\n"),
        (["--title", "T", "--abstract", "A", "--arxiv", "soon"], None,
         "Error: --arxiv: expected an arXiv id like 2306.04751 (or an arxiv.org link), found 'soon'\n"),
        (["--title", "T"], None, "Error: --abstract: expected the paper's abstract with --title, found none\n"),
        (["--title", "  ", "--abstract", "A"], None,
         "Error: --title: expected the paper's title, found an empty string\n"),
        (["--abstract", "A"], None, "Error: --abstract needs --title (or paste a listing snippet on stdin)\n"),
        ([], "", "Error: expected --title and --abstract, or a listing snippet on stdin; found an empty stdin\n"),
        ([], "Dense Retrieval Again\nFirst abstract.\nDense retrieval again!\nSecond abstract.\n",
         "Error: <stdin>:3: the snippet has this paper twice (the same title at lines 1 and 3); paste it "
         "once. Nothing was written.\n"),
        (["--arxiv", "2306.04751", "--url", "https://github.com/o/r"], CARDS,
         "Error: --url and --arxiv describe one paper, but the snippet has 3 (titles at lines 1, 5, 9); "
         "paste one card at a time with --url and --arxiv, or leave them out\n"),
        ([], "Only A Title\n",
         "<stdin>:1:1: error: truncated entry: title 'Only A Title' has no abstract\n"
         "Error: 1 error found; nothing was written\n"),
        # A lone surrogate is what Python makes of bytes that are not UTF-8 in an argument
        # (or on stdin) in a C locale: `new --title $'\xed\xa0\x80'`.
        (["--title", "Bytes \udced\udca0\udc80", "--abstract", "A"], None,
         "Error: --title: lone surrogate U+DCED at character 7; expected text (a surrogate is half of "
         "a UTF-16 pair, never a character on its own)\n"),
        (["--title", "T", "--abstract", "A noncharacter \U0001FFFF"], None,
         "Error: --abstract: noncharacter U+1FFFF at character 16; expected text (Unicode reserves "
         "noncharacters for a program's own use)\n"),
        (["--title", "T", "--abstract", "A", "--url", "https://example.org/\uffff"], None,
         "Error: --url: malformed URL 'https://example.org/\\uffff': found the noncharacter U+FFFF\n"),
        ([], "A Title With a Bell\nAnd an abstract \ufffe here.\n",
         "<stdin>:2:17: error: noncharacter U+FFFE in the listing; expected text (Unicode reserves "
         "noncharacters for a program's own use)\nError: 1 error found; nothing was written\n"),
    ],
    ids=["topic", "topic-title", "url", "arxiv", "no-abstract", "empty-title", "abstract-alone", "nothing",
         "same-paper-twice", "one-paper-flags", "truncated", "surrogate-flag", "noncharacter-flag",
         "noncharacter-url", "noncharacter-snippet"],
)
def test_new_refuses_bad_input(site: Path, args: list[str], stdin: str | None, message: str) -> None:
    before = snapshot(site)
    assert new(*args, stdin=stdin) == (1, "", message)
    assert snapshot(site) == before


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_new_refuses_bytes_that_are_not_utf8(site: Path, how: str) -> None:
    """The real entry point, given bytes that are not UTF-8: Python reads them as lone
    surrogates (surrogateescape), which `new` refuses with a clean error, never a traceback
    from writing the file."""
    title, abstract = b"Half a Pair \xed\xa0\x80 of Bytes", b"An abstract of a paper."
    if how == "argument":
        argv, stdin = [b"--title", title, b"--abstract", abstract], b""
        expected = ("Error: --title: lone surrogate U+DCED at character 13; expected text (a surrogate is "
                    "half of a UTF-16 pair, never a character on its own)\n")
    else:
        argv, stdin = [], title + b"\n" + abstract + b"\n"
        expected = ("<stdin>:1:13: error: lone surrogate U+DCED in the listing; expected text (a surrogate "
                    "is half of a UTF-16 pair, never a character on its own)\n"
                    "Error: 1 error found; nothing was written\n")
    before = snapshot(site)
    run = subprocess.run([sys.executable, "-m", "generator", "--content", "content", "new", *argv],
                         input=stdin, capture_output=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT),
                              "PYTHONIOENCODING": "utf-8:surrogateescape"})
    assert (run.returncode, run.stdout, run.stderr.decode("utf-8")) == (1, b"", expected)
    assert snapshot(site) == before


def test_new_does_not_wait_for_a_terminal(site: Path) -> None:
    """With no flags and stdin a terminal, `new` explains itself instead of waiting for input."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(GeneratorError, match=r"^expected --title and --abstract, or a listing snippet on stdin$"):
        scaffold(site / "content", NewPaper(), Terminal("Title\nAbstract.\n"))
    assert not (site / "content/papers/title.yml").exists()


def test_new_never_takes_a_redirected_slug(site: Path) -> None:
    old = site / TEXT
    old.write_text(old.read_text() + "redirect_from:\n- dense-retrieval-revisited\n")
    assert new("--title", "Dense Retrieval Revisited", "--abstract", "Retrieval again.") == (
        0, "wrote content/papers/dense-retrieval-revisited-2.yml\nproposed topics: retrieval (rules alone, "
           f"needs review)\n{PROPOSED}", "")
    assert_check_passes()
