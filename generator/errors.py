"""One root exception, and the Problem record every check reports.

The CLI turns a GeneratorError into a clean `Error: ...` line and exit code 1;
nothing below the CLI prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    severity: str
    """`error` or `warning`."""
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


class GeneratorError(Exception):
    """Root of every error the generator raises on purpose."""


class ContentError(GeneratorError):
    """Input that failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in (errors or self.problems)))
