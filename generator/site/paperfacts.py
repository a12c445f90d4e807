"""What the pages and downloads show about one paper, derived from its record.

Badges, teasers and table rows are decided here, in Python, so the templates
only lay them out and the feed, JSON and pages agree on them.
"""

from __future__ import annotations

import re
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote_plus, urlsplit

from generator.dates import long_date
from generator.links import arxiv_abs_url, arxiv_pdf_url, is_web_url
from generator.model import (CODE_HOST_ICONS, CODE_ICON, DAILY_SOURCE_PREFIX, PASTED_SOURCE_PREFIX,
                             BadgeKind, Link, LinkKind, Paper, Topic)

_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Eq|Sec|approx|resp|no)|\b[A-Z])\.$")


UNDATED = "undated"
"""The year facet's value for a paper without a publication date."""


def paper_year(paper: Paper) -> str:
    """The year a paper is listed under in Browse and search: its publication year."""
    return str(paper.published.year) if paper.published else UNDATED


def link_kinds(paper: Paper) -> list[str]:
    """The kinds of the paper's web links, each once, in badge order."""
    present = {link.kind for link in web_links(paper)}
    return [str(kind) for kind in LinkKind if kind in present]


def paper_url(paper: Paper, site_url: str = "") -> str:
    """The paper page's URL: absolute under site_url, else relative to the site root."""
    return f"{site_url}papers/{paper.slug}/"


def link_label(link: Link) -> tuple[str, str]:
    """(label, icon) for a badge: GitHub shows owner/repo, HF shows the repo id."""
    label, icon = link.kind.label, link.kind.icon
    parts = urlsplit(link.url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if link.kind is LinkKind.CODE:
        icon = CODE_HOST_ICONS.get(host, CODE_ICON)
        if len(segments) >= 2:
            return f"{segments[0]}/{segments[1].removesuffix('.git')}", icon
        return host or label, icon
    if link.kind.startswith("hf-"):
        repo = segments[1:3] if segments and segments[0] in ("datasets", "spaces", "collections") else segments[:2]
        return (f"{label}: {'/'.join(repo)}" if repo else label), icon
    if link.kind is LinkKind.OTHER and host:
        return host, icon
    return label, icon


def web_links(paper: Paper, kind: LinkKind | None = None) -> list[Link]:
    return [link for link in paper.links if is_web_url(link.url) and (kind is None or link.kind == kind)]


def count_with_code(papers: Iterable[Paper]) -> int:
    """How many papers link to their code: the "with code" figures of the listings."""
    return sum(1 for p in papers if web_links(p, LinkKind.CODE))


def paper_badges(paper: Paper) -> list[dict[str, str]]:
    """Every badge on a paper page, links first, then arXiv (abstract and PDF) and HF Papers.
    Only a paper with no known arXiv id gets the title searches instead."""
    order = {kind: i for i, kind in enumerate(LinkKind)}
    badges = []
    for link in sorted(web_links(paper), key=lambda link: order[link.kind]):
        label, icon = link_label(link)
        badges.append({"url": link.url, "kind": str(link.kind), "label": label, "icon": icon})
    if paper.arxiv:
        extra = [(BadgeKind.ARXIV, arxiv_abs_url(paper.arxiv), f"{BadgeKind.ARXIV.label} {paper.arxiv}"),
                 (BadgeKind.PDF, arxiv_pdf_url(paper.arxiv), BadgeKind.PDF.label),
                 (BadgeKind.HF_PAPER, f"https://huggingface.co/papers/{paper.arxiv}",
                  BadgeKind.HF_PAPER.label)]
    else:
        q = quote_plus(paper.title)
        extra = [(BadgeKind.ARXIV_SEARCH, f"https://arxiv.org/search/?query={q}&searchtype=title",
                  BadgeKind.ARXIV_SEARCH.label),
                 (BadgeKind.HF_SEARCH, f"https://huggingface.co/papers?q={q}",
                  BadgeKind.HF_SEARCH.label)]
    badges += [{"url": url, "kind": str(kind), "label": label, "icon": kind.icon}
               for kind, url, label in extra]
    return badges


def first_sentence(text: str, limit: int = 300) -> str:
    """The abstract's first sentence, for `<meta name=description>` and cards."""
    flat = " ".join(text.split())
    for match in re.finditer(r"[.!?](?=\s+[A-Z0-9(\"'])", flat):
        head = flat[: match.end()]
        if not _ABBREV.search(head):
            flat = head
            break
    if len(flat) > limit:
        flat = flat[: limit - 1].rsplit(" ", 1)[0] + "…"
    return flat


def row(paper: Paper, topics: dict[str, Topic] | None = None) -> dict[str, Any]:
    """One line of a listing (`_table.md`, home): the paper, its code link and teaser,
    and its topics when the listing spans several."""
    code = web_links(paper, LinkKind.CODE)
    label, icon = link_label(code[0]) if code else ("", "")
    return {"paper": paper, "code": code[0] if code else None, "code_label": label,
            "code_icon": icon, "teaser": first_sentence(paper.abstract, 220),
            "topics": [topics[t] for t in paper.shown_topics if t in topics] if topics else []}


def source_name(source: str, listings: Mapping[str, str]) -> str:
    """How readers see one of a paper's `sources` (the one place that decides it): the
    name content/listings/manifest.yml gives a committed listing, "Hugging Face daily
    papers, 10 December 2025" for a day of Daily Papers, "Pasted by a contributor,
    4 December 2026" for cards pasted into `new`, else "Listing <name>"."""
    if listings.get(source):
        return listings[source]
    for prefix, name in ((DAILY_SOURCE_PREFIX, "Hugging Face daily papers"),
                         (PASTED_SOURCE_PREFIX, "Pasted by a contributor")):
        if source.startswith(prefix):
            try:
                return f"{name}, {long_date(dt.date.fromisoformat(source[len(prefix):]))}"
            except ValueError:
                pass
    return f"Listing {source}"
