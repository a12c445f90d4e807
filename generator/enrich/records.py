"""What a service knows about a paper, in one shape for the Hub and arXiv alike, and the
review each record gets on its own before it is used."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from generator.errors import GeneratorError
from generator.links import classify, url_problem
from generator.model import Link, Paper
from generator.review.incoming import RECORD, reason, review_papers

HUB = "the Hugging Face Hub"
ARXIV = "arXiv"
DEFAULT_HUB = "https://huggingface.co"
DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"


@dataclass(frozen=True)
class Found:
    """One paper as a service lists it. Every value is untrusted text from the network."""

    source: str
    """`HUB` or `ARXIV`."""
    arxiv: str
    """The arXiv id, without a version."""
    title: str
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    """The first version's date on arXiv."""
    upvotes: int | None = None
    category: str | None = None
    """The primary arXiv category (arXiv only)."""
    code: str | None = None
    """The code repository the Hub lists (`githubRepo`)."""
    project: str | None = None
    """The project page the Hub lists (`projectPage`)."""
    summary: str | None = None
    """The abstract."""
    daily: dt.date | None = None
    """The day the paper was featured in the Hub's Daily Papers."""


class RecordError(ValueError):
    """A record of an answer that is not in the service's documented format."""


def as_paper(found: Found) -> Paper:
    """The record as the fields of a paper file, for `check`'s review: only what it holds."""
    links = tuple(Link(url, classify(url)) for url in (found.code, found.project) if url)
    return Paper(slug=RECORD, title=found.title, abstract=found.summary or "",
                 authors=found.authors, published=found.published, upvotes=found.upvotes,
                 arxiv=found.arxiv, arxiv_category=found.category, links=links, added=found.daily)


def record_problem(found: Found, today: dt.date) -> str | None:
    """Why `check` would refuse this record's values in a paper file (or a date after
    `today`), or None: the review every record gets before it is used or cached."""
    problems = review_papers([as_paper(found)], today=today, partial=True)
    return reason(next(iter(problems.values()))) if problems else None


@dataclass(frozen=True)
class Endpoints:
    """Where the services are: from the environment, so tests can point them at a fake server."""

    hub: str = DEFAULT_HUB
    """`HF_ENDPOINT`, the variable `huggingface_hub` itself reads."""
    arxiv: str = DEFAULT_ARXIV_API
    """`PAPER_INDEX_ARXIV_API`: arXiv's export API query URL."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Endpoints:
        env = os.environ if environ is None else environ
        endpoints = cls(hub=(env.get("HF_ENDPOINT") or DEFAULT_HUB).rstrip("/"),
                        arxiv=env.get("PAPER_INDEX_ARXIV_API") or DEFAULT_ARXIV_API)
        for name, url in (("HF_ENDPOINT", endpoints.hub), ("PAPER_INDEX_ARXIV_API", endpoints.arxiv)):
            if (why := url_problem(url, local=True)) is not None:
                raise GeneratorError(f"{name}: {why}")
        return endpoints
