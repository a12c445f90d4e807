"""The downloads: the feeds, papers.json, papers.csv, papers.bib, the schema of
papers.json, and each topic's feed, JSON and BibTeX; MkDocs copies them unchanged.

Readers take these files elsewhere (a feed reader, a script, a spreadsheet, a .bib
file), so every link in them is absolute and they can only be written when
mkdocs.yml sets site_url. The record shape and the CSV columns are defined in
`records`. The feeds list papers by when they entered the index (`orders.newest_added`),
as the home page does; a topic's JSON and BibTeX list them as its page's table does
(`orders.newest_first`: publication date, then `added`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

import jinja2

from generator import warm
from generator.errors import GeneratorError
from generator.model import Paper, Topic
from generator.site.orders import CatalogIndex
from generator.site.paperfacts import paper_url
from generator.site.records import (CSV_COLUMNS, SCHEMA_PATH, catalog_document, papers_csv, papers_schema,
                                    record)
from generator.site.templating import xml_env


NO_DATE = dt.date(1970, 1, 1)
"""What a feed says as `updated` when no paper in the catalog has `added`: the start of
Unix time, a day no real paper has."""


@dataclass(frozen=True)
class Export:
    """A file readers download as is (feed, JSON, CSV, BibTeX); MkDocs copies it unchanged."""

    path: str
    text: str

    @property
    def size(self) -> int:
        """Bytes on disk (UTF-8), for the Downloads page."""
        return len(self.text.encode("utf-8"))


@functools.cache
def _feed_template() -> jinja2.Template:
    """Compiled once per process: a build renders a feed per topic."""
    return xml_env().get_template("feed.atom.xml")


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def topic_files(topic_id: str) -> dict[str, str]:
    """A topic's downloads, next to its page (`topics/<id>/`): feed, JSON, BibTeX."""
    return {kind: f"topics/{topic_id}/{name}" for kind, name in
            (("feed", "feed.xml"), ("json", "papers.json"), ("bib", "papers.bib"))}


@dataclass(frozen=True)
class Downloads:
    """The downloads of one site; `all()` refuses to run without an absolute site_url."""

    index: CatalogIndex
    site_url: str
    """Absolute, ending in `/`."""
    site_name: str
    feed_size: int
    """How many of the newest papers each feed carries."""
    topic_rows: int = 1000
    """How many of its newest papers a topic's JSON and BibTeX files hold."""

    def all(self) -> list[Export]:
        if not self.site_url:
            raise GeneratorError("feed.xml and papers.json need absolute links: set site_url in mkdocs.yml")
        exports = [self.feed(), self.papers_json(), self.papers_csv(), self.papers_bib(), self.schema()]
        for topic in self.index.catalog.topics:
            if self.index.by_topic.get(topic.id):
                exports += self.topic_exports(topic)
        return exports

    def _feed(self, path: str, title: str, subtitle: str, html_url: str,
              papers: list[Paper]) -> Export:
        """An Atom feed of the first feed_size of `papers`, which come newest_added: each
        entry `published` on the paper's own date when known, `updated` on the day it
        entered the index (CatalogIndex.updated), so the entries read newest first."""
        entries: list[dict[str, Any]] = []
        for p in papers[: self.feed_size]:
            entries.append({"paper": p, "url": paper_url(p, self.site_url),
                            "published": _rfc3339(p.published) if p.published else None,
                            "updated": _rfc3339(self.index.updated(p) or NO_DATE),
                            "topics": [self.index.topics[t] for t in p.shown_topics]})
        empty = _rfc3339(self.index.first_added or NO_DATE)
        updated = max((e["updated"] for e in entries), default=empty)
        text = _feed_template().render(
            title=title, subtitle=subtitle, self_url=self.site_url + path, html_url=html_url,
            site_url=self.site_url, site_name=self.site_name, updated=updated, entries=entries)
        return Export(path, text)

    def feed(self) -> Export:
        """An Atom feed of the papers newest here: by the day they entered the index."""
        return self._feed("feed.xml", f"{self.site_name}: newest papers",
                          f"Research papers as they enter {self.site_name}, newest first, with "
                          "code, models and datasets.", self.site_url, self.index.newest)

    def papers_json(self) -> Export:
        """The whole catalog as plain JSON values, declaring its published schema."""
        return Export("papers.json", _catalog_json(self.site_url, list(self.index.catalog.topics),
                                                   list(self.index.catalog.papers)))

    def papers_csv(self) -> Export:
        return Export("papers.csv", papers_csv(list(self.index.catalog.papers), self.site_url))

    def papers_bib(self) -> Export:
        """Every paper's BibTeX entry, exactly as its page's Cite block shows it."""
        return Export("papers.bib", self._bib("papers.bib", list(self.index.catalog.papers)))

    def schema(self) -> Export:
        return Export(SCHEMA_PATH, _json(papers_schema(self.site_url)))

    def topic_exports(self, topic: Topic) -> list[Export]:
        """A topic's Atom feed (newest_added, like feed.xml), and its JSON and BibTeX (its
        topic_rows newest, newest_first, like its page's table)."""
        papers = self.index.by_topic.get(topic.id, [])
        files = topic_files(topic.id)
        feed = self._feed(files["feed"], f"{self.site_name}: {topic.title}",
                          f"Papers on {topic.title} as they enter {self.site_name}, newest first.",
                          f"{self.site_url}topics/{topic.id}/", self.index.added_by_topic[topic.id])
        held = papers[: self.topic_rows]
        return [feed, Export(files["json"], _catalog_json(self.site_url, [topic], held, whole=False)),
                Export(files["bib"], self._bib(files["bib"], held))]

    def page_context(self, exports: list[Export]) -> dict[str, Any]:
        """What the Downloads page shows: every file with its size, the CSV's columns,
        each topic's files with its paper count."""
        topics = [{"topic": t, "count": len(self.index.by_topic[t.id]), "files": topic_files(t.id)}
                  for t in self.index.catalog.topics if self.index.by_topic.get(t.id)]
        return {"sizes": {e.path: human_size(e.size) for e in exports}, "columns": CSV_COLUMNS,
                "count": len(self.index.catalog.papers), "topic_count": len(topics),
                "feed_count": min(self.feed_size, len(self.index.catalog.papers)),
                "topics": topics, "topic_rows": self.topic_rows,
                "capped": any(t["count"] > self.topic_rows for t in topics)}

    def _bib(self, path: str, papers: list[Paper]) -> str:
        entries = [self.index.citation(p, paper_url(p, self.site_url)) for p in papers]
        head = f"% {self.site_name}: {len(entries)} papers, from {self.site_url}{path}\n"
        return head + "\n" + "\n\n".join(entries) + "\n"


def human_size(size: int) -> str:
    """`812 B`, `45.3 KB`, `1.2 MB` (powers of 1,000, as browsers show downloads)."""
    if size < 1000:
        return f"{size} B"
    return f"{size / 1000:.1f} KB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def _json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_compact = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def _catalog_json(site_url: str, topics: list[Topic], papers: list[Paper], whole: bool = True) -> str:
    """`catalog_document` as text, one paper per line: compact (json's C encoder runs only
    without indent, five times faster at 532 papers) yet a readable diff per paper."""
    doc = catalog_document(site_url, topics, [], whole)
    doc["count"] = len(papers)
    del doc["papers"]
    head = _compact(doc)

    def line(paper: Paper) -> str:
        return _compact(record(paper, site_url, whole))

    lines = ",\n".join(warm.for_paper("json record", p, (site_url, whole), functools.partial(line, p))
                        for p in papers)
    return f'{head[:-1]},"papers":[\n{lines}\n]}}\n'
