"""`python -m generator site --jobs N`: the paper pages split over N MkDocs processes
make the same site as one `mkdocs build --strict`."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site.shards import FIRST_CHARACTERS, partition
from helpers import FIXTURE_CONTENT, ROOT, mkdocs_config_for


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _urls(sitemap: bytes) -> list[str]:
    return sorted(re.findall(rb"<loc>([^<]*)</loc>", sitemap))


def test_partition_covers_every_first_character_once() -> None:
    counts = {"a": 50, "b": 10, "c": 40, "m": 100, "s": 80, "9": 5}
    for shards in (1, 2, 3, 5):
        groups = partition(counts, shards)
        assert len(groups) == shards and "".join(groups) == FIRST_CHARACTERS
    halves = partition(counts, 2)
    sizes = [sum(counts.get(c, 0) for c in g) for g in halves]
    assert abs(sizes[0] - sizes[1]) <= 100


@pytest.mark.parametrize("jobs", [1, 3])
def test_sharded_site_is_the_plain_mkdocs_site(tmp_path: Path, jobs: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    gen = subprocess.run([sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "build",
                          "--out", str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    config = mkdocs_config_for(tmp_path)
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                            "-d", str(tmp_path / "plain")], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert plain.returncode == 0, plain.stderr
    sharded = subprocess.run([sys.executable, "-m", "generator", "site", "--jobs", str(jobs), "-f", str(config)],
                             cwd=ROOT, capture_output=True, text=True, env=env)
    assert sharded.returncode == 0, sharded.stderr
    assert sharded.stdout.startswith("Built the site")
    a, b = _files(tmp_path / "plain"), _files(tmp_path / "site")
    assert set(a) == set(b)
    differ = sorted(rel for rel in a if a[rel] != b[rel])
    assert set(differ) <= {"sitemap.xml", "sitemap.xml.gz"}
    assert _urls(a["sitemap.xml"]) == _urls(b["sitemap.xml"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "plain", "site"]


def test_a_failing_shard_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    gen = subprocess.run([sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "build",
                          "--out", str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    config = mkdocs_config_for(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    paper = next((tmp_path / "docs" / "papers").glob("*.md"))
    paper.write_text(paper.read_text().replace("paper.html", "no-such-template.html"))
    result = subprocess.run([sys.executable, "-m", "generator", "site", "--jobs", "2", "-f", str(config)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "unchanged" in result.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_a_page_whose_front_matter_mkdocs_could_not_read_fails_the_build(tmp_path: Path) -> None:
    """MkDocs renders a front matter it cannot read as Markdown and still succeeds with
    --strict; `generator site` then finds the page's HTML without the digest of its front
    matter, names the page and leaves site/ as it was. Two pages written by hand: the
    issue's page (a U+FFFF in the front matter, no digest) and one whose digest is right
    but whose front matter MkDocs cannot read either."""
    gen = subprocess.run([sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "build",
                          "--out", str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    config = mkdocs_config_for(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    papers = tmp_path / "docs" / "papers"
    (papers / "mallory.md").write_text(
        '---\n{"title":"Mallory \uffff","template":"paper.html","paper":{"authors":'
        '["<img src=x onerror=alert(1)>"]}}\n---\n\nBody.\n', encoding="utf-8")
    front, body = '{"title":"Eve \ufffe","template":"paper.html"}', "Body.\n"
    digest = hashlib.sha256(f"{front}\n{body}".encode()).hexdigest()[:16]  # as frontmatter.py documents
    (papers / "eve.md").write_text(f'---\n{front[:-1]},"page_check":"{digest}"}}\n---\n\n{body}',
                                   encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "generator", "site", "--jobs", "2", "-f", str(config)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"Error: MkDocs did not read the front matter of 2 page(s), which would lose their layout "
               f"and show their raw text; {tmp_path / 'site'} is unchanged (is the docs folder what "
               f"`python -m generator build` wrote?):\n  {papers / 'eve.md'}\n  {papers / 'mallory.md'}\n")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]
