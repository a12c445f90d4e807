"""When a search result is the paper we have: the matching rules of `enrich`.

A title alone is weak evidence, so the rules are strict, and a doubt is
reported rather than applied:

1. Exact: the two titles agree after `identity.title_key` (case, accents,
   punctuation and spacing ignored). One arXiv id among the exact matches is a
   match; two or more are ambiguous.
2. Similar: a rapidfuzz ratio of at least `TITLE_MATCH_RATIO` on the title keys
   (a typo, a dropped word, a hyphen), confirmed by the same first author's
   family name or the same publication year, when the paper has either. One id
   among the confirmed is a match; two or more are ambiguous. A similar title
   that nothing confirms is reported as a near miss, not applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.enrich.records import Found
from generator.identity import title_key
from generator.model import Paper

TITLE_MATCH_RATIO = 90.0
"""rapidfuzz ratio (0-100) on the title keys from which a similar title may match."""


@dataclass(frozen=True)
class Match:
    """The outcome of matching one paper against search results."""

    found: Found | None = None
    how: str = ""
    """How the match was made, for the report: `same title on arXiv`."""
    problem: str = ""
    """Why nothing was applied (ambiguous, near miss), or '' when nothing was found at all."""


def family_name(name: str) -> str:
    """`Ada Lovelace` and `Lovelace, Ada` both give `lovelace`."""
    if "," in name:
        name = name.split(",", 1)[0]
        return title_key(name)
    words = title_key(name).split()
    return words[-1] if words else ""


def _confirmed(paper: Paper, found: Found) -> bool:
    if paper.authors and found.authors and \
            family_name(paper.authors[0]) == family_name(found.authors[0]) != "":
        return True
    return bool(paper.published and found.published and paper.published.year == found.published.year)


def _describe(found: list[Found]) -> str:
    return "; ".join(f"{f.arxiv} {f.title!r}" for f in found)


def _one(candidates: list[Found], how: str) -> Match:
    by_id = {f.arxiv: f for f in candidates}
    if len(by_id) == 1:
        return Match(found=candidates[0], how=how)
    return Match(problem=f"ambiguous: {len(by_id)} papers on {candidates[0].source} match "
                         f"({_describe(list(by_id.values()))}); not applied")


def match_title(paper: Paper, candidates: list[Found]) -> Match:
    """Apply the rules of the module docstring to one service's search results."""
    if not candidates:
        return Match()
    source = candidates[0].source
    key = title_key(paper.title)
    exact = [f for f in candidates if title_key(f.title) == key]
    if exact:
        return _one(exact, f"same title on {source}")
    similar = [f for f in candidates if fuzz.ratio(key, title_key(f.title)) >= TITLE_MATCH_RATIO]
    confirmed = [f for f in similar if _confirmed(paper, f)]
    if confirmed:
        return _one(confirmed, f"similar title and same first author or year on {source}")
    if similar:
        return Match(problem=f"near miss: similar title on {source} ({_describe(similar)}) but no "
                             "first author or year to confirm it; not applied")
    return Match()
