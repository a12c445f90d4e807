"""`python -m generator index`: the site's search index, built from the catalog.

Each paper becomes one Pagefind custom record (`PagefindIndex.add_custom_record`):
no page is read or parsed again. What a record holds:

- content: the abstract and the curator's note, the text excerpts are cut from;
- meta: the title, authors and topics, which Pagefind 1.5 searches with the
  weights search.js gives them (`metaWeights`: the title far above authors and
  topics, which count above the abstract), and what a result card shows (year,
  topics, code, the teaser);
- filters: topic, year, code and kind (Browse's facets), and upvotes, by which
  search.js orders "most upvoted" (one search per upvote count).

No sort key: every sort array costs each search's first download about 2 bytes
a paper (21 KB at 10,000 papers), and none is needed. The records go in newest
first (orders.newest_first), always in the same order, and a search for nothing
lists them in that order; search.js reads each paper's place from it once, and
orders "newest" (and ties in upvotes) by that place.

More than BUNDLE_PAPERS papers are split into bundles that are built one after
the other (Pagefind holds about 110 KB of memory per record while it builds an
index) and searched together in the browser (`mergeIndex`; search.js reads
the list from MANIFEST). Papers are dealt out to the bundles in turn, newest
first, and go into each in that order: every bundle holds a like share of every
year and topic (so a word weighs alike in each), and a paper's place in the
catalog follows from its bundle and its place there (see `bundles`). One bundle
is the plain case of the same layout.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import json
import math
import os
import queue
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import warm
from generator.errors import GeneratorError
from generator.model import Catalog, LinkKind, Paper, Topic
from generator.site.orders import newest_first
from generator.site.paperfacts import first_sentence, link_kinds, link_label, paper_url, paper_year, web_links

if TYPE_CHECKING:
    from generator.site.memo import PaperLines

LANGUAGE = "en"
"""The records' language: Pagefind stems English words ("models" finds "model")."""
OUTPUT = "pagefind"
"""The index's folder in the site, where search.js loads it from."""
MANIFEST = "bundles.json"
"""In OUTPUT: the folders (relative to it) of the bundles search.js merges into the first
(`merge`), and a digest of each bundle's records (`records`: `update_search_index` keeps a
bundle whose records did not change)."""
BUNDLE_PAPERS = 5_000
"""The most papers in one bundle. A cold header search shows the first bundle's best matches
while the others load (search.js), and its time to the first result grows with the bundle:
one common word's search matches a third of the papers, each of which the search scores.
With bundles of 5,000, the first result of a cold search at 10,000 or 50,000 papers costs
what it costs at 5,000 (bytes and time, BENCHMARKS.md). Pagefind peaks at about 2.3 GB
building 20,000 papers (about 110 KB a record), so 5,000 need about a quarter of that."""
BESIDE_MKDOCS = 10_000
"""Up to this many papers `generator site` indexes beside MkDocs (one Pagefind process of
about 1.4 GB and the MkDocs shards stay under 3 GiB together); a larger catalog is indexed
after the shards, so the peak memory is that of the larger stage."""
_SENTINEL = re.compile(r"(?<!\S)(?=___(?:END_)?PAGEFIND_)")
"""Words Pagefind reads as its own markers (weights, anchors) inside a record's text."""
_WINDOW = 512
"""Records on their way to Pagefind at once."""


@dataclass(frozen=True)
class SearchRecord:
    """One paper as Pagefind indexes it."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]


def _text(text: str) -> str:
    """Contributed text as Pagefind should index it: whitespace collapsed, and a zero-width
    space before any word Pagefind would take for one of its markers, so no abstract can
    weight itself (Pagefind drops the zero-width space from the indexed word)."""
    flat = " ".join(text.split())
    # Without "___" the pattern cannot match; its look-behind at every place took a third
    # of the records' time (a build writes every record after each edit under `make serve`).
    return _SENTINEL.sub("\u200b", flat) if "___" in flat else flat


def search_record(paper: Paper, topics: dict[str, Topic]) -> SearchRecord:
    """A paper's record: what its page's header and abstract show, from the catalog."""
    code = web_links(paper, LinkKind.CODE)
    shown = [t for t in paper.shown_topics if t in topics]
    meta = {"title": " ".join(paper.title.split())}
    if paper.authors:
        meta["authors"] = ", ".join(paper.authors)
    if shown:
        meta["topics"] = " · ".join(topics[t].title for t in shown)
    if paper.published:
        meta["year"] = str(paper.published.year)
    if code:
        meta["code"] = link_label(code[0])[0]
    meta["teaser"] = first_sentence(paper.abstract)
    filters = {"topic": shown, "year": [paper_year(paper)], "kind": link_kinds(paper),
               "code": ["yes"] if code else [], "upvotes": [str(paper.upvotes or 0)]}
    content = _text(paper.abstract) + (f" {_text(paper.note)}" if paper.note else "")
    return SearchRecord(url="/" + paper_url(paper), content=content, meta=meta,
                        filters={k: v for k, v in filters.items() if v})


def search_records(catalog: Catalog) -> list[SearchRecord]:
    """Every paper's record, newest first (orders.newest_first)."""
    topics = {t.id: t for t in catalog.topics}
    return [search_record(p, topics) for p in newest_first(catalog.papers)]


RECORDS = ".search-records.jsonl"
"""In the docs folder: every paper's record, one JSON array a line, newest first, which
`generator build` writes and `generator site` indexes, so the site's search index is of
the catalog its pages were built from, and `generator site` need not load content/
again (a second or two at 10,000 papers, beside the shards). MkDocs leaves out of the
site every file whose name starts with a dot."""


def records_text(catalog: Catalog, lines: PaperLines | None = None,
                 digests: Mapping[str, str] | None = None) -> str:
    """The RECORDS file of `catalog`: its lines `search_records`' records, in their order.
    `lines`: the last build's lines, used again for the papers whose file (`digests`, by
    slug) and topics' titles are the same."""
    topics = {t.id: t for t in catalog.topics}

    def line(paper: Paper) -> str:
        r = search_record(paper, topics)
        return _dump([r.url, r.content, r.meta, r.filters]) + "\n"

    def one(paper: Paper) -> str:
        titles = _titles(paper, topics)
        make = functools.partial(warm.for_paper, "search record", paper, titles,
                                 functools.partial(line, paper))
        if lines is None:
            return make()
        digest = (digests or {}).get(paper.slug)
        return lines.line("\0".join((paper.slug, digest, *titles)) if digest else None, make)

    return "".join(one(p) for p in newest_first(catalog.papers))


def _titles(paper: Paper, topics: dict[str, Topic]) -> tuple[str, ...]:
    """What a search record reads besides its paper: its topics' titles."""
    return tuple(topics[t].title for t in paper.shown_topics if t in topics)


_dump = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def read_records(path: Path) -> list[SearchRecord]:
    """The records `records_text` wrote into `path`."""
    try:
        # At "\n" only: a record's text may hold U+2028 and others that splitlines() breaks at.
        text = path.read_text(encoding="utf-8")
        lines = text.removesuffix("\n").split("\n") if text else []
    except FileNotFoundError:
        raise GeneratorError(f"{path}: no search records; build the docs folder with "
                             "`python -m generator build` first (or pass --no-index)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"{path}: cannot read the search records ({exc})") from None
    records = []
    for number, line in enumerate(lines, 1):
        try:
            url, content, meta, filters = json.loads(line)
            records.append(SearchRecord(str(url), str(content), dict(meta), dict(filters)))
        except (ValueError, TypeError) as exc:
            raise GeneratorError(f"{path}:{number}: not a search record ({exc}); build the docs "
                                 "folder again with `python -m generator build`") from None
    return records


def bundles(records: Sequence[SearchRecord], size: int = BUNDLE_PAPERS) -> list[list[SearchRecord]]:
    """`records` dealt out in turn to as few bundles of at most `size` as will do, in the
    order search.js merges them: with K bundles, the record at place p goes to bundle
    p mod K, at place p div K there, so search.js finds p again as K * place + bundle."""
    k = max(1, math.ceil(len(records) / size))
    return [list(records[j::k]) for j in range(k)]


@dataclass(frozen=True)
class IndexReport:
    records: int
    bundles: int
    out_dir: Path
    seconds: float
    indexed: int
    """Bundles Pagefind indexed; the others were taken unchanged from the last index."""

    def __str__(self) -> str:
        split = f" ({self.bundles} bundles)" if self.bundles > 1 else ""
        if self.indexed < self.bundles:
            split = f" ({self.indexed} of {self.bundles} bundles indexed again)"
        return (f"Indexed {self.records} papers for search{split} into {self.out_dir} "
                f"in {self.seconds:.2f}s")


def write_search_index(catalog: Catalog, site: Path, bundle_papers: int = BUNDLE_PAPERS) -> IndexReport:
    """Index `catalog` into `site`/pagefind, replacing the index there only once the new
    one is complete: on any failure the old index is left as it was."""
    return update_search_index(search_records(catalog), site, bundle_papers, reuse=False)


def update_search_index(records: Sequence[SearchRecord], site: Path, bundle_papers: int = BUNDLE_PAPERS,
                        reuse: bool = True) -> IndexReport:
    """Index `records` into `site`/pagefind, replacing the index there only once the new one
    is complete: on any failure the old index is left as it was. `reuse`: a bundle whose
    records are those of the same bundle there (MANIFEST keeps each bundle's digest) is
    linked into the new index rather than indexed again, as `make serve` does after an
    edit (one bundle changes when a paper's text does)."""
    start = time.perf_counter()
    site = Path(site)
    if not site.is_dir():
        raise GeneratorError(f"{site}: site folder not found; build the site first "
                             "(python -m generator site)")
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    try:
        report = index_records(records, work, bundle_papers, site / OUTPUT if reuse else None)
        if (site / OUTPUT).exists():
            (site / OUTPUT).replace(work / "old")
        (work / OUTPUT).replace(site / OUTPUT)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return IndexReport(report.records, report.bundles, site / OUTPUT, time.perf_counter() - start,
                       report.indexed)


def update_served(docs_dir: str, site: str, bundle_papers: str) -> None:
    """The paper-index plugin's re-index under `mkdocs serve`, in a Python process of its
    own (plugin.reindex): in the server's, its Python work held up MkDocs' build of the
    pages by a second at 10,000 papers (one interpreter lock). Prints the report as
    JSON, or a GeneratorError's message as JSON with exit status 1: on standard output,
    apart from what else lands on standard error (asyncio warns there when Pagefind's
    service dies at once)."""
    import sys

    try:
        report = update_search_index(read_records(Path(docs_dir) / RECORDS), Path(site),
                                     int(bundle_papers))
    except GeneratorError as exc:
        print(json.dumps({"error": str(exc)}))
        sys.exit(1)
    print(json.dumps({"seconds": report.seconds, "bundles": report.bundles,
                      "indexed": report.indexed}))


def build_index(catalog: Catalog, folder: Path, bundle_papers: int = BUNDLE_PAPERS) -> IndexReport:
    """Index `catalog` into `folder`/pagefind, which must not exist yet (`write_search_index`
    and `generator site`, which indexes beside MkDocs, move it into the site)."""
    return index_records(search_records(catalog), folder, bundle_papers)


def _digest(records: Sequence[SearchRecord]) -> str:
    text = json.dumps([[r.url, r.content, r.meta, r.filters] for r in records], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _reusable(old: Path | None) -> list[str]:
    """The digests of the bundles of the index `old` (MANIFEST); none when it has none."""
    if old is None:
        return []
    try:
        digests = json.loads((old / MANIFEST).read_text(encoding="utf-8"))["records"]
        return [str(d) for d in digests] if isinstance(digests, list) else []
    except (OSError, ValueError, KeyError, TypeError):
        return []


def index_records(records: Sequence[SearchRecord], folder: Path,
                  bundle_papers: int = BUNDLE_PAPERS, reuse: Path | None = None,
                  at_once: int = 1) -> IndexReport:
    """Index `records` (newest first) into `folder`/pagefind, which must not exist yet.
    `reuse`: an index whose bundles are linked in where their records are the same.
    `at_once`: how many bundles to index at a time, each Pagefind on a CPU of its own
    (about 700 MB each for 5,000 papers)."""
    start = time.perf_counter()
    if bundle_papers < 1:
        raise GeneratorError(f"papers per bundle: expected a number >= 1, got {bundle_papers}")
    parts = bundles(records, bundle_papers)
    digests = [_digest(part) for part in parts]
    old = _reusable(reuse)
    old = old if len(old) == len(parts) else []  # another dealing: every bundle is new
    work = Path(tempfile.mkdtemp(prefix=".bundles-", dir=folder))
    fresh = []
    try:
        out = folder / OUTPUT
        for number in range(len(parts)):
            if reuse is not None and old and old[number] == digests[number]:
                # Bundle 0 is the index's top folder; the others are its numbered folders.
                source = reuse if number == 0 else reuse / str(number)
                shutil.copytree(source, work / str(number), copy_function=os.link,
                                ignore=lambda d, names: [n for n in names if n.isdigit() or n == MANIFEST]
                                if Path(d) == reuse else [])
            else:
                fresh.append(number)
        # One Pagefind process per bundle, whose memory is freed when it ends; `at_once` of
        # them at a time at most, each on a CPU no other one holds.
        slots = _cpus()[:max(1, at_once)]
        cpus: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        for cpu in slots:
            cpus.put(cpu)

        def index_one(number: int) -> None:
            cpu = cpus.get()
            try:
                _index_bundle(parts[number], work / str(number), cpu)
            finally:
                cpus.put(cpu)

        with ThreadPoolExecutor(max_workers=max(1, min(len(slots), len(fresh)))) as pool:
            list(pool.map(index_one, fresh))
        (work / "0").replace(out)
        for number in range(1, len(parts)):
            (work / str(number)).replace(out / str(number))
        manifest = {"merge": [f"{n}/" for n in range(1, len(parts))], "records": digests}
        (out / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return IndexReport(sum(map(len, parts)), len(parts), out, time.perf_counter() - start, len(fresh))


def index_site(content_dir: Path, site: Path, bundle_papers: int = BUNDLE_PAPERS) -> IndexReport:
    """Load and validate content/, then index it into `site` (the CLI and the paper-index plugin)."""
    from generator.review.check import load_catalog

    return write_search_index(load_catalog(content_dir), site, bundle_papers)


def index_docs(docs_dir: Path, folder: Path, bundle_papers: int = BUNDLE_PAPERS,
               at_once: int = 1) -> IndexReport:
    """Index the records `generator build` wrote into the docs folder (RECORDS) into
    `folder`/pagefind (`generator site`), `at_once` bundles at a time."""
    return index_records(read_records(docs_dir / RECORDS), folder, bundle_papers, at_once=at_once)


def index_beside_mkdocs(docs_dir: Path) -> bool:
    """Whether the catalog is small enough to index while MkDocs builds (BESIDE_MKDOCS)."""
    try:
        with (docs_dir / RECORDS).open("rb") as records:
            return sum(1 for _ in records) <= BESIDE_MKDOCS
    except OSError:
        return True  # index_docs names the missing file


# --- Pagefind's Python API --------------------------------------------------------------


async def _index(records: Sequence[SearchRecord], out: Path, cpu: int | None) -> None:
    """One Pagefind index of `records`, numbered in their order, written into `out`, by a
    Pagefind process on `cpu`."""
    from pagefind.index import IndexConfig

    try:
        service = _service_class()()
        with _one_cpu(cpu):
            await service.launch()
    except OSError as exc:  # FileNotFoundError from the package, or the binary would not start
        raise GeneratorError(f"Pagefind's binary could not be started ({exc}): install the "
                             "pinned pagefind[bin] (make install)") from None
    try:
        index = await service.create_index(IndexConfig(force_language=LANGUAGE))
        for at in range(0, len(records), _WINDOW):
            # Tasks start in the order they are made, and each writes its request before it
            # first waits: Pagefind receives, and numbers, the records in this order.
            await asyncio.gather(*(index.add_custom_record(
                url=r.url, content=r.content, language=LANGUAGE, meta=r.meta, filters=r.filters)
                for r in records[at:at + _WINDOW]))
        await index.write_files(str(out))
        await _written(out, len(records))
    except _PagefindError as exc:
        raise GeneratorError(f"Pagefind failed: {exc}") from None
    except OSError as exc:  # its end of the pipe closed: the binary stopped
        raise GeneratorError(f"Pagefind stopped while indexing ({exc})") from None
    finally:
        if getattr(service, "_backend", None) is not None:
            await service.close()


def _cpus() -> list[int | None]:
    """The CPUs this process may run on, the last first (None: the system does not say)."""
    if not hasattr(os, "sched_getaffinity"):
        return [None]
    return sorted(os.sched_getaffinity(0), reverse=True)


@contextmanager
def _one_cpu(cpu: int | None) -> Iterator[None]:
    """This thread on `cpu` while it starts Pagefind, which inherits the mask. Pagefind
    indexes on one core whatever it is given, and on more its threads spin against each
    other: at 5,000 papers on two cores, 4.7 s of kernel time and the same 7.7 s of wall
    time, against 3.0 s on one. The CPU it leaves goes to the MkDocs shards beside it, or
    to the next bundle's Pagefind."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):  # as the system schedules it
        yield
        return
    mask = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, mask)


def _index_bundle(records: Sequence[SearchRecord], out: Path, cpu: int | None) -> None:
    """One bundle, written and checked; written once more if Pagefind left it incomplete."""
    for attempt in (1, 2):
        asyncio.run(_index(records, out, cpu))
        try:
            _check_written(out, len(records))
            return
        except GeneratorError:
            if attempt == 2:
                raise
            shutil.rmtree(out, ignore_errors=True)


EXIT_SECONDS = 120
"""How long Pagefind may take to write what is pending and exit, once its input ends."""
WRITE_SECONDS = 60
"""How long Pagefind may take, after answering `write_files`, to have the index on disk."""


async def _written(out: Path, records: int) -> None:
    """Wait, with the binary still running, until `out` holds a whole index (or
    WRITE_SECONDS pass: `_index_bundle` then checks and writes it once more). Pagefind
    answers `write_files` before every file is on disk; under load, ending its input
    right then once left both attempts' entry files empty."""
    deadline = time.monotonic() + WRITE_SECONDS
    while time.monotonic() < deadline:
        try:
            _check_written(out, records)
            return
        except GeneratorError:
            await asyncio.sleep(0.05)


def _check_written(out: Path, records: int) -> None:
    """A GeneratorError unless `out` holds a whole Pagefind index: an entry file that
    reads, and (with records) the metadata file it names, not empty. Checked before the
    index replaces the site's, so a broken one never does."""
    entry = out / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        metas = [out / f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GeneratorError(f"Pagefind wrote an incomplete index ({entry}: {exc}); "
                             "the site's search index is unchanged") from None
    if (records and not metas) or any(not meta.is_file() or meta.stat().st_size == 0 for meta in metas):
        raise GeneratorError(f"Pagefind wrote an incomplete index (no metadata beside {entry}); "
                             "the site's search index is unchanged")


class _PagefindError(Exception):
    """Pagefind refused a request, or its service stopped answering."""


def _service_class() -> type:
    """PagefindService, reading Pagefind's answers as they come.

    The package (1.5.2) reads one answer per tenth of a second (a sleep in its loop),
    which would take 83 minutes for 50,000 records (Pagefind issue #976), and leaves
    every request waiting for ever if the binary stops. This reads the answers back to
    back and fails the waiting requests when the binary stops. Only the reading of
    answers and the stopping are replaced; requests go through the package's own code."""
    from pagefind.service import PagefindService

    class Service(PagefindService):
        async def _wait_for_responses(self) -> None:
            assert self._backend.stdout is not None
            try:
                while True:
                    raw = await self._backend.stdout.readuntil(b",")
                    answer = json.loads(base64.b64decode(raw[:-1]))
                    payload = answer["payload"]
                    future = self._responses.get(answer.get("message_id"))  # type: ignore[arg-type]
                    if future is None:  # an answer to no request: Pagefind could not read one
                        raise _PagefindError(payload.get("message", payload))
                    if future.done():
                        continue
                    if payload["type"] == "Error":
                        future.set_exception(_PagefindError(payload["message"]))
                    else:
                        future.set_result(payload)
            except (asyncio.IncompleteReadError, _PagefindError, ValueError, KeyError) as exc:
                error = exc if isinstance(exc, _PagefindError) else _PagefindError(
                    "its service stopped answering")
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(error)

        async def close(self) -> None:
            """Let the binary finish and exit: it answers `write_files` before every file
            is on disk, so stopping it there (as the package's close does) sometimes left
            a bundle's pagefind-entry.json empty, and search on the site broke. At the
            end of its input it writes what is pending and exits; one that has not
            within EXIT_SECONDS, or has stopped answering, is stopped."""
            backend = self._backend
            if backend.returncode is None and backend.stdin is not None and not backend.stdin.is_closing():
                backend.stdin.close()
                try:
                    await asyncio.wait_for(backend.wait(), EXIT_SECONDS)
                except asyncio.TimeoutError:
                    pass
            self._poll_task.cancel()
            if backend.returncode is None:
                backend.terminate()
            await backend.wait()

    return Service
