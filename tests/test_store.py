"""The store: paper files <-> Paper without loss, and writes that are all or nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.model import PAPER_FIELDS, LinkKind, Paper
from generator.review.check import check_content, read_papers
from generator.store.atomic import sweep_temporaries, write_atomic
from generator.store.paperfile import load_yaml, paper_from_mapping, paper_to_yaml
from helpers import CONTENT, EVERY_FIELD, base_content


def round_trip(paper: Paper) -> tuple[Paper, str]:
    text = paper_to_yaml(paper)
    return paper_from_mapping(paper.slug, load_yaml(text)), text


def test_every_field_is_set() -> None:
    empty = [name for name, _ in PAPER_FIELDS if getattr(EVERY_FIELD, name) in (None, (), "")]
    assert empty == []
    assert {link.kind for link in EVERY_FIELD.links} == set(LinkKind)


def test_a_paper_with_every_field_round_trips() -> None:
    again, text = round_trip(EVERY_FIELD)
    assert again == EVERY_FIELD
    assert list(load_yaml(text)) == [name for name, _ in PAPER_FIELDS]
    assert paper_to_yaml(again) == text


def test_a_paper_with_every_field_passes_check(tmp_path: Path) -> None:
    """No error; the one warning is that `proposed_topics` are not used beside a curator's `topics`."""
    content = base_content(tmp_path)
    path = content / "papers" / "every-field.yml"
    path.write_text(paper_to_yaml(EVERY_FIELD), encoding="utf-8")
    assert [p.message for p in check_content(content, [path])] == [
        "proposed_topics: not used while `topics` is set (a curator's choice); "
        "`python -m generator topics refresh` removes it"]


def test_every_committed_paper_round_trips() -> None:
    papers = read_papers(CONTENT)
    assert len(papers) == len(list((CONTENT / "papers").iterdir()))
    for paper in papers:
        again, text = round_trip(paper)
        assert again == paper, paper.slug
        assert text == (CONTENT / "papers" / f"{paper.slug}.yml").read_text(encoding="utf-8"), paper.slug


@pytest.mark.parametrize("name", [name for name, _ in PAPER_FIELDS if name not in ("title", "abstract")])
def test_an_optional_field_can_be_left_out(name: str) -> None:
    """An empty optional field is not written, and reads back empty."""
    default = next(f.default for f in dataclasses.fields(Paper) if f.name == name)
    paper = dataclasses.replace(EVERY_FIELD, **{name: default})
    again, text = round_trip(paper)
    assert again == paper
    assert name not in load_yaml(text)


# --- write_atomic ----------------------------------------------------------------


def test_write_atomic_writes_every_file(tmp_path: Path) -> None:
    files = {tmp_path / "a" / "one.yml": "one\n", tmp_path / "two.yml": "two\n"}
    write_atomic(files)
    assert {p: p.read_text() for p in files} == files
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "one.yml", "two.yml"]
    assert (tmp_path / "two.yml").stat().st_mode & 0o777 == 0o644


def test_write_atomic_writes_nothing_when_one_file_fails(tmp_path: Path) -> None:
    (tmp_path / "old.yml").write_text("old\n")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed\n")
    with pytest.raises(OSError):
        write_atomic({tmp_path / "old.yml": "new\n", blocked / "x.yml": "x\n"})
    assert (tmp_path / "old.yml").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "old.yml"]


def test_the_next_write_sweeps_stale_temporaries(tmp_path: Path) -> None:
    stale = [tmp_path / ".a.yml.k2j3.tmp", tmp_path / ".b.yml.x.tmp"]
    for path in stale:
        path.write_text("half a fi")
    keep = [tmp_path / ".hidden-but-not-ours", tmp_path / "visible.tmp", tmp_path / "c.yml"]
    for path in keep:
        path.write_text("keep\n")
    write_atomic({tmp_path / "a.yml": "a\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.yml"] + [p.name for p in keep])
    sweep_temporaries(tmp_path / "no-such-folder")  # nothing to sweep is fine


def test_a_file_digest_follows_every_change_of_its_bytes(tmp_path: Path) -> None:
    """store.digest remembers a digest by the file's status: a rewrite is seen, even one
    of the same size that leaves the modification time as it was (a racy write, within
    the clock's granularity: the file was changed too recently to be remembered)."""
    import hashlib
    import os

    from generator.store.digest import file_sha256

    path = tmp_path / "paper.yml"
    path.write_bytes(b"title: A\n")
    assert file_sha256(path) == hashlib.sha256(b"title: A\n").hexdigest()
    before = path.stat()
    path.write_bytes(b"title: B\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file_sha256(path) == hashlib.sha256(b"title: B\n").hexdigest()
    path.write_bytes(b"title: Longer\n")
    assert file_sha256(path) == hashlib.sha256(b"title: Longer\n").hexdigest()


def test_a_file_digest_is_remembered_while_the_file_is_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the file is older than RACY (here 0 s), asking again does not read it."""
    import builtins

    from generator.store import digest

    monkeypatch.setattr(digest, "RACY", 0.0)
    path = tmp_path / "paper.yml"
    path.write_bytes(b"title: A\n")
    first = digest.file_sha256(path)
    opened: list[str] = []
    real_open = builtins.open

    def counted(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", counted)
    assert digest.file_sha256(path) == first
    assert str(path) not in opened
    path.write_bytes(b"title: B\n")
    assert digest.file_sha256(path) != first
    assert str(path) in opened
