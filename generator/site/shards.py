"""`python -m generator site`: `mkdocs build --strict`, split over processes, one site.

MkDocs renders one page at a time on one core, and a paper page needs nothing
from the others: its Markdown has no links that MkDocs resolves (paper.md
writes them as HTML), and its navigation is the site's fixed `nav:`. So the
paper pages are split into shards by the first character of their slug; each
shard is a plain `mkdocs build` of the same docs folder whose `exclude_docs`
leaves out the other shards' papers (shard 0 also builds every other page and
copies the theme's assets), and the shards' outputs merge into one site/:
the same files, byte for byte, as one `mkdocs build --strict`, except that
sitemap.xml lists the shards' pages one shard after another.

Each shard's config is a small file next to mkdocs.yml that INHERITs it (MkDocs
resolves the relative paths of an inherited config from the child's folder).
Shards build into folders next to site/, which replaces site/ only when every
shard succeeded and every page carries the digest of its front matter (proof
that MkDocs read it, `frontmatter.unread_pages`); on any failure site/ is left
as it was.

The same split is what a CI matrix would run on separate machines for a very
large catalog: one job per shard, then the merge.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.site.frontmatter import unread_pages

FIRST_CHARACTERS = string.digits + string.ascii_lowercase
"""What a slug can start with (identity.SLUG_RULE)."""
_URL_ENTRY = re.compile(rb"<url>.*?</url>", re.S)
_UNREAD_SHOWN = 20


@dataclass(frozen=True)
class SiteReport:
    shards: int
    papers: list[int]
    """Paper pages per shard."""
    seconds: float
    site_dir: Path

    def __str__(self) -> str:
        split = " + ".join(str(n) for n in self.papers)
        return (f"Built the site into {self.site_dir} with MkDocs in {self.shards} shard(s) "
                f"({split} paper pages) in {self.seconds:.1f}s")


def partition(counts: dict[str, int], shards: int) -> list[str]:
    """Consecutive first characters grouped into `shards` runs of about equal size: each
    cut falls where the running count is closest to its share of the total."""
    total = sum(counts.values())
    groups: list[str] = []
    current = ""
    taken = 0
    for char in FIRST_CHARACTERS:
        n = counts.get(char, 0)
        target = total * (len(groups) + 1) / shards
        if current and len(groups) < shards - 1 and abs(taken - target) <= abs(taken + n - target) \
                and taken + n > target:
            groups.append(current)
            current = ""
        current += char
        taken += n
    groups.append(current)
    while len(groups) < shards:  # fewer characters than shards: empty shards build nothing
        groups.append("")
    return groups


def _shard_config(main: Path, site_dir: Path, mine: str, first: bool) -> str:
    """An INHERIT config that builds only the papers starting with `mine` (and, in the
    first shard, every page that is not a paper)."""
    others = "".join(c for c in FIRST_CHARACTERS if c not in mine)
    lines = [] if first else ["/*", "!/papers/"]
    if others:
        lines.append(f"/papers/[{others}]*")
    exclude = "\n".join(f"  {line}" for line in lines)
    return (f"# Written by `python -m generator site`; removed when the build ends.\n"
            f"INHERIT: {json.dumps(main.name)}\nsite_dir: {json.dumps(str(site_dir))}\n"
            f"exclude_docs: |\n{exclude}\n")


def _merge_sitemaps(target: Path, others: list[Path]) -> None:
    """One sitemap.xml (and .gz) with every shard's <url> entries."""
    main = (target / "sitemap.xml").read_bytes()
    extra = b"".join(b"".join(_URL_ENTRY.findall((o / "sitemap.xml").read_bytes())) for o in others)
    end = main.rindex(b"</urlset>")
    merged = main[:end] + extra + main[end:]
    (target / "sitemap.xml").write_bytes(merged)
    with gzip.GzipFile(target / "sitemap.xml.gz", "wb", mtime=0) as out:
        out.write(merged)


def build_site(config_file: Path, jobs: int) -> SiteReport:
    """Build the site of `config_file` with `jobs` MkDocs processes; see the module doc."""
    start = time.perf_counter()
    from mkdocs.config import load_config

    config_file = config_file.resolve()
    config = load_config(str(config_file))
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    counts: dict[str, int] = {}
    papers = docs_dir / "papers"
    for entry in os.scandir(papers) if papers.is_dir() else ():
        counts[entry.name[:1]] = counts.get(entry.name[:1], 0) + 1
    groups = [g for i, g in enumerate(partition(counts, max(1, jobs))) if i == 0 or g]
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.shards.", dir=site_dir.parent))
    configs = []
    try:
        for i, mine in enumerate(groups):
            path = config_file.parent / f".{config_file.stem}.shard-{i}.yml"
            path.write_text(_shard_config(config_file, work / str(i), mine, i == 0), encoding="utf-8")
            configs.append(path)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

        def run(path: Path) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(path)],
                                  cwd=config_file.parent, capture_output=True, text=True, env=env)

        with ThreadPoolExecutor(max_workers=len(configs)) as pool:
            results = list(pool.map(run, configs))
        failed = [(i, r) for i, r in enumerate(results) if r.returncode]
        if failed:
            report = "\n".join(f"shard {i} ({groups[i]}):\n{r.stdout}{r.stderr}" for i, r in failed)
            raise GeneratorError(f"mkdocs build failed; {site_dir} is unchanged\n{report.rstrip()}")
        target = work / "0"
        for i in range(1, len(groups)):
            shard_papers = work / str(i) / "papers"
            for entry in os.scandir(shard_papers) if shard_papers.is_dir() else ():
                (target / "papers").mkdir(exist_ok=True)
                os.replace(entry.path, target / "papers" / entry.name)
        if len(groups) > 1:
            _merge_sitemaps(target, [work / str(i) for i in range(1, len(groups))])
        if unread := unread_pages(docs_dir, target, config["use_directory_urls"]):
            listed = "\n".join(f"  {docs_dir / rel}" for rel in unread[:_UNREAD_SHOWN])
            more = f"\n  and {len(unread) - _UNREAD_SHOWN} more" if len(unread) > _UNREAD_SHOWN else ""
            raise GeneratorError(
                f"MkDocs did not read the front matter of {len(unread)} page(s), which would lose "
                f"their layout and show their raw text; {site_dir} is unchanged (is the docs "
                f"folder what `python -m generator build` wrote?):\n{listed}{more}")
        if site_dir.exists():
            os.replace(site_dir, work / "old")
        os.replace(target, site_dir)
    finally:
        for path in configs:
            path.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    per_shard = [sum(counts.get(c, 0) for c in mine) for mine in groups]
    return SiteReport(len(groups), per_shard, time.perf_counter() - start, site_dir)
