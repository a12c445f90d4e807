"""`python -m generator site --jobs N`: the paper pages split over N MkDocs processes
make the same site as one `mkdocs build --strict`, byte for byte; and the same split run
as a CI matrix (`--shard I/N --out DIR` per job, then `--merge`) makes it too."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.review.check import read_papers
from generator.site.shards import partition
from helpers import FIXTURE_CONTENT, ROOT, mkdocs_config_for

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _site(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "site",
                           *map(str, args)], cwd=ROOT, capture_output=True, text=True, env=ENV)


def _without_index(files: dict[str, bytes]) -> dict[str, bytes]:
    return {rel: data for rel, data in files.items() if not rel.startswith("pagefind/")}


@pytest.mark.parametrize("shape", ["shared prefix", "by date", "one first letter", "spread"])
@pytest.mark.parametrize("shards", [1, 2, 3, 8])
def test_shards_are_cut_by_count_whatever_the_slugs(shape: str, shards: int) -> None:
    names = {
        # Every slug starts the same way: the old cut by first character made one shard.
        "shared prefix": [f"a-survey-of-large-language-models-part-{i}.md" for i in range(1000)],
        # A catalog that grows by date, slugs numbered in order.
        "by date": [f"2024-{m:02d}-{d:02d}-paper.md" for m in range(1, 13) for d in range(1, 29)],
        "one first letter": [f"llama-{i}.md" for i in range(97)],
        "spread": [f"{c}{i}.md" for c in "abcxyz09" for i in range(13)],
    }[shape]
    plan = partition(list(reversed(names)), shards)
    assert len(plan) == shards and [s.number for s in plan] == list(range(1, shards + 1))
    sizes = [s.papers for s in plan]
    assert sum(sizes) == len(names) and max(sizes) - min(sizes) <= 1
    # Consecutive runs of the sorted names: each name in exactly one shard's range.
    ordered = sorted(names)
    for name in names:
        assert sum(s.first <= name <= s.last for s in plan) == 1
    assert plan[0].first == ordered[0] and plan[-1].last == ordered[-1]
    assert len({s.plan for s in plan}) == 1


def test_never_more_shards_than_papers() -> None:
    assert [s.papers for s in partition(["a.md", "b.md"], 5)] == [1, 1]
    empty = partition([], 4)
    assert len(empty) == 1 and empty[0].papers == 0 and empty[0].first is None


def _generate(work: Path) -> Path:
    """The fixture's pages and theme written into `work` (`generator build`), and the
    mkdocs.yml that builds them there."""
    config = mkdocs_config_for(work)
    gen = subprocess.run([sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "build",
                          "--out", str(work / "docs"), "-f", str(config)],
                         cwd=ROOT, capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    return config


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """The fixture's docs folder, and the site of one plain `mkdocs build --strict`."""
    work = tmp_path_factory.mktemp("shards")
    config = _generate(work)
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                            "-d", str(work / "plain")], cwd=work, capture_output=True, text=True, env=ENV)
    assert plain.returncode == 0, plain.stderr
    return work, config, _files(work / "plain")


@pytest.mark.parametrize("jobs", [1, 3])
def test_sharded_site_is_the_plain_mkdocs_site(docs: tuple[Path, Path, dict[str, bytes]], jobs: int) -> None:
    """With the search index built beside (jobs 1) or not at all (jobs 3, --no-index): the
    pages are the plain build's, and the index is in the site or absent."""
    work, config, plain = docs
    indexed = jobs == 1
    sharded = _site("--jobs", jobs, "-f", config, *([] if indexed else ["--no-index"]))
    assert sharded.returncode == 0, sharded.stderr
    assert sharded.stdout.startswith(f"Built the site into {work / 'site'} with MkDocs in {jobs} shard(s)")
    site_and_index = _files(work / "site")
    built = _without_index(site_and_index)
    assert (f"Indexed {len(read_papers(FIXTURE_CONTENT))} papers for search into {work / 'site' / 'pagefind'}" in sharded.stdout) is indexed
    assert ("pagefind/pagefind-entry.json" in site_and_index) is indexed
    assert set(built) == set(plain)
    # Every file, sitemap.xml and its .gz included.
    assert sorted(rel for rel in plain if plain[rel] != built[rel]) == []
    assert sorted(p.name for p in work.iterdir()) == ["docs", "mkdocs.yml", "plain", "site", "theme"]


def test_a_ci_matrix_of_shards_merges_into_the_plain_site(docs: tuple[Path, Path, dict[str, bytes]],
                                                          tmp_path: Path) -> None:
    work, config, plain = docs
    before = sorted(p.name for p in work.iterdir())
    plan = _site("--dry-run", "--jobs", 3, "-f", config)
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["shard 1/3", "shard 2/3", "shard 3/3"]
    assert lines[0].endswith("and every other page")
    assert sorted(p.name for p in work.iterdir()) == before  # the dry run built nothing
    outs = [tmp_path / f"job-{i}" for i in (1, 2, 3)]
    for i, out in enumerate(outs, 1):  # each job on its own, as separate machines would
        job = _site("--shard", f"{i}/3", "--out", out, "-f", config)
        assert job.returncode == 0, job.stderr
        assert job.stdout.startswith(f"Built shard {i}/3: ")
    # Only two of three: refused, nothing moved.
    partial = _site("--merge", outs[2], outs[0], "-f", config)
    assert partial.returncode == 1 and "shards 1 to N of one plan" in partial.stderr
    merged = _site("--merge", outs[2], outs[0], outs[1], "-f", config)  # any order
    assert merged.returncode == 0, merged.stderr
    assert _files(work / "site") == plain  # the merge job indexes nothing: `generator index` does


def test_the_index_is_built_beside_mkdocs_or_after_it_alike(tmp_path: Path) -> None:
    """`generator site` indexes while MkDocs builds, or after it for a large catalog: the
    same index either way, in the site."""
    from generator.site.search_index import index_docs
    from generator.site.shards import build_site

    config = _generate(tmp_path)
    indexes = []
    for beside in (True, False):
        report = build_site(config, 2, lambda folder: index_docs(tmp_path / "docs", folder), beside)
        assert str(report).endswith(f"into {tmp_path / 'site' / 'pagefind'} in {report.index.seconds:.2f}s")
        entry = json.loads((tmp_path / "site" / "pagefind" / "pagefind-entry.json").read_bytes())
        fragments = len(list((tmp_path / "site" / "pagefind" / "fragment").iterdir()))
        indexes.append((entry["languages"]["en"]["page_count"], fragments))
    assert indexes[0] == indexes[1] == (len(read_papers(FIXTURE_CONTENT)),) * 2


@pytest.mark.parametrize("damage", ["a line that is not a record", "no records file"])
def test_a_failing_index_leaves_the_site_as_it_was(tmp_path: Path, damage: str) -> None:
    """Search records the index cannot read (`generator build` writes them into the docs
    folder) fail `generator site`, naming the file (and line); the pages MkDocs built are
    not kept."""
    from generator.site.search_index import RECORDS

    config = _generate(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    records = tmp_path / "docs" / RECORDS
    if damage == "no records file":
        records.unlink()
        named = f"{records}: no search records; build the docs folder with `python -m generator build` first"
    else:
        lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
        records.write_text("".join(lines[:1] + ['["/papers/x/", "text"]\n'] + lines[1:]), encoding="utf-8")
        named = f"{records}:2: not a search record"
    result = subprocess.run([sys.executable, "-m", "generator", "site", "--jobs", "2", "-f", str(config)],
                            cwd=ROOT, capture_output=True, text=True, env=ENV)
    assert result.returncode == 1 and named in result.stderr, result.stderr
    assert f"{tmp_path / 'site'} is unchanged" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".cache") == [
        "docs", "mkdocs.yml", "site", "theme"]


def test_shard_arguments_are_checked(docs: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    _, config, _ = docs
    for args, message in ((["--shard", "4/3", "--out", tmp_path], "expected I/N with 1 <= I <= N"),
                          (["--shard", "1/3"], "--shard needs --out"),
                          (["--merge", tmp_path], "not the output of `generator site --shard`"),
                          (["--dry-run", "--shard", "1/2"], "give one of")):
        result = _site(*args, "-f", config)
        assert result.returncode == 1 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_failing_shard_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    config = _generate(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")
    paper = sorted((tmp_path / "docs" / "papers").glob("*.md"))[-1]  # in the last shard
    paper.write_text(paper.read_text().replace("paper.html", "no-such-template.html"))
    result = _site("--jobs", "2", "-f", config)
    assert result.returncode == 1 and "unchanged" in result.stderr and "shard 2/2" in result.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site", "theme"]


def test_a_page_whose_front_matter_mkdocs_could_not_read_fails_the_build(tmp_path: Path) -> None:
    """MkDocs renders a front matter it cannot read as Markdown and still succeeds with
    --strict; `generator site` then finds the page's HTML without the digest of its front
    matter, names the page and leaves site/ as it was. Two pages written by hand: the
    issue's page (a U+FFFF in the front matter, no digest) and one whose digest is right
    but whose front matter MkDocs cannot read either."""
    config = _generate(tmp_path)
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site", "theme"]
