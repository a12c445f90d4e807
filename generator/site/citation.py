"""BibTeX: citation keys and entries, for a paper page's Cite block and papers.bib.

Both show the same entry for a paper, so a reader who pastes either gets the
same key. Keys must stay stable as the catalog grows, and an entry must
compile as pasted whatever its title holds.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.identity import STOP_WORDS
from generator.links import arxiv_abs_url
from generator.model import Paper

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "^": r"\^{}", "~": r"\~{}", "{": r"\{", "}": r"\}"}
_LONE_BRACE = {**_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))


def _braces_balance(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _bib(text: str) -> str:
    """BibTeX-safe text. BibTeX counts every brace, escaped or not, so `\\{` is only
    used when the braces pair up; a stray one would swallow the rest of the file."""
    table = _SPECIAL if _braces_balance(text) else _LONE_BRACE
    return _SPECIAL_RE.sub(lambda m: table[m.group()], " ".join(text.split()))


def bibtex_base_key(paper: Paper) -> str:
    """Google Scholar's shape with title words for the missing author: `hat2023hybrid`.
    Two significant words keep keys readable and rarely shared; a key starts with a letter."""
    words = [w for w in re.findall(r"[a-z0-9]+", paper.slug) if w not in STOP_WORDS]
    words = [w for w in words if w[0].isalpha()] or ["paper"]
    year = paper.published.year if paper.published else ""
    second = words[1][:16] if len(words) > 1 else ""
    return f"{words[0][:16]}{year}{second}"


def bibtex_keys(papers: tuple[Paper, ...] | list[Paper]) -> dict[str, str]:
    """A unique citation key per slug. The earliest added paper keeps the bare key and
    later ones get b, c, ..., so adding a paper never changes an older paper's key."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.added or dt.date.min, p.slug)):
        base = bibtex_base_key(paper)
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}{_suffix(n)}"
        taken.add(key)
        keys[paper.slug] = key
    return keys


def _suffix(n: int) -> str:
    """2 -> b, 26 -> z, 27 -> bb: letters only, since the key may end in a year."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[(n - 1) % 26] * ((n - 1) // 26 + 1)


def _author(name: str) -> str:
    """One name of an `author` list. BibTeX splits the list at every ` and `, so a name
    holding that word (`Research and Development Team`) is braced to stay one name."""
    text = _bib(name)
    return "{" + text + "}" if re.search(r"\sand\s", text, re.I) else text


ADDED_YEAR_NOTE = ("% The publication date is not known: `year` is the year the paper was "
                   "added to the index.\n")
"""Written before an entry whose year is that of `added`: outside an entry, BibTeX reads
nothing, and biber and bibtexparser take a `%` line for a comment."""


def bibtex(paper: Paper, page_url: str, key: str | None = None) -> str:
    """A BibTeX entry; LaTeX specials escaped so it compiles as pasted.

    With an arXiv id it is the entry arXiv itself suggests (`eprint`, `archivePrefix`,
    `primaryClass`) and its `url` is the paper's abstract page; without one, the
    paper's page here is the only address we know. A paper without a publication date
    gets the year it was added, and a comment line before the entry that says so: an
    entry without a year sorts and cites badly."""
    year = paper.published.year if paper.published else paper.added.year if paper.added else None
    fields = [("title", "{" + _bib(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    if year:
        fields.append(("year", str(year)))
    if paper.arxiv:
        fields += [("eprint", _bib(paper.arxiv)), ("archivePrefix", "arXiv")]
        if paper.arxiv_category:
            fields.append(("primaryClass", _bib(paper.arxiv_category)))
        url = arxiv_abs_url(paper.arxiv)
    else:
        url = page_url
    fields.append(("url", url.replace("{", "%7B").replace("}", "%7D")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    entry = f"@misc{{{key or bibtex_base_key(paper)},\n{body}\n}}"
    return (ADDED_YEAR_NOTE + entry) if year and not paper.published else entry
