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
    result = subprocess.run([sys.executable, "tests/bench.py", "--sizes", "50", "--jobs", "2"],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("python tests/bench.py --sizes 50 --jobs 2\nmachine: ")
    assert "== 50 papers" in out
    for stage in ("check", "generate", "mkdocs (generator site)", "search index (pagefind)", "make site (total)"):
        assert re.search(rf"^  {re.escape(stage)} +\d+\.\d +\d+$", out, re.M), stage
    assert re.search(r"generate share of make site: \d+\.\d%", out)
    assert re.search(r"site: \d+\.\d MB in [\d,]+ files; paper page median \d+\.\d KB, largest \d+\.\d KB", out)
    assert re.search(r"\d+\.\d KB before the first result \(page \d+\.\d KB \+ search \d+\.\d KB\), "
                     r"\d+ ms from typing to the first result", out)
    assert re.search(r"add one paper: new \d+\.\d\d s, import of a one-card listing \d+\.\d\d s", out)
    assert re.search(r"make serve: an edited paper's page refreshed in \d+\.\d s, search re-indexed in \d+\.\d s", out)
    assert re.search(r"anchor: (hugo \d+\.\d s .* = \d+\.\d s; make site / anchor = \d+\.\dx|skipped, no `hugo`)", out)
