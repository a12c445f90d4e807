"""`make serve`: the `paper-index` plugin under a real `mkdocs serve` regenerates the pages
when a file in content/ changes, and while the content has errors every page is an error
page listing them, in Chromium too, until the file is fixed."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from chromium import chromium
from helpers import FIXTURES, ROOT, cli
from search_index import titles_while_served

PAPER = "hat-hybrid-attention-transformer-for-image-restoration"
OTHER = "rest-mcts-llm-self-training"
HOSTILE_TOPIC = "<img src=x onerror=alert(1)>"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """(status, body) of a page; (0, '') while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up yet, or a slow rebuild
        return 0, ""


def wait_for(url: str, needle: str, deadline: float) -> str:
    """Poll until the page contains `needle`; a bounded wait, not a timing assertion."""
    last = ""
    while time.monotonic() < deadline:
        last = _get(url)[1]
        if needle in last:
            return last
        time.sleep(0.3)
    return last


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with only mkdocs.yml and content/, generated as `make serve` does first: the
    plugin and the theme come from the installed package."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(FIXTURES / "site_content", project / "content")
    monkeypatch.chdir(project)
    code, out, err = cli("build")
    assert (code, err) == (0, "")
    assert re.fullmatch(r"Built 23 pages \(4 papers, 3 topics, 2 redirects\) and 14 downloads \(feeds, "
                        r"JSON, CSV, BibTeX\) into build/docs in \d+\.\d\ds: 41 file\(s\) "
                        r"written, 0 removed, 0 unchanged\n", out), out
    return project


@contextlib.contextmanager
def serving(project: Path, *args: str, python: str | Path = sys.executable,
            env: dict[str, str] | None = None,
            live: list[str] | None = None) -> Iterator[tuple[str, list[str]]]:
    """A real `mkdocs serve` of `project` by `python`: (the site's base URL, its output
    once stopped). `live`: a list that gets each line of the output as it is printed."""
    port = _free_port()
    server = subprocess.Popen(
        [str(python), "-m", "mkdocs", "serve", *args, "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**(os.environ if env is None else env), "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,  # its own group: stopping it stops the plugin's Pagefind too
    )
    lines = live if live is not None else []
    stdout = server.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")), daemon=True)
    reader.start()
    output: list[str] = []
    # mkdocs serve mounts the site under site_url's path (/paper-index/ here).
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = yaml.safe_load(re.search(r"^site_url: .*$", config, re.M)[0])["site_url"]
    try:
        yield f"http://127.0.0.1:{port}{urlsplit(site_url).path}", output
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
        reader.join(timeout=20)
        output.append("".join(lines))


def _unreloaded(answer: tuple[int, str]) -> tuple[int, str]:
    return answer[0], re.sub(r"livereload\(\d+, \d+\)", "livereload()", answer[1])


def _set_topics(project: Path, slug: str, topics: list[str] | None) -> None:
    path = project / "content" / "papers" / f"{slug}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if topics is None:
        data.pop("topics", None)
    else:
        data["topics"] = topics
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_serve_regenerates_when_content_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    with serving(project) as (base, output):
        url = f"{base}papers/{PAPER}/"
        first = wait_for(url, "Hybrid Attention Transformer", time.monotonic() + 120)
        assert "Hybrid Attention Transformer" in first
        assert "Retitled By A Curator" not in first

        path = project / "content" / "papers" / f"{PAPER}.yml"
        data = yaml.safe_load(path.read_text())
        data["title"] = "HAT, Retitled By A Curator"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

        after = wait_for(url, "Retitled By A Curator", time.monotonic() + 120)
        assert "HAT, Retitled By A Curator" in after
    assert "Built " in output[0]  # the plugin logged its regeneration
    assert "Watching paths for changes:" in output[0] and "'content'" in output[0]


def test_serve_dirty_builds_only_the_pages_that_changed(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `--dirty` (what `make serve` runs) a rebuild leaves out the pages outside the nav
    whose HTML is newer than their Markdown: the edited paper and its topic page are built
    again, with links to the papers left out made as before, and the others stay served."""
    project = _project(tmp_path, monkeypatch)
    with serving(project, "--dirty", "--no-strict") as (base, output):
        url = f"{base}papers/{PAPER}/"
        wait_for(url, "Hybrid Attention Transformer", time.monotonic() + 120)
        other = _get(f"{base}papers/{OTHER}/")
        path = project / "content" / "papers" / f"{PAPER}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = "HAT, Retitled By A Curator"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        assert "Retitled By A Curator" in wait_for(url, "Retitled By A Curator", time.monotonic() + 120)
        topic = wait_for(f"{base}topics/vision/", "Retitled By A Curator", time.monotonic() + 120)
        assert f'href="../../papers/{PAPER}/"' in topic and ".md\"" not in topic
        # Served as last built: the same but for the reload script's build number.
        assert _unreloaded(_get(f"{base}papers/{OTHER}/")) == _unreloaded(other)
        assert _get(f"{base}topics/")[0] == 200  # in the nav though under not_in_nav's /topics/
    log = output[0]
    left_out = re.findall(r"Leaving out of this build the (\d+) of 23 pages that did not change", log)
    assert len(left_out) == 1 and 0 < int(left_out[0]) < 23, log
    assert "excluded" not in log, log  # MkDocs says so of each link to a page left out
    assert log.count("WARNING") == log.count("A 'dirty' build is being performed"), log


@pytest.mark.browser
def test_serve_shows_content_errors_until_they_are_fixed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, monkeypatch)
    original = (project / "content" / "papers" / f"{PAPER}.yml").read_text(encoding="utf-8")
    # What `make serve` runs.
    with serving(project, "--dirty", "--no-strict") as (base, output), chromium() as browser:
        url = f"{base}papers/{PAPER}/"
        assert "Hybrid Attention Transformer" in wait_for(url, "Hybrid Attention Transformer",
                                                           time.monotonic() + 120)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        assert "Hybrid Attention Transformer" in page.locator("h1").first.inner_text()

        # Two errors in two files, one quoting markup: the open page turns into the list.
        _set_topics(project, PAPER, [HOSTILE_TOPIC])
        _set_topics(project, OTHER, ["no-such-topic"])
        page.wait_for_selector("#content-errors", timeout=120_000)
        items = page.locator("li code").all_inner_texts()
        # The same lines as `check` prints, as text.
        code, out, _ = cli("check")
        assert code == 1 and items == [line for line in out.splitlines() if ": error: " in line]
        assert [item.split(":")[0] for item in items] == [f"content/papers/{PAPER}.yml",
                                                          f"content/papers/{OTHER}.yml"]
        assert f"unknown topic '{HOSTILE_TOPIC}'" in items[0]
        assert page.locator("h1").inner_text() == "The content has 2 problems"
        assert page.locator("img").count() == 0 and dialogs == []
        # Every page, not only the open one; the status says the build failed.
        status, other = _get(f"{base}topics/")
        assert status == 500 and "#content-errors" not in other and 'id="content-errors"' in other
        assert "&lt;img src=x onerror=alert(1)&gt;" in other

        # One fixed: the page lists the other. Both fixed: the paper comes back by itself.
        (project / "content" / "papers" / f"{PAPER}.yml").write_text(original, encoding="utf-8")
        page.wait_for_function("() => document.querySelectorAll('li code').length === 1",
                               timeout=120_000)
        _set_topics(project, OTHER, None)
        page.wait_for_selector("h1.pi-title", timeout=120_000)
        assert page.locator("h1.pi-title").inner_text() == "HAT: Hybrid Attention Transformer for Image Restoration"
        assert _get(f"{base}topics/")[0] == 200
        assert dialogs == []
    assert "content/ has errors" in output[0]


@pytest.mark.browser
def test_serve_indexes_again_only_the_bundle_an_edit_changes(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `make serve` the served index is cut into bundles (one paper each here): an
    edit to one paper's title indexes its bundle again, not the others (which are kept:
    tests/test_search_index.py), and a search in the served site then finds the new title."""
    project = _project(tmp_path, monkeypatch)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - paper-index:\n", "  - paper-index:\n      search_bundle_papers: 1\n", 1),
                      encoding="utf-8")
    with serving(project, "--dirty", "--no-strict") as (base, output), chromium() as browser:
        url = f"{base}papers/{PAPER}/"
        wait_for(url, "Hybrid Attention Transformer", time.monotonic() + 120)
        path = project / "content" / "papers" / f"{PAPER}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = "Quokkaformer, Retitled By A Curator"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        wait_for(url, "Quokkaformer", time.monotonic() + 120)
        page, found, deadline = browser.new_page(), "", time.monotonic() + 120
        while "Quokkaformer" not in found and time.monotonic() < deadline:  # search catches up
            page.goto(url)
            page.locator(".md-search__input").click()
            page.keyboard.type("quokkaformer")
            page.wait_for_function("() => /found/.test(document.querySelector('.md-search-result__meta')"
                                   ".textContent)", timeout=60_000)
            found = page.locator("#pi-search-results").inner_text()
        assert "Quokkaformer, Retitled By A Curator" in found
    log = output[0]
    assert "Search index updated" in log and "(4 of 4 bundles indexed)" in log, log
    assert "(1 of 4 bundles indexed)" in log, log


def _fragment_titles(site: Path) -> set[str]:
    """The titles in the served search index's records (Pagefind's fragment files)."""
    return titles_while_served(site, "mkdocs_*/pagefind/**/fragment/*.pf_fragment")


def test_serve_keeps_the_last_good_index_when_indexing_fails(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The re-index after an edit runs in a process of its own: when Pagefind fails there,
    the server says so and the preview keeps searching the last good index."""
    from pagefind.service import get_executable

    project = _project(tmp_path, monkeypatch)
    served, failing, failed = tmp_path / "served", tmp_path / "failing", tmp_path / "failed"
    served.mkdir()
    wrapper = tmp_path / "pagefind-unless-failing"
    wrapper.write_text(f'#!/bin/sh\nif [ -e "{failing}" ]; then touch "{failed}"; exit 1; fi\n'
                       f'exec "{get_executable()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(served), "PAGEFIND_BINARY_PATH": str(wrapper)}
    title = "HAT: Hybrid Attention Transformer for Image Restoration"
    live: list[str] = []
    reported = re.compile(r"ERROR +- +search index: Pagefind")
    with serving(project, "--dirty", "--no-strict", env=env, live=live) as (base, output):
        url = f"{base}papers/{PAPER}/"
        deadline = time.monotonic() + 120
        while title not in _fragment_titles(served) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert title in _fragment_titles(served)
        failing.touch()
        path = project / "content" / "papers" / f"{PAPER}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = "HAT, Retitled By A Curator"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        assert "Retitled By A Curator" in wait_for(url, "Retitled By A Curator", time.monotonic() + 120)
        while not (failed.exists() and not list(served.glob("mkdocs_*/.pagefind-*"))) \
                and time.monotonic() < deadline + 120:
            time.sleep(0.3)  # Pagefind was asked, and the indexer has cleaned up after it
        assert failed.exists() and title in _fragment_titles(served)
        assert not any("Retitled" in t for t in _fragment_titles(served))
        # The server says so once the indexer's process has ended.
        while not any(reported.search(line) for line in list(live)) \
                and time.monotonic() < deadline + 180:
            time.sleep(0.3)
    assert reported.search(output[0]), output[0]

