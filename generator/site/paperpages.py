"""The paper pages, the bulk of a build, and the related papers they need first: on two
cores when a large catalog has many to compute.

A page is rendered only when the memo says its inputs changed (`memo`). When at least
`PARALLEL_FROM` pages must be rendered, a forked process renders and writes the second
half of them into the writer's staging folder while this one writes the rest, and sends
back what it wrote; the writer then records those files in page order, so a path
claimed twice is refused with the same message as in one process. Before that, related
papers that must be computed (a cold build, an edited abstract) are computed by a
forked process while this one makes the downloads. Either way the pages' bytes are the
same: each is a pure function of its inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.model import Paper
from generator.parallel import beside, can_fork
from generator.site.memo import SiteMemo
from generator.site.pages import Renderer
from generator.site.writer import TreeWriter

T = TypeVar("T")
R = TypeVar("R")

AHEAD_MOST = 25_000
"""The most paper bodies rendered ahead while the related papers are computed: they stay in
memory until written, and the forked writer's share of them counts again in the build's
peak (every body of 50,000 papers ahead took a cold build from 2.8 to 3.4 GB)."""

PARALLEL_FROM = 2000
"""Pages to render (or papers whose related lists to compute) before a second process
pays for itself: 2,000 pages take about 1 s to render and write, and forking plus
sending back their records costs well under 0.1 s."""


@dataclass(frozen=True)
class Written:
    """One paper page as written: what the memo keeps, and whether its bytes were new."""

    rel: str
    inputs: str
    digest: str
    staged: bool


class PaperPages:
    """The paper pages of one build."""

    def __init__(self, renderer: Renderer, memo: SiteMemo, listings: Mapping[str, str],
                 first: Callable[[], None] = lambda: None) -> None:
        self.renderer = renderer
        self.memo = memo
        self.listings = listings
        self._first: Callable[[], None] | None = first
        """What the build writes before the paper pages (the other pages); run once, by
        whichever step has time for it first."""
        self.bodies: dict[str, str] = {}
        """Bodies rendered ahead (`paper_body`), by slug, while the related papers were
        computed; a forked process writing pages inherits them."""

    def _run_first(self) -> None:
        if self._first is not None:
            first, self._first = self._first, None
            first()

    def related_beside(self, records: Callable[[], R], downloads: Callable[[], T],
                       writer: TreeWriter) -> tuple[R, T]:
        """The search records and the downloads (both written through `writer`; this returns
        what they return) and the other pages, while the related papers are
        computed, on two cores for a large catalog. At 10,000 papers after an edit: the
        related papers 1.2 s, the records 0.1 s, the downloads 0.8 s, the other pages 0.2 s.

        A cold build computes the related papers in a forked process, and this one does
        the rest, then renders ahead the bodies of the paper pages it has never written,
        rather than wait, until the related papers arrive (the write step then cuts the
        pages where each side has as much left to do). After an edit (few pages never written)
        the related papers are computed here while the forked process makes the records,
        the downloads and the other pages: forked from `mkdocs serve`, a
        process that computed them took half as long again (its touches copy the
        server's large heap), and sending them back cost more than the rest. With
        nothing to compute (the memo has them), the forked process makes the downloads
        while this one makes the records and the other pages."""
        renderer, memo = self.renderer, self.memo
        papers, k = renderer.catalog.papers, renderer.settings.related

        def both() -> tuple[R, T]:
            return records(), downloads()

        if len(papers) < PARALLEL_FROM or not can_fork():
            return both()
        if memo.knows_related(papers, k):
            made, kept = self._theirs_and_mine(downloads, records, writer)
            return kept, made
        unwritten = [p for p in papers if not memo.has_page(_rel(p))]
        if len(unwritten) < PARALLEL_FROM:
            return self._theirs_and_mine(both, lambda: renderer.related, writer, first_there=True)[0]

        known = memo.known_tokens()

        def remembered() -> dict[str, object]:
            """In the child: the related papers, computed through its memo, which keeps
            the lists (and the tokens kept for the next build); this process's memo takes
            them, and the renderer's related papers then come from it. Sent back without
            the tokens this process's memo already holds: they were most of the bytes."""
            assert renderer.related is not None
            return memo.related_sent(known)

        ahead = iter(unwritten)

        def render_one() -> bool:
            paper = next(ahead, None) if len(self.bodies) < AHEAD_MOST else None
            if paper is None:
                return False
            self.bodies[paper.slug] = renderer.paper_body(paper, self.listings)
            return True

        def here() -> tuple[R, T]:
            result = both()
            self._run_first()
            return result

        sent, result = beside(remembered, here, more=render_one)
        memo.related_received(sent)
        return result

    def _theirs_and_mine(self, theirs: Callable[[], T], mine: Callable[[], R], writer: TreeWriter,
                         first_there: bool = False) -> tuple[T, R]:
        """(theirs(), mine()): `theirs` in a forked process (writing into the writer's
        staging folder), while this one runs `mine`; the other pages are written after
        `mine`, or after `theirs` when `first_there`. This writer then adopts what the
        forked one wrote, in its order (no path of one side is a path of the other), and
        this memo what it remembered."""
        since, remembered = len(writer.written), len(self.memo.new_pages)

        def child() -> tuple[T, list[tuple[str, bool]], dict[str, list[str]]]:
            result = theirs()
            if first_there:
                self._run_first()
            return result, writer.recorded(since), self.memo.pages_since(remembered)

        def here() -> R:
            result = mine()
            if not first_there:
                self._run_first()
            return result

        (result, wrote, pages), mine_result = beside(child, here)
        for rel, staged in wrote:
            writer.adopt(rel, staged)
        self.memo.new_pages.update(pages)
        self._first = None
        return result, mine_result

    def write(self, writer: TreeWriter) -> None:
        """The other pages (`first`, if not written yet), then every paper's page through
        the memo, each recorded in the memo and in `writer` in catalog order."""
        renderer, memo = self.renderer, self.memo
        jobs = [(paper, renderer.paper_inputs(paper, self.listings))
                for paper in renderer.catalog.papers]
        misses = [i for i, (paper, inputs) in enumerate(jobs)
                  if memo.page_unchanged(_rel(paper), inputs) is None]
        if len(misses) < PARALLEL_FROM or not can_fork():
            self._run_first()
            done = self._write(jobs, writer)
        else:
            half = self._split(jobs, misses)

            def mine() -> list[Written]:
                self._run_first()
                return self._write(jobs[:half], writer)

            theirs, done = beside(lambda: self._write(jobs[half:], writer), mine)
            for page in theirs:
                writer.adopt(page.rel, page.staged)
            done += theirs
        for page in done:
            memo.remember_page(page.rel, page.inputs, page.digest)

    def _split(self, jobs: Sequence[tuple[Paper, str]], misses: Sequence[int]) -> int:
        """Where the pages to render are cut between this process and a forked one: at
        the middle of the pages to render, when this one still has the other pages to
        write; else where each side has as much work, a body rendered ahead counting as
        a page half done (assembling and writing a page costs about twice its body)."""
        if self._first is not None or not self.bodies:
            return misses[len(misses) // 2]
        costs = [2 if jobs[i][0].slug in self.bodies else 3 for i in misses]
        total, running = sum(costs), 0
        for i, cost in zip(misses, costs):
            running += cost
            if 2 * running >= total:
                return i + 1
        return len(jobs)

    def _write(self, jobs: Sequence[tuple[Paper, str]], writer: TreeWriter) -> list[Written]:
        renderer, bodies, listings = self.renderer, self.bodies, self.listings
        return [write_through(self.memo, writer, _rel(paper), inputs,
                              lambda paper=paper: renderer.paper_page(  # type: ignore[misc]
                                  paper, listings, bodies.get(paper.slug)).text())
                for paper, inputs in jobs]


def write_through(memo: SiteMemo, writer: TreeWriter, rel: str, inputs: str,
                  text: Callable[[], str]) -> Written:
    """The page at `rel` kept as it is when the memo says its `inputs` are those of the
    text already there, else `text()` written; the memo is told by whoever holds it."""
    written, staged = memo.page_unchanged(rel, inputs), False
    if written is None or not writer.keep(rel, written):
        made = text()
        staged = writer.write(rel, made)
        written = hashlib.sha256(made.encode("utf-8")).hexdigest()
    return Written(rel, inputs, written, staged)


def _rel(paper: Paper) -> str:
    return f"papers/{paper.slug}.md"
