"""Catalog -> Markdown pages with YAML front matter, for MkDocs + Material.

The page bodies come from Jinja templates in `overrides/generator/`; the HTML
of a paper's header and badges comes from `overrides/paper.html`, which reads
the front matter written here. Python only decides *what* goes on a page.

Escaping has two rules:
- Text that Markdown will parse goes through the `md` filter (every ASCII
  punctuation mark backslash-escaped for `pymdownx.escapeall`, then HTML
  escaped), so `ReST-MCTS*`, `P(y|x)` and `<SR>` come out literally.
- Material prints the front-matter keys `title`, `description` and `tags`
  unescaped (they are HTML to its templates and its search), so render stores
  them HTML-escaped. Every other front-matter value is raw data that
  `overrides/paper.html` escapes itself.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import jinja2
import yaml
from markupsafe import Markup, escape

from generator.errors import GeneratorError
from generator.model import LINK_KINDS, Catalog, Link, Paper, Topic
from generator.writer import TreeWriter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "overrides" / "generator"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Settings:
    """What the generator needs to know about where the site lives."""

    repo_url: str = "https://github.com/paper-index/paper-index"
    """Must match `repo_url` in mkdocs.yml (a test checks it)."""
    branch: str = "main"
    newest: int = 12
    """How many of the newest additions the home page lists."""
    top_upvoted: int = 5
    """How many of the most upvoted papers the home page lists."""
    feed_size: int = 50
    """How many of the newest additions `feed.xml` carries."""
    preview_authors: int = 6
    """Authors named in a paper's header before "and N more"."""


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


@dataclass(frozen=True)
class Export:
    """A file readers download as is (feed, JSON, BibTeX); MkDocs copies it unchanged."""

    path: str
    text: str


# --- escaping -----------------------------------------------------------------

_MD_PUNCT = re.compile(r"([!#$%()*+,\-./:;=?@\[\\\]^_`{|}~])")


def md_inline(text: object) -> Markup:
    """Text shown literally inside Markdown: whitespace collapsed, every
    Markdown-active character backslash-escaped, `&<>"'` as HTML entities."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MD_PUNCT.sub(r"\\\1", flat)))


def md_paragraphs(text: object) -> Markup:
    """Like md_inline, but blank lines still separate paragraphs."""
    parts = [p for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return Markup("\n\n").join(md_inline(p) for p in parts)


def md_url(url: object) -> Markup:
    """A URL safe to put between the parentheses of a Markdown link."""
    return Markup(quote(str(url), safe=":/?#@!$&*+,;=%~-._"))


def fenced(text: str, lang: str = "") -> Markup:
    """A fenced code block whose fence no backtick run inside can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{lang}\n{text}\n{fence}")


def long_date(day: dt.date) -> str:
    """`28 November 2026`: unambiguous everywhere, unlike 11/28."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def h(text: object) -> str:
    """HTML-escape for front-matter keys Material prints unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


# --- facts derived from a paper -----------------------------------------------

_LINK_LOOK = {
    "code": ("Code", "material/github"),
    "hf-model": ("Model", "material/cube-outline"),
    "hf-dataset": ("Dataset", "material/database"),
    "hf-space": ("Space", "material/rocket-launch"),
    "hf-collection": ("Collection", "material/folder-multiple"),
    "project": ("Project page", "material/web"),
    "other": ("Link", "material/link-variant"),
}
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Eq|Sec|approx|resp|no)|\b[A-Z])\.$")


def link_label(link: Link) -> tuple[str, str]:
    """(label, icon) for a badge: GitHub shows owner/repo, HF shows the repo id."""
    label, icon = _LINK_LOOK.get(link.kind, _LINK_LOOK["other"])
    parts = urlsplit(link.url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if link.kind == "code":
        if host == "gitlab.com":
            icon = "simple/gitlab"
        elif host != "github.com":
            icon = "material/code-braces"
        if len(segments) >= 2:
            return f"{segments[0]}/{segments[1].removesuffix('.git')}", icon
        return host or label, icon
    if link.kind.startswith("hf-"):
        repo = segments[1:3] if segments and segments[0] in ("datasets", "spaces", "collections") else segments[:2]
        return (f"{label}: {'/'.join(repo)}" if repo else label), icon
    if link.kind == "other" and host:
        return host, icon
    return label, icon


def is_web_url(url: str) -> bool:
    """Validation allows only http(s); render checks again (defense in depth)."""
    return urlsplit(url).scheme in ("http", "https") and not any(c.isspace() for c in url)


def web_links(paper: Paper, kind: str | None = None) -> list[Link]:
    return [link for link in paper.links if is_web_url(link.url) and (kind is None or link.kind == kind)]


def paper_badges(paper: Paper) -> list[dict[str, str]]:
    """Every badge on a paper page, links first, then arXiv and HF Papers."""
    order = {kind: i for i, kind in enumerate(LINK_KINDS)}
    badges = []
    for link in sorted(web_links(paper), key=lambda link: order.get(link.kind, len(order))):
        label, icon = link_label(link)
        badges.append({"url": link.url, "kind": link.kind, "label": label, "icon": icon})
    if paper.arxiv:
        badges.append({"url": f"https://arxiv.org/abs/{paper.arxiv}", "kind": "arxiv",
                       "label": f"arXiv {paper.arxiv}", "icon": "simple/arxiv"})
        badges.append({"url": f"https://huggingface.co/papers/{paper.arxiv}", "kind": "hf-paper",
                       "label": "HF Papers", "icon": "simple/huggingface"})
    else:
        q = quote_plus(paper.title)
        badges.append({"url": f"https://arxiv.org/search/?query={q}&searchtype=title", "kind": "arxiv-search",
                       "label": "Find on arXiv", "icon": "simple/arxiv"})
        badges.append({"url": f"https://huggingface.co/papers?q={q}", "kind": "hf-search",
                       "label": "Find on Hugging Face", "icon": "simple/huggingface"})
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


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "^": r"\^{}", "~": r"\~{}", "{": r"\{", "}": r"\}"}
_BIB_LONE_BRACE = {**_BIB_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BIB_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))
_BIB_STOP = frozenset("a an the on of in for to with and or is are via from by towards toward do does can "
                      "how what when why which we your you our its it at as be beyond".split())


def _braces_balance(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _bib(text: str) -> str:
    """BibTeX-safe text. BibTeX counts every brace, escaped or not, so `\\{` is only
    used when the braces pair up; a stray one would swallow the rest of the file."""
    table = _BIB_SPECIAL if _braces_balance(text) else _BIB_LONE_BRACE
    return _BIB_RE.sub(lambda m: table[m.group()], " ".join(text.split()))


def bibtex_base_key(paper: Paper) -> str:
    """Google Scholar's shape with title words for the missing author: `hat2023hybrid`.
    Two significant words keep keys readable and rarely shared; a key starts with a letter."""
    words = [w for w in re.findall(r"[a-z0-9]+", paper.slug) if w not in _BIB_STOP]
    words = [w for w in words if w[0].isalpha()] or ["paper"]
    year = paper.published.year if paper.published else ""
    second = words[1][:16] if len(words) > 1 else ""
    return f"{words[0][:16]}{year}{second}"


def bibtex_keys(papers: tuple[Paper, ...] | list[Paper]) -> dict[str, str]:
    """A unique citation key per slug. The earliest added paper keeps the bare key and
    later ones get b, c, ..., so adding a paper never changes an older paper's key."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.added or dt.date.min, p.slug)):
        base = bibtex_base_key(paper)
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}{_suffix(n)}"
        taken.add(key)
        keys[paper.slug] = key
    return keys


def _suffix(n: int) -> str:
    """2 -> b, 26 -> z, 27 -> bb: letters only, since the key may end in a year."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[(n - 1) % 26] * ((n - 1) // 26 + 1)


def bibtex(paper: Paper, page_url: str, key: str | None = None) -> str:
    """A BibTeX entry; LaTeX specials escaped so it compiles as pasted."""
    year = paper.published.year if paper.published else None
    fields = [("title", "{" + _bib(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_bib(a) for a in paper.authors)))
    if year:
        fields.append(("year", str(year)))
    if paper.arxiv:
        fields += [("eprint", _bib(paper.arxiv)), ("archivePrefix", "arXiv")]
        url = f"https://arxiv.org/abs/{paper.arxiv}"
    else:
        url = page_url
    fields.append(("url", url.replace("{", "%7B").replace("}", "%7D")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key or bibtex_base_key(paper)},\n{body}\n}}"


def _by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.title.casefold(), p.slug))


def _newest_first(papers: list[Paper]) -> list[Paper]:
    """Published date, newest first (undated last), then newest added, then A-Z.

    Sorting is stable, so sorting by title first breaks ties alphabetically."""
    return sorted(_by_title(papers), key=lambda p: (p.published is not None, p.published or dt.date.min,
                                                    p.added or dt.date.min), reverse=True)


def newest_additions(papers: tuple[Paper, ...] | list[Paper]) -> list[Paper]:
    """What a daily reader wants first: newest added, then newest published, then most
    upvoted, then A-Z. Unknown dates and upvotes sort after known ones."""

    def key(p: Paper) -> tuple[int, int, int, str, str]:
        return (-(p.added.toordinal() if p.added else 0), -(p.published.toordinal() if p.published else 0),
                -(p.upvotes if p.upvotes is not None else -1), p.title.casefold(), p.slug)

    return sorted(papers, key=key)


def most_upvoted(papers: tuple[Paper, ...] | list[Paper], limit: int) -> list[Paper]:
    """Papers with at least one upvote, most first; ties newest added, then A-Z."""
    voted = [p for p in newest_additions(papers) if p.upvotes]
    return sorted(voted, key=lambda p: -(p.upvotes or 0))[:limit]


def _row(paper: Paper, topics: dict[str, Topic] | None = None) -> dict[str, Any]:
    code = web_links(paper, "code")
    label, icon = link_label(code[0]) if code else ("", "")
    return {"paper": paper, "code": code[0] if code else None, "code_label": label,
            "code_icon": icon.replace("/", "-"), "teaser": first_sentence(paper.abstract, 220),
            "topics": [topics[t] for t in paper.topics if t in topics] if topics else []}


# --- rendering ----------------------------------------------------------------


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # anything not passed through a filter below is HTML-escaped
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md_inline, md_paragraphs=md_paragraphs, md_url=md_url, fenced=fenced,
                       long_date=long_date)
    return env


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_chars(value: object) -> object:
    """Drop characters XML 1.0 forbids even as entities: one would make the whole feed
    unreadable. Markup stays Markup so nothing is escaped twice."""
    if isinstance(value, Markup):
        return Markup(_XML_ILLEGAL.sub("", value))
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


def _xml_env() -> jinja2.Environment:
    """For feed.xml: every value XML-escaped (autoescape) and cleaned of illegal characters."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_xml_chars,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _rfc3339(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


class Renderer:
    """Turns a Catalog into Pages. One pass over the papers per listing."""

    def __init__(self, catalog: Catalog, settings: Settings, site_url: str = "",
                 site_name: str = "Paper Index") -> None:
        self.catalog = catalog
        self.settings = settings
        self.site_url = site_url
        self.site_name = site_name
        self.env = _env()
        self.bib_keys = bibtex_keys(catalog.papers)
        self.topics = {t.id: t for t in catalog.topics}
        by_topic: dict[str, list[Paper]] = defaultdict(list)
        for paper in catalog.papers:
            for topic_id in paper.topics:
                by_topic[topic_id].append(paper)
        self.by_topic = {tid: _newest_first(papers) for tid, papers in by_topic.items()}
        unknown = sorted(set(by_topic) - set(self.topics))
        if unknown:
            raise GeneratorError(f"papers name unknown topics: {', '.join(unknown)}")
        self.newest = _newest_first(list(catalog.papers))
        self.added = newest_additions(catalog.papers)

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

    def _topic_cards(self) -> list[dict[str, Any]]:
        cards = []
        for topic in self.catalog.topics:
            papers = self.by_topic.get(topic.id, [])
            icon = topic.icon if topic.icon and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", topic.icon) else None
            cards.append({"topic": topic, "count": len(papers), "icon": icon,
                          "with_code": sum(1 for p in papers if web_links(p, "code"))})
        return cards

    def home(self) -> Page:
        papers = self.catalog.papers
        per_day: dict[dt.date | None, int] = defaultdict(int)
        for paper in papers:
            per_day[paper.added] += 1
        groups: list[dict[str, Any]] = []
        for paper in self.added[: self.settings.newest]:
            if not groups or groups[-1]["added"] != paper.added:
                groups.append({"added": paper.added, "total": per_day[paper.added], "rows": []})
            groups[-1]["rows"].append(_row(paper, self.topics))
        body = self._render(
            "home.md",
            count=len(papers),
            topic_count=len(self.catalog.topics),
            code_count=sum(1 for p in papers if web_links(p, "code")),
            groups=groups,
            upvoted=[_row(p) for p in most_upvoted(papers, self.settings.top_upvoted)],
            cards=self._topic_cards(),
            prefix="",
        )
        meta = {"title": h("Home"), "description": h(
            f"A curated, searchable index of {len(papers)} research papers in "
            f"{len(self.catalog.topics)} topics."), "hide": ["navigation", "toc"]}
        return Page("index.md", meta, body)

    def topics_index(self) -> Page:
        body = self._render("topics.md", cards=self._topic_cards(), prefix="")
        return Page("topics/index.md", {"title": h("Topics"), "hide": ["navigation", "toc"]}, body)

    def topic_page(self, topic: Topic) -> Page:
        papers = self.by_topic.get(topic.id, [])
        body = self._render("topic.md", topic=topic, rows=[_row(p) for p in papers],
                            with_code=sum(1 for p in papers if web_links(p, "code")), prefix="../")
        meta = {"title": h(topic.title), "description": h(topic.description),
                "edit_path": "content/topics.yml", "hide": ["navigation", "toc"]}
        return Page(f"topics/{topic.id}.md", meta, body)

    def code_page(self) -> Page:
        rows = [_row(p) for p in self.newest if web_links(p, "code")]
        body = self._render("code.md", rows=rows, total=len(self.catalog.papers), prefix="")
        return Page("code.md", {"title": h("With code"), "hide": ["navigation", "toc"]}, body)

    def year_pages(self) -> list[Page]:
        by_year: dict[str, list[Paper]] = defaultdict(list)
        for paper in self.newest:
            by_year[str(paper.published.year) if paper.published else "undated"].append(paper)
        years = sorted(by_year, key=lambda y: (y != "undated", y), reverse=True)
        pages = [Page("years/index.md", {"title": h("By year"), "hide": ["navigation", "toc"]},
                      self._render("years.md", years=[(y, len(by_year[y])) for y in years]))]
        for year in years:
            heading = "Undated papers" if year == "undated" else f"Papers from {year}"
            body = self._render("year.md", heading=heading, rows=[_row(p) for p in by_year[year]], prefix="../")
            pages.append(Page(f"years/{year}.md", {"title": h(heading), "hide": ["navigation", "toc"]}, body))
        return pages

    def tags_page(self) -> Page:
        return Page("tags.md", {"title": h("Tags"), "hide": ["navigation", "toc"]}, self._render("tags.md"))

    def paper_page(self, paper: Paper, listings: set[str]) -> Page:
        topics = [self.topics[t] for t in paper.topics]
        page_url = f"{self.site_url}papers/{paper.slug}/" if self.site_url else f"papers/{paper.slug}/"
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
                "more_authors": (paper.author_count or len(authors)) - len(shown) if shown else 0,
                "author_count": paper.author_count or len(authors) or None,
                "upvotes": paper.upvotes,
                "arxiv": paper.arxiv,
                "badges": paper_badges(paper),
            },
        }
        if paper.published:
            meta["date"] = paper.published.isoformat()
        sources = [{"name": s, "known": s in listings} for s in paper.sources]
        body = self._render("paper.md", paper=paper, topics=topics, sources=sources,
                            bibtex=bibtex(paper, page_url, self.bib_keys.get(paper.slug)), prefix="../")
        return Page(f"papers/{paper.slug}.md", meta, body)

    def redirect_page(self, old: str, paper: Paper) -> Page:
        meta = {"title": h(paper.title), "template": "paper-redirect.html", "target": paper.slug,
                "search": {"exclude": True}}
        return Page(f"papers/{old}.md", meta, "")

    # --- downloads: feed.xml, papers.json, papers.bib --------------------------

    def exports(self) -> list[Export]:
        """The feed and the data files. They carry absolute URLs, so they need site_url."""
        if not self.site_url:
            raise GeneratorError("feed.xml and papers.json need absolute links: set site_url in mkdocs.yml")
        return [self.feed(), self.papers_json(), self.papers_bib()]

    def paper_url(self, paper: Paper) -> str:
        return f"{self.site_url}papers/{paper.slug}/"

    def feed(self) -> Export:
        """An Atom feed of the newest additions, in the home page's order."""
        entries = [{"paper": p, "url": self.paper_url(p), "updated": _rfc3339(p.added or p.published),
                    "topics": [self.topics[t] for t in p.topics]}
                   for p in self.added[: self.settings.feed_size]]
        updated = max((e["updated"] for e in entries), default=_rfc3339(None))
        text = _xml_env().get_template("feed.xml").render(
            site_url=self.site_url, site_name=self.site_name, updated=updated, entries=entries)
        return Export("feed.xml", text)

    def papers_json(self) -> Export:
        """The whole catalog as plain JSON values (no HTML escaping: it is data)."""
        topics = [{"id": t.id, "title": t.title, "description": t.description,
                   "url": f"{self.site_url}topics/{t.id}/"} for t in self.catalog.topics]
        records = [{
            "slug": p.slug,
            "url": self.paper_url(p),
            "title": p.title,
            "abstract": p.abstract,
            "authors": list(p.authors),
            "author_count": p.author_count,
            "published": p.published.isoformat() if p.published else None,
            "added": p.added.isoformat() if p.added else None,
            "upvotes": p.upvotes,
            "arxiv": p.arxiv,
            "links": [{"url": link.url, "kind": link.kind} for link in web_links(p)],
            "topics": list(p.topics),
        } for p in self.catalog.papers]
        doc = {"site": self.site_url, "count": len(records), "topics": topics, "papers": records}
        return Export("papers.json", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")

    def papers_bib(self) -> Export:
        """Every paper's BibTeX entry, exactly as its page's Cite block shows it."""
        entries = [bibtex(p, self.paper_url(p), self.bib_keys[p.slug]) for p in self.catalog.papers]
        head = f"% {self.site_name}: {len(entries)} papers, from {self.site_url}papers.bib\n"
        return Export("papers.bib", head + "\n" + "\n\n".join(entries) + "\n")


# --- hand-written pages -------------------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_MD_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def with_meta(text: str, extra: dict[str, Any], source: Path) -> str:
    """`text` with `extra` merged into its front matter (added if missing)."""
    meta: dict[str, Any] = {}
    match = _FRONT.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise GeneratorError(f"{source}: bad front matter: {exc}") from None
        if not isinstance(loaded, dict):
            raise GeneratorError(f"{source}: front matter must be a mapping")
        meta = loaded
        text = text[match.end():]
    meta.update(extra)
    return Page("", meta, text.lstrip("\n")).text()


def repo_links(text: str, settings: Settings, base: str = "") -> str:
    """Point a repo file's relative links (README.md, content/...) at the repository,
    since those files are not part of the site."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:|#|/", target, re.I):
            return match.group(0)
        return f"{match.group(1)}{settings.repo_url}/blob/{settings.branch}/{base}{target}{match.group(3)}"

    return _MD_LINK.sub(fix, text)


def build(content_dir: Path, out_dir: Path, settings: Settings | None = None) -> str:
    """Validate content/ and write the whole docs folder, or nothing at all."""
    from generator.store import load_catalog

    start = time.perf_counter()
    catalog = load_catalog(content_dir)
    counts = write_site(catalog, content_dir, out_dir, settings or Settings())
    seconds = time.perf_counter() - start
    return (f"Built {counts['pages']} pages ({counts['papers']} papers, {counts['topics']} topics, "
            f"{counts['redirects']} redirects) and {counts['downloads']} downloads (feed.xml, papers.json, "
            f"papers.bib) into {out_dir} in {seconds:.2f}s")


def write_site(catalog: Catalog, content_dir: Path, out_dir: Path, settings: Settings) -> dict[str, int]:
    """Render every page into a staging folder and swap it in at the end."""
    listings = {p.stem for p in (content_dir / "listings").glob("*.txt")}
    renderer = Renderer(catalog, settings, site_url=_site_url(),
                        site_name=_mkdocs_value("site_name") or "Paper Index")
    pages = renderer.pages(listings)
    exports = renderer.exports()
    with TreeWriter(out_dir) as writer:
        for page in pages:
            writer.write(page.path, page.text())
        for export in exports:
            writer.write(export.path, export.text)
        pages_dir = content_dir / "pages"
        for source in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
            rel = f"{content_dir.name}/pages/{source.name}"
            writer.write(source.name, with_meta(source.read_text(encoding="utf-8"), {"edit_path": rel}, source))
        contributing = content_dir.resolve().parent / "CONTRIBUTING.md"
        if contributing.is_file():
            text = repo_links(contributing.read_text(encoding="utf-8"), settings)
            writer.write("contributing.md", with_meta(text, {"edit_path": "CONTRIBUTING.md"}, contributing))
        else:
            writer.write("contributing.md", Page("contributing.md", {"title": h("Contribute")},
                                                 renderer._render("contributing.md")).text())
        writer.commit()
    return {"pages": len(writer.written) - len(exports), "downloads": len(exports), "papers": len(catalog.papers),
            "topics": len(catalog.topics), "redirects": sum(len(p.redirect_from) for p in catalog.papers)}


def _mkdocs_value(key: str) -> str:
    """A top-level scalar of mkdocs.yml (which safe_load can't read: it has !!python tags)."""
    config = ROOT / "mkdocs.yml"
    if not config.is_file():
        return ""
    match = re.search(rf"^{re.escape(key)}:\s*(\S.*?)\s*$", config.read_text(encoding="utf-8"), re.M)
    return match.group(1).strip("'\"") if match else ""


def _site_url() -> str:
    """site_url from mkdocs.yml, for absolute URLs in BibTeX and feeds; '' if unknown."""
    url = _mkdocs_value("site_url")
    return url.rstrip("/") + "/" if url else ""
