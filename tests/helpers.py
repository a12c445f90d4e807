"""Helpers shared by the tests: the paths, the CLI run in-process, content folders, built sites.

`cli()` runs `python -m generator` in this process (no interpreter start-up), so
a test can afford to assert the exact stdout, stderr and exit code. The few
tests that must prove the real entry point works use `run_python()`, which
starts a real `python -m ...` subprocess.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.model import Link, LinkKind, Paper, Proposal

ROOT = Path(__file__).resolve().parent.parent
"""The repository (the worktree the tests run from)."""
TESTS = ROOT / "tests"
CONTENT = ROOT / "content"
LISTINGS = CONTENT / "listings"
FIXTURES = TESTS / "fixtures"
FIXTURE_CONTENT = FIXTURES / "site_content"
CHECK_CASES = TESTS / "check_cases"

TODAY = dt.date(2026, 12, 7)
"""What the code under test calls today (conftest.py sets SOURCE_DATE_EPOCH to it): a
Monday, the weekly update's day. Never compare committed content with it."""

MANIFEST = LISTINGS / "manifest.yml"
"""The committed listings, oldest capture first, with their capture dates (`make import`)."""
SEED_LISTINGS = ("002_a5cf91813e7d014e", "004_998dcee729a8eeba", "003_e70dd2ff951c1db1",
                 "000_6e142910f8444dbd", "001_45326a44d991b082")
"""The five listings the index started from, in the manifest's order: the seeds. A test that
needs particular papers (HAT, the one LLaMA paper, the textual-inversion papers) reads them
from the seeds' import in a temporary folder (`seed_content`), never from content/papers,
which every contributor edits."""
PUBLISHED_SLUGS = FIXTURES / "published_slugs.txt"
"""Every paper slug the site has published: each must still lead to its paper."""

EVERY_FIELD = Paper(
    slug="every-field",
    title="Every Field: a 'quoted' title # not a comment",
    abstract="A long abstract that the writer folds over several lines, because it is well over "
             "seventy-eight characters long, with 90% of the usual: colons, #hashes and - dashes.",
    authors=("Ada Lovelace", "Alan Turing", "Grace Hopper"),
    author_count=3,
    published=dt.date(2023, 9, 11),
    upvotes=0,
    arxiv="2306.04751",
    arxiv_category="cs.CL",
    links=tuple(Link(url, kind) for url, kind in [
        ("https://github.com/o/r", LinkKind.CODE),
        ("https://huggingface.co/o/model", LinkKind.HF_MODEL),
        ("https://huggingface.co/datasets/o/set", LinkKind.HF_DATASET),
        ("https://huggingface.co/spaces/o/demo", LinkKind.HF_SPACE),
        ("https://huggingface.co/collections/o/c-1", LinkKind.HF_COLLECTION),
        ("https://o.github.io/project", LinkKind.PROJECT),
        ("https://arxiv.org/abs/2306.04751", LinkKind.OTHER),
    ]),
    topics=("retrieval", "other"),
    proposed_topics=(Proposal("retrieval", 0.93), Proposal("other")),
    note="A curator's note.\n\nA second paragraph, long enough to be folded by the writer as well, "
         "since it runs past the line width.",
    sources=("003_e70dd2ff951c1db1", "002_a5cf91813e7d014e"),
    added=dt.date(2025, 12, 10),
    redirect_from=("old-slug", "older-slug"),
)
"""A paper with every field of the model set (test_store.test_every_field_is_set keeps it so);
its topics are those of tests/check_cases/_base. A real file has `proposed_topics` only when it
has no `topics`: `check` warns about this one, the store does not mind."""


def cli(*argv: str | Path, stdin: str | None = None) -> tuple[int, str, str]:
    """Run `python -m generator *argv` in-process: (exit code, stdout, stderr).

    stdin is replaced by a pipe-like stream (never a terminal; empty when `stdin` is None).
    argparse's own exits (`--help`, usage errors) become their exit code. Relative
    paths are resolved against the current directory, as in a shell: tests that
    need relative paths in the output chdir first (`monkeypatch.chdir`).
    """
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    # A text stream over bytes, like a real piped stdin (MkDocs looks at `sys.stdin.buffer`).
    sys.stdin = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(arg) for arg in argv])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin = saved_stdin
    return code, out.getvalue(), err.getvalue()


def run_python(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
               stdin: str | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """`python *args` as a real subprocess (smoke tests of the entry point, MkDocs, tools)."""
    return subprocess.run(
        [sys.executable, *map(str, args)], cwd=cwd, input=stdin, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=timeout,
    )


def shown_topics(data: dict) -> list[str]:
    """The topics the site shows for a paper file's data: a curator's `topics`, else the
    proposed ones (read from the file, not from the generator)."""
    return list(data.get("topics") or [p["topic"] for p in data.get("proposed_topics") or []])


def empty_content(tmp_path: Path) -> Path:
    """A content folder with the real topics.yml and no papers."""
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(CONTENT / "topics.yml", content / "topics.yml")
    return content


def seed_content(tmp_path: Path) -> tuple[Path, str]:
    """tmp_path/content: the committed topics.yml, pages and schema (not the curators' notes
    on the committed papers, topic-notes.yml), the seed listings with their manifest entries (the committed manifest's, so their capture dates are the same),
    and content/papers as `import --manifest` makes it from them. Returns the folder and
    what the import printed."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("papers", "listings", "topic-notes.yml"))
    (content / "papers").mkdir()
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    manifest["listings"] = [item for item in manifest["listings"]
                            if item["file"].removesuffix(".txt") in SEED_LISTINGS]
    assert [item["file"].removesuffix(".txt") for item in manifest["listings"]] == list(SEED_LISTINGS)
    (content / "listings").mkdir()
    for item in manifest["listings"]:
        shutil.copy(LISTINGS / item["file"], content / "listings")
    seeds = content / "listings" / "manifest.yml"
    seeds.write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, out, err = cli("--content", content, "import", "--manifest", seeds)
    assert (code, err) == (0, ""), err
    return content, out


def base_content(tmp_path: Path, *cases: str) -> Path:
    """tests/check_cases/_base (two good papers, three topics) plus the repository's schema,
    with the files of the named check cases laid over it, at tmp_path/content."""
    content = tmp_path / "content"
    shutil.copytree(CHECK_CASES / "_base", content)
    shutil.copytree(CONTENT / "schema", content / "schema")
    for case in cases:
        shutil.copytree(CHECK_CASES / case, content, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.txt", "options.txt"))
    return content


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- real sites ----------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    content: Path
    docs: Path
    site: Path
    generate_output: str
    mkdocs_output: str

    def html(self, rel: str) -> str:
        """The HTML of a page, by its URL path (`papers/x/`) or file path."""
        path = self.site / rel
        if rel.endswith("/") or not rel:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def mkdocs_config_for(work: Path) -> Path:
    """The repo's mkdocs.yml, with every relative path made absolute and the
    docs/site folders pointed into `work`, so a test build touches nothing in the repo."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        r"^(docs_dir: ).*$": str(work / "docs"),
        r"^(site_dir: ).*$": str(work / "site"),
        r"^(\s+custom_dir: )overrides$": str(ROOT / "overrides"),
        r"^(\s+- )generator/site/serve_hook\.py$": str(ROOT / "generator" / "site" / "serve_hook.py"),
        r"^(\s+- )content$": str(ROOT / "content"),
    }
    for pattern, value in replacements.items():
        text, count = re.subn(pattern, lambda m, v=value: m.group(1) + v, text, flags=re.M)
        assert count == 1, f"mkdocs.yml no longer has a line matching {pattern!r}"
    config = work / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build_site(content: Path, work: Path) -> BuiltSite:
    """`generator build` (in-process), then a real `mkdocs build --strict` and a real
    `generator index` of the content into it (what `make site` runs)."""
    work.mkdir(parents=True, exist_ok=True)
    config = mkdocs_config_for(work)
    code, out, err = cli("--content", content, "build", "--out", work / "docs", "-f", config)
    assert code == 0, f"generator failed:\n{out}\n{err}"
    mk = run_python("-m", "mkdocs", "build", "--strict", "-f", config, cwd=work)
    assert mk.returncode == 0, f"mkdocs build --strict failed:\n{mk.stdout}\n{mk.stderr}"
    # In its own process: Pagefind's API runs asyncio, which cannot start in a thread where
    # Playwright's sync API (a browser fixture of the module that asked for this site) runs.
    index = run_python("-m", "generator", "--content", content, "index", "--site", work / "site")
    assert index.returncode == 0, f"generator index failed:\n{index.stderr}"
    return BuiltSite(content, work / "docs", work / "site", out, mk.stdout + mk.stderr)


def documented_check_messages() -> list[tuple[str, str]]:
    """(message fragment, severity) for each row of CONTRIBUTING.md's check message table."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## What the check messages mean", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows.append((cells[0].strip("`"), cells[1]))
    return rows
