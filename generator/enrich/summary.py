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
from generator.topics.proposals import CONFIDENT, describe, needs_review

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


def topics_line(paper: Paper) -> str:
    """A paper and its topics: the curator's, else the proposed ones with their confidence."""
    if paper.topics:
        return f"- {paper_line(paper)}: {md_inline(', '.join(paper.topics))} (a curator's)"
    flag = "**needs review** " if needs_review(paper.proposed_topics) else ""
    return f"- {flag}{paper_line(paper)}: {md_inline(describe(paper.proposed_topics))}"


def import_section(summary: ImportSummary) -> str:
    """An import's section for a pull request body: the papers added, linked to arXiv, each
    with its proposed topics, those that need review first, so a curator decides here."""
    papers = summary.new_papers
    heading = f"### Added ({summary.added} papers)"
    if not papers:
        return f"{heading}\n\nNone.\n"
    review = [p for p in papers if not p.topics and needs_review(p.proposed_topics)]
    rest = [p for p in papers if p not in review]
    parts = [heading, PROPOSALS_NOTE]
    if review:
        parts.append(f"**Needs review ({len(review)}):**\n\n"
                     + "\n".join(capped([topics_line(p) for p in review])))
    if rest:
        parts.append(f"**Confident ({len(rest)}):**\n\n"
                     + "\n".join(capped([topics_line(p) for p in rest])))
    return "\n\n".join(parts) + "\n"


PROPOSALS_NOTE = (
    "Each paper's topics are proposed by the rules of `content/topics.yml` and a model trained "
    "on the curators' topics, each with its confidence: the probability that a curator gives "
    f"the paper that topic. A topic at {CONFIDENT:.2f} or more is confident (chosen so that at "
    "least 90% of those were right on papers held out from training); a paper with any other "
    "topic **needs review**. "
    "Merging accepts the proposals: the site shows them until a curator chooses. To change a "
    "paper's topics, write `topics:` in its file in this pull request (1 to 3 topic ids, the "
    "best first); they replace the proposal.")


def warning_line(refusal: Refusal) -> str:
    """A record left out, as one log line: the reason may quote the service's text, so it is
    shown only through `quote_untrusted` (no line break, control character or workflow
    command can start a line of the CI log)."""
    return f"warning: skipped {refusal.name}: {quote_untrusted(refusal.reason)}"
