"""Small helpers shared by the tests: run the real CLI, make a content folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LISTINGS = CONTENT / "listings"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SEED_DATES = {
    "003_e70dd2ff951c1db1": "2025-12-10",
    "002_a5cf91813e7d014e": "2026-03-11",
    "004_998dcee729a8eeba": "2026-03-14",
    "000_6e142910f8444dbd": "2026-11-28",
    "001_45326a44d991b082": "2026-11-28",
}
"""The seeds, oldest first, with the --as-of dates content/README.md documents."""


def run_cli(*args: str | Path, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def empty_content(tmp_path: Path) -> Path:
    """A content folder with the real topics.yml and no papers."""
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(CONTENT / "topics.yml", content / "topics.yml")
    return content


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
