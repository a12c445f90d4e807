"""How a paper is named and recognized: its slug, its title key and its arXiv id.

The import, `new`, `check` and the site all ask these questions; each rule is
written once, here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from slugify import slugify

SLUG_MAX = 80
"""The longest slug (file name stem and URL segment)."""
SLUG_RULE = f"lowercase a-z, 0-9 and single hyphens, at most {SLUG_MAX} characters"
"""The slug rule in a reviewer's words, for error messages."""
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})
"""Device names Windows reserves for a file or folder, even followed by an extension:
`con.yml` or the folder `papers/con/` cannot be checked out on Windows."""

ARXIV_ID_PATTERN = r"\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7}"
"""A new-style (2306.04751) or old-style (hep-th/9901001) arXiv id, without version."""
ARXIV_ID = re.compile(ARXIV_ID_PATTERN)
ARXIV_CATEGORY_PATTERN = r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?"
"""An arXiv category: `cs.CL`, `hep-th`, `cond-mat.str-el`, `physics.comp-ph`."""
ARXIV_CATEGORY = re.compile(ARXIV_CATEGORY_PATTERN)
_ARXIV_IN_TEXT = re.compile(
    rf"(?i:arxiv\.org/(?:abs|pdf)/|arXiv:\s*)(?P<id>{ARXIV_ID_PATTERN})(?:v\d+)?"
)


STOP_WORDS = frozenset(
    "a an the on of in for to with and or is are via from by towards toward do does can how what "
    "when why which we your you our its it at as be beyond".split())
"""Words that say nothing on their own: a slug does not end on one (a title cut at SLUG_MAX
characters often would: `...-language-models-with`), and a BibTeX key skips them."""


_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""Words of ASCII lowercase letters and digits joined by single hyphens: python-slugify
returns such a text as it is (a test checks), and at 10,000 file names a build asked
python-slugify 10,000 times for nothing."""


def is_slug(text: str) -> bool:
    """True for a valid file name stem / URL slug: what python-slugify would produce, and
    no name Windows reserves."""
    if not 0 < len(text) <= SLUG_MAX or windows_reserved(text):
        return False
    return _PLAIN_SLUG.fullmatch(text) is not None or slugify(text) == text


def windows_reserved(name: str) -> bool:
    """True for a name Windows reserves, as Windows reads it: a device name in any case,
    alone or followed by an extension or trailing spaces (`NUL`, `con.yml`, `aux .tar.gz`)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def reserved_hint(text: object) -> str:
    """`; 'con' is a device name Windows reserves ...` for a slug that only that rule
    refuses, else ''; for the end of a message that gave SLUG_RULE."""
    if not (isinstance(text, str) and windows_reserved(text)):
        return ""
    return (f"; '{text}' is a device name Windows reserves (con, prn, aux, nul, com1-com9, "
            f"lpt1-lpt9), so no Windows checkout could hold its file, e.g. '{suggest_slug(text)}'")


def suggest_slug(text: str) -> str:
    """A valid slug close to `text`, for an error message."""
    return slug_for(text, set()) if cut_slug(slugify(text)) else "a-slug"


def end_on_a_word(slug: str) -> str:
    """`slug` without its trailing stop words (`...-models-with` -> `...-models`), unless it
    is made only of them (`to-be-or`), which is left as it is."""
    words = slug.split("-")
    if all(word in STOP_WORDS for word in words):
        return slug
    while words[-1] in STOP_WORDS:
        words.pop()
    return "-".join(words)


def cut_slug(slug: str, limit: int = SLUG_MAX) -> str:
    """`slug` cut to at most `limit` characters at a word boundary: the longest run of its
    leading words that fits, so no word is ever dropped from the middle.

    python-slugify's own `word_boundary=True` skips a word that does not fit and goes on
    with later, shorter ones (`...-sequence-to-for`), which is why the words are cut
    here. A first word longer than `limit` is cut inside, as nothing shorter would do.
    """
    if len(slug) <= limit:
        return slug
    words = slug.split("-")
    kept = words[0][:limit]
    for word in words[1:]:
        if len(kept) + 1 + len(word) > limit:
            break
        kept += "-" + word
    return kept.rstrip("-")


def slug_for(title: str, taken: set[str]) -> str:
    """A slug for a new paper: python-slugify's words, cut at a word boundary to at most
    SLUG_MAX characters, ending on a word that is no stop word, and unique among `taken`."""
    return unique_slug(cut_slug(slugify(title)) or "paper", taken)


def unique_slug(base: str, taken: set[str]) -> str:
    """`base` ending on a word, with `-2`, `-3`, ... when `taken` has it already, or when it
    is a name Windows reserves (a paper titled "Con" gets `con-2`)."""
    slug, n = end_on_a_word(base), 2
    while slug in taken or windows_reserved(slug):
        suffix = f"-{n}"
        slug = end_on_a_word(cut_slug(base, SLUG_MAX - len(suffix))) + suffix
        n += 1
    return slug


_WORD = re.compile(r"[^\W_]+")


def title_key(title: str) -> str:
    """The form two titles share when they name the same paper."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    if not folded.isascii():  # ASCII has no combining marks: most titles skip the loop
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD.findall(folded))


def arxiv_month(arxiv_id: str) -> dt.date | None:
    """The first day of the month a new-style arXiv id was given in (`2306.04751`: June
    2023), or None for an old-style id. The id says the month only, never the day."""
    match = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", arxiv_id)
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(2000 + int(match[1]), int(match[2]), 1)


def find_arxiv_id(text: str) -> str | None:
    """The first arXiv id in running text (`arXiv:2306.04751`, an arxiv.org link)."""
    match = _ARXIV_IN_TEXT.search(text)
    return match["id"] if match else None
