"""Build-speed benchmark: prints figures, asserts nothing (`make bench`).

For each size it makes a content folder of N papers (the real papers, repeated
with numbered titles so that every file is a distinct paper), then times the
real pipeline stage by stage: `check`, `generator build`, `mkdocs build`. Hugo
builds the same N pages with minimal templates as the speed anchor.

    python tests/bench.py [--sizes 532,2000,10000] [--no-hugo]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import ROOT  # tests/ is on sys.path when this file is run as a script

sys.path.insert(0, str(ROOT))

from generator.review.check import read_papers  # noqa: E402
from generator.store.paperfile import paper_to_yaml  # noqa: E402


def make_content(folder: Path, size: int) -> Path:
    import dataclasses

    content = folder / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "topics.yml", content / "topics.yml")
    if (ROOT / "content" / "pages").exists():
        shutil.copytree(ROOT / "content" / "pages", content / "pages")
    papers = read_papers(ROOT / "content")
    for i in range(size):
        paper = papers[i % len(papers)]
        if i >= len(papers):
            # A distinct title (no near-duplicate warnings): this title joined to another's.
            n = i // len(papers)
            other = papers[(i * 7 + n) % len(papers)]
            title = f"{paper.title} meets {other.title}"
            paper = dataclasses.replace(paper, slug=f"{paper.slug[:60].rstrip('-')}-{i}", title=title, arxiv=None)
        (content / "papers" / f"{paper.slug}.yml").write_text(paper_to_yaml(paper), encoding="utf-8")
    return content


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def bench_site(size: int, work: Path) -> dict[str, float]:
    content = make_content(work, size)
    project = work / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "overrides", "generator", "CONTRIBUTING.md"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy(src, project / name)
    shutil.move(str(content), project / "content")
    py = sys.executable
    mkdocs = str(Path(py).parent / "mkdocs")
    figures = {
        "check": timed([py, "-m", "generator", "check"], project),
        "generate": timed([py, "-m", "generator", "build"], project),
        "mkdocs": timed([mkdocs, "build", "--strict", "--quiet"], project),
    }
    figures["site_mb"] = size_mb(project / "site")
    index = project / "site" / "search" / "search_index.json"
    figures["search_mb"] = index.stat().st_size / 1e6 if index.exists() else 0.0
    return figures


def bench_hugo(size: int, work: Path) -> float | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    site = work / "hugo"
    (site / "content" / "papers").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        "<html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>"
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "<html><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>"
    )
    papers = read_papers(ROOT / "content")
    for i in range(size):
        paper = papers[i % len(papers)]
        title = paper.title.replace('"', "'")
        (site / "content" / "papers" / f"p{i}.md").write_text(f'---\ntitle: "{title}"\n---\n\n{paper.abstract}\n')
    return timed([hugo, "--quiet"], site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="532,2000,10000")
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'papers':>7} {'check s':>8} {'generate s':>11} {'mkdocs s':>9} {'total s':>8} "
          f"{'site MB':>8} {'search MB':>10} {'hugo s':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as tmp:
            work = Path(tmp)
            f = bench_site(size, work)
            hugo = None if args.no_hugo else bench_hugo(size, work)
        total = f["check"] + f["generate"] + f["mkdocs"]
        hugo_text = f"{hugo:7.1f}" if hugo is not None else "    n/a"
        print(f"{size:>7} {f['check']:8.1f} {f['generate']:11.1f} {f['mkdocs']:9.1f} {total:8.1f} "
              f"{f['site_mb']:8.1f} {f['search_mb']:10.1f} {hugo_text}", flush=True)


if __name__ == "__main__":
    main()
