"""Catalog -> Markdown pages with YAML front matter, for MkDocs + Material.

The page bodies come from the package's Jinja templates (`templates/`); the
HTML of a paper's header and badges, of the Browse page and of the stubs left
at old listing URLs comes from Material overrides (`theme/paper.html`,
`browse.html`, `moved.html`), which read the front matter written here. Python
only decides *what* goes on a page: the orders come from `orders`, per-paper
facts from `paperfacts`, escaping from `templating`, BibTeX from `citation`
and the downloads from `downloads`. `build` writes it all out.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.icons import ICON_NAME, icon_path
from generator.model import Catalog, LinkKind, Paper, Topic
from generator.site.downloads import Downloads, Export, topic_files
from generator.site.frontmatter import page_text
from generator.site.orders import CatalogIndex, most_upvoted
from generator.site.paperfacts import (
    UNDATED,
    count_with_code,
    first_sentence,
    link_kinds,
    paper_badges,
    paper_url,
    paper_year,
    row,
    source_name,
)
from generator.site.memo import SiteMemo, digest
from generator.site.settings import Settings
from generator.site.stats import Stats
from generator.site.templating import h, markdown_env

TOPICS_SECTION = "topics/"
BROWSE_SECTION = "browse/"
"""The top tab a page outside the nav belongs to (front matter `section`, the URL of
that tab's page): theme/partials/tabs.html highlights it. Topic pages belong to
Topics, paper pages to Browse, the list of every paper."""

CONTRIBUTING_DESCRIPTION = ("How to suggest, add, fix, rename or remove a paper, change its "
                            "topics, and run the checks, in a pull request.")
"""The Contribute page's meta description: CONTRIBUTING.md has no front matter of its own."""


@dataclass(frozen=True)
class Page:
    path: str
    """Relative to the docs folder, POSIX style."""
    meta: dict[str, Any]
    body: str

    def text(self) -> str:
        """The Markdown file: front matter MkDocs always reads (see `frontmatter`), then the body."""
        return page_text(self.meta, self.body, self.path)


def _listing_meta(title: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    """A listing's front matter: Material's own keys escaped, full width (no navigation, no toc)."""
    meta: dict[str, Any] = {"title": h(title)}
    if description is not None:
        meta["description"] = h(description)
    return {**meta, **extra, "hide": ["navigation", "toc"]}


def browse_query(**params: str) -> str:
    """A Browse URL's query string (`code=yes&sort=newest`): the one spelling that the
    stubs at old listing URLs, the home and topic pages and browse.js share."""
    return "&".join(f"{key}={value}" for key, value in params.items() if value)


def _moved(path: str, title: str, query: str, what: str, target: str = "browse/",
           where: str = "Browse page") -> Page:
    """A stub at an old listing URL that sends readers to Browse with a filter preset, or
    to the page that replaced it."""
    meta = {"title": h(title), "template": "moved.html", "target": target, "query": query,
            "what": what, "where": where}
    return Page(path, meta, "")


class Renderer:
    """Turns a Catalog into Pages. The orders are computed once, in CatalogIndex."""

    def __init__(self, catalog: Catalog, settings: Settings, memo: SiteMemo | None = None,
                 digests: Mapping[str, str] | None = None) -> None:
        self.catalog = catalog
        self.settings = settings
        self.site_url = settings.site_url
        self.env = markdown_env()
        self.index = CatalogIndex.of(catalog)
        self.memo = memo
        self.by_slug = {p.slug: p for p in catalog.papers}
        self.digests = digests or {}
        self._topic_digests = {t.id: digest(t) for t in catalog.topics}
        self.downloads = Downloads(self.index, settings.site_url, settings.site_name,
                                   settings.feed_size, settings.topic_download_rows)
        self._exports: list[Export] | None = None

    @functools.cached_property
    def related(self) -> dict[str, tuple[str, ...]]:
        """Slug -> its related papers' slugs: once per build, when a paper page first needs
        them (they depend on the whole catalog). The build may set them itself, computed
        beside other work (`build.write_site`)."""
        if self.memo is not None:
            return self.memo.related_papers(self.catalog.papers, self.settings.related)
        from generator.site.related import related_papers

        return related_papers(self.catalog.papers, self.settings.related)

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(settings=self.settings, **context)

    def pages(self, listings: Mapping[str, str], papers: bool = True,
              downloads: bool = True, topics: bool = True) -> Iterator[Page]:
        """Every page, one at a time: at 50,000 papers the build never holds them all.
        `listings`: each committed listing -> its name for readers (build.listing_names).
        Not `papers`, `topics`: without the paper or topic pages (the build renders those
        through its memo). Not `downloads`: without the Downloads page (the build writes
        it with the files)."""
        yield from (self.home(), self.topics_index(), self.browse_page(), self.code_page(),
                    self.tags_page())
        yield self.stats_page()
        if downloads and self.site_url:  # without it there are no downloads (exports() refuses)
            yield self.downloads_page()
        if topics:
            yield from (self.topic_page(t) for t in self.catalog.topics)
        yield from (self.topic_redirect(old, topic)
                    for topic in self.catalog.topics for old in topic.redirect_from)
        yield from self.year_pages()
        for paper in self.catalog.papers:
            if papers:
                yield self.paper_page(paper, listings)
            yield from (self.redirect_page(old, paper) for old in paper.redirect_from)

    def exports(self) -> list[Export]:
        """The feeds and the data files, made once. They carry absolute URLs, so they need site_url."""
        if self._exports is None:
            self._exports = self.downloads.all()
        return self._exports

    def feed(self) -> Export:
        return self.downloads.feed()

    def _topic_cards(self) -> list[dict[str, Any]]:
        cards = []
        for topic in self.catalog.topics:
            papers = self.index.by_topic.get(topic.id, [])
            icon = icon_path(topic.icon) if topic.icon and ICON_NAME.fullmatch(topic.icon) else None
            cards.append({"topic": topic, "count": len(papers), "icon": icon,
                          "with_code": count_with_code(papers)})
        return cards

    def home(self) -> Page:
        papers = self.catalog.papers
        body = self._render(
            "home.md",
            count=len(papers),
            topic_count=len(self.catalog.topics),
            code_count=count_with_code(papers),
            newest=[row(p, self.index.topics) for p in self.index.newest[: self.settings.newest]],
            upvoted=[row(p) for p in self._most_upvoted()],
            cards=self._topic_cards(),
            intro_lines=[line for line in self.settings.intro.splitlines() if line.strip()],
            prefix="",
            code_query=browse_query(code="yes", sort="newest"),
            newest_query=browse_query(sort="newest"),
        )
        description = (f"A curated, searchable index of {len(papers)} research papers in "
                       f"{len(self.catalog.topics)} topics.")
        return Page("index.md", _listing_meta("Home", description), body)

    def downloads_page(self) -> Page:
        body = self._render("downloads.md", **self.downloads.page_context(self.exports()))
        return Page("downloads.md", _listing_meta(
            "Downloads", "The index as data: Atom feeds, JSON, CSV and BibTeX, per topic too."), body)

    def stats_page(self) -> Page:
        body = self._render("stats.md", stats=Stats.of(self.index))
        return Page("stats.md", _listing_meta(
            "Stats", "Papers per year and per topic, the share with code and the upvotes."), body)

    def _most_upvoted(self) -> list[Paper]:
        """The home page's "Most upvoted", or nothing while too few papers have votes
        for a top list to say anything (Settings.upvoted_min_papers, upvoted_min_top)."""
        voted = [p for p in self.catalog.papers if p.upvotes]
        top = max((p.upvotes or 0 for p in voted), default=0)
        if len(voted) < self.settings.upvoted_min_papers or top < self.settings.upvoted_min_top:
            return []
        return most_upvoted(voted, self.settings.top_upvoted)

    def topics_index(self) -> Page:
        body = self._render("topics.md", cards=self._topic_cards(), prefix="")
        return Page("topics/index.md", _listing_meta("Topics"), body)

    def topic_inputs(self, topic: Topic) -> str:
        """A digest of everything topic_page reads besides the settings and the code (as
        `paper_inputs`): at 10,000 papers the topic pages' 21,000 rows were a fifth of a
        build after an edit, which changes the rows of two or three topics."""
        papers = self.index.by_topic.get(topic.id, [])
        shown = [(p.slug, self.digests.get(p.slug) or p) for p in papers[: self.settings.topic_rows]]
        return digest((self._topic_digests[topic.id], shown, len(papers), count_with_code(papers)))

    def topic_page(self, topic: Topic) -> Page:
        papers = self.index.by_topic.get(topic.id, [])
        shown = papers[: self.settings.topic_rows]
        body = self._render("topic.md", topic=topic, rows=[row(p) for p in shown],
                            total=len(papers), with_code=count_with_code(papers), prefix="../",
                            browse=browse_query(topic=topic.id),
                            browse_newest=browse_query(topic=topic.id, sort="newest"))
        meta = _listing_meta(topic.title, topic.description, edit_path="content/topics.yml",
                             sortable=bool(papers), section=TOPICS_SECTION)
        if papers and self.site_url:  # its feed, for autodiscovery (theme/main.html)
            meta.update(feed=topic_files(topic.id)["feed"], feed_title=f"{topic.title}: newest papers")
        return Page(f"topics/{topic.id}.md", meta, body)

    def topic_redirect(self, old: str, topic: Topic) -> Page:
        """A stub at a renamed topic's old URL (an id in the topic's `redirect_from`)."""
        return _moved(f"topics/{old}.md", topic.title, "", "The papers of this topic",
                      target=f"topics/{topic.id}/", where=f"{topic.title} topic page")

    def _years(self) -> dict[str, int]:
        """Papers per publication year, newest first, undated last."""
        counts: dict[str, int] = defaultdict(int)
        for paper in self.catalog.papers:
            counts[paper_year(paper)] += 1
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] != UNDATED, kv[0]), reverse=True))

    def browse_page(self) -> Page:
        """Every paper, filtered and sorted in the browser over the search index; the
        facets and their counts are written here so the page shows them before any
        search has run."""
        papers = self.catalog.papers
        kinds: dict[str, int] = defaultdict(int)
        for paper in papers:
            for kind in link_kinds(paper):
                kinds[kind] += 1
        facets = {
            "total": len(papers),
            "code": count_with_code(papers),
            "topics": [{"id": t.id, "title": t.title, "count": len(self.index.by_topic.get(t.id, []))}
                       for t in self.catalog.topics if self.index.by_topic.get(t.id)],
            "years": [{"value": y, "label": "Undated" if y == UNDATED else y, "count": n}
                      for y, n in self._years().items()],
            # Code has its own checkbox ("Has code"); the other kinds are listed by label.
            "kinds": [{"id": str(k), "label": k.label, "count": kinds[k]} for k in LinkKind
                      if kinds[k] and k is not LinkKind.CODE],
        }
        meta = _listing_meta("Browse", f"Browse and filter all {len(papers)} papers by topic, "
                             "year, code and links.", template="browse.html", browse=facets)
        return Page("browse.md", meta, self._render("browse.md", total=len(papers)))

    def code_page(self) -> Page:
        return _moved("code.md", "With code", browse_query(code="yes", sort="newest"),
                      "Papers with code")

    def year_pages(self) -> list[Page]:
        pages = [_moved("years/index.md", "By year", browse_query(sort="newest"), "Papers by year")]
        for year in self._years():
            heading = "Undated papers" if year == UNDATED else f"Papers from {year}"
            pages.append(_moved(f"years/{year}.md", heading,
                                browse_query(year=year, sort="newest"), heading))
        return pages

    def tags_page(self) -> Page:
        return _moved("tags.md", "Tags", "", "Papers by topic", target="topics/", where="Topics page")

    def contributing_page(self) -> Page:
        """The fallback when the repository has no CONTRIBUTING.md to publish."""
        meta = {"title": h("Contribute"), "description": h(CONTRIBUTING_DESCRIPTION)}
        return Page("contributing.md", meta, self._render("contributing.md"))

    def paper_inputs(self, paper: Paper, listings: Mapping[str, str]) -> str:
        """A digest of everything paper_page reads besides the settings and the code
        (which key the whole memo): the build skips a page whose inputs did not change."""
        related = [(slug, self.by_slug[slug].title) for slug in self.related.get(paper.slug, ())]
        topics = [self._topic_digests[t] for t in paper.shown_topics]
        sources = [(s, listings.get(s), s in listings) for s in paper.sources]
        # A paper file's digest stands for the paper: the review parses it the same way.
        me = self.digests.get(paper.slug) or paper
        return digest((paper.slug, me, related, self.index.bib_keys.get(paper.slug), topics, sources))

    def paper_page(self, paper: Paper, listings: Mapping[str, str],
                   body: str | None = None) -> Page:
        """`body`: the page's `paper_body`, when already rendered."""
        topics = [self.index.topics[t] for t in paper.shown_topics]
        authors = list(paper.authors)
        shown = authors[: self.settings.preview_authors]
        meta: dict[str, Any] = {
            "title": h(paper.title),
            "description": h(first_sentence(paper.abstract)),
            "slug": paper.slug,
            "template": "paper.html",
            "section": BROWSE_SECTION,
            "edit_path": f"content/papers/{paper.slug}.yml",
            # A paper page is short: its four headings need no table of contents (and
            # the page stays under 16 KB, tests/test_lean_pages.py).
            "hide": ["navigation", "toc"],
            "paper": {
                "published": paper.published.isoformat() if paper.published else None,
                "authors": shown,
                # Known names outrank the listing's bare count.
                "more_authors": len(authors) - len(shown),
                "author_count": len(authors) or paper.author_count,
                "upvotes": paper.upvotes,
                "arxiv": paper.arxiv,
                "badges": paper_badges(paper),
                "topics": [{"id": t.id, "title": t.title} for t in topics],
            },
        }
        related = [{"slug": slug, "title": self.by_slug[slug].title} for slug in self.related.get(paper.slug, ())]
        if related:
            meta["related"] = related
        if paper.published:
            meta["date"] = paper.published.isoformat()
        # The body goes last in the front matter, and the Markdown is empty (paper_body.html).
        meta["body"] = self.paper_body(paper, listings) if body is None else body
        return Page(f"papers/{paper.slug}.md", meta, "")

    def paper_body(self, paper: Paper, listings: Mapping[str, str]) -> str:
        """A paper page's body, as HTML: the bulk of its rendering, and independent of the
        related papers, so the build can render it while they are computed."""
        sources = [{"name": source_name(s, listings), "file": s if s in listings else None}
                   for s in paper.sources]
        cite = self.index.citation(paper, paper_url(paper, self.site_url))
        return self._render("paper_body.html", paper=paper, sources=sources, bibtex=cite).rstrip("\n")

    def redirect_page(self, old: str, paper: Paper) -> Page:
        meta = {"title": h(paper.title), "template": "paper-redirect.html", "target": paper.slug,
                "search": {"exclude": True}}
        return Page(f"papers/{old}.md", meta, "")
