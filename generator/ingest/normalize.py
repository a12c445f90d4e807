"""Turn raw listing text into clean text and classified links.

Abstracts in the dumps are plain text with scattered LaTeX (`T\\"ULU`, `90\\%`,
``quotes'') and URLs glued to LaTeX residue (`...vec2text{github.com/...}`).
A LaTeX converter run over the whole text would treat `%` as a comment and
eat braces that are part of the text (`AntLM_{BabyLlama}`), so links are cut
out first and only the LaTeX fragments themselves go through pylatexenc.
"""

from __future__ import annotations

import logging
import re

from pylatexenc.latex2text import LatexNodes2Text

from generator.links import canonical_url, classify, trim_url, url_problem
from generator.mathtext import readable_math
from generator.model import Link
from generator.text import nfc

_LATEX = LatexNodes2Text(math_mode="verbatim", keep_braced_groups=False)
# pylatexenc logs a warning for a malformed fragment such as `\url{}` and then
# returns its text anyway; the import's own report is the place for problems.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

# A URL, optionally wrapped as \url{...} or {...}, followed by LaTeX residue such
# as `{github.com/...}`, `{URL}` or `{link}}`.
_URL = re.compile(
    r"(?P<open>\\url\{|\{)?"
    r"(?P<url>(?:https?://|(?<![\w./@-])(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)/)"
    r"[^\s{}<>\"'`\\|^\x00-\x1f\x7f]+)"
    r"(?P<residue>(?:\{[^{}\s]*\})*\}?)"
)

# A LaTeX fragment: a control word with an optional braced argument (`\textsc{Ofa}`,
# `\url{..}` is handled above), an accent with its letter (`\"{\i}`, `\"U`, `\'s`),
# or an escaped special character (`\%`, `\_`, `\&`).
_MACRO = re.compile(
    r"\\(?:[a-zA-Z]+\*?(?:\{[^{}]*\}| (?=[a-zA-Z]))?"
    r"|[\"'`^~=.](?:\{\\?[a-zA-Z]\}|\\[a-zA-Z]\b|[a-zA-Z])"
    r"|[%&_#${}])"
)
# `~` is a LaTeX non-breaking space after a word (`wav2vec~2.0`, `modeling~(MLM)`),
# but plain text uses it for "about" and ranges (`~76x`, `15~30%`): keep those.
_TILDE = re.compile(r"(?<=[A-Za-z)\]])~(?=\S)|(?<=\d)~(?=[(\-])")
# Project-local macros that pylatexenc cannot know; it would drop them.
_CUSTOM_MACROS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc."}


def clean_url(url: str) -> str:
    """Strip the punctuation a sentence glued to a URL (keeping balanced brackets), and
    give a bare `github.com/...` its scheme."""
    url = trim_url(url)
    if not url.startswith(("http://", "https://")):
        url = "https://" + url
    return url


def _find_urls(raw: str) -> list[re.Match[str]]:
    """The URLs worth a link: long enough, and acceptable to `check` (a malformed one,
    such as a bad port or IPv6 host, stays plain text instead of failing the import)."""
    return [m for m in _URL.finditer(raw)
            if len(clean_url(m["url"])) > len("https://x.y") and url_problem(clean_url(m["url"])) is None]


def find_links(raw: str) -> list[tuple[str, Link]]:
    """Each URL in the text as (the span of `raw` it was read from, its Link), in order."""
    found = []
    for match in _find_urls(raw):
        url = canonical_url(clean_url(match["url"]))
        found.append((match["url"], Link(url=url, kind=classify(url))))
    return found


def extract_links(raw: str) -> tuple[Link, ...]:
    """Every URL in the text, cleaned, canonical, classified and de-duplicated."""
    seen: dict[str, Link] = {}
    for _, link in find_links(raw):
        seen.setdefault(link.url, link)
    return tuple(seen.values())


def _convert_macro(match: re.Match[str]) -> str:
    fragment = match[0]
    space = " " if fragment.endswith(" ") else ""
    fragment = fragment.rstrip(" ")
    name = fragment[1:].split("{", 1)[0].rstrip("*")
    if name in _CUSTOM_MACROS:
        return _CUSTOM_MACROS[name] + space
    if fragment.startswith("\\'s") and len(fragment) == 3:
        # `object\'s`: an escaped apostrophe, not an acute accent on s.
        before = match.string[: match.start()]
        if before[-1:].isalpha():
            return "'s"
    text = _LATEX.latex_to_text(fragment)
    if not text.strip() and name.isalpha():
        # An unknown control word: keep its name rather than lose a word.
        return name + space
    # A letter macro (`\L ojasiewicz`) swallows the space that ends it.
    return text if len(text) == 1 and text.isalpha() else text + space


def _convert_latex(text: str) -> str:
    text = _TILDE.sub(" ", text)
    return readable_math(_MACRO.sub(_convert_macro, text))


def clean_text(raw: str) -> str:
    """Readable Unicode text: LaTeX converted, whitespace tidied.

    Everything that is not LaTeX markup is kept exactly, so `<SR>`, `P(y|x)`,
    `ReST-MCTS*` and `AntLM_{BabyLlama}` survive, and no word is dropped. A URL
    keeps its spelling (case, scheme, a final slash, a bare `github.com/...`) and
    loses only the LaTeX around it (`\\url{...}`, `{github.com/...}`): the
    canonical form is the paper's link (`extract_links`), not a rewrite of the
    authors' sentence.
    """
    pieces: list[str] = []
    pos = 0
    for match in _find_urls(raw):
        pieces.append(_convert_latex(raw[pos : match.start()]))
        pieces.append(match["url"])  # as the authors wrote it; its canonical form is a link's
        pos = match.end()
    pieces.append(_convert_latex(raw[pos:]))
    text = "".join(pieces)
    return nfc(re.sub(r"\s+", " ", text).strip())


_TITLE_TAIL = re.compile(r"[\s:;,|–—-]+$")


def clean_title(raw: str) -> str:
    """A title as readers should see it: `clean_text`, less the URLs in it.

    A link pasted into a title (`Title (https://github.com/o/r)`) is not part of the
    title, and must not be part of the slug; `extract_links` still finds it, so it
    becomes one of the paper's links. Raises ValueError when nothing but the link is left.
    """
    found = _find_urls(raw)
    if not found:
        return clean_text(raw)
    kept, pos = [], 0
    for match in found:
        url = match["url"]
        cleaned = clean_url(url)
        length = len(cleaned) if url.startswith("http") else len(cleaned) - len("https://")
        start, end = match.start(), match.start("url") + length
        end += re.match(r"(?:\{[^{}\s]*\})*\}?", raw[end:]).end()  # type: ignore[union-attr]
        before, after = raw[pos:start], raw[end:]
        opened = re.search(r"[(\[<]\s*$", before)
        closed = re.match(r"\s*[)\]>]", after)
        if opened and closed:
            before = before[: opened.start()]
            end += closed.end()
        kept.append(before)
        pos = end
    kept.append(raw[pos:])
    title = clean_text(" ".join(kept))
    title = re.sub(r"\s*[(\[]\s*[)\]]", "", title)
    title = re.sub(r"\s+(?=[.,;:!?](?:\s|$))", "", title)
    title = _TITLE_TAIL.sub("", title).strip()
    if not title:
        raise ValueError(f"expected a paper title, found only a link ({raw.strip()[:80]!r})")
    return title
