"""Crash safety: an import killed with SIGKILL at any moment leaves every paper file
either as it was or as the finished import writes it, and the next import finishes the job.

`store.atomic.write_atomic` writes each file to a hidden `.<name>.*.tmp` beside it,
flushes it, and only renames the temporaries over the targets once all are written;
the next write sweeps the temporaries a killed one left. This test kills a real
`python -m generator import` of a synthetic 2,000-entry listing (1,800 new papers,
200 updates of committed ones) at moments chosen in each phase: while it parses and
merges, while it writes temporaries, as soon as it renames, and at a random time.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.ingest.listing import Layout, Listing, format_listing
from generator.model import RawEntry
from generator.review.check import read_papers
from helpers import ROOT, cli

pytestmark = pytest.mark.xdist_group("crash")

AS_OF = "2026-12-01"
NEW, UPDATED = 1800, 200
TEMPORARY = re.compile(r"\.[a-z0-9-]+\.yml\.[^/]+\.tmp")
"""write_atomic's temporaries: `.<file name>.<random>.tmp`."""
WORDS = ("sparse dense graph vision token diffusion retrieval agent reward memory audio kernel "
         "prompt robust causal tensor").split()


def write_listing(path: Path, content: Path) -> None:
    """NEW made-up papers with distinct titles, and UPDATED of `content`'s seen again."""
    rng = random.Random(20261201)
    existing = [p.title for p in read_papers(content)][:UPDATED]
    titles = existing + [f"Synthetic Study {i}: {' '.join(rng.choice(WORDS).title() for _ in range(4))}"
                         for i in range(NEW)]
    rng.shuffle(titles)
    entries = tuple(
        # Short abstracts: the import's time goes into writing YAML, and this test is
        # about how files are written, not how long they are.
        RawEntry(title=title, abstract=" ".join(rng.choice(WORDS) for _ in range(20)).capitalize()
                 + f". Code: https://github.com/synthetic/repo-{i}.",
                 source="synthetic", line=1, author_count=rng.randint(1, 30),
                 date_text=f"Sep {rng.randint(1, 28)}, 2026", upvotes=rng.randint(0, 500))
        for i, title in enumerate(titles))
    path.write_text(format_listing(Listing("synthetic", Layout.METADATA, None, entries)), encoding="utf-8")


def copy_content(seeds: Path, folder: Path) -> Path:
    """A copy of the seeds' import (532 papers that curators never touch)."""
    return Path(shutil.copytree(seeds, folder / "content", ignore=shutil.ignore_patterns("listings")))


def papers(content: Path) -> dict[str, bytes]:
    """Every file in content/papers (hidden ones too), by name."""
    return {entry.name: Path(entry.path).read_bytes() for entry in os.scandir(content / "papers")}


def start_import(content: Path, listing: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--content", str(content), "import", str(listing),
         "--as-of", AS_OF],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def wait_until(proc: subprocess.Popen[bytes], folder: Path, seen: object) -> None:
    """Poll the folder until `seen(names)` or the process ends (a bounded wait)."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if seen({entry.name for entry in os.scandir(folder)}):  # type: ignore[operator]
            return
        time.sleep(0.001)


def test_a_killed_import_leaves_every_file_old_or_new(seeds: Path, fast_tmp: Path, tmp_path: Path) -> None:
    """The content copies go to fast_tmp (tmpfs): a SIGKILL leaves the page cache intact,
    so what is tested is the writer's order of operations, not the disk's durability, and
    on tmpfs each of the 2,000 fsyncs is free instead of milliseconds."""
    listing = tmp_path / "synthetic.txt"
    write_listing(listing, seeds)
    before = papers(copy_content(seeds, fast_tmp / "before"))

    reference = copy_content(seeds, fast_tmp / "reference")
    start = time.monotonic()
    assert start_import(reference, listing).wait(timeout=600) == 0
    duration = time.monotonic() - start
    after = papers(reference)
    assert len(after) == len(before) + NEW
    assert sum(after[name] != data for name, data in before.items()) == UPDATED

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    new_names = set(after) - set(before)
    plans = {
        "parsing and merging": lambda proc, folder: time.sleep(rng.uniform(0.1, 0.5) * duration),
        "writing temporaries": lambda proc, folder: (
            wait_until(proc, folder, lambda names: any(TEMPORARY.fullmatch(n) for n in names)),
            time.sleep(rng.uniform(0, 0.05))),
        "renaming": lambda proc, folder: wait_until(proc, folder, lambda names: names & new_names),
        "a random moment": lambda proc, folder: time.sleep(rng.uniform(0, 1.1) * duration),
    }
    for run, (moment, wait) in enumerate(plans.items()):
        where = f"kill {run} ({moment}; seed {seed})"
        content = copy_content(seeds, fast_tmp / f"run{run}")
        proc = start_import(content, listing)
        wait(proc, content / "papers")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) in (-signal.SIGKILL, 0), where

        found = papers(content)
        visible = {name: data for name, data in found.items() if not name.startswith(".")}
        where += (f": {sum(data == after.get(n) != before.get(n) for n, data in visible.items())} "
                  f"files new, {len(found) - len(visible)} temporaries")
        assert set(before) <= set(visible) <= set(after), where
        partial = [name for name, data in visible.items() if data not in (before.get(name), after.get(name))]
        assert partial == [], f"{where}: neither the old nor the new file"
        assert [n for n in found if n.startswith(".") and not TEMPORARY.fullmatch(n)] == [], where
        if found == before:
            # Killed before it wrote anything: the next import starts from the state the
            # uninterrupted one started from, and gives the same result (deterministic).
            continue

        # The next import finishes the job, exactly as an uninterrupted one, and its
        # write sweeps the temporaries the killed one left.
        code, out, err = cli("--content", content, "import", listing, "--as-of", AS_OF)
        assert (code, err) == (0, ""), where
        assert papers(content) == after, where
