"""`python -m generator index`: the search index built from the catalog, not from pages.

Expected values come from the content files (YAML), never from the indexer's code;
the records are read back from what Pagefind wrote (tests/search_index.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.model import Catalog
from generator.review.check import load_catalog
from generator.site.search_index import SearchRecord, bundles
from helpers import FIXTURE_CONTENT, TESTS, BuiltSite, cli, shown_topics, snapshot
from tests.search_index import fragments

pytestmark = pytest.mark.xdist_group("site")


def _papers(content: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "papers").glob("*.yml"))}


def _copy_content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "content"))


def _index(content: Path, site: Path, *args: str) -> tuple[int, str, str]:
    site.mkdir(parents=True, exist_ok=True)
    return cli("--content", content, "index", "--site", site, *args)


def test_every_paper_is_one_record_with_what_its_file_says(fixture_site: BuiltSite) -> None:
    papers = _papers(fixture_site.content)
    topics = {t["id"]: t["title"] for t in
              yaml.safe_load((fixture_site.content / "topics.yml").read_text(encoding="utf-8"))["topics"]}
    records = fragments(fixture_site.site)
    assert set(records) == {f"/papers/{slug}/" for slug in papers}
    for slug, data in papers.items():
        record = records[f"/papers/{slug}/"]
        shown = shown_topics(data)
        code = [link["url"] for link in data.get("links") or () if link["kind"] == "code"]
        published = data.get("published")
        assert record["meta"]["title"] == " ".join(data["title"].split()), slug
        assert record["meta"].get("authors") == (", ".join(data["authors"]) if data.get("authors") else None)
        assert record["meta"].get("topics") == (" · ".join(topics[t] for t in shown) if shown else None)
        assert record["meta"].get("year") == (str(published.year) if published else None)
        assert record["meta"].get("code") == ("/".join(urlsplit(code[0]).path.split("/")[1:3]) if code else None)
        # The text is the abstract and the note, whitespace collapsed: no title, authors or date.
        text = " ".join(data["abstract"].split()) + (" " + " ".join(data["note"].split()) if data.get("note") else "")
        assert record["content"] == text, slug
        assert record["filters"]["topic"] == shown
        assert record["filters"]["year"] == [str(published.year) if isinstance(published, dt.date) else "undated"]
        assert record["filters"].get("code") == (["yes"] if code else None)
        assert set(record["filters"].get("kind", [])) == {link["kind"] for link in data.get("links") or ()}
        assert record["filters"]["upvotes"] == [str(data.get("upvotes") or 0)]
        assert record["anchors"] == []


def test_a_word_shaped_like_a_pagefind_marker_is_indexed_as_text(tmp_path: Path) -> None:
    """Pagefind reads `___PAGEFIND_WEIGHT___10` in a record's text as a weight: an abstract
    must not be able to weight its own words (or hide them, with a weight of 0)."""
    content = _copy_content(tmp_path)
    paper = content / "papers" / "hat-hybrid-attention-transformer-for-image-restoration.yml"
    data = yaml.safe_load(paper.read_text(encoding="utf-8"))
    markers = "___PAGEFIND_WEIGHT___10 boosted ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_ANCHOR___h1:0:x"
    data["abstract"] = f"{data['abstract']} {markers}"
    paper.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert _index(content, tmp_path / "site")[0] == 0
    record = fragments(tmp_path / "site")[f"/papers/{paper.stem}/"]
    assert record["content"].endswith(markers)
    assert record["anchors"] == []


def test_bundles_keep_every_paper_in_a_place_search_js_finds_again() -> None:
    """search.js gives the paper at place i of bundle b (of K) the catalog place
    i * K + b, and each bundle holds ceil((N - b) / K) papers: both must hold."""
    for count, size in [(1, 5), (10, 4), (11, 3), (12, 3), (532, 200), (5, 5), (6, 5)]:
        records = [SearchRecord(url=f"/{i}/", content="x", meta={}, filters={}) for i in range(count)]
        parts = bundles(records, size)
        k = len(parts)
        assert k == -(-count // size) and all(0 < len(p) <= size for p in parts)
        assert [len(p) for p in parts] == [-(-(count - b) // k) for b in range(k)]
        placed = sorted((i * k + b, r.url) for b, part in enumerate(parts) for i, r in enumerate(part))
        assert placed == [(n, r.url) for n, r in enumerate(records)], (count, size)


def test_bundles_are_listed_for_search_js(tmp_path: Path) -> None:
    code, out, err = _index(FIXTURE_CONTENT, tmp_path / "one")
    assert (code, err) == (0, "") and out.startswith("Indexed 4 papers for search into ")
    assert json.loads((tmp_path / "one" / "pagefind" / "bundles.json").read_text())["merge"] == []
    code, out, err = _index(FIXTURE_CONTENT, tmp_path / "two", "--bundle-papers", "2")
    assert (code, err) == (0, "") and "(2 bundles)" in out
    index = tmp_path / "two" / "pagefind"
    manifest = json.loads((index / "bundles.json").read_text())
    assert manifest["merge"] == ["1/"] and len(set(manifest["records"])) == 2  # each bundle's digest
    first, second = fragments(index.parent), fragments(index.parent, "pagefind/1")
    assert set(first) | set(second) == {f"/papers/{slug}/" for slug in _papers(FIXTURE_CONTENT)}
    assert len(first) == len(second) == 2


def test_indexing_twice_writes_the_same_records_and_word_index(tmp_path: Path) -> None:
    """Records go to Pagefind in a fixed order, so its page numbers, records and word
    index are the same every time. (Pagefind 1.5.2 still writes its filter files and
    metadata file in hash-map order, different from run to run: see README.)"""
    for name in ("a", "b"):
        assert _index(FIXTURE_CONTENT, tmp_path / name)[0] == 0
    for part in ("fragment", "index"):
        first, second = (snapshot(tmp_path / name / "pagefind" / part) for name in ("a", "b"))
        assert first and first == second, part


@pytest.mark.parametrize("binary", ["/nonexistent/pagefind", "/bin/false"])
def test_a_failing_pagefind_leaves_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 binary: str) -> None:
    site = tmp_path / "site"
    assert _index(FIXTURE_CONTENT, site)[0] == 0
    before = snapshot(site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", binary)
    code, out, err = _index(FIXTURE_CONTENT, site)
    assert (code, out) == (1, "")
    assert err.startswith("Error: Pagefind") and "Traceback" not in err, err
    assert snapshot(site) == before  # nothing half-written, nothing left behind


def test_an_incomplete_index_from_pagefind_leaves_the_old_index(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind answers `write_files` before its files are on disk: a bundle's entry file
    was once left empty, and search on the site broke. The real binary, behind a wrapper
    that empties the entry file it wrote once it exits: the index is refused."""
    from pagefind.service import get_executable

    site = tmp_path / "site"
    assert _index(FIXTURE_CONTENT, site)[0] == 0
    before = snapshot(site)
    wrapper = tmp_path / "pagefind-then-truncate"
    wrapper.write_text(f'#!/bin/sh\n"{get_executable()}" "$@"\nstatus=$?\n'
                       f'find "{site}" -path "*/.pagefind-*/pagefind-entry.json" -exec truncate -s 0 {{}} +\n'
                       'exit $status\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    code, out, err = _index(FIXTURE_CONTENT, site)
    assert (code, out) == (1, "")
    assert err.startswith("Error: Pagefind wrote an incomplete index (") and err.endswith(
        "the site's search index is unchanged\n"), err
    assert snapshot(site) == before


def test_index_needs_a_built_site(tmp_path: Path) -> None:
    assert cli("--content", FIXTURE_CONTENT, "index", "--site", tmp_path / "none") == (
        1, "", f"Error: {tmp_path / 'none'}: site folder not found; build the site first "
               "(python -m generator site)\n")
    assert cli("--content", FIXTURE_CONTENT, "index", "--site", tmp_path, "--bundle-papers", "0") == (
        1, "", "Error: --bundle-papers: expected a number of papers >= 1, got 0\n")


def test_bad_content_writes_no_index(tmp_path: Path) -> None:
    content = _copy_content(tmp_path)
    (content / "papers" / "broken.yml").write_text("title: [unclosed\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    code, out, err = _index(content, site)
    assert code == 1 and "broken.yml:" in err and err.rstrip().endswith("nothing was written")
    assert list(site.iterdir()) == []



def test_search_records_go_through_the_docs_folder_unchanged(tmp_path: Path) -> None:
    """`generator build` writes every record, `generator site` reads them back: the same
    records, whatever the text holds (line separators that str.splitlines() breaks at),
    and none for an empty catalog."""
    from generator.site.search_index import read_records, records_text, search_records

    catalog = load_catalog(TESTS / "render_cases" / "hostile" / "content")
    path = tmp_path / "records.jsonl"
    path.write_text(records_text(catalog), encoding="utf-8")
    assert read_records(path) == search_records(catalog)
    assert "\u2028" in path.read_text(encoding="utf-8")  # what str.splitlines() would break at
    path.write_text(records_text(Catalog(papers=(), topics=catalog.topics)), encoding="utf-8")
    assert read_records(path) == []


def test_updating_an_index_indexes_again_only_the_bundles_whose_records_changed(tmp_path: Path) -> None:
    """`make serve`'s update after an edit: the changed paper's bundle is indexed again, every
    other bundle's files are the same files (hard links), and the index finds the edit."""
    import dataclasses

    from generator.site.search_index import MANIFEST, search_records, update_search_index

    records = search_records(load_catalog(FIXTURE_CONTENT))
    site = tmp_path / "site"
    site.mkdir()
    first = update_search_index(records, site, bundle_papers=1)
    assert (first.bundles, first.indexed) == (len(records), len(records))
    before = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    edited = list(records)
    edited[2] = dataclasses.replace(edited[2], meta={**edited[2].meta, "title": "Quokkaformer"})
    again = update_search_index(edited, site, bundle_papers=1)
    assert (again.bundles, again.indexed) == (len(records), 1)
    assert "1 of 4 bundles indexed again" in str(again)
    after = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    renewed = {path.parts[1] if path.parts[1].isdigit() else "top" for path in after
               if before.get(path) != after[path]}
    assert renewed == {"2", "top"}  # bundle 2, and the manifest of the whole
    assert {p.name for p in (site / "pagefind").iterdir() if p.is_file() and before.get(p.relative_to(site))
            != after[p.relative_to(site)]} == {MANIFEST}
    every = [fragments(site, "pagefind" if n == 0 else f"pagefind/{n}") for n in range(len(records))]
    titles = {r["meta"]["title"] for bundle in every for r in bundle.values()}
    assert "Quokkaformer" in titles and records[2].meta["title"] not in titles


def _pagefind_reporting_its_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pagefind behind a wrapper that first appends the CPUs it may run on (from /proc) to
    the file returned, one line a start."""
    from pagefind.service import get_executable

    seen = tmp_path / "cpus"
    wrapper = tmp_path / "pagefind-reporting-its-cpus"
    wrapper.write_text(f'#!/bin/sh\ngrep Cpus_allowed_list /proc/self/status >> "{seen}"\n'
                       f'exec "{get_executable()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    return seen


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_pagefind_runs_on_one_cpu_and_the_indexer_keeps_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """search_index._one_cpu: Pagefind starts with a mask of one CPU (it reads its own from
    /proc through a wrapper, then runs), and the thread that started it has all of its CPUs
    again afterwards."""
    from generator.site.search_index import index_records

    seen = _pagefind_reporting_its_cpus(tmp_path, monkeypatch)
    before = os.sched_getaffinity(0)
    records = [SearchRecord(url=f"/{i}/", content=f"paper {i}", meta={"title": str(i)}, filters={})
               for i in range(3)]
    report = index_records(records, tmp_path)
    assert report.indexed == 1 and (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    allowed = seen.read_text(encoding="utf-8").split(":", 1)[1].strip()
    assert allowed == str(max(before)), allowed
    assert os.sched_getaffinity(0) == before


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="fewer than two CPUs to index on")
def test_bundles_indexed_two_at_a_time_are_those_indexed_one_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`at_once=2` (generator site after the shards): two Pagefind processes, each on a CPU of
    its own, and each bundle's records and word index as when they are indexed one after the
    other, with the same list of bundles."""
    from generator.site.search_index import index_records

    seen = _pagefind_reporting_its_cpus(tmp_path, monkeypatch)

    records = [SearchRecord(url=f"/papers/p{i}/", content=f"paper {i} about topic {i % 3}",
                            meta={"title": f"Paper {i}"}, filters={"year": [str(2020 + i % 4)]})
               for i in range(9)]
    for name, at_once in (("one", 1), ("two", 2)):
        (tmp_path / name).mkdir()
        report = index_records(records, tmp_path / name, bundle_papers=3, at_once=at_once)
        assert (report.bundles, report.indexed) == (3, 3)
        cpus = seen.read_text(encoding="utf-8").splitlines()
        seen.unlink()
        assert len(cpus) == 3 and len(set(cpus)) == at_once, cpus
    one, two = tmp_path / "one" / "pagefind", tmp_path / "two" / "pagefind"
    assert (one / "bundles.json").read_text() == (two / "bundles.json").read_text()
    for bundle in ("", "1", "2"):
        for part in ("fragment", "index"):
            first, second = snapshot(one / bundle / part), snapshot(two / bundle / part)
            assert first and first == second, (bundle, part)
