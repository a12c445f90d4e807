"""Markdown summaries of an import or an enrich run, for the weekly pull request's body.

Titles and names come from the services, so they are untrusted: each goes
through `md_inline`, which backslash-escapes every Markdown character (no
links, images or @mentions can be smuggled in) and HTML-escapes the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import Refusal
from generator.ingest.importer import ImportSummary
from generator.links import arxiv_abs_url
from generator.model import Paper
from generator.site.templating import md_inline
from generator.text import quote_untrusted

MAX_ROWS = 200
"""Rows per section; GitHub caps a pull request body at 65,536 characters."""


def paper_line(paper: Paper) -> str:
    """A paper's title, linked to arXiv when its id is known, and its file."""
    title = md_inline(paper.title)
    where = f"`content/papers/{paper.slug}.yml`"
    if paper.arxiv:
        return f"[{title}]({arxiv_abs_url(paper.arxiv)}) ({where})"
    return f"{title} ({where})"


def capped(rows: list[str]) -> list[str]:
    if len(rows) <= MAX_ROWS:
        return rows
    return rows[:MAX_ROWS] + [f"- ... and {len(rows) - MAX_ROWS} more (see the diff)"]


def papers_section(heading: str, papers: Iterable[Paper]) -> str:
    """`### heading` and one bullet per paper, linked to arXiv when its id is known."""
    rows = [f"- {paper_line(p)}" for p in papers]
    body = "\n".join(capped(rows)) if rows else "None."
    return f"### {heading}\n\n{body}\n"


def import_section(summary: ImportSummary) -> str:
    """An import's section for a pull request body: the papers added, linked to arXiv."""
    return papers_section(f"Added ({summary.added} papers)", summary.new_papers)


def warning_line(refusal: Refusal) -> str:
    """A record left out, as one log line: the reason may quote the service's text, so it is
    shown only through `quote_untrusted` (no line break, control character or workflow
    command can start a line of the CI log)."""
    return f"warning: skipped {refusal.name}: {quote_untrusted(refusal.reason)}"
