"""A large catalog is reviewed and built on two cores (`generator.parallel`): the same
problems, in the same order and at the same lines, the same build byte for byte, and
the same caches as in one process, on a catalog over the threshold."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.parallel
from bench import make_content
from generator.review import reading
from generator.review.check import check_content
from generator.site import paperpages
from generator.site.build import BuildReport, build
from generator.site.settings import Settings

SETTINGS = Settings(site_url="https://paper-index.github.io/paper-index/")
SIZE = max(reading.PARALLEL_FROM, paperpages.PARALLEL_FROM) + 150

pytestmark = pytest.mark.skipif(not generator.parallel.can_fork(), reason="one core, or no fork")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a content folder of SIZE papers."""
    project = tmp_path_factory.mktemp("parallel")
    make_content(project, SIZE)
    return project


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the forked processes `generator.parallel` starts."""
    started: list[int] = []
    real = generator.parallel.ProcessPoolExecutor

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(generator.parallel, "ProcessPoolExecutor", Counted)
    return started


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(paperpages, "PARALLEL_FROM", 10**9)


def _copy(catalog: Path, to: Path) -> Path:
    shutil.copytree(catalog / "content", to / "content")
    return to / "content"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _caches(project: Path) -> dict[str, object]:
    """The caches' contents, with the project's own path taken out of them (the review
    names each file by its path), keyed by kind; without the files' statuses (their inodes
    and times are this copy's, and a file is remembered only once settled)."""
    found = {}
    for path in sorted((project / ".cache" / "generator").glob("*.json")):
        text = path.read_text(encoding="utf-8").replace(json.dumps(str(project))[1:-1], "<project>")
        stored = json.loads(text)
        stored.pop("statuses", None)
        for entry in stored.get("pages", {}).values():
            del entry[2:]
        found[path.name.split("-")[0]] = stored
    return found


def _break(content: Path) -> None:
    """Problems in the files: unreadable YAML, an unknown topic, an error across the two
    halves (the same arXiv id), a paper without topics after a comment (its position is
    that of its first key)."""
    papers = sorted((content / "papers").glob("*.yml"))
    first, second = papers[-40], papers[-10]  # the second half: read by the child
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("title: ", "title: [", 1), encoding="utf-8")
    other = papers[-20].read_text(encoding="utf-8")
    papers[-20].write_text(other.replace("topics:\n  - ", "topics:\n  - no-such-topic\n  - ", 1),
                           encoding="utf-8")
    for path in (papers[20], papers[-30]):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if not line.startswith("arxiv:")]
        path.write_text("\n".join([*lines, "arxiv: '2306.04751'"]) + "\n", encoding="utf-8")
    lines = first.read_text(encoding="utf-8").split("\n")
    start = lines.index("topics:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  - "))
    first.write_text("# a comment first\n\n" + "\n".join(lines[:start] + lines[end:]),
                     encoding="utf-8")


def test_the_review_finds_the_same_problems_in_two_processes(
        catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]) -> None:
    content = _copy(catalog, tmp_path)
    _break(content)
    parallel = check_content(content, uncurated=True)
    assert len(forks) == 1
    with monkeypatch.context() as serial:
        _serial(serial)
        expected = check_content(content, uncurated=True)
    assert len(forks) == 1
    messages = "\n".join(str(p) for p in expected)
    for planted in ("invalid YAML", "no-such-topic", "2306.04751", "uncurated"):
        assert planted in messages
    assert [str(p) for p in parallel] == [str(p) for p in expected]
    assert parallel == expected


def test_a_cold_build_in_two_processes_writes_the_same_files_and_caches(
        catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for project in (one, two):
        _copy(catalog, project)
        # Not a first build (which moves its staging folder in whole): a stale file to remove.
        (project / "build" / "docs" / "papers").mkdir(parents=True)
        (project / "build" / "docs" / "papers" / "gone.md").write_text("gone\n", encoding="utf-8")
    with monkeypatch.context() as serial:
        _serial(serial)
        expected = build(one / "content", one / "build" / "docs", SETTINGS)
    assert not forks
    report = build(two / "content", two / "build" / "docs", SETTINGS)
    assert len(forks) == 3  # the review, the related papers, the paper pages
    assert (report.files, report.pages) == (expected.files, expected.pages)
    assert report.files.changed > SIZE and report.files.removed == 1
    assert _files(two / "build") == _files(one / "build")
    assert _caches(two) == _caches(one)
    assert len(_caches(one)) == 2
    # A warm build in one process takes up what the two wrote, and changes nothing.
    with monkeypatch.context() as serial:
        _serial(serial)
        report = build(two / "content", two / "build" / "docs", SETTINGS)
    assert report.files.changed == 0
    assert _files(two / "build") == _files(one / "build")


def test_beside_does_more_work_while_the_child_runs_and_stops_when_told(tmp_path: Path) -> None:
    """`more` fills the wait for the child: the child here cannot end before the third
    call of `more`, and `more` is not called again once it returns False."""
    flag, calls = tmp_path / "flag", []

    def child() -> str:
        while not flag.exists():
            time.sleep(0.01)
        return "child"

    def more() -> bool:
        calls.append(1)
        if len(calls) == 3:
            flag.touch()
        return len(calls) < 5

    assert generator.parallel.beside(child, lambda: "here", more=more) == ("child", "here")
    assert 3 <= len(calls) <= 5


def test_beside_hands_back_a_large_result_and_a_child_error_and_leaves_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's result comes back through a file (`_run_inherited`): megabytes of it
    arrive whole, a child's exception is raised here after `here` finished, an exception
    of `here` is raised whatever the child made, and none of them leaves a file behind."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    big = {f"paper-{i}": ("x" * 200, list(range(20))) for i in range(20_000)}
    assert generator.parallel.beside(lambda: big, lambda: 1) == (big, 1)
    done = []

    def fails() -> None:
        raise ValueError("from the child")

    with pytest.raises(ValueError, match="from the child"):
        generator.parallel.beside(fails, lambda: done.append("here"))
    assert done == ["here"]

    def here_fails() -> None:
        raise KeyError("here")

    with pytest.raises(KeyError, match="here"):
        generator.parallel.beside(lambda: big, here_fails)
    assert list(tmp_path.iterdir()) == []


def _retitle(content: Path, n: int, title: str) -> None:
    paper = sorted((content / "papers").glob("*.yml"))[n]
    text = paper.read_text(encoding="utf-8")
    start = text.index("title: ")
    paper.write_text(text[:start] + f"title: {title}\n" + text[text.index("\n", start) + 1:],
                     encoding="utf-8")


def _edited_after_a_build(catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          edit: Callable[[Path], None]) -> tuple[Path, Path, BuildReport]:
    """Two copies of the catalog, each built in one process then edited alike; the first
    built again in one process: (first, second, that build's report)."""
    one, two = tmp_path / "one", tmp_path / "two"
    with monkeypatch.context() as serial:
        _serial(serial)
        for project in (one, two):
            _copy(catalog, project)
            build(project / "content", project / "build" / "docs", SETTINGS)
            edit(project / "content")
        expected = build(one / "content", one / "build" / "docs", SETTINGS)
    return one, two, expected


def test_after_an_edit_the_related_papers_computed_here_give_the_same_files(
        catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]) -> None:
    """An edited title after a full build: the related papers are computed in this process
    (then the other pages) while a forked one writes the search records and the downloads."""
    one, two, expected = _edited_after_a_build(
        catalog, tmp_path, monkeypatch,
        lambda content: _retitle(content, 7, "Sparse Mixtures Of Experts For Retitled Papers"))
    assert not forks
    report = build(two / "content", two / "build" / "docs", SETTINGS)
    assert len(forks) == 1  # the related papers need computing; few pages to render
    assert report.files == expected.files and 0 < report.files.changed < 100
    assert _files(two / "build") == _files(one / "build")
    assert b"Retitled Papers" in (two / "build" / "docs" / ".search-records.jsonl").read_bytes()
    # What the forked process remembered (the other pages, the records' lines) came back.
    assert _caches(two) == _caches(one)


def test_with_the_related_papers_known_the_downloads_are_made_beside_the_rest(
        catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]) -> None:
    """New upvotes after a full build: nothing to compute for the related papers, so a
    forked process makes the downloads while this one makes the search records and the
    other pages; the feeds and data files carry the new count all the same."""
    def upvote(content: Path) -> None:
        paper = sorted((content / "papers").glob("*.yml"))[11]
        text = paper.read_text(encoding="utf-8")
        paper.write_text(text + "upvotes: 4321\n" if "upvotes:" not in text else
                         "\n".join("upvotes: 4321" if line.startswith("upvotes:") else line
                                   for line in text.split("\n")), encoding="utf-8")

    one, two, expected = _edited_after_a_build(catalog, tmp_path, monkeypatch, upvote)
    assert not forks
    report = build(two / "content", two / "build" / "docs", SETTINGS)
    assert len(forks) == 1  # the downloads; no related papers to compute, few pages to render
    assert report.files == expected.files and 0 < report.files.changed < 100
    assert _files(two / "build") == _files(one / "build")
    assert b'"upvotes":4321' in (two / "build" / "docs" / "papers.json").read_bytes()
    assert _caches(two) == _caches(one)


WARM_EDITS = """
import sys
from collections.abc import Callable
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from test_parallel import SETTINGS, _retitle
from generator import warm
from generator.site.build import BuildReport, build

project = Path(sys.argv[1])
warm.keep_between_builds()
content, out = project / "content", project / "build" / "docs"
build(content, out, SETTINGS)
_retitle(content, 3, "A Retitled Paper Kept Between Builds")
build(content, out, SETTINGS)
topics = content / "topics.yml"
text = topics.read_text(encoding="utf-8")
start = text.index("title: ")
topics.write_text(text[:start] + "title: A Renamed Topic\\n" + text[text.index("\\n", start) + 1:],
                  encoding="utf-8")
build(content, out, SETTINGS)
"""


def test_builds_that_keep_results_between_them_write_what_a_cold_build_writes(
        catalog: Path, tmp_path: Path) -> None:
    """As under `make serve` (`warm`): three builds in one process, after a retitled paper and
    a renamed topic, then a cold build of the same content in another folder."""
    import subprocess
    import sys

    warmed, cold = tmp_path / "warm", tmp_path / "cold"
    _copy(catalog, warmed)
    subprocess.run([sys.executable, "-c", WARM_EDITS, str(warmed), str(Path(__file__).parent)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    shutil.copytree(warmed / "content", cold / "content")
    build(cold / "content", cold / "build" / "docs", SETTINGS, cache=False)
    records = (warmed / "build" / "docs" / ".search-records.jsonl").read_text(encoding="utf-8")
    assert "A Retitled Paper Kept Between Builds" in records and "A Renamed Topic" in records
    assert _files(warmed / "build") == _files(cold / "build")
