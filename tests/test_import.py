"""`python -m generator import`: merging, idempotence, curation, bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from generator.ingest.listing import resolve_date
from generator.review.check import read_papers
from generator.store.paperfile import paper_to_yaml
from helpers import CONTENT, FIXTURES, LISTINGS, SEED_DATES, empty_content, run_cli, snapshot


def import_seeds(content: Path) -> list[str]:
    outputs = []
    for name, as_of in SEED_DATES.items():
        result = run_cli("--content", content, "import", LISTINGS / f"{name}.txt", "--as-of", as_of)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    return outputs


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    content = empty_content(tmp_path_factory.mktemp("seeded"))
    return content, import_seeds(content)


def test_seeds_give_532_papers(seeded: tuple[Path, list[str]]) -> None:
    content, outputs = seeded
    assert len(list((content / "papers").glob("*.yml"))) == 532
    # 577 entries: each listing's summary line accounts for all of its entries.
    assert "003_e70dd2ff951c1db1.txt: metadata layout, 41 entries" in outputs[0]
    assert outputs[0].endswith("added 41, updated 0, unchanged 0, skipped 0 (repeated in this import)\n")
    totals = [int(part.split()[-1]) for out in outputs for part in out.splitlines()[-1].split(",")[:3]]
    assert sum(totals) == 577


def test_committed_content_is_the_import_of_the_seeds(seeded: tuple[Path, list[str]]) -> None:
    """content/papers is exactly what `make import` produces: reproducible from the repo."""
    content, _ = seeded
    assert snapshot(content / "papers") == snapshot(CONTENT / "papers")


def test_reimport_changes_no_byte(seeded: tuple[Path, list[str]], tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(seeded[0], content)
    before = snapshot(content)
    outputs = import_seeds(content)
    assert snapshot(content) == before
    assert all(", updated 0," in out and "added 0," in out for out in outputs)


def test_paper_in_several_listings_is_one_file_with_all_sources(seeded: tuple[Path, list[str]]) -> None:
    papers = {p.title: p for p in read_papers(seeded[0])}
    paper = papers["Pretraining Language Models with Human Preferences"]
    assert len(paper.sources) >= 2
    assert paper.added == min(dt.date.fromisoformat(SEED_DATES[s]) for s in paper.sources)


def test_hat_paper_fields(seeded: tuple[Path, list[str]]) -> None:
    path = seeded[0] / "papers" / "hat-hybrid-attention-transformer-for-image-restoration.yml"
    data = yaml.safe_load(path.read_text())
    assert data["author_count"] == 7
    assert data["published"] == dt.date(2023, 9, 11)
    assert data["links"] == [{"url": "https://github.com/XPixelGroup/HAT", "kind": "code"}]
    assert data["added"] == dt.date(2025, 12, 10)
    assert data["sources"] == ["003_e70dd2ff951c1db1"]
    assert list(data) == ["title", "abstract", "author_count", "published", "links", "topics", "sources", "added"]


def test_every_paper_has_a_topic_and_few_are_uncategorized(seeded: tuple[Path, list[str]]) -> None:
    papers = read_papers(seeded[0])
    assert all(p.topics for p in papers)
    other = [p for p in papers if p.topics == ("other",)]
    assert len(other) <= 0.05 * len(papers)


def test_fixture_layouts_import(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "metadata.txt", "--as-of", "2025-12-10")
    assert result.returncode == 0, result.stderr
    papers = {p.title: p for p in read_papers(content)}
    assert papers["Meta Paper Without Year"].published == dt.date(2024, 12, 27)
    assert papers["Meta Paper With Upvotes"].upvotes == 12
    assert papers["Meta Paper With Upvotes"].abstract == "Abstract two, ReST-MCTS* style."
    assert papers["Meta Paper Without Year"].abstract == "Abstract three about n_TOF."
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "compact.txt", "--as-of", "2025-12-11")
    assert result.returncode == 0, result.stderr
    papers = {p.title: p for p in read_papers(content)}
    second = papers["Second Paper on TÜLU"]
    assert second.abstract == "A naïve method improves accuracy by 90%, see https://huggingface.co/datasets/acme/data."
    assert [(link.url, link.kind) for link in second.links] == [("https://huggingface.co/datasets/acme/data", "hf-dataset")]
    assert papers["First Paper: A Compact Title"].slug == "first-paper-a-compact-title"


@pytest.mark.parametrize(
    ("text", "as_of", "expected"),
    [
        ("Sep 11, 2023", "2025-12-10", "2023-09-11"),
        ("Sep 27", "2025-12-10", "2025-09-27"),
        ("Dec 10", "2025-12-10", "2025-12-10"),
        ("Dec 11", "2025-12-10", "2024-12-11"),
        ("Feb 29", "2025-12-10", "2024-02-29"),
    ],
)
def test_resolve_date(text: str, as_of: str, expected: str) -> None:
    assert resolve_date(text, dt.date.fromisoformat(as_of)) == dt.date.fromisoformat(expected)


def _edit(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_curated_fields_survive_reimport(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    listing = FIXTURES / "listings" / "metadata.txt"
    assert run_cli("--content", content, "import", listing, "--as-of", "2025-12-10").returncode == 0
    path = content / "papers" / "meta-paper-with-year.yml"
    _edit(
        path,
        title="Meta Paper With Year (Corrected Title)",
        topics=["speech"],
        authors=["Ada Lovelace", "Alan Turing"],
        links=[{"url": "https://github.com/acme/meta", "kind": "code"}],
        note="Curator's note.",
    )
    curated = path.read_text()
    result = run_cli("--content", content, "import", listing, "--as-of", "2025-12-10")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (content / "papers").iterdir()) == [
        "meta-paper-with-upvotes.yml", "meta-paper-with-year.yml", "meta-paper-without-year.yml"]
    paper = {p.slug: p for p in read_papers(content)}["meta-paper-with-year"]
    assert paper.title == "Meta Paper With Year (Corrected Title)"
    assert paper.topics == ("speech",)
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.note == "Curator's note."
    assert [link.url for link in paper.links] == ["https://github.com/acme/meta"]
    assert yaml.safe_load(path.read_text()) == yaml.safe_load(curated)


def test_newer_listing_refreshes_upvotes_older_does_not(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    text = (FIXTURES / "listings" / "metadata.txt").read_text()
    newer = tmp_path / "newer.txt"
    newer.write_text(text.replace("Oct 19, 2022 12", "Oct 19, 2022 40").replace("Dec 10\n", "Dec 20\n", 1))
    older = tmp_path / "older.txt"
    older.write_text(text.replace("Oct 19, 2022 12", "Oct 19, 2022 3").replace("Dec 10\n", "Dec 1\n", 1))
    assert run_cli("--content", content, "import", FIXTURES / "listings" / "metadata.txt", "--as-of", "2025-12-10").returncode == 0
    result = run_cli("--content", content, "import", newer, "--as-of", "2025-12-20")
    assert result.returncode == 0, result.stderr
    paper = {p.slug: p for p in read_papers(content)}["meta-paper-with-upvotes"]
    assert (paper.upvotes, paper.sources, paper.added) == (40, ("metadata", "newer"), dt.date(2025, 12, 10))
    result = run_cli("--content", content, "import", older, "--as-of", "2025-12-01")
    assert result.returncode == 0, result.stderr
    paper = {p.slug: p for p in read_papers(content)}["meta-paper-with-upvotes"]
    assert paper.upvotes == 40
    assert paper.sources == ("metadata", "newer", "older")


@pytest.mark.parametrize(
    ("content_bytes", "expected"),
    [
        (b"", "bad.txt:1:1: error: listing is empty; expected title and abstract lines"),
        (b"Title\nna\xefve\n", "bad.txt:2:3: error: not UTF-8 text: byte 0xef cannot be decoded"),
        (b"new\n\nSubscribe\n", "bad.txt:1:1: error: listing holds no entries (only page chrome); expected title and abstract lines"),
        (b"Title one\nAbstract one.\nTitle two\n", "bad.txt:3:1: error: truncated entry: title 'Title two' has no abstract"),
    ],
)
def test_bad_listing_fails_whole_import(tmp_path: Path, content_bytes: bytes, expected: str) -> None:
    content = empty_content(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content_bytes)
    before = snapshot(content)
    # A good listing first: nothing of it may be written either.
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "compact.txt", "bad.txt", "--as-of", "2025-12-10",
                     cwd=tmp_path)
    assert result.returncode == 1
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert snapshot(content) == before


def test_header_date_must_match_as_of(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "blank.txt", "--as-of", "2025-12-10")
    assert result.returncode == 1
    assert "header date is 'Mar 11', but --as-of is 2025-12-10" in result.stderr
    assert not list((content / "papers").iterdir())


def test_as_of_is_required(tmp_path: Path) -> None:
    result = run_cli("--content", empty_content(tmp_path), "import", FIXTURES / "listings" / "compact.txt")
    assert result.returncode == 2
    assert "--as-of" in result.stderr


def test_unreadable_existing_file_stops_import(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    (content / "papers" / "broken.yml").write_text("title: [unclosed\n")
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "compact.txt", "--as-of", "2025-12-10")
    assert result.returncode == 1
    assert "broken.yml:2:1: error: invalid YAML" in result.stderr
    assert [p.name for p in (content / "papers").iterdir()] == ["broken.yml"]


def test_no_temporary_files_are_left(seeded: tuple[Path, list[str]]) -> None:
    assert not [p for p in seeded[0].rglob("*") if p.name.startswith(".")]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    result = run_cli("--content", content, "import", FIXTURES / "listings" / "compact.txt", "--as-of", "2025-12-10", "--dry-run")
    assert result.returncode == 0
    assert "added 2," in result.stdout
    assert not list((content / "papers").iterdir())


def test_store_round_trips_every_seed_paper(seeded: tuple[Path, list[str]]) -> None:
    for paper in read_papers(seeded[0]):
        text = paper_to_yaml(paper)
        data = yaml.safe_load(text)
        assert data["title"] == paper.title
        assert data["abstract"] == paper.abstract


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.ingest.importer import import_listings

    listing = FIXTURES / "listings" / "compact.txt"
    as_of = dt.date(2025, 12, 10)
    import_listings([listing], content_dir=empty_content(tmp_path / "a"), as_of=as_of, dry_run=True, progress=True)
    assert "importing: 100%" in capsys.readouterr().err
    # Under pytest stderr is not a terminal: no bar by default.
    import_listings([listing], content_dir=empty_content(tmp_path / "b"), as_of=as_of, dry_run=True)
    assert "importing" not in capsys.readouterr().err
