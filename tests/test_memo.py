"""The generator remembers (.cache/generator): a build after an edit gives exactly what a
cold build gives, whatever the edit; a corrupt, stale or foreign cache never changes the
output; and a build with nothing new to compute does not import scikit-learn."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.review.check import check_content
from generator.site.build import build
from generator.site.settings import Settings
from helpers import FIXTURE_CONTENT, ROOT

SETTINGS = Settings(site_url="https://paper-index.github.io/paper-index/")
HAT = "hat-hybrid-attention-transformer-for-image-restoration"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(content: Path, slug: str, **fields: object) -> None:
    path = content / "papers" / f"{slug}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _cold(content: Path, out: Path) -> dict[str, bytes]:
    """What a build that remembers nothing writes."""
    build(content, out, SETTINGS, cache=False)
    return _files(out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path


def _cache(project: Path) -> list[Path]:
    return sorted((project / ".cache" / "generator").glob("*.json"))


def test_every_edit_builds_what_a_cold_build_builds(project: Path) -> None:
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    assert [p.name.split("-")[0] for p in _cache(project)] == ["review", "site"]
    other = "sr-tokens-for-super-resolution"
    edits = [
        # An abstract: the words' document frequencies change, so may every related list.
        lambda: _edit(content, other, abstract="Image restoration with hybrid attention transformers "
                                               "for super-resolution, denoising and deraining."),
        lambda: _edit(content, HAT, title="HAT, Retitled"),  # shown on related papers' pages
        lambda: _edit(content, HAT, upvotes=4321),  # no related list can change
        lambda: _edit(content, other, topics=["reasoning"]),
        lambda: (content / "papers" / "script-alert-1.yml").unlink(),
    ]
    for n, edit in enumerate(edits):
        edit()
        report = build(content, out, SETTINGS)
        assert report.files.changed > 0, n
        assert _files(out) == _cold(content, project / f"cold-{n}"), f"edit {n}"


def test_related_lists_change_across_the_catalog_and_are_recomputed(project: Path) -> None:
    """The case an edit-local update would get wrong: a new abstract moves other papers'
    related lists, and the remembered build shows the new lists."""
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    before = _files(out)
    for slug in sorted(p.stem for p in (content / "papers").glob("*.yml"))[:3]:
        _edit(content, slug, abstract="Reasoning with self-training and tree search for language models.")
    build(content, out, SETTINGS)
    after = _files(out)
    assert after == _cold(content, project / "cold")
    moved = [rel for rel in after if rel.startswith("papers/") and after[rel] != before.get(rel)]
    assert len(moved) > 3  # pages of papers nobody edited, whose related lists moved


@pytest.mark.parametrize("garbage", ["", "{not json", '{"format": 1}', "[]", "\x00\x01", '{"context": null}'])
def test_a_corrupt_cache_is_ignored_and_rebuilt(project: Path, garbage: str) -> None:
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    expected = _files(out)
    for path in _cache(project):
        path.write_text(garbage, encoding="utf-8")
    _edit(content, HAT, title="HAT, Retitled")
    build(content, out, SETTINGS)
    assert _files(out) == _cold(content, project / "cold")
    assert _files(out) != expected
    assert all(json.loads(p.read_text(encoding="utf-8"))["format"] == 1 for p in _cache(project))


def test_a_cache_from_other_code_or_topics_is_not_used(project: Path) -> None:
    """Entries that lie, under another context (generator code, topics.yml): ignored."""
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    review, site = _cache(project)
    stored = json.loads(review.read_text(encoding="utf-8"))
    for entry in stored["entries"]["plain"].values():
        entry[0]["title"] = "Poisoned"
    stored["context"] = "0" * 64
    review.write_text(json.dumps(stored), encoding="utf-8")
    memo = json.loads(site.read_text(encoding="utf-8"))
    memo["related"]["lists"] = {slug: [] for slug in memo["related"]["lists"]}
    memo["context"] = "0" * 64
    site.write_text(json.dumps(memo), encoding="utf-8")
    shutil.rmtree(out)
    build(content, out, SETTINGS)
    assert _files(out) == _cold(content, project / "cold")
    # topics.yml is part of the review's context: an edit there re-checks every paper.
    topics = (content / "topics.yml").read_text(encoding="utf-8")
    (content / "topics.yml").write_text(topics.replace("title: Computer vision", "title: Seeing"), encoding="utf-8")
    build(content, out, SETTINGS)
    assert _files(out) == _cold(content, project / "cold-2")


def test_a_page_changed_by_hand_is_written_again(project: Path) -> None:
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    expected = _files(out)
    (out / "papers" / f"{HAT}.md").write_text("edited by hand", encoding="utf-8")
    (out / "papers" / "rest-mcts-llm-self-training.md").unlink()
    topic_pages = sorted((out / "topics").glob("*.md"))
    topic_pages[1].write_text("edited by hand", encoding="utf-8")  # topic pages go through the memo too
    topic_pages[2].unlink()
    build(content, out, SETTINGS)
    assert _files(out) == expected


def _rewrite_unseen(path: Path, old: str, new: str) -> None:
    """`old` replaced by `new` (as long) in the file, its modification time put back: only
    its change time says it changed."""
    import os

    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.read_text(encoding="utf-8") != text


def test_settled_page_files_are_not_read_again_yet_a_hand_edit_is_seen(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo keeps each page file's status once settled (here at once: RACY is 0 s), so
    a build with nothing new reads none of the pages it kept; a page rewritten by hand to
    the same size, its modification time put back, changed status all the same."""
    import builtins

    from generator.store import digest

    monkeypatch.setattr(digest, "RACY", 0.0)
    monkeypatch.setattr(digest, "_known", {})
    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    build(content, out, SETTINGS)  # the files are settled now: their statuses are kept
    expected = _files(out)
    hashed: list[str] = []
    real_open = builtins.open
    monkeypatch.setattr(digest, "_known", {})  # as in a new process

    def counted(file: object, *args: object, **kwargs: object) -> object:
        hashed.append(Path(str(file)).name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", counted)
    build(content, out, SETTINGS)
    assert not [name for name in hashed if (out / "papers" / name).exists()], hashed
    _rewrite_unseen(out / "papers" / f"{HAT}.md", "Hybrid", "Hybrix")
    build(content, out, SETTINGS)
    assert f"{HAT}.md" in hashed and _files(out) == expected


def test_the_review_cache_keeps_file_statuses_for_the_next_process(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process (store.digest's memory emptied) takes the paper files' settled
    statuses from the review cache and reads none of them again; a file rewritten to the
    same size with its modification time put back is read, and its new title is seen."""
    import builtins

    from generator.review.check import review_content
    from generator.store import digest

    monkeypatch.setattr(digest, "RACY", 0.0)
    monkeypatch.setattr(digest, "_known", {})
    content = project / "content"
    first = review_content(content, warnings=False, cache=True).catalog()
    monkeypatch.setattr(digest, "_known", {})
    opened: list[str] = []
    real_open = builtins.open

    def counted(file: object, *args: object, **kwargs: object) -> object:
        opened.append(Path(str(file)).name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", counted)
    assert review_content(content, warnings=False, cache=True).catalog() == first
    assert not [name for name in opened if (content / "papers" / name).is_file()], opened
    _rewrite_unseen(content / "papers" / f"{HAT}.yml", "HAT: Hybrid", "HAT: Hybrix")
    monkeypatch.setattr(digest, "_known", {})
    again = {p.slug: p for p in review_content(content, warnings=False, cache=True).catalog().papers}
    assert again[HAT].title.startswith("HAT: Hybrix")


def test_search_records_are_made_again_only_for_what_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last build's record lines are used again for the papers whose file and topics'
    titles are the same; a records file changed by hand is not trusted at all."""
    from generator.site import search_index

    content, out = project / "content", project / "docs"
    build(content, out, SETTINGS)
    made: list[str] = []
    real = search_index.search_record
    monkeypatch.setattr(search_index, "search_record",
                        lambda paper, topics: made.append(paper.slug) or real(paper, topics))
    _edit(content, HAT, upvotes=77)
    build(content, out, SETTINGS)
    assert made == [HAT]
    assert _files(out) == _cold(content, project / "cold-1")
    records = out / search_index.RECORDS
    records.write_text(records.read_text(encoding="utf-8").replace("Hybrid", "Hybrix"), encoding="utf-8")
    made.clear()
    build(content, out, SETTINGS)
    assert sorted(made) == sorted(p.stem for p in (content / "papers").glob("*.yml"))
    assert _files(out) == _cold(content, project / "cold-2")


def test_check_remembers_the_topics_check_and_finds_the_same(project: Path) -> None:
    """`check` keeps the check of each paper's topics in the cache too: a retired
    `rule_topics` is found on the first run, from the cache on the second, and after an
    edit that gives the paper a curator's topics, it is gone."""
    content = project / "content"
    path = content / "papers" / f"{HAT}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("topics", None)
    data["rule_topics"] = ["speech"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    first = check_content(content, cache=True)
    assert any("rule_topics: replaced by `proposed_topics`" in p.message for p in first)
    assert check_content(content, cache=True) == first == check_content(content)
    data.pop("rule_topics")
    data["topics"] = ["vision"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    after = check_content(content, cache=True)
    assert after == check_content(content) and not any("rule_topics" in p.message for p in after)


def test_a_build_with_nothing_new_does_not_import_the_related_papers_libraries(project: Path) -> None:
    """numpy and scipy only when related papers must be computed; scikit-learn never."""
    script = ("import sys; from pathlib import Path; from generator.site.build import build; "
              "from generator.site.settings import Settings; "
              f"build(Path({str(project / 'content')!r}), Path({str(project / 'docs')!r}), "
              "Settings(site_url='https://example.org/')); "
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy', 'sklearn'}))")
    runs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
            for _ in range(2)]
    assert [(r.returncode, r.stdout) for r in runs] == [(0, "['numpy', 'scipy']\n"), (0, "[]\n")], \
        runs[1].stderr
    _edit(project / "content", HAT, upvotes=99)  # no title, abstract or topic: nothing to recompute
    again = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert (again.returncode, again.stdout) == (0, "[]\n")
