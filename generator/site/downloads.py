"""The downloads: feed.xml, papers.json and papers.bib, which MkDocs copies unchanged.

Readers take these files elsewhere (a feed reader, a script, a .bib file), so
every link in them is absolute and they can only be written when mkdocs.yml
sets site_url.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from generator.site.orders import CatalogIndex
from generator.site.citation import bibtex
from generator.errors import GeneratorError
from generator.site.templating import xml_env
from generator.site.paperfacts import paper_url, web_links


@dataclass(frozen=True)
class Export:
    """A file readers download as is (feed, JSON, BibTeX); MkDocs copies it unchanged."""

    path: str
    text: str


def _rfc3339(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class Downloads:
    """The downloads of one site; `all()` refuses to run without an absolute site_url."""

    index: CatalogIndex
    site_url: str
    """Absolute, ending in `/`."""
    site_name: str
    feed_size: int
    """How many of the newest additions `feed.xml` carries."""

    def all(self) -> list[Export]:
        if not self.site_url:
            raise GeneratorError("feed.xml and papers.json need absolute links: set site_url in mkdocs.yml")
        return [self.feed(), self.papers_json(), self.papers_bib()]

    def feed(self) -> Export:
        """An Atom feed of the newest additions, in the home page's order."""
        entries = [{"paper": p, "url": paper_url(p, self.site_url),
                    "updated": _rfc3339(p.added or p.published),
                    "topics": [self.index.topics[t] for t in p.shown_topics]}
                   for p in self.index.added[: self.feed_size]]
        updated = max((e["updated"] for e in entries), default=_rfc3339(None))
        text = xml_env().get_template("feed.atom.xml").render(
            site_url=self.site_url, site_name=self.site_name, updated=updated, entries=entries)
        return Export("feed.xml", text)

    def papers_json(self) -> Export:
        """The whole catalog as plain JSON values (no HTML escaping: it is data)."""
        catalog = self.index.catalog
        topics = [{"id": t.id, "title": t.title, "description": t.description,
                   "url": f"{self.site_url}topics/{t.id}/"} for t in catalog.topics]
        records = [{
            "slug": p.slug,
            "url": paper_url(p, self.site_url),
            "title": p.title,
            "abstract": p.abstract,
            "authors": list(p.authors),
            "author_count": p.author_count,
            "published": p.published.isoformat() if p.published else None,
            "added": p.added.isoformat() if p.added else None,
            "upvotes": p.upvotes,
            "arxiv": p.arxiv,
            "arxiv_category": p.arxiv_category,
            "links": [{"url": link.url, "kind": link.kind} for link in web_links(p)],
            "topics": list(p.shown_topics),
        } for p in catalog.papers]
        doc = {"site": self.site_url, "count": len(records), "topics": topics, "papers": records}
        return Export("papers.json", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")

    def papers_bib(self) -> Export:
        """Every paper's BibTeX entry, exactly as its page's Cite block shows it."""
        entries = [bibtex(p, paper_url(p, self.site_url), self.index.bib_keys[p.slug])
                   for p in self.index.catalog.papers]
        head = f"% {self.site_name}: {len(entries)} papers, from {self.site_url}papers.bib\n"
        return Export("papers.bib", head + "\n" + "\n\n".join(entries) + "\n")
