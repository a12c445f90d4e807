"""`make bench` cannot rot: the benchmark script runs end to end on 50 papers and
prints every figure. Nothing here looks at the values of the timings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("bench")]


def test_bench_prints_its_figures_for_a_small_site() -> None:
    result = subprocess.run([sys.executable, "tests/bench.py", "--sizes", "50", "--jobs", "2",
                             "--matrix", "120:2", "--search-runs", "2"],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith(
        "python tests/bench.py --sizes 50 --jobs 2 --matrix 120:2 --search-runs 2\nmachine: ")
    assert re.search(r"^== 50 papers \(load average at the start [\d.]+ [\d.]+ [\d.]+\)$", out, re.M)
    for stage in ("check (cold)", "check (remembered)", "generate (cold: generator build)",
                  "mkdocs + index (generator site)", "generate, nothing changed",
                  "generate, one paper edited", "make site (total)"):
        assert re.search(rf"^  {re.escape(stage)}.* +\d+\.\d +\d+$", out, re.M), stage
    assert re.search(r"generate share of make site: \d+\.\d% cold \(nothing in .cache\); remembering "
                     r"\(.cache and the docs folder kept\): \d+\.\d% after one edit, \d+\.\d% with nothing "
                     r"changed", out)
    assert re.search(r"site: \d+\.\d MB in [\d,]+ files; paper page median \d+\.\d KB, largest \d+\.\d KB", out)
    assert re.search(r"site by kind: paper pages \d+\.\d MB \(50\); redirect stubs .*; search index ", out)
    assert re.search(r"\d+\.\d KB before the first result \(page \d+\.\d KB \+ search \d+\.\d KB\), "
                     r"\d+ ms from typing to the first result "
                     r"\(median of 2 cold searches, \d+-\d+ ms\); "
                     r"the whole index's results: \d+\.\d KB, \d+ ms",
                     out)
    assert re.search(r"add one paper \(no .cache / with it\): new \d+\.\d\d / \d+\.\d\d s, "
                     r"import of a one-card listing \d+\.\d\d / \d+\.\d\d s", out)
    assert re.search(r"make serve: an edited paper's page refreshed in \d+\.\d s, search re-indexed in \d+\.\d s", out)
    assert re.search(r"anchor: (hugo \d+\.\d s .* = \d+\.\d s; make site / anchor = \d+\.\dx|skipped, no `hugo`)", out)
    # The CI matrix row: the plan, one line per shard job, the merge, the wall time.
    assert "== 120 papers as a CI matrix of 2 shard jobs" in out
    assert re.search(r"^    shard 1/2: \d+ paper pages \(.*\), and every other page$", out, re.M)
    for stage in ("shard 1/2 (one job)", "shard 2/2 (one job)", "merge (generator site --merge)"):
        assert re.search(rf"^  {re.escape(stage)} +\d+\.\d +\d+$", out, re.M), stage
    assert re.search(r"matrix wall time \(generate \+ slowest shard \+ merge \+ index\): \d+\.\d s", out)
    assert re.search(r"^load average at the end: [\d.]+ [\d.]+ [\d.]+$", out, re.M)
