"""Front matter that MkDocs always reads back: every Unicode category, in every field.

MkDocs' own parser (`mkdocs.utils.meta.get_data`, libyaml's CSafeLoader) drops a front
matter it cannot read and renders it as Markdown, so each generated page must parse
with that very function into the values the generator meant. The catalogs here are
built in Python, past `check`, so that the characters `check` refuses (control
characters, noncharacters) are written too: the writer must be total, whatever reaches it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from generator.errors import GeneratorError
from generator.model import Catalog, Link, LinkKind, Paper, Topic
from generator.site.frontmatter import expected_check, read_generated, unread_pages
from generator.site.pages import Page, Renderer
from generator.site.settings import Settings

SPECIAL = {
    "Cc": "\x00\x07\t\n\r\x1b\x7f\x80\x85\x9f",
    "Cf": "\u00ad\u061c\u200b\u200d\u200e\u202e\u2066\u2069\ufeff\U000e0001",
    "Zl": "\u2028",
    "Zp": "\u2029",
    "Zs": " \u00a0\u3000",
    "Co": "\ue000\uf8ff\U000f0000\U0010fffd",
    # U+FFFE/U+FFFF and each plane's last two, U+FDD0-U+FDEF: PyYAML refuses some raw.
    "Cn": "\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff\u0378",
    "So": "\U0001f600\U0001f525",
    "Lo": "\U00020000\u65e5",
    "Po": "\"'\\#&:,",
    "Ps": "{[(",
    "Pe": "}])",
    "Sm": "<>|~",
}
"""The characters each category must include beyond its sample: YAML's and JSON's own
syntax, YAML's line breaks (NEL, U+2028, U+2029), the byte order mark, astral planes."""


def _samples() -> dict[str, str]:
    """Up to 20 code points of each general category: its first and last four, and twelve
    spread over the rest, plus SPECIAL. Surrogates (Cs) have their own test."""
    by_category: dict[str, list[int]] = {}
    for code in range(sys.maxunicode + 1):
        by_category.setdefault(unicodedata.category(chr(code)), []).append(code)
    samples = {}
    for category, codes in sorted(by_category.items()):
        picked = codes[:4] + codes[-4:] + codes[:: max(1, len(codes) // 12)][:12]
        samples[category] = "".join(dict.fromkeys(map(chr, picked))) + SPECIAL.get(category, "")
    return samples


SAMPLES = _samples()


def test_every_general_category_is_sampled() -> None:
    """The 30 categories of the Unicode standard (chapter 4.5), each with characters."""
    assert sorted(SAMPLES) == sorted(
        "Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Zl Zp Cc Cf Cs Co Cn".split())
    assert all(len(sample) >= 2 for sample in SAMPLES.values())


def _catalog(text: str) -> Catalog:
    """Two related papers and a topic, with `text` in every field that reaches front
    matter: titles (the page's, a related paper's, a redirect's), the abstract's first
    sentence (the description), authors, topic titles and descriptions."""
    topic = Topic(id="t", title=f"Topic {text}", description=f"About {text}.")
    abstract = f"Retrieval models rank passages {text}. Dense retrieval models rank passages well."
    papers = tuple(
        Paper(slug=slug, title=f"{name} {text}", abstract=abstract, authors=(text, f"<b>{text}</b>", "Ada"),
              topics=("t",), redirect_from=(f"old-{slug}",),
              links=(Link("https://github.com/o/r", LinkKind.CODE),))
        for slug, name in (("a", "Retrieval models"), ("b", "Dense retrieval models")))
    return Catalog(papers=papers, topics=(topic,))


def _as_read(value: object) -> object:
    """The value as any YAML reader returns what was meant (tuples as lists)."""
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("category", sorted(c for c in SAMPLES if c != "Cs"))
def test_every_page_parses_with_mkdocs_into_the_values_written(category: str) -> None:
    text = SAMPLES[category]
    renderer = Renderer(_catalog(text), Settings())
    pages = list(renderer.pages({}))
    assert {p.path for p in pages} >= {"papers/a.md", "papers/old-a.md", "topics/t.md", "browse.md"}
    for page in pages:
        written = page.text()
        body, meta = get_data(written)
        assert meta.pop("page_check", None) == expected_check(written) is not None, page.path
        assert meta == _as_read(page.meta), page.path
        assert body == page.body.lstrip("\n"), page.path
        # The shards' shortcut (shard_hook) reads the same, or leaves the page to YAML: only
        # where the writer used YAML's \U escape, for an astral noncharacter (Cn).
        fast = read_generated(written)
        assert fast == get_data(written) if fast is not None else category == "Cn", page.path
    paper = get_data(renderer.paper_page(renderer.by_slug["a"], {}).text())[1]
    # Raw, as the generator wrote them (paper.html escapes them): nothing was lost or folded.
    assert paper["paper"]["authors"] == [text, f"<b>{text}</b>", "Ada"]
    assert paper["related"] == [{"slug": "b", "title": f"Dense retrieval models {text}"}]
    assert paper["paper"]["topics"] == [{"id": "t", "title": f"Topic {text}"}]


def test_only_pages_the_generator_wrote_are_read_as_json() -> None:
    """Hand-written front matter and a float (which YAML reads as text when it has no dot)
    go to YAML; a page edited since it was written is still JSON (its digest no longer
    matches, which `unread_pages` reports after the build)."""
    page = Page("p.md", {"title": "T", "n": 1}, "Body\n").text()
    assert read_generated(page) == ("Body\n", {"title": "T", "n": 1, "page_check": expected_check(page)})
    assert read_generated(page.replace('"T"', '"U"')) is not None
    assert read_generated('---\n{"title": "T"}\n---\n\nBody\n') is None
    assert read_generated("---\ntitle: T\n---\n\nBody\n") is None
    raw = page.replace('"T"', '"T\ufffe"')  # what page_text writes as \ufffe: YAML refuses it
    assert read_generated(raw) is None
    floats = page.replace('"n":1', '"n":1e5')
    assert read_generated(floats) is None and get_data(floats)[1]["n"] == "1e5"


@pytest.mark.parametrize("where", ["meta", "body"])
def test_a_lone_surrogate_is_refused_by_name_not_written(where: str) -> None:
    """No YAML reader accepts a surrogate, even escaped, and no UTF-8 file holds one.
    `check` refuses it in content; the writer refuses it too, naming the page."""
    text = f"Mallory {SAMPLES['Cs']}"
    page = Page("papers/a.md", {"title": "A", "paper": {"authors": [text]}} if where == "meta" else {},
                text if where == "body" else "")
    with pytest.raises(GeneratorError, match=r"^papers/a\.md: cannot write the lone surrogate U\+D800 "):
        page.text()


def test_a_payload_cannot_end_the_front_matter() -> None:
    """MkDocs ends the front matter at the first line that is `---` or `...`."""
    text = "x\n---\n<script>alert(1)</script>\n...\n\u2028---\u2029...\r\n---\r"
    renderer = Renderer(_catalog(text), Settings())
    written = renderer.paper_page(renderer.by_slug["a"], {}).text()
    lines = written.split("\n")
    assert lines[0] == lines[2] == "---" and lines[1][:1] + lines[1][-1:] == "{}"
    assert get_data(written)[1]["paper"]["authors"][0] == text


def test_the_page_check_is_the_digest_of_the_rest_of_the_page() -> None:
    """sha256 of the front matter without its page_check entry, a line break and the body,
    cut to 16 hex digits (the rule frontmatter.py documents), computed here independently."""
    page = Page("p.md", {"title": "T", "paper": {"authors": ["A \u2028 B"]}}, "Body\n")
    written = page.text()
    front = '{"title":"T","paper":{"authors":["A \\u2028 B"]}}'
    digest = hashlib.sha256(f"{front}\nBody\n".encode()).hexdigest()[:16]
    assert written == f'---\n{front[:-1]},"page_check":"{digest}"}}\n---\n\nBody\n'
    assert expected_check(written) == digest
    assert expected_check(written.replace("Body", "Edited")) is None
    assert expected_check(written.replace('"T"', '"U"')) is None
    assert expected_check("---\n{\"title\":\"T\"}\n---\n\nBody\n") is None
    assert expected_check("# No front matter\n") is None
    assert Page("e.md", {}, "").text().startswith('---\n{"page_check":"')


def test_unread_pages_are_those_whose_html_lacks_their_digest(tmp_path: Path) -> None:
    docs, site = tmp_path / "docs", tmp_path / "site"
    pages = {"index.md": "index.html", "read.md": "read/index.html", "topics/unread.md": "topics/unread/index.html",
             "hand-written.md": "hand-written/index.html", "not-built.md": None}
    for rel, html_path in pages.items():
        written = Page(rel, {"title": rel}, "Body\n").text() if rel != "hand-written.md" else "# Hand\n"
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(written, encoding="utf-8")
        if html_path:
            mark = f' data-pi-page="{expected_check(written)}"' if rel in ("index.md", "read.md") else ""
            (site / html_path).parent.mkdir(parents=True, exist_ok=True)
            (site / html_path).write_text(f"<!doctype html><html{mark}><p>{written}</p></html>", encoding="utf-8")
    assert unread_pages(docs, site) == ["hand-written.md", "not-built.md", "topics/unread.md"]
