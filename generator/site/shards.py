"""`python -m generator site`: `mkdocs build --strict`, split over processes, one site.

MkDocs renders one page at a time on one core, and a paper page needs nothing
from the others: its Markdown is empty (its body is HTML in the front matter,
templates/paper_body.html), and its navigation is the site's fixed `nav:`. So the
paper pages, sorted by file name, are cut into shards of equal count, whatever
the slugs look like (a catalog whose slugs share a prefix, or that grows by
date, splits as evenly as any). Each shard is a plain `mkdocs build` of the same
docs folder whose config adds a hook (`shard_hook`) that leaves out the other
shards' papers (shard 1 also builds every other page and copies the theme's
assets); the shards' outputs merge into one site/: the same files, byte for
byte, as one `mkdocs build --strict`, sitemap.xml included.

Each shard's config is a small file next to mkdocs.yml that INHERITs it (MkDocs
resolves the relative paths of an inherited config from the child's folder).
Shards build into folders next to site/, which replaces site/ only when every
shard succeeded and every page carries the digest of its front matter (proof
that MkDocs read it, `frontmatter.unread_pages`); on any failure site/ is left
as it was.

With an indexer (`generator site` without --no-index), the search index is built from
the catalog in a thread while the shards build (it reads no page; the Pagefind binary
runs in its own process), and goes into site/ with them: on 2 cores MkDocs leaves CPU
idle while it starts and merges. A catalog too large for both to fit in memory at once
is indexed after the shards instead.

The same split is what a CI matrix runs on separate machines for a very large
catalog: `--shard I/N --out DIR` in each job, then `--merge DIR...` in one job
(`--dry-run` prints the plan). Every job computes the same plan from the same
docs folder, and the merge refuses outputs of different plans.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable

from generator.errors import GeneratorError
from generator.site import shard_hook
from generator.site.frontmatter import unread_pages
from generator.site.search_index import IndexReport

_URL_ENTRY = re.compile(rb"\s*<url>.*?</url>", re.S)
"""A sitemap entry with the white space before it."""
_PAPER_LOC = re.compile(rb"<loc>[^<]*/papers/[^<]+</loc>")
MARKER = ".shard.json"
"""Written into a shard's output by `--shard`, read and removed by `--merge`."""
_UNREAD_SHOWN = 20


@dataclass(frozen=True)
class Shard:
    """One slice of the paper pages, by file name: `first` to `last`, both included."""

    number: int
    """1-based; shard 1 also builds every page that is not a paper."""
    of: int
    papers: int
    first: str | None
    """None when the shard has no paper (a catalog with fewer papers than shards)."""
    last: str | None
    plan: str
    """A digest of the whole plan (every file name and the cuts): shards of one plan merge."""

    def __str__(self) -> str:
        span = f"{self.first} .. {self.last}" if self.first else "no paper pages"
        other = ", and every other page" if self.number == 1 else ""
        return f"shard {self.number}/{self.of}: {self.papers} paper pages ({span}){other}"


@dataclass(frozen=True)
class SiteReport:
    shards: int
    papers: list[int]
    """Paper pages per shard."""
    seconds: float
    site_dir: Path
    index: IndexReport | None = None
    """The search index's report, if `generator site` built it."""

    def __str__(self) -> str:
        split = " + ".join(str(n) for n in self.papers)
        built = (f"Built the site into {self.site_dir} with MkDocs in {self.shards} shard(s) "
                 f"({split} paper pages) in {self.seconds:.1f}s")
        return built if self.index is None else f"{built}\n{self.index}"


Indexer = Callable[[Path], IndexReport]
"""Writes the site's search index into the folder it is given, as `pagefind/`
(`search_index.index_docs`)."""


def partition(names: list[str], shards: int) -> list[Shard]:
    """`names` (paper file names) sorted and cut into `shards` runs whose sizes differ by at
    most one; never more shards than papers, and always at least one."""
    names = sorted(names)
    count = max(1, min(shards, len(names)))
    digest = hashlib.sha256(f"{count}\n".encode() + "\n".join(names).encode()).hexdigest()[:16]
    plan = []
    for i in range(count):
        mine = names[i * len(names) // count:(i + 1) * len(names) // count]
        plan.append(Shard(i + 1, count, len(mine), mine[0] if mine else None,
                          mine[-1] if mine else None, digest))
    return plan


def paper_names(docs_dir: Path) -> list[str]:
    """The file names of the paper pages (and redirect stubs) in the docs folder."""
    papers = docs_dir / "papers"
    if not papers.is_dir():
        return []
    return [e.name for e in os.scandir(papers) if e.name.endswith(".md") and e.is_file()]


def docs_folder(config_file: Path) -> Path:
    """The docs folder `config_file` names (where `generator build` wrote the pages)."""
    return _config(config_file)[1]


def _config(config_file: Path) -> tuple[Any, Path, Path]:
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    return config, Path(config["docs_dir"]), Path(config["site_dir"])


def plan_site(config_file: Path, shards: int) -> list[Shard]:
    """The shard plan of the docs folder that `config_file` reads."""
    _, docs_dir, _ = _config(config_file.resolve())
    return partition(paper_names(docs_dir), shards)


def _shard_config(main: Path, config: Any, site_dir: Path, shard: Shard) -> str:
    """An INHERIT config that builds only `shard`'s papers (and, in shard 1, every page
    that is not a paper). A child's `hooks:` replaces the parent's, so it lists both."""
    hooks = [str(Path(m.__file__)) for m in config["hooks"].values()] + [shard_hook.__file__]
    extra = {shard_hook.CONFIG_KEY: {"first": shard.first, "last": shard.last,
                                     "other_pages": shard.number == 1}}
    return (f"# Written by `python -m generator site`; removed when the build ends.\n"
            f"INHERIT: {json.dumps(main.name)}\nsite_dir: {json.dumps(str(site_dir))}\n"
            f"hooks: {json.dumps(hooks)}\nextra: {json.dumps(extra)}\n")


def _merge_sitemaps(target: Path, others: list[Path]) -> None:
    """One sitemap.xml (and .gz) with every shard's <url> entries, in the order of one
    `mkdocs build`: the shards' papers are consecutive runs of the sorted file names, so
    the later shards' entries go right after shard 1's last paper."""
    main = (target / "sitemap.xml").read_bytes()
    extra = b"".join(b"".join(_URL_ENTRY.findall((o / "sitemap.xml").read_bytes())) for o in others)
    papers = [m for m in _URL_ENTRY.finditer(main) if _PAPER_LOC.search(m[0])]
    end = papers[-1].end() if papers else main.rindex(b"</urlset>")
    merged = main[:end] + extra + main[end:]
    (target / "sitemap.xml").write_bytes(merged)
    gz = target / "sitemap.xml.gz"
    # MkDocs' own header: the file's name and the build's date (bytes 4-8 of shard 1's).
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
    with open(gz, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(merged)


def _run_shards(config_file: Path, config: Any, shards: list[Shard],
                outs: list[Path]) -> None:
    """Build each shard into its folder, all at once; GeneratorError naming every failure."""
    paths = []
    try:
        for shard, out in zip(shards, outs, strict=True):
            path = config_file.parent / f".{config_file.stem}.shard-{shard.number}.yml"
            path.write_text(_shard_config(config_file, config, out, shard), encoding="utf-8")
            paths.append(path)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

        def run(path: Path) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(path)],
                                  cwd=config_file.parent, capture_output=True, text=True, env=env)

        with ThreadPoolExecutor(max_workers=len(paths)) as pool:
            results = list(pool.map(run, paths))
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    failed = [(s, r) for s, r in zip(shards, results, strict=True) if r.returncode]
    if failed:
        report = "\n".join(f"{s}:\n{r.stdout}{r.stderr}" for s, r in failed)
        raise GeneratorError(f"mkdocs build failed\n{report.rstrip()}")


def _merge_into(outs: list[Path], config: Any, work: Path, extra: Path | None = None) -> None:
    """Move the papers of shards 2.. into shard 1's output, merge the sitemaps, check that
    MkDocs read every page's front matter, move in every entry of `extra` (the search
    index), and swap the result in for site_dir."""
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    target = outs[0]
    for out in outs[1:]:
        for entry in os.scandir(out / "papers") if (out / "papers").is_dir() else ():
            (target / "papers").mkdir(exist_ok=True)
            os.replace(entry.path, target / "papers" / entry.name)
    if len(outs) > 1:
        _merge_sitemaps(target, outs[1:])
    if unread := unread_pages(docs_dir, target, config["use_directory_urls"]):
        listed = "\n".join(f"  {docs_dir / rel}" for rel in unread[:_UNREAD_SHOWN])
        more = f"\n  and {len(unread) - _UNREAD_SHOWN} more" if len(unread) > _UNREAD_SHOWN else ""
        raise GeneratorError(
            f"MkDocs did not read the front matter of {len(unread)} page(s), which would lose "
            f"their layout and show their raw text; {site_dir} is unchanged (is the docs "
            f"folder what `python -m generator build` wrote?):\n{listed}{more}")
    for entry in os.scandir(extra) if extra is not None else ():
        target_entry = target / entry.name
        if target_entry.exists():
            shutil.rmtree(target_entry) if target_entry.is_dir() else target_entry.unlink()
        os.replace(entry.path, target_entry)
    if site_dir.exists():
        os.replace(site_dir, work / "old")
    os.replace(target, site_dir)


def build_site(config_file: Path, jobs: int, index: Indexer | None = None,
               index_beside: bool = True) -> SiteReport:
    """Build the site of `config_file` with `jobs` MkDocs processes, and its search index with
    `index`: beside the shards, or after them when `index_beside` is false (memory); see the
    module doc. On any failure site_dir is left as it was."""
    start = time.perf_counter()
    config_file = config_file.resolve()
    config, docs_dir, site_dir = _config(config_file)
    shards = partition(paper_names(docs_dir), jobs)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.shards.", dir=site_dir.parent))
    try:
        outs = [work / str(s.number) for s in shards]
        indexed = work / "index"
        indexed.mkdir()
        errors, report = [], None
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(index, indexed) if index is not None and index_beside else None
            try:
                _run_shards(config_file, config, shards, outs)
            except GeneratorError as exc:
                errors.append(str(exc))
            if index is not None and not index_beside and not errors:
                running = pool.submit(index, indexed)
            try:
                report = running.result() if running is not None else None
            except GeneratorError as exc:
                errors.append(str(exc))
        if errors:
            raise GeneratorError("\n".join(errors) + f"\n{site_dir} is unchanged")
        _merge_into(outs, config, work, indexed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if report is not None:  # moved into site_dir with the pages
        report = replace(report, out_dir=site_dir / report.out_dir.name)
    return SiteReport(len(shards), [s.papers for s in shards], time.perf_counter() - start, site_dir,
                      report)


def build_shard(config_file: Path, number: int, of: int, out: Path) -> Shard:
    """One shard of the plan for `of` shards into `out` (a CI matrix job), with a marker
    that `merge_site` checks."""
    config_file = config_file.resolve()
    config, docs_dir, _ = _config(config_file)
    shards = partition(paper_names(docs_dir), of)
    if not 1 <= number <= of:
        raise GeneratorError(f"--shard {number}/{of}: expected a shard number from 1 to {of}")
    if number > len(shards):  # fewer papers than shards: this one has nothing to build
        out.mkdir(parents=True, exist_ok=True)
        shard = Shard(number, of, 0, None, None, shards[0].plan)
    else:
        shard = shards[number - 1]
        if out.exists():
            shutil.rmtree(out)
        _run_shards(config_file, config, [shard], [out.resolve()])
    (out / MARKER).write_text(json.dumps(asdict(shard)), encoding="utf-8")
    return shard


def merge_site(config_file: Path, outs: list[Path]) -> SiteReport:
    """Merge the outputs of every shard of one plan (`build_shard`) into site_dir; on any
    error site_dir is left as it was."""
    start = time.perf_counter()
    config, _, site_dir = _config(config_file.resolve())
    by_number: dict[int, tuple[Shard, Path]] = {}
    for out in outs:
        try:
            shard = Shard(**json.loads((out / MARKER).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            raise GeneratorError(f"{out}: not the output of `generator site --shard`") from None
        by_number[shard.number] = (shard, out)
    shards = [by_number[n][0] for n in sorted(by_number)]
    of = shards[0].of if shards else 0
    if (not shards or len({s.plan for s in shards}) > 1 or any(s.of != of for s in shards)
            or sorted(by_number) != list(range(1, of + 1)) or len(outs) != of):
        raise GeneratorError("expected the outputs of shards 1 to N of one plan, got "
                             + ", ".join(f"{s.number}/{s.of} of plan {s.plan}" for s in shards))
    ordered = [by_number[n][1] for n in range(1, of + 1)]
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.merge.", dir=site_dir.parent))
    try:
        for out in ordered:
            (out / MARKER).unlink()
        _merge_into(ordered, config, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SiteReport(of, [s.papers for s in shards], time.perf_counter() - start, site_dir)
