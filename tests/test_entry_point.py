"""`python -m generator` for real, in a subprocess: the rest of the suite runs the CLI
in-process (helpers.cli), so these few tests prove the entry point itself works and
that it prints what the in-process runs assert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import FIXTURES, base_content, cli, empty_content, mkdocs_config_for, run_python

LISTING = FIXTURES / "listings" / "compact.txt"


def test_help_is_the_same_in_a_real_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps help to the terminal's width
    real = run_python("-m", "generator", "--help")
    assert (real.returncode, real.stdout, real.stderr) == cli("--help")
    assert real.stdout.startswith("usage: python -m generator [-h] [--version] [--content CONTENT] COMMAND")


def test_import_check_and_build_in_real_processes(in_tmp: Path) -> None:
    content = base_content(in_tmp)
    imported = run_python("-m", "generator", "--content", "content", "import", LISTING, "--as-of", "2025-12-10",
                          cwd=in_tmp)
    assert (imported.returncode, imported.stdout, imported.stderr) == (
        0, "compact.txt: compact layout, 2 entries\n"
           "wrote content/papers/first-paper-a-compact-title.yml (new)\n"
           "wrote content/papers/second-paper-on-tulu.yml (new)\n"
           "added 2, updated 0, unchanged 0, skipped 0 (repeated in this import)\n", "")
    assert sorted(p.name for p in (content / "papers").iterdir()) == [
        "first-paper-a-compact-title.yml", "hat-hybrid-attention-transformer-for-image-restoration.yml",
        "second-paper-on-tulu.yml", "text-embeddings-reveal-almost-as-much-as-text.yml"]

    checked = run_python("-m", "generator", "--content", "content", "check", cwd=in_tmp)
    assert (checked.returncode, checked.stdout, checked.stderr) == (
        0, "", "5 files checked: 0 errors, 0 warnings\n")

    config = mkdocs_config_for(in_tmp)
    built = run_python("-m", "generator", "--content", "content", "build", "--out", "docs", "-f", config,
                       cwd=in_tmp)
    assert (built.returncode, built.stderr) == (0, "")
    # 5 site-wide downloads, and a feed, JSON and BibTeX for each of the 3 topics.
    assert re.fullmatch(r"Built 18 pages \(4 papers, 3 topics, 0 redirects\) and 14 downloads \(feeds, "
                        r"JSON, CSV, BibTeX\) into docs in \d+\.\d\ds: 36 file\(s\) written, "
                        r"0 removed, 0 unchanged\n", built.stdout), built.stdout
    assert (in_tmp / "docs" / "papers" / "second-paper-on-tulu.md").is_file()


def test_a_content_error_is_a_clean_error_in_a_real_process(in_tmp: Path) -> None:
    empty_content(in_tmp)
    (in_tmp / "bad.txt").write_text("Title one\nAbstract one.\nTitle two\n", encoding="utf-8")
    args = ("--content", "content", "import", "bad.txt", "--as-of", "2025-12-10")
    real = run_python("-m", "generator", *args, cwd=in_tmp)
    assert (real.returncode, real.stdout, real.stderr) == cli(*args) == (
        1, "", "bad.txt:3:1: error: truncated entry: title 'Title two' has no abstract\n"
               "Error: 1 error found; nothing was written\n")
