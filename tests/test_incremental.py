"""`generator build` writes a file only when its bytes change, removes the files that no
longer have a source, and still changes nothing when the content has an error; and
`make serve` (`mkdocs serve --dirty` + the paper-index plugin) refreshes an edited paper and
its search index.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from generator.errors import ContentError
from generator.site.build import build
from generator.site.settings import Settings
from generator.site.writer import OutputError, TreeWriter
from helpers import FIXTURE_CONTENT, ROOT
from search_index import titles_while_served

SETTINGS = Settings(site_url="https://paper-index.github.io/paper-index/")
HAT = "hat-hybrid-attention-transformer-for-image-restoration"


def _state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file's modification time (ns) and bytes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _retitle(content: Path, slug: str, title: str) -> None:
    path = content / "papers" / f"{slug}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = title
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def test_a_second_build_writes_nothing(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    first = build(content, out, SETTINGS)
    assert first.files.changed == first.files.written and first.files.removed == 0
    before = _state(out)
    time.sleep(0.01)  # a rewrite would show as a newer modification time
    again = build(content, out, SETTINGS)
    assert (again.files.changed, again.files.removed) == (0, 0)
    assert "0 file(s) written, 0 removed" in str(again)
    assert _state(out) == before


def test_an_edit_rewrites_only_the_pages_that_show_it(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    build(content, out, SETTINGS)
    before = _state(out)
    time.sleep(0.01)
    _retitle(content, HAT, "HAT, Retitled")
    build(content, out, SETTINGS)
    after = _state(out)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    # The paper, the listings and downloads that show its title; nothing else.
    assert f"papers/{HAT}.md" in changed and "index.md" in changed and "feed.xml" in changed
    assert "topics/vision.md" in changed
    assert "papers/rest-mcts-llm-self-training.md" not in changed
    assert "topics/reasoning.md" not in changed and "about.md" not in changed
    assert set(after) == set(before)


def test_a_removed_paper_loses_its_page_and_nothing_else(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    build(content, out, SETTINGS)
    (out / "stray-by-hand.md").write_text("not generated")
    (content / "papers" / "rest-mcts-llm-self-training.yml").unlink()
    before = set(_state(out))
    report = build(content, out, SETTINGS)
    # Its page, the year stub only it needed, and what the build did not write.
    assert before - set(_state(out)) == {"papers/rest-mcts-llm-self-training.md", "years/2024.md",
                                          "stray-by-hand.md"}
    assert report.files.removed == 3
    assert (out / "papers" / f"{HAT}.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "docs"], "staging folder left behind"


def test_empty_folders_of_removed_pages_go_too(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    build(content, out, SETTINGS)
    (out / "old" / "deeper").mkdir(parents=True)
    (out / "old" / "deeper" / "page.md").write_text("x")
    build(content, out, SETTINGS)
    assert not (out / "old").exists()


def test_an_error_leaves_the_previous_output_untouched(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    build(content, out, SETTINGS)
    before = _state(out)
    _retitle(content, HAT, "HAT, Retitled")  # a change that would rewrite pages...
    (content / "papers" / "zz-bad.yml").write_text("title: Bad\n")  # ...and an error
    with pytest.raises(ContentError):
        build(content, out, SETTINGS)
    assert _state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "docs"]


def test_a_failure_while_writing_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.md").write_text("old")
    with pytest.raises(OutputError), TreeWriter(out) as writer:
        writer.write("keep.md", "new")
        writer.write("fresh.md", "fresh")
        writer.write("../escape.md", "x")
    assert _state(out) == {"keep.md": ((out / "keep.md").stat().st_mtime_ns, b"old")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --- make serve -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError):
        return None


def _wait(check, seconds: float = 180):
    """Poll until `check()` is truthy; a bounded wait, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    return check()


def test_make_serve_refreshes_an_edited_paper_and_its_search_index(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(FIXTURE_CONTENT, project / "content")
    site = tmp_path / "served"
    site.mkdir()
    gen = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    port = _free_port()
    # What `make serve` runs, with the served site in a folder the test can read.
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(site)},
        start_new_session=True,  # its own group: stopping it stops the plugin's Pagefind too
    )
    try:
        base = f"http://127.0.0.1:{port}/paper-index/"
        page = base + f"papers/{HAT}/"
        assert _wait(lambda: b"Hybrid Attention Transformer" in (_get(page) or b""))
        assert _wait(lambda: _get(base + "pagefind/pagefind.js")), "no search index under serve"

        def fragment_titles() -> set[str]:
            return titles_while_served(site, "**/pagefind/fragment/*.pf_fragment")

        assert _wait(lambda: "HAT: Hybrid Attention Transformer for Image Restoration" in fragment_titles())
        _retitle(project / "content", HAT, "HAT, Retitled By A Curator")
        assert _wait(lambda: b"HAT, Retitled By A Curator" in (_get(page) or b""))
        assert _wait(lambda: "HAT, Retitled By A Curator" in fragment_titles()), "search index not refreshed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output = server.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0]
    assert "Search index updated" in output
    assert "0 removed" in output  # the plugin's regeneration touched only what changed
