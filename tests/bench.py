"""Build, size and search benchmark: prints figures, asserts nothing (`make bench`).

For each size it makes a content folder of N papers (the real papers, repeated
with joined titles, tagged rarer abstract words and their own code links, so that
every file is a distinct paper) and measures, in one run:

- `check`, cold and remembered (.cache/generator), and each stage of `make site`
  (`generator build` cold, `generator site` = MkDocs in shards, the search index:
  `generator index` when the generator has it, else Pagefind), with its wall time
  and the peak RSS of its process tree (sampled from /proc); then `generator build`
  again with nothing changed, and after editing one paper;
- the site's size, by kind of file, and the median and largest paper page;
- in headless Chromium, on a cold page served with gzip as GitHub Pages serves
  it: the bytes downloaded before the first search result, and the time from
  focusing the search box and typing to the first result;
- under `mkdocs serve --dirty` (what `make serve` runs), the time from editing
  one paper's file to its page showing the edit, and to the search index
  having it (sizes up to --serve-max);
- adding one paper: `new` from flags, and `import` of a one-card listing;
- the anchor: Hugo with minimal templates, then Pagefind over Hugo's output,
  built from the same pages in the same run;
- a larger catalog (--matrix, 100,000 papers in 8 shards by default) built as a CI
  matrix would: the shard plan (`generator site --dry-run`), each shard in its own
  process (`--shard I/N`), then the merge (`--merge`) and the search index.

    python tests/bench.py [--sizes 532,5000,10000,50000] [--matrix 100000:8] [--jobs N]
                          [--index auto|generator|pagefind] [--single]
                          [--no-hugo] [--no-browser] [--serve-max 10000]

Hugo is not installed by this script: without `hugo` on PATH the anchor is
skipped with a message (Debian: `apt-get install hugo`). Load averages are printed
at the start, for each size and at the end: the machine may be shared.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from helpers import ROOT  # tests/ is on sys.path when this file is run as a script

sys.path.insert(0, str(ROOT))

from generator.review.check import read_papers  # noqa: E402
from generator.store.paperfile import paper_to_yaml  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
QUERY = "transformer"
"""Typed into the search box: a common word, so the first page of results is full."""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]


# --- content -----------------------------------------------------------------


def _every_topic_first(papers: list) -> list:
    """The papers reordered so that the first few cover every topic: a small bench
    (the smoke test's 50) must still pass `check`, which refuses a topic with no paper."""
    first, rest, covered = [], [], set()
    for paper in papers:
        new = set(paper.shown_topics) - covered
        (first if new else rest).append(paper)
        covered |= new
    return first + rest


COMMON_WORDS = 1500
"""Words among this many most frequent in the real abstracts stay as they are in a copy."""
_WORD = re.compile(r"[A-Za-z]{3,}")


def _common_words(papers: list) -> frozenset[str]:
    counts = collections.Counter(w.lower() for p in papers for w in _WORD.findall(p.abstract))
    return frozenset(w for w, _ in counts.most_common(COMMON_WORDS))


def _tag(n: int) -> str:
    """Letters only, different for each copy number: `qb`, `qc`, ..., `qbb`."""
    out = ""
    while True:
        out += chr(97 + n % 26)
        n //= 26
        if not n:
            return "q" + out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def distinct_abstract(abstract: str, other: str, n: int, common: frozenset[str]) -> str:
    """A synthetic paper's abstract: the first half of its paper's sentences and the second
    half of the other paper's (the one its title is joined to), with the rarer words (names,
    terms) tagged by the copy's number, as different papers have different names and terms.
    Copies are then distinct papers to `check`'s abstract comparison (verbatim copies would
    be 94 duplicates each at 50,000), to related papers and to search."""
    first, second = _SENTENCE_END.split(abstract.strip()), _SENTENCE_END.split(other.strip())
    text = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2:])
    tag = _tag(n)
    return _WORD.sub(lambda m: m[0] if m[0].lower() in common else m[0] + tag, text)


def distinct_code_link(url: str, i: int) -> str:
    """The paper's own repository: its number added to the path (before any ?query or #part)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}-{i}"))


def make_content(folder: Path, size: int) -> Path:
    content = folder / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "topics.yml", content / "topics.yml")
    if (ROOT / "content" / "pages").exists():
        shutil.copytree(ROOT / "content" / "pages", content / "pages")
    if (ROOT / "content" / "listings").exists():
        shutil.copytree(ROOT / "content" / "listings", content / "listings")
    papers = _every_topic_first(read_papers(ROOT / "content"))
    common = _common_words(papers)
    for i in range(size):
        paper = papers[i % len(papers)]
        if i >= len(papers):
            # A distinct title (no near-duplicate warnings): this title joined to another's.
            n = i // len(papers)
            other = papers[(i * 7 + n) % len(papers)]
            title = f"{paper.title} meets {other.title}"
            # Its topics are a curator's choice (`topics`), the source paper's: the rules
            # would give the joined title other topics, and re-running them over every
            # synthetic paper here would cost minutes at 50,000 (7.5 ms a paper). So
            # `check` below re-runs the rules for the 532 real papers only.
            # Its own abstract and code links: the same repository in 94 papers would be
            # a possible duplicate to `check` (issue 20).
            links = tuple(dataclasses.replace(link, url=distinct_code_link(link.url, i))
                          if link.kind == "code" else link for link in paper.links)
            abstract = distinct_abstract(paper.abstract, other.abstract, n, common)
            paper = dataclasses.replace(paper, slug=f"{paper.slug[:60].rstrip('-')}-{i}", title=title,
                                        abstract=abstract, links=links,
                                        arxiv=None, topics=paper.shown_topics, proposed_topics=(), redirect_from=())
        (content / "papers" / f"{paper.slug}.yml").write_text(paper_to_yaml(paper), encoding="utf-8")
    return content


def make_project(work: Path, size: int) -> Path:
    project = work / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy(src, project / name)
    shutil.move(str(make_content(work, size)), project / "content")
    return project


# --- measuring a command ---------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


@dataclasses.dataclass
class Stage:
    seconds: float
    peak_mb: float


def measure(cmd: list[str], cwd: Path) -> Stage:
    """Run `cmd`, sampling its process tree's memory every 50 ms; exit on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = io.BytesIO()
    reader = threading.Thread(target=lambda: out.write(proc.stdout.read()), daemon=True)
    reader.start()
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    reader.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.getvalue().decode(errors='replace')}")
    return Stage(elapsed, peak / 1e6)


# --- sizes -------------------------------------------------------------------------


def site_size(site: Path) -> tuple[float, int]:
    """Apparent size in MB and number of files."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    return sum(sizes) / 1e6, len(sizes)


REDIRECT_MARK = b'<meta name="robots" content="noindex">'
"""In the head of a stub at an old address (overrides/paper-redirect.html, moved.html)."""


def paper_pages(site: Path) -> list[int]:
    """Bytes of each paper page (not the redirect stubs of old slugs)."""
    sizes = []
    for page in (site / "papers").glob("*/index.html"):
        head = page.read_bytes()[:600]
        if REDIRECT_MARK not in head:
            sizes.append(page.stat().st_size)
    return sizes


FILE_KINDS = ("paper pages", "redirect stubs", "topic pages", "other pages", "downloads", "search index",
              "sitemap", "assets")


def file_kind(rel: str, head: bytes) -> str:
    """What a file of site/ is, for the size breakdown."""
    if rel.startswith("pagefind/"):
        return "search index"
    if rel.startswith("assets/"):
        return "assets"
    if rel.startswith("sitemap.xml"):
        return "sitemap"
    if not rel.endswith(".html"):
        return "downloads"  # feeds, JSON, CSV, BibTeX, the schema, robots.txt
    if REDIRECT_MARK in head or rel.startswith(("code/", "years/", "tags/")):
        return "redirect stubs"
    if rel.startswith("papers/"):
        return "paper pages"
    if rel.startswith("topics/"):
        return "topic pages"
    return "other pages"


def site_breakdown(site: Path) -> dict[str, tuple[float, int]]:
    """MB and files per kind of file."""
    out = {kind: [0, 0] for kind in FILE_KINDS}
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            head = path.read_bytes()[:600] if rel.endswith(".html") else b""
            entry = out[file_kind(rel, head)]
            entry[0] += path.stat().st_size
            entry[1] += 1
    return {kind: (size / 1e6, n) for kind, (size, n) in out.items()}


# --- the browser ---------------------------------------------------------------------

_GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text files gzip-encoded when the browser asks, as GitHub Pages does.
    (Pagefind's index files are gzip inside already and go out as they are.)"""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in _GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file():
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def browser_figures(site: Path, page_path: str, runs: int) -> dict[str, float]:
    """Cold page, then search, `runs` times, each in a fresh browser context (empty cache):
    bytes (over the wire, the same every run) and ms from focusing the box to the first
    result card, and to the whole index's results (the same moment with one bundle; past
    one, the first bundle's matches show first, search.js). The times are the median of
    the runs, with their range: one cold search moves by a factor of two on a busy machine."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                        args=ARGS)
            samples = [_cold_search(browser, base + page_path) for _ in range(runs)]
            browser.close()
    finally:
        server.shutdown()
    first = [s["first_ms"] for s in samples]
    whole = [s["whole_ms"] for s in samples]
    return {**samples[0], "first_ms": statistics.median(first),
            "first_range": (min(first), max(first)), "whole_ms": statistics.median(whole),
            "runs": runs}


def _cold_search(browser, url: str) -> dict[str, float]:  # noqa: ANN001 - a Playwright Browser
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    requests: list = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page_bytes = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)
    before = len(requests)
    # The clock starts when the box gets focus (the reader's click), not when the
    # test harness starts its click.
    page.evaluate("""() => {
      window.__first = null
      window.__whole = null
      window.__t0 = null
      const list = document.getElementById('pi-search-results')
      const status = document.querySelector('.md-search-result__meta')
      new MutationObserver(() => {
        if (window.__first === null && list.querySelector('.pi-card')) window.__first = performance.now()
      }).observe(list, {childList: true})
      new MutationObserver(() => {
        if (window.__whole === null && /found/.test(status.textContent)) window.__whole = performance.now()
      }).observe(status, {childList: true, characterData: true, subtree: true})
      document.querySelector('.md-search__input').addEventListener('focus', () => {
        if (window.__t0 === null) window.__t0 = performance.now()
      }, {capture: true})
    }""")
    page.locator(".md-search__input").click()
    page.keyboard.type(QUERY)
    page.wait_for_function("() => window.__whole !== null", timeout=120_000)
    page.wait_for_load_state("networkidle")
    origin, t0, first, whole = page.evaluate(
        "() => [performance.timeOrigin, window.__t0, window.__first, window.__whole]")
    search = requests[before:]

    def until(moment: float) -> float:
        """Bytes of the search's requests that had finished at `moment` (page clock)."""
        end = origin + moment
        return sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in search
                   if r.timing["startTime"] + r.timing["responseEnd"] <= end + 1)

    first_bytes, whole_bytes = until(first), until(whole)
    context.close()
    return {"page_kb": page_bytes / 1e3, "search_kb": first_bytes / 1e3,
            "first_kb": (page_bytes + first_bytes) / 1e3, "first_ms": first - t0,
            "whole_kb": (page_bytes + whole_bytes) / 1e3, "whole_ms": whole - t0}


# --- make serve --------------------------------------------------------------------------


def serve_figures(project: Path) -> dict[str, float]:
    """`mkdocs serve --dirty`: seconds from saving an edited paper to its page showing the
    edit, and to the search index holding it."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    served = project.parent / "served"
    served.mkdir()
    log = io.StringIO()
    # In its own process group, so that stopping it also stops a Pagefind run the
    # paper-index plugin may have started.
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                            cwd=project, env={**ENV, "TMPDIR": str(served)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    reader = threading.Thread(target=lambda: [log.write(line) for line in proc.stdout], daemon=True)
    reader.start()
    paper = sorted((project / "content" / "papers").glob("*.yml"))[0]
    url = f"http://127.0.0.1:{port}/paper-index/papers/{paper.stem}/"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 3600
        while "Search index updated" not in log.getvalue() and time.monotonic() < deadline:
            time.sleep(0.2)  # the first build and its index
        import yaml

        marker = "Edited For The Benchmark"
        data = yaml.safe_load(paper.read_text(encoding="utf-8"))
        data["title"] = marker
        edited = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        start = time.perf_counter()
        paper.write_text(edited, encoding="utf-8")
        indexed_before = log.getvalue().count("Search index updated")
        page_s = index_s = float("nan")
        while time.perf_counter() - start < 600:
            if page_s != page_s and marker in fetch():
                page_s = time.perf_counter() - start
            if index_s != index_s and log.getvalue().count("Search index updated") > indexed_before:
                index_s = time.perf_counter() - start
            if page_s == page_s and index_s == index_s:
                break
            time.sleep(0.05)
    finally:
        stop(proc)
    return {"refresh_s": page_s, "reindex_s": index_s}


def stop(proc: subprocess.Popen) -> None:
    """End a process this script started, and the processes it started (its group)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    time.sleep(0.5)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # what is left of the group, such as a Pagefind run
    except ProcessLookupError:
        pass
    proc.wait()


# --- the anchor: Hugo + Pagefind ---------------------------------------------------------


def bench_hugo(project: Path, work: Path) -> dict[str, Stage] | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    import yaml

    site = work / "hugo"
    (site / "content" / "papers").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>')
    (site / "layouts" / "_default" / "list.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>')
    for path in (project / "content" / "papers").glob("*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        front = yaml.safe_dump({"title": data["title"]}, allow_unicode=True)
        (site / "content" / "papers" / f"{path.stem}.md").write_text(f"---\n{front}---\n\n{data['abstract']}\n",
                                                                     encoding="utf-8")
    stages = {"hugo": measure([hugo, "--quiet"], site)}
    stages["pagefind"] = measure([PY, "-m", "pagefind", "--site", "public", "--silent"], site)
    return stages


# --- one size ---------------------------------------------------------------------------------


def index_command(project: Path, choice: str) -> list[str]:
    """The search stage of `make site`: the catalog's index (`generator index`, issue 17)
    when the generator has that command, else Pagefind over the HTML."""
    if choice == "auto":
        found = subprocess.run([PY, "-m", "generator", "index", "--help"], cwd=project, env=ENV,
                               capture_output=True, text=True).returncode == 0
        choice = "generator" if found else "pagefind"
    if choice == "generator":
        return [PY, "-m", "generator", "index"]
    return [PY, "-m", "pagefind", "--site", "site", "--silent"]


def site_indexes(project: Path) -> bool:
    """Whether `generator site` builds the search index too (it has --no-index)."""
    found = subprocess.run([PY, "-m", "generator", "site", "--help"], cwd=project, env=ENV,
                           capture_output=True, text=True)
    return "--no-index" in found.stdout


def edit_one_paper(project: Path, marker: str) -> Path:
    """Retitle the first paper, as a curator's save would."""
    import yaml

    paper = sorted((project / "content" / "papers").glob("*.yml"))[0]
    data = yaml.safe_load(paper.read_text(encoding="utf-8"))
    data["title"] = marker
    paper.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paper


def bench_size(size: int, args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
    try:
        project = make_project(work, size)
        r: dict[str, object] = {"papers": size, "load": os.getloadavg()}
        r["check"] = measure([PY, "-m", "generator", "check"], project)
        r["check_warm"] = measure([PY, "-m", "generator", "check"], project)
        shutil.rmtree(project / ".cache", ignore_errors=True)  # a cold build: nothing remembered
        r["generate"] = measure([PY, "-m", "generator", "build"], project)
        r["mkdocs"] = measure([PY, "-m", "generator", "site", "--jobs", str(args.jobs)], project)
        if args.single:
            r["mkdocs_single"] = measure([PY, "-m", "mkdocs", "build", "--strict", "--quiet",
                                          "-d", str(work / "single")], project)
            shutil.rmtree(work / "single")
        if site_indexes(project):
            r["index_cmd"] = "in generator site"
        else:
            index = index_command(project, "auto" if args.index == "none" else args.index)
            r["index_cmd"] = " ".join(index[1:4])
            r["search"] = measure(index, project)
        r["generate_warm"] = measure([PY, "-m", "generator", "build"], project)
        edit_one_paper(project, "Edited Once For The Benchmark")
        r["generate_edit"] = measure([PY, "-m", "generator", "build"], project)
        site = project / "site"
        r["site_mb"], r["files"] = site_size(site)
        r["breakdown"] = site_breakdown(site)
        pages = paper_pages(site)
        r["median_kb"], r["largest_kb"] = statistics.median(pages) / 1e3, max(pages) / 1e3
        if not args.no_browser:
            slug = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))[len(pages) // 2]
            r.update(browser_figures(site, f"papers/{slug}/", args.search_runs))
        if not args.no_hugo:
            r["hugo"] = bench_hugo(project, work)
        if size <= args.serve_max:
            r.update(serve_figures(project))
        r.update(add_one_paper(project))
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_matrix(size: int, jobs: int, args: argparse.Namespace) -> dict[str, object]:
    """The build as a CI matrix would run it: `generator build` once (its docs folder is
    the artifact every job downloads), one process per shard building its slice
    (`generator site --shard I/N`), one after another as separate machines would, then
    the merge job and the search index."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-matrix-{size}-"))
    try:
        project = make_project(work, size)
        r: dict[str, object] = {"papers": size, "jobs": jobs, "load": os.getloadavg()}
        r["check"] = measure([PY, "-m", "generator", "check"], project)
        shutil.rmtree(project / ".cache", ignore_errors=True)
        r["generate"] = measure([PY, "-m", "generator", "build"], project)
        plan = subprocess.run([PY, "-m", "generator", "site", "--dry-run", "--jobs", str(jobs)], cwd=project,
                              env=ENV, capture_output=True, text=True, check=True)
        r["plan"] = plan.stdout.rstrip()
        outs = [work / f"shard-{i}" for i in range(1, jobs + 1)]
        r["shards"] = [measure([PY, "-m", "generator", "site", "--shard", f"{i}/{jobs}", "--out", str(out)],
                               project) for i, out in enumerate(outs, 1)]
        r["merge"] = measure([PY, "-m", "generator", "site", "--merge", *map(str, outs)], project)
        if args.index != "none":
            r["search"] = measure(index_command(project, args.index), project)
        r["site_mb"], r["files"] = site_size(project / "site")
        r["breakdown"] = site_breakdown(project / "site")
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


NEW_TITLE = "A Benchmark Paper on Sparse Routing"
NEW_ABSTRACT = ("We route each token to two of eight experts and measure how the quality of a "
                "language model and its cost change with the number of experts per layer.")


def add_one_paper(project: Path) -> dict[str, Stage]:
    """A contributor adding one paper to the catalog: `new` from flags, and `import` of a
    one-card listing, each first in a fresh clone (no `.cache/`: the rules' scores of every
    paper, which the topic proposer reads, are computed once) and then again (each adds a
    file, so every run adds its own title)."""
    def new(title: str) -> Stage:
        return measure([PY, "-m", "generator", "new", "--title", title, "--abstract", NEW_ABSTRACT], project)

    def imported(title: str) -> Stage:
        (project / "one-card.txt").write_text(f"{title}\n{NEW_ABSTRACT}\n", encoding="utf-8")
        return measure([PY, "-m", "generator", "import", "one-card.txt", "--as-of", "2026-12-04"], project)

    shutil.rmtree(project / ".cache", ignore_errors=True)
    new_cold = new(NEW_TITLE)
    new_warm = new(f"{NEW_TITLE}, Twice")
    shutil.rmtree(project / ".cache", ignore_errors=True)
    import_cold = imported(f"{NEW_TITLE} Again")
    import_warm = imported(f"{NEW_TITLE} Again, Twice")
    return {"new": new_cold, "new_warm": new_warm, "import": import_cold, "import_warm": import_warm}


def fmt(value: object, spec: str = ".1f") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    return format(value, spec)


def _load(values: object) -> str:
    return " ".join(f"{x:.2f}" for x in values)  # type: ignore[attr-defined]


def _breakdown(r: dict[str, object]) -> None:
    parts = r["breakdown"]
    print("  site by kind: " + "; ".join(f"{kind} {mb:.1f} MB ({n:,})"
                                          for kind, (mb, n) in parts.items() if n))  # type: ignore[union-attr]


def report(r: dict[str, object]) -> None:
    stages = ["check", "check_warm", "generate", "mkdocs"] + (["mkdocs_single"] if "mkdocs_single" in r else []) \
        + (["search"] if "search" in r else []) + ["generate_warm", "generate_edit"]
    print(f"\n== {r['papers']:,} papers (load average at the start {_load(r['load'])})")
    print(f"  {'stage':<34} {'s':>8} {'peak RSS MB':>12}")
    labels = {"check": "check (cold)", "check_warm": "check (remembered)",
              "generate": "generate (cold: generator build)",
              "mkdocs": "mkdocs (generator site)" if "search" in r else "mkdocs + index (generator site)",
              "mkdocs_single": "mkdocs build (1 process)", "search": f"search index ({r['index_cmd']})",
              "generate_warm": "generate, nothing changed", "generate_edit": "generate, one paper edited"}
    for name in stages:
        stage = r[name]
        print(f"  {labels[name]:<34} {stage.seconds:8.1f} {stage.peak_mb:12.0f}")
    built = [n for n in ("generate", "mkdocs", "search") if n in r]
    total = sum(r[n].seconds for n in built)
    peak = max(r[n].peak_mb for n in built)
    print(f"  {'make site (total)':<34} {total:8.1f} {peak:12.0f}")
    rest = total - r["generate"].seconds  # MkDocs and the index: cold in every make site

    def share(stage: str) -> str:
        return f"{100 * r[stage].seconds / (r[stage].seconds + rest):.1f}%"

    print(f"  generate share of make site: {share('generate')} cold (nothing in .cache); remembering "
          f"(.cache and the docs folder kept): {share('generate_edit')} after one edit, "
          f"{share('generate_warm')} with nothing changed")
    hugo = r.get("hugo")
    if hugo:
        anchor = hugo["hugo"].seconds + hugo["pagefind"].seconds
        print(f"  anchor: hugo {hugo['hugo'].seconds:.1f} s ({hugo['hugo'].peak_mb:.0f} MB) + pagefind "
              f"{hugo['pagefind'].seconds:.1f} s ({hugo['pagefind'].peak_mb:.0f} MB) = {anchor:.1f} s; "
              f"make site / anchor = {total / anchor:.1f}x")
    elif "hugo" in r:
        print("  anchor: skipped, no `hugo` on PATH (Debian: apt-get install hugo)")
    print(f"  site: {r['site_mb']:.1f} MB in {r['files']:,} files; paper page median {r['median_kb']:.1f} KB, "
          f"largest {r['largest_kb']:.1f} KB")
    _breakdown(r)
    if "first_ms" in r:
        print(f"  search, cold paper page, gzip: {fmt(r['first_kb'])} KB before the first result "
              f"(page {fmt(r['page_kb'])} KB + search {fmt(r['search_kb'])} KB), "
              f"{fmt(r['first_ms'], '.0f')} ms from typing to the first result (median of "
              f"{r['runs']} cold searches, {r['first_range'][0]:.0f}-{r['first_range'][1]:.0f} ms); "
              f"the whole index's "
              f"results: {fmt(r['whole_kb'])} KB, {fmt(r['whole_ms'], '.0f')} ms")
    if "new" in r:
        print(f"  add one paper (no .cache / with it): new {r['new'].seconds:.2f} / "
              f"{r['new_warm'].seconds:.2f} s, import of a one-card listing "
              f"{r['import'].seconds:.2f} / {r['import_warm'].seconds:.2f} s")
    if "refresh_s" in r:
        print(f"  make serve: an edited paper's page refreshed in {fmt(r['refresh_s'])} s, "
              f"search re-indexed in {fmt(r['reindex_s'])} s")


def report_matrix(r: dict[str, object]) -> None:
    shards = r["shards"]
    print(f"\n== {r['papers']:,} papers as a CI matrix of {r['jobs']} shard jobs "
          f"(load average at the start {_load(r['load'])})")
    print("  plan (`generator site --dry-run`):")
    for line in str(r["plan"]).splitlines():
        print(f"    {line}")
    print(f"  {'stage':<34} {'s':>8} {'peak RSS MB':>12}")
    rows = [("check", r["check"]), ("generate (cold: generator build)", r["generate"])]
    rows += [(f"shard {i}/{r['jobs']} (one job)", stage) for i, stage in enumerate(shards, 1)]  # type: ignore[arg-type]
    rows += [("merge (generator site --merge)", r["merge"])]
    rows += [("search index", r["search"])] if "search" in r else []
    for label, stage in rows:
        print(f"  {label:<34} {stage.seconds:8.1f} {stage.peak_mb:12.0f}")
    slowest = max(stage.seconds for stage in shards)  # type: ignore[union-attr]
    search = r["search"].seconds if "search" in r else 0.0
    wall = r["generate"].seconds + slowest + r["merge"].seconds + search
    one = r["generate"].seconds + sum(stage.seconds for stage in shards) + r["merge"].seconds + search
    print(f"  matrix wall time (generate + slowest shard + merge + index): {wall:.1f} s; "
          f"the same jobs one after another: {one:.1f} s")
    print(f"  site: {r['site_mb']:.1f} MB in {r['files']:,} files")
    _breakdown(r)


def versions() -> str:
    import importlib.metadata as md

    found = [f"Python {sys.version.split()[0]}"] + [f"{name} {md.version(name)}" for name in
                                                      ("mkdocs", "mkdocs-material", "pagefind")]
    hugo = shutil.which("hugo")
    if hugo:
        found.append("hugo " + subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1])
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="532,5000,10000,50000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="MkDocs processes for `generator site` (default: CPUs)")
    parser.add_argument("--matrix", default="100000:8", metavar="PAPERS:JOBS",
                        help="also build PAPERS papers as a CI matrix of JOBS shard jobs "
                        "(default: %(default)s; 0 to skip)")
    parser.add_argument("--index", choices=("auto", "generator", "pagefind", "none"), default="auto",
                        help="the search stage: `generator index` when it exists (auto), or Pagefind; "
                        "`none` skips it in the matrix row (Pagefind alone needs 12 GB at 100,000 pages)")
    parser.add_argument("--single", action="store_true", help="also time one plain `mkdocs build`")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--search-runs", type=int, default=5, metavar="N",
                        help="cold searches per size (each in a fresh browser context); "
                             "the median is reported")
    parser.add_argument("--serve-max", type=int, default=10_000,
                        help="measure `make serve` for sizes up to this (default: %(default)s)")
    args = parser.parse_args()
    print(f"python tests/bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"machine: {os.cpu_count()} cores, load average {_load(os.getloadavg())}; {versions()}")
    if not args.no_hugo and not shutil.which("hugo"):
        print("hugo: not on PATH, the anchor is skipped (Debian: apt-get install hugo)")
    for size in (int(s) for s in args.sizes.split(",") if s):
        report(bench_size(size, args))
        sys.stdout.flush()
    papers, _, jobs = args.matrix.partition(":")
    if int(papers or 0):
        report_matrix(bench_matrix(int(papers), int(jobs or 8), args))
    print(f"\nload average at the end: {_load(os.getloadavg())}")


if __name__ == "__main__":
    main()
