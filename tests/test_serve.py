"""`make serve`: `mkdocs serve` regenerates the pages when a file in content/ changes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from helpers import FIXTURES, ROOT, cli

PAPER = "hat-hybrid-attention-transformer-for-image-restoration"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, needle: str, deadline: float) -> str:
    """Poll until the page contains `needle`; a bounded wait, not a timing assertion."""
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if needle in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # a slow rebuild
            pass
        time.sleep(0.3)
    return last


def test_serve_regenerates_when_content_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURES / "site_content", project / "content")
    # What `make serve` runs: generate once, then serve.
    monkeypatch.chdir(project)
    code, out, err = cli("build")
    assert (code, err) == (0, "")
    assert re.fullmatch(r"Built 23 pages \(4 papers, 3 topics, 2 redirects\) and 14 downloads \(feeds, "
                        r"JSON, CSV, BibTeX\) into build/docs in \d+\.\d\ds: 39 file\(s\) "
                        r"written, 0 removed, 0 unchanged\n", out), out
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        # mkdocs serve mounts the site under site_url's path (/paper-index/).
        base = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text().split("\ntheme:")[0])["site_url"]).path
        url = f"http://127.0.0.1:{port}{base}papers/{PAPER}/"
        first = _wait_for(url, "Hybrid Attention Transformer", time.monotonic() + 120)
        assert "Hybrid Attention Transformer" in first
        assert "Retitled By A Curator" not in first

        path = project / "content" / "papers" / f"{PAPER}.yml"
        data = yaml.safe_load(path.read_text())
        data["title"] = "HAT, Retitled By A Curator"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

        after = _wait_for(url, "Retitled By A Curator", time.monotonic() + 120)
        assert "HAT, Retitled By A Curator" in after
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    assert "Built " in output  # the hook logged its regeneration
