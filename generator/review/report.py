"""Print the problems `check` found: as text lines or GitHub annotations, and a summary.

GitHub shows at most about ten annotations per step, so with `--format github`
every problem also goes to the job summary ($GITHUB_STEP_SUMMARY) as a table.
Messages quote content, which arrives in a pull request: the annotation and the
table escape everything their formats would otherwise read as syntax.
"""

from __future__ import annotations

import os
from typing import TextIO

from generator.errors import Problem, Severity


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def summary_line(files: int, problems: list[Problem]) -> str:
    """`3 files checked: 1 error, 0 warnings`."""
    errors = sum(p.severity == Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return (
        f"{_plural(files, 'file')} checked: {_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """A GitHub workflow command that annotates the problem's line in the pull request."""
    return (
        f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},"
        f"col={problem.col}::{_escape_data(problem.message)}"
    )


def _markdown_cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("`", "\\`").replace("\r", " ").replace("\n", " ")
    return text.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def step_summary(problems: list[Problem], summary: str) -> str:
    """The Markdown job summary: every problem, since GitHub shows only ~10 annotations."""
    lines = ["## Content check", "", summary, ""]
    if problems:
        lines += ["| Location | Severity | Problem |", "| --- | --- | --- |"]
        lines += [
            f"| {_markdown_cell(f'{p.path}:{p.line}:{p.col}')} | {p.severity} | "
            f"{_markdown_cell(p.message)} |"
            for p in problems
        ]
        lines.append("")
    return "\n".join(lines) + "\n"


def print_report(problems: list[Problem], files: int, fmt: str, out: TextIO, err: TextIO) -> int:
    """Problems to `out`, the summary line to `err`; 1 if any problem is an error."""
    summary = summary_line(files, problems)
    for problem in problems:
        print(github_annotation(problem) if fmt == "github" else str(problem), file=out)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(step_summary(problems, summary))
    print(summary, file=err)
    return 1 if any(p.severity == Severity.ERROR for p in problems) else 0
