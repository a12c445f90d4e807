"""`python -m generator build`: the validated catalog as the docs folder MkDocs reads.

Besides the generated pages and downloads, the docs folder gets the
hand-written pages of `content/pages/` and the repository's CONTRIBUTING.md,
each with an `edit_path` so the edit button opens the file to change.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.ingest.manifest import load_manifest
from generator.model import Catalog
from generator.review.cache import cache_folder
from generator.parallel import beside
from generator.review.check import Review, review_content
from generator.site import iconsheet, search_index
from generator.site.memo import PaperLines, SiteMemo
from generator.site.pages import CONTRIBUTING_DESCRIPTION, Page, Renderer
from generator.site.paperpages import PaperPages, write_through
from generator.site.settings import Settings
from generator.site.theme import check_theme_dir, stage_theme
from generator.site.templating import h
from generator.site.writer import TreeWriter, WriteReport

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
    # Material prints these two raw, as HTML: escaped once here, as for generated pages.
    for key in ("title", "description"):
        if key in meta:
            meta[key] = h(meta[key])
    return Page("", meta, text.lstrip("\n")).text()


def repo_links(text: str, settings: Settings, base: str = "") -> str:
    """Point a repo file's relative links (README.md, content/...) at the repository,
    since those files are not part of the site."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if not settings.repo_url or re.match(r"[a-z][a-z0-9+.-]*:|#|/", target, re.I):
            return match.group(0)
        return (f"{match.group(1)}{settings.repo_url}/blob/{settings.branch}/{base}{target}"
                f"{match.group(3)}")

    return _MD_LINK.sub(fix, text)


def robots_txt(settings: Settings) -> str:
    """robots.txt: every page may be crawled, and the sitemap MkDocs writes is named by
    its absolute URL (a robots.txt may not name it relatively), from mkdocs.yml's site_url."""
    lines = ["User-agent: *", "Allow: /"]
    if settings.site_url:
        lines += ["", f"Sitemap: {settings.site_url}sitemap.xml"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class BuildReport:
    pages: int
    downloads: int
    papers: int
    topics: int
    redirects: int
    out_dir: Path
    seconds: float
    files: WriteReport

    def __str__(self) -> str:
        return (f"Built {self.pages} pages ({self.papers} papers, {self.topics} topics, "
                f"{self.redirects} redirects) and {self.downloads} downloads (feeds, JSON, CSV, "
                f"BibTeX) into {self.out_dir} in {self.seconds:.2f}s: "
                f"{self.files.changed} file(s) written, {self.files.removed} removed, "
                f"{self.files.written - self.files.changed} unchanged")


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A build makes millions of small objects and frees few of them, so the collector's
    default (a pass every 700 new objects, and whole passes over the growing heap) took
    a sixth of a 10,000-paper build's time and found nothing to free. Restored after."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(content_dir: Path, out_dir: Path, settings: Settings | Callable[[], Settings],
          cache: bool = True) -> BuildReport:
    """Validate content/ and bring the docs folder up to date, or change nothing at all.
    `settings`, or how to load them (`Settings.from_mkdocs`): loaded by a forked process
    while content/ is reviewed, since MkDocs takes 0.2 s to validate mkdocs.yml.
    `cache`: the review and the build remember what they computed in .cache/generator
    beside content/ (git-ignored; see review.cache and site.memo); False: nothing."""
    start = time.perf_counter()
    with fewer_collections():
        def review_here() -> Review:
            return review_content(content_dir, warnings=False, provenance=False, cache=cache)

        if isinstance(settings, Settings):
            review = review_here()
        else:
            settings, review = beside(settings, review_here)
        catalog = review.catalog()  # what load_catalog gives, plus each file's digest for the memo
        digests = {f.slug: f.digest for f in review.papers if f.digest}
        pages, downloads, files = write_site(catalog, content_dir, out_dir, settings, cache, digests)
    return BuildReport(pages=pages, downloads=downloads, papers=len(catalog.papers),
                       topics=len(catalog.topics),
                       redirects=sum(len(item.redirect_from)
                                     for item in (*catalog.papers, *catalog.topics)),
                       out_dir=out_dir, seconds=time.perf_counter() - start, files=files)


def listing_names(folder: Path) -> dict[str, str]:
    """Each committed listing (file name without `.txt`) -> its name for readers, from
    the manifest ('' for a listing the manifest does not name)."""
    manifest = folder / "manifest.yml"
    names = {m.source: m.name for m in load_manifest(manifest)} if manifest.is_file() else {}
    return {p.stem: names.get(p.stem, "") for p in sorted(folder.glob("*.txt"))}


def write_site(catalog: Catalog, content_dir: Path, out_dir: Path, settings: Settings,
               cache: bool = True,
               digests: dict[str, str] | None = None) -> tuple[int, int, WriteReport]:
    """Render every page, writing only files whose bytes change, and remove the files
    that no longer have a source; the theme too, into `settings.theme_dir` when set.
    Returns the number of pages, of downloads, and what changed in the docs folder.
    `cache`: keep the memo of related papers and paper pages (`memo`); `digests`: each
    paper file's SHA-256, which stands for the paper in the memo's keys (else the paper
    itself is hashed)."""
    listings = listing_names(content_dir / "listings")
    memo = SiteMemo(out_dir, settings, cache_folder(content_dir) if cache else None)
    renderer = Renderer(catalog, settings, memo, digests)
    if settings.theme_dir is not None:
        check_theme_dir(settings.theme_dir, settings.overrides_dir)
    with ExitStack() as stack:
        writer = stack.enter_context(TreeWriter(out_dir))

        def other_pages() -> None:
            for page in renderer.pages(listings, papers=False, downloads=False, topics=False):
                writer.write(page.path, page.text())
            for topic in catalog.topics:
                rel = f"topics/{topic.id}.md"
                page = write_through(memo, writer, rel, renderer.topic_inputs(topic),
                                     lambda topic=topic: renderer.topic_page(topic).text())
                memo.remember_page(rel, page.inputs, page.digest)

        # Written as soon as made, not held through the fork of the paper pages' writer
        # (60 MB of search records and 160 MB of downloads at 50,000 papers).
        def records() -> tuple[str, list[str]]:
            lines = PaperLines(memo.lines_of(search_index.RECORDS))
            text = search_index.records_text(catalog, lines, digests)
            writer.write(search_index.RECORDS, text)
            return lines.kept(text)  # for the memo, which may be in the other process

        def downloads() -> int:
            """The feeds and data files, and the Downloads page, which shows their sizes."""
            exports = renderer.exports()
            for export in exports:
                writer.write(export.path, export.text)
            if settings.site_url:
                page = renderer.downloads_page()
                writer.write(page.path, page.text())
            return len(exports)

        # The bulk of the pages: rendered only when changed, after the others.
        paper_pages = PaperPages(renderer, memo, listings, first=other_pages)
        kept, exports = paper_pages.related_beside(records, downloads, writer)
        memo.remember_lines(search_index.RECORDS, kept)
        paper_pages.write(writer)
        sheets = iconsheet.icon_sheets(catalog, settings)
        for sheet, text in sheets.items():
            writer.write(sheet, text)
        writer.write("robots.txt", robots_txt(settings))
        pages_dir = content_dir / "pages"
        for source in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
            rel = f"{content_dir.name}/pages/{source.name}"
            writer.write(source.name, with_meta(source.read_text(encoding="utf-8"),
                                                {"edit_path": rel}, source))
        contributing = content_dir.resolve().parent / "CONTRIBUTING.md"
        if contributing.is_file():
            text = repo_links(contributing.read_text(encoding="utf-8"), settings)
            writer.write("contributing.md",
                         with_meta(text, {"edit_path": "CONTRIBUTING.md",
                                          "description": CONTRIBUTING_DESCRIPTION}, contributing))
        else:
            writer.write("contributing.md", renderer.contributing_page().text())
        if settings.theme_dir is not None:
            theme_writer = stack.enter_context(TreeWriter(settings.theme_dir))
            stage_theme(theme_writer, settings.overrides_dir)
            # The theme first: pages never name a template that is not there yet.
            theme_writer.commit()
        files = writer.commit()
    memo.save()
    # Neither the icon sheets, the search records nor robots.txt is a page.
    return len(writer.written) - exports - len(sheets) - 2, exports, files
