"""One root exception, the Problem record every check reports, and its severities.

The CLI turns a GeneratorError into a clean `Error: ...` line and exit code 1;
nothing below the CLI prints or exits.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: an error fails `check` and the build, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    """1-based; a problem with the whole file is reported at line 1, column 1."""
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (a misspelling of it), or None when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest choice, or '' when none is close."""
    close = closest(word, choices)
    return f"; did you mean '{close}'?" if close else ""


class GeneratorError(Exception):
    """Root of every error the generator raises on purpose."""


class ContentError(GeneratorError):
    """Input that failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == Severity.ERROR]
        super().__init__("\n".join(str(p) for p in (errors or self.problems)))


def short(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with an ellipsis, for quoting content in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Refusal:
    """A record a service sent that was left out, and why. Reported by name, never written:
    nobody can fix the service's answer in a pull request, so the rest of its batch lands."""

    name: str
    """What the record is: its arXiv id, the paper's slug, or `item 3` of an answer."""
    reason: str
    """Why it was refused, in a reader's words; may quote the service's text."""

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"
