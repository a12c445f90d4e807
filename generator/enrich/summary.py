"""Markdown summaries of an import or an enrich run, for the weekly pull request's body.

Titles and names come from the services, so they are untrusted: each goes
through `md_inline`, which backslash-escapes every Markdown character (no
links, images or @mentions can be smuggled in) and HTML-escapes the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.links import arxiv_abs_url
from generator.model import Paper
from generator.site.templating import md_inline

if TYPE_CHECKING:
    from generator.enrich.run import Report

MAX_ROWS = 200
"""Rows per section; GitHub caps a pull request body at 65,536 characters."""


def _paper(paper: Paper) -> str:
    title = md_inline(paper.title)
    where = f"`content/papers/{paper.slug}.yml`"
    if paper.arxiv:
        return f"[{title}]({arxiv_abs_url(paper.arxiv)}) ({where})"
    return f"{title} ({where})"


def _capped(rows: list[str]) -> list[str]:
    if len(rows) <= MAX_ROWS:
        return rows
    return rows[:MAX_ROWS] + [f"- ... and {len(rows) - MAX_ROWS} more (see the diff)"]


def papers_section(heading: str, papers: Iterable[Paper]) -> str:
    """`### heading` and one bullet per paper, linked to arXiv when its id is known."""
    rows = [f"- {_paper(p)}" for p in papers]
    body = "\n".join(_capped(rows)) if rows else "None."
    return f"### {heading}\n\n{body}\n"


def enrich_section(report: Report) -> str:
    rows = []
    for o in report.changed:
        fields = ", ".join(f"`{name}`" for name in o.changed)
        rows.append(f"- {_paper(o.after)}: {fields}")
    notes = [f"- `{o.before.slug}`: {md_inline(note)}" for o in report.outcomes for note in o.notes]
    text = f"### Enriched ({len(rows)} papers)\n\n" + ("\n".join(_capped(rows)) if rows else "None.") + "\n"
    if notes:
        text += "\n<details><summary>Notes (not applied)</summary>\n\n" + "\n".join(_capped(notes))
        text += "\n\n</details>\n"
    return text + f"\nRequests: {report.usage}\n"
