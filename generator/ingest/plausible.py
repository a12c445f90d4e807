"""Is each entry of a listing a paper? The checks a curator can overrule with `--force`.

A listing parses whenever its lines pair up, but a copied web page also holds
lines that are no paper: `Submitted by akhaliq`, an upvote count, a "Next"
link. Taken for a title and an abstract, they would make a file
`submitted-by-akhaliq.yml` whose abstract is "37". So an entry whose title looks
like page chrome, or whose abstract is shorter than any real abstract, is an
error at its line. A curator who knows better (a two-sentence abstract, a paper
titled "1984") passes `--force`, and the problems are reported as warnings.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import Problem, Severity, short
from generator.ingest.cards import chrome_reason
from generator.model import RawEntry
from generator.text import MIN_ABSTRACT_WORDS, word_count

FORCE_HINT = "pass --force to import it as it is"


def implausible(entries: Iterable[RawEntry], path: str, *, force: bool = False) -> list[Problem]:
    """A problem for each title that looks like page chrome and each abstract of fewer than
    MIN_ABSTRACT_WORDS words, at its line in the listing: an error, or with `force` a
    warning that says the entry was imported anyway."""
    found: list[tuple[int, str, str]] = []
    for entry in entries:
        if (why := chrome_reason(entry.title)) is not None:
            found.append((entry.line,
                          f"the title {short(entry.title)!r} looks like page chrome ({why}), "
                          "not a paper",
                          f"; expected a paper's title (remove the line from the listing, or "
                          f"{FORCE_HINT})"))
        words = word_count(entry.abstract)
        if words < MIN_ABSTRACT_WORDS:
            why = chrome_reason(entry.abstract)
            looks = f", and looks like page chrome ({why})" if why else ""
            found.append((entry.abstract_line or entry.line,
                          f"the abstract of {short(entry.title)!r} (line {entry.line}) has "
                          f"{words} word{'' if words == 1 else 's'}{looks}: "
                          f"{short(entry.abstract)!r}",
                          f"; expected an abstract of at least {MIN_ABSTRACT_WORDS} words (is "
                          "this page chrome, or are titles and abstracts out of step? If it is "
                          f"right, {FORCE_HINT})"))
    if force:
        return [Problem(path, line, 1, Severity.WARNING, f"{what} (imported anyway: --force)")
                for line, what, _ in found]
    return [Problem(path, line, 1, Severity.ERROR, what + hint) for line, what, hint in found]
