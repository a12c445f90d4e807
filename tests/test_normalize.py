"""LaTeX to Unicode, link extraction and cleaning, link classification."""

from __future__ import annotations

import re
import unicodedata

import pytest

from generator.ingest.listing import parse_file
from generator.model import Link
from generator.identity import title_key
from generator.ingest.normalize import clean_text, extract_links, find_links
from generator.links import canonical_url, classify, trim_url
from helpers import LISTINGS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r'T\"ULU 3: Pushing Frontiers', "TÜLU 3: Pushing Frontiers"),
        (r'a na\"ive approach', "a naïve approach"),
        (r'an apparently na\"{\i}ve ensembling', "an apparently naïve ensembling"),
        (r"improves by 90\%.", "improves by 90%."),
        (r"call it ``reverse thinking'' here", "call it \u201creverse thinking\u201d here"),
        (r"wav2vec~2.0 and HuBERT", "wav2vec 2.0 and HuBERT"),
        (r"masked language modeling~(MLM) in", "masked language modeling (MLM) in"),
        (r"Aky\"urek et al.", "Akyürek et al."),
        (r"One For All (\textsc{Ofa}), which", "One For All (Ofa), which"),
        (r"the PL (Polyak-\L ojasiewicz) condition", "the PL (Polyak-Łojasiewicz) condition"),
        (r"an object\'s potential", "an object's potential"),
        (r"the CERN n\_TOF facility", "the CERN n_TOF facility"),
        # Plain text that a LaTeX converter would mangle stays exactly as written.
        ("improves Macro-average by 1%, and AntLM_{LTG-BERT} achieves", "improves Macro-average by 1%, and AntLM_{LTG-BERT} achieves"),
        ("insert special token <SR> at the end", "insert special token <SR> at the end"),
        ("an output y as P(y|x), prompt-based", "an output y as P(y|x), prompt-based"),
        ("called ReST-MCTS*, based on", "called ReST-MCTS*, based on"),
        ("up to ~76x more and 15~30% masking", "up to ~76x more and 15~30% masking"),
        ("costing less than $0.02 per document", "costing less than $0.02 per document"),
        # Math that lost its `$` in the listing is made readable (see test_mathtext.py).
        ("the (K+1)^{th} token and 10^{15} FLOPs", "the (K+1)th token and 10¹⁵ FLOPs"),
        ("  spaced\t out \n text  ", "spaced out text"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "links", "text"),
    [
        (
            "at https://github.com/jxmorris12/vec2text{github.com/jxmorris12/vec2text}.",
            [("https://github.com/jxmorris12/vec2text", "code")],
            "at https://github.com/jxmorris12/vec2text.",
        ),
        (
            "available in this {https://github.com/ChengyinLee/MulModSeg_2024{link}}.",
            [("https://github.com/ChengyinLee/MulModSeg_2024", "code")],
            "available in this https://github.com/ChengyinLee/MulModSeg_2024.",
        ),
        (
            "released at https://huggingface.co/bertin-project{URL}.",
            [("https://huggingface.co/bertin-project", "other")],
            "released at https://huggingface.co/bertin-project.",
        ),
        (
            r"is publicly available at \url{https://github.com/TartuNLP/xsim}",
            [("https://github.com/TartuNLP/xsim", "code")],
            "is publicly available at https://github.com/TartuNLP/xsim",
        ),
        (
            "(code: https://github.com/naver/gdc)",
            [("https://github.com/naver/gdc", "code")],
            "(code: https://github.com/naver/gdc)",
        ),
        (
            "at https://github.com/ekinakyurek/google-research/blob/master/incontext.",
            [("https://github.com/ekinakyurek/google-research/blob/master/incontext", "code")],
            None,
        ),
        (
            "see https://github.com/caskcsg/ir/tree/main/cotmae. And http://github.com/a/b.git, too",
            [("https://github.com/caskcsg/ir/tree/main/cotmae", "code"), ("https://github.com/a/b", "code")],
            None,
        ),
        (
            "Models: https://huggingface.co/collections/unicamp-dl/ptt5-v2-666538a650188ba00aa8d2d0 and "
            "https://huggingface.co/pfnet/nekomata-14b-pfn-qfin-inst-merge. Data: "
            "https://huggingface.co/datasets/acme/set; demo https://huggingface.co/spaces/enclap-team/enclap",
            [
                ("https://huggingface.co/collections/unicamp-dl/ptt5-v2-666538a650188ba00aa8d2d0", "hf-collection"),
                ("https://huggingface.co/pfnet/nekomata-14b-pfn-qfin-inst-merge", "hf-model"),
                ("https://huggingface.co/datasets/acme/set", "hf-dataset"),
                ("https://huggingface.co/spaces/enclap-team/enclap", "hf-space"),
            ],
            None,
        ),
        (
            "Project page: https://prompt-plus.github.io, code at https://bit.ly/FPDMCode. and https://aka.ms/BLURB.",
            [("https://prompt-plus.github.io", "project"), ("https://bit.ly/FPDMCode", "other"),
             ("https://aka.ms/BLURB", "other")],
            None,
        ),
        (
            "Docs at https://huggingface.co/docs/transformers/model_doc/roformer. and "
            "https://github.com/NVIDIA/Megatron-LM#retro.",
            [("https://huggingface.co/docs/transformers/model_doc/roformer", "other"),
             ("https://github.com/NVIDIA/Megatron-LM#retro", "code")],
            None,
        ),
        ("code at github.com/salesforce/CodeT5.", [("https://github.com/salesforce/CodeT5", "code")],
         "code at github.com/salesforce/CodeT5."),
        # The abstract keeps the URL as its authors wrote it; the link holds the canonical form.
        # The five URLs of the seeds that an import used to rewrite:
        ("Website: https://FineGrainedRLHF.github.io.", [("https://finegrainedrlhf.github.io", "project")],
         "Website: https://FineGrainedRLHF.github.io."),
        ("at https://github.com/dvruette/gidd/ and", [("https://github.com/dvruette/gidd", "code")],
         "at https://github.com/dvruette/gidd/ and"),
        ("in http://github.com/jxmorris12/vec2text.", [("https://github.com/jxmorris12/vec2text", "code")],
         "in http://github.com/jxmorris12/vec2text."),
        ("at github.com/ShishirPatil/gorilla.", [("https://github.com/ShishirPatil/gorilla", "code")],
         "at github.com/ShishirPatil/gorilla."),
        ("at github.com/facebookresearch/NPM.", [("https://github.com/facebookresearch/NPM", "code")],
         "at github.com/facebookresearch/NPM."),
        ("see www.github.com/A/B.git/, too", [("https://github.com/A/B", "code")],
         "see www.github.com/A/B.git/, too"),
    ],
)
def test_links_are_cleaned_and_classified(raw: str, links: list[tuple[str, str]], text: str | None) -> None:
    assert extract_links(raw) == tuple(Link(url, kind) for url, kind in links)
    if text is not None:
        assert clean_text(raw) == text


@pytest.mark.parametrize(
    ("raw", "links"),  # the text itself is kept as it is
    [
        # Regressions (found by test_properties): the extractor took `|` and `^` into a
        # URL and kept URLs that `check` refuses, so an import wrote files `check`
        # then failed; and a bracketed host made urlsplit raise out of the import.
        ("code https://github.com/acme/repo|extra here", ["https://github.com/acme/repo"]),
        ("see https://example.org/a^b.", ["https://example.org/a"]),
        ("bad port https://example.org:99999/page and https://[::1/x and https://ex ample.org", []),
        ("a bell https://example.org/a\x07b", ["https://example.org/a"]),
    ],
)
def test_links_check_would_refuse_are_never_extracted(raw: str, links: list[str]) -> None:
    assert [link.url for link in extract_links(raw)] == links
    assert clean_text(raw) == raw


def test_duplicate_links_are_kept_once() -> None:
    raw = "https://github.com/a/b and http://github.com/a/b. and https://github.com/a/b/"
    assert extract_links(raw) == (Link("https://github.com/a/b", "code"),)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://gitlab.com/group/project", "code"),
        ("https://huggingface.co/papers/2306.04751", "other"),
        ("https://huggingface.co/nlpie", "other"),
        ("https://hf.co/acme/model", "hf-model"),
        ("http://pretrain.nlpedia.ai/", "project"),
        ("https://arxiv.org/abs/2306.04751", "other"),
        ("http://tiny.cc/grif", "other"),
    ],
)
def test_classify(url: str, kind: str) -> None:
    assert classify(url) == kind


def test_every_seed_url_becomes_a_link() -> None:
    for path in LISTINGS.glob("*.txt"):
        for entry in parse_file(path).entries:
            raw_hosts = [h.rstrip(".,;:)") for h in re.findall(r"https?://([^/\s{}]+)", entry.abstract)]
            link_hosts = {re.match(r"https?://([^/]+)", link.url)[1] for link in extract_links(entry.abstract)}
            for host in raw_hosts:
                assert host.lower().removeprefix("www.") in {h.removeprefix("www.") for h in link_hosts}, entry.title


def test_every_seed_abstract_keeps_its_urls_as_written_and_links_them_canonically() -> None:
    """Each of the 123 URLs in the seed abstracts stays in the abstract as the listing wrote
    it; its link is canonical. Five are written otherwise than their canonical form."""
    written_otherwise = set()
    urls = 0
    for path in sorted(LISTINGS.glob("*.txt")):
        for entry in parse_file(path).entries:
            text = clean_text(entry.abstract)
            for span, link in find_links(entry.abstract):
                urls += 1
                assert span in text, (path.name, entry.line, span)
                assert link.url == canonical_url(link.url)
                if trim_url(span) != link.url:
                    written_otherwise.add(trim_url(span))
    assert urls == 123
    assert written_otherwise == {
        "https://FineGrainedRLHF.github.io", "https://github.com/dvruette/gidd/",
        "http://github.com/jxmorris12/vec2text", "github.com/ShishirPatil/gorilla",
        "github.com/facebookresearch/NPM"}


def _fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L").replace("ı", "i")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# LaTeX markup words that are not part of the text a reader sees.
_MARKUP = re.compile(r"\\(?:textsc|textbf|textit|emph|url|i)\b|\\[A-Za-z]\b|(?<=\S)\{[^{}\s]*\}(?=\}?[.,;]?(?:\s|$))")


# Stripped LaTeX math that clean_text turns into symbols (`mathtext`), and the LaTeX comment
# and the footnote mark that it drops on purpose (the footnote's words stay).
_MATH = re.compile(r"mathcal|(?:left|right|leftright)arrow|\btimes(?= 10\^)|(?<=\d)times|\bsim(?=\d)"
                   r"|circ\b|\bgg\b|(?<=')epsilon"
                   r"|(?<![A-Za-z])(?:var)?(?:phi|Phi|Psi|Omega|Sigma|tau)(?=circ|[^a-z]|$)"
                   r"|(?<=\s)%[A-Za-z][^.]*\.|\bdagger\b")


def test_no_word_of_any_seed_abstract_is_lost() -> None:
    """Every word of every raw abstract appears, in order, in its normalized text, except
    the words of math markup that became symbols, a LaTeX comment and a footnote mark."""
    entries = 0
    for path in sorted(LISTINGS.glob("*.txt")):
        for entry in parse_file(path).entries:
            entries += 1
            for raw in (entry.title, entry.abstract):
                words = re.findall(r"[^\W\d_]+|\d+", _fold(_MARKUP.sub(" ", _MATH.sub(" ", raw))))
                cleaned = re.sub(r"[\W_]+", "", _fold(clean_text(raw)))
                pos = 0
                for word in words:
                    found = cleaned.find(word, pos)
                    assert found >= 0, f"{path.name}:{entry.line}: lost {word!r} after {cleaned[pos - 40:pos]!r}"
                    pos = found + len(word)
    assert entries == 577  # every seed entry (test_listing counts them by hand)


def test_title_key_matches_spelling_variants() -> None:
    assert title_key("TÜLU 3: Pushing  Frontiers!") == title_key("tulu 3 - pushing frontiers")
    assert title_key("A B") != title_key("A C")
