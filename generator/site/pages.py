"""Catalog -> Markdown pages with YAML front matter, for MkDocs + Material.

The page bodies come from the package's Jinja templates (`templates/`); the
HTML of a paper's header and badges comes from Material's override
`overrides/paper.html`, which reads the front matter written here. Python only
decides *what* goes on a page: the orders come from `orders`, per-paper facts
from `paperfacts`, escaping from `templating`, BibTeX from `citation` and the
downloads from `downloads`. `build` writes it all out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import yaml

from generator.icons import ICON_NAME
from generator.model import Catalog, LinkKind, Paper, Topic
from generator.site.citation import bibtex
from generator.site.downloads import Downloads, Export
from generator.site.orders import CatalogIndex, most_upvoted
from generator.site.paperfacts import (
    count_with_code,
    first_sentence,
    paper_badges,
    paper_url,
    row,
    web_links,
)
from generator.site.settings import Settings
from generator.site.templating import h, markdown_env

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Page:
    path: str
    """Relative to the docs folder, POSIX style."""
    meta: dict[str, Any]
    body: str

    def text(self) -> str:
        # The C emitter: at 10,000 pages the pure-Python one is most of the build.
        front = yaml.dump(self.meta, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)
        return f"---\n{front}---\n\n{self.body}"


def _listing_meta(title: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    """A listing's front matter: Material's own keys escaped, full width (no navigation, no toc)."""
    meta: dict[str, Any] = {"title": h(title)}
    if description is not None:
        meta["description"] = h(description)
    return {**meta, **extra, "hide": ["navigation", "toc"]}


class Renderer:
    """Turns a Catalog into Pages. The orders are computed once, in CatalogIndex."""

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.site_url = settings.site_url
        self.env = markdown_env()
        self.index = CatalogIndex.of(catalog)
        self.downloads = Downloads(self.index, settings.site_url, settings.site_name,
                                   settings.feed_size)

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(settings=self.settings, **context)

    def pages(self, listings: set[str]) -> list[Page]:
        out = [self.home(), self.topics_index(), self.code_page(), self.tags_page()]
        out += [self.topic_page(t) for t in self.catalog.topics]
        out += self.year_pages()
        for paper in self.catalog.papers:
            out.append(self.paper_page(paper, listings))
            out += [self.redirect_page(old, paper) for old in paper.redirect_from]
        return out

    def exports(self) -> list[Export]:
        """The feed and the data files. They carry absolute URLs, so they need site_url."""
        return self.downloads.all()

    def feed(self) -> Export:
        return self.downloads.feed()

    def _topic_cards(self) -> list[dict[str, Any]]:
        cards = []
        for topic in self.catalog.topics:
            papers = self.index.by_topic.get(topic.id, [])
            icon = topic.icon if topic.icon and ICON_NAME.fullmatch(topic.icon) else None
            cards.append({"topic": topic, "count": len(papers), "icon": icon,
                          "with_code": count_with_code(papers)})
        return cards

    def home(self) -> Page:
        papers = self.catalog.papers
        per_day: dict[dt.date | None, int] = defaultdict(int)
        for paper in papers:
            per_day[paper.added] += 1
        groups: list[dict[str, Any]] = []
        for paper in self.index.added[: self.settings.newest]:
            if not groups or groups[-1]["added"] != paper.added:
                groups.append({"added": paper.added, "total": per_day[paper.added], "rows": []})
            groups[-1]["rows"].append(row(paper, self.index.topics))
        body = self._render(
            "home.md",
            count=len(papers),
            topic_count=len(self.catalog.topics),
            code_count=count_with_code(papers),
            groups=groups,
            upvoted=[row(p) for p in most_upvoted(papers, self.settings.top_upvoted)],
            cards=self._topic_cards(),
            prefix="",
        )
        description = (f"A curated, searchable index of {len(papers)} research papers in "
                       f"{len(self.catalog.topics)} topics.")
        return Page("index.md", _listing_meta("Home", description), body)

    def topics_index(self) -> Page:
        body = self._render("topics.md", cards=self._topic_cards(), prefix="")
        return Page("topics/index.md", _listing_meta("Topics"), body)

    def topic_page(self, topic: Topic) -> Page:
        papers = self.index.by_topic.get(topic.id, [])
        body = self._render("topic.md", topic=topic, rows=[row(p) for p in papers],
                            with_code=count_with_code(papers), prefix="../")
        meta = _listing_meta(topic.title, topic.description, edit_path="content/topics.yml")
        return Page(f"topics/{topic.id}.md", meta, body)

    def code_page(self) -> Page:
        rows = [row(p) for p in self.index.newest if web_links(p, LinkKind.CODE)]
        body = self._render("code.md", rows=rows, total=len(self.catalog.papers), prefix="")
        return Page("code.md", _listing_meta("With code"), body)

    def year_pages(self) -> list[Page]:
        by_year: dict[str, list[Paper]] = defaultdict(list)
        for paper in self.index.newest:
            by_year[str(paper.published.year) if paper.published else "undated"].append(paper)
        years = sorted(by_year, key=lambda y: (y != "undated", y), reverse=True)
        pages = [Page("years/index.md", _listing_meta("By year"),
                      self._render("years.md", years=[(y, len(by_year[y])) for y in years]))]
        for year in years:
            heading = "Undated papers" if year == "undated" else f"Papers from {year}"
            body = self._render("year.md", heading=heading, rows=[row(p) for p in by_year[year]], prefix="../")
            pages.append(Page(f"years/{year}.md", _listing_meta(heading), body))
        return pages

    def tags_page(self) -> Page:
        return Page("tags.md", _listing_meta("Tags"), self._render("tags.md"))

    def contributing_page(self) -> Page:
        """The fallback when the repository has no CONTRIBUTING.md to publish."""
        return Page("contributing.md", {"title": h("Contribute")}, self._render("contributing.md"))

    def paper_page(self, paper: Paper, listings: set[str]) -> Page:
        topics = [self.index.topics[t] for t in paper.shown_topics]
        authors = list(paper.authors)
        shown = authors[: self.settings.preview_authors]
        meta: dict[str, Any] = {
            "title": h(paper.title),
            "description": h(first_sentence(paper.abstract)),
            "tags": [h(t.title) for t in topics],
            "slug": paper.slug,
            "template": "paper.html",
            "edit_path": f"content/papers/{paper.slug}.yml",
            "hide": ["navigation"],
            "paper": {
                "published": paper.published.isoformat() if paper.published else None,
                "authors": shown,
                # Known names outrank the listing's bare count.
                "more_authors": len(authors) - len(shown),
                "author_count": len(authors) or paper.author_count,
                "upvotes": paper.upvotes,
                "arxiv": paper.arxiv,
                "badges": paper_badges(paper),
            },
        }
        if paper.published:
            meta["date"] = paper.published.isoformat()
        sources = [{"name": s, "known": s in listings} for s in paper.sources]
        cite = bibtex(paper, paper_url(paper, self.site_url), self.index.bib_keys.get(paper.slug))
        body = self._render("paper.md", paper=paper, topics=topics, sources=sources, bibtex=cite, prefix="../")
        return Page(f"papers/{paper.slug}.md", meta, body)

    def redirect_page(self, old: str, paper: Paper) -> Page:
        meta = {"title": h(paper.title), "template": "paper-redirect.html", "target": paper.slug,
                "search": {"exclude": True}}
        return Page(f"papers/{old}.md", meta, "")
