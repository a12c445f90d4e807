"""`python -m generator check`: golden cases, the committed content, GitHub output.

Each folder in tests/check_cases/ is one case: files that are laid over a small
good content folder (`_base/`: a topics.yml and two good papers, plus the
repository's schema), and `expected.txt`, the exact lines `check` must print.
The expected lines were written by hand from the input files: line and column
are what a person counts in the file, 1-based.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import Problem
from generator.review.report import github_annotation
from generator.review.check import check_content

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "check_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))
ANNOTATION = re.compile(r"::(error|warning) file=[^,:\r\n]+,line=[1-9]\d*,col=[1-9]\d*::[^\r\n]+")


def make_content(tmp_path: Path, *cases: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CASES / "_base", content)
    shutil.copytree(ROOT / "content" / "schema", content / "schema")
    for case in cases:
        shutil.copytree(CASES / case, content, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.txt"))
    return content


def check(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", "content", "check", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def test_there_are_enough_cases() -> None:
    assert len(CASE_NAMES) >= 20


def test_base_content_is_clean(tmp_path: Path) -> None:
    make_content(tmp_path)
    result = check(tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "3 files checked: 0 errors, 0 warnings\n"


@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden_case(tmp_path: Path, case: str) -> None:
    content = make_content(tmp_path, case)
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = check(tmp_path)
    assert result.stdout.splitlines() == expected
    errors = sum(": error: " in line for line in expected)
    warnings = sum(": warning: " in line for line in expected)
    files = sum(1 for p in (content / "papers").iterdir()) + 1
    assert result.stderr == (f"{plural(files, 'file')} checked: {plural(errors, 'error')}, "
                             f"{plural(warnings, 'warning')}\n")
    assert result.returncode == (1 if errors else 0)


def test_committed_content_passes() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert ": error: " not in result.stdout


def test_paths_limit_the_report_but_not_the_comparison(tmp_path: Path) -> None:
    """Checking one file still finds its duplicate among all files, and reports only it."""
    make_content(tmp_path, "duplicate-title", "negative-upvotes")
    result = check(tmp_path, "content/papers/hat-again.yml")
    assert result.stdout.splitlines() == [
        "content/papers/hat-again.yml:1:8: error: duplicate paper: the same title is in "
        "content/papers/hat-hybrid-attention-transformer-for-image-restoration.yml; expected each "
        "paper once (merge them and list the old slug in redirect_from)",
    ]
    assert result.returncode == 1
    assert result.stderr == "1 file checked: 1 error, 0 warnings\n"


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    make_content(tmp_path)
    result = check(tmp_path, "content/papers/no-such-paper.yml")
    assert result.returncode == 1
    assert result.stdout.startswith("content/papers/no-such-paper.yml:1:1: error: file not found")


def test_github_format_annotates_and_summarizes_every_problem(tmp_path: Path) -> None:
    cases = ["javascript-url", "duplicate-key", "near-duplicate-title", "empty-topic", "bad-file-name"]
    make_content(tmp_path, *cases)
    text = check(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    github = check(tmp_path, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert github.returncode == text.returncode == 1
    lines = github.stdout.splitlines()
    expected = [line for case in cases for line in (CASES / case / "expected.txt").read_text().splitlines()]
    assert len(lines) == len(text.stdout.splitlines()) == len(expected) == 6
    for line in lines:
        assert ANNOTATION.fullmatch(line), line
    assert "::error file=content/papers/a-link-that-runs-a-script.yml,line=4,col=8::links[0].url: " \
           "expected an http or https URL" in github.stdout
    assert sum(line.startswith("::warning ") for line in lines) == 2
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n")  # appended, not overwritten
    unescaped = html.unescape(re.sub(r"\\(.)", r"\1", written))
    for line in expected:
        location, severity, message = re.fullmatch(r"(.+?:\d+:\d+): (error|warning): (.*)", line).groups()
        assert re.search(rf"\| `?{re.escape(location)}`? \| {severity} \| {re.escape(message)} \|", unescaped), line
    assert "7 files checked: 4 errors, 2 warnings" in written


def test_github_format_without_summary_file(tmp_path: Path) -> None:
    make_content(tmp_path, "javascript-url")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--content", "content", "check", "--format", "github"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert [ANNOTATION.fullmatch(line) is not None for line in result.stdout.splitlines()] == [True]


def test_annotation_escapes_data_and_properties() -> None:
    problem = Problem("odd,name:1.yml", 3, 4, "warning", "50% done\r\nnext: a, b")
    assert github_annotation(problem) == "::warning file=odd%2Cname%3A1.yml,line=3,col=4::50%25 done%0D%0Anext: a, b"


def test_check_content_is_pure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = make_content(tmp_path, "duplicate-arxiv")
    problems = check_content(content)
    assert [p.severity for p in problems] == ["error", "error"]
    assert all(p.path.startswith(str(content)) for p in problems)
    assert capsys.readouterr() == ("", "")


def test_near_duplicates_scale(tmp_path: Path) -> None:
    """Near-duplicate detection on 10,000 titles finds exactly the planted pairs (no timing)."""
    import random

    from generator.review.cross import _near_pairs

    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(4000)]
    titles = list(dict.fromkeys(" ".join(rng.choice(words) for _ in range(rng.randint(5, 12)))
                                for _ in range(10_000)))
    planted = {(i, len(titles) + k) for k, i in enumerate(range(0, 2000, 100))}
    titles += [titles[i] + "s" for i in range(0, 2000, 100)]
    found = {(min(i, j), max(i, j)) for i, j, _ in _near_pairs(titles)}
    assert planted <= found


def test_a_broken_topics_file_is_reported_when_checking_one_paper(tmp_path: Path) -> None:
    """Without topics.yml the paper's topic ids cannot be checked, so say why."""
    make_content(tmp_path, "topics-yaml-syntax-error")
    result = check(tmp_path, "content/papers/text-embeddings-reveal-almost-as-much-as-text.yml")
    expected = (CASES / "topics-yaml-syntax-error" / "expected.txt").read_text(encoding="utf-8")
    assert (result.returncode, result.stdout) == (1, expected)
