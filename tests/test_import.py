"""`python -m generator import`: merging, idempotence, curation, bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.ingest.listing import resolve_date
from generator.review.check import read_papers
from helpers import CONTENT, FIXTURES, PUBLISHED_SLUGS, base_content, cli, empty_content, seed_content, snapshot

# One worker imports the seeds once (the module fixture `seeded`) for every test here.
pytestmark = pytest.mark.xdist_group("import")

COMPACT = FIXTURES / "listings" / "compact.txt"
METADATA = FIXTURES / "listings" / "metadata.txt"
SEED_LISTING_LINES = [
    "002_a5cf91813e7d014e.txt: blank-line layout, 98 entries",
    "004_998dcee729a8eeba.txt: blank-line layout, 86 entries",
    "003_e70dd2ff951c1db1.txt: metadata layout, 41 entries",
    "000_6e142910f8444dbd.txt: compact layout, 113 entries",
    "001_45326a44d991b082.txt: compact layout, 239 entries",
]
SEED_COUNTS = "added 532, updated 0, unchanged 0, skipped 45 (repeated in this import)"
"""What importing the seeds into an empty folder prints, besides a line per file written:
577 entries (test_listing counts them by hand), 532 papers, 45 entries that repeat a paper
of an earlier listing."""
SEED_IMPORT = FIXTURES / "seed_import.txt"
"""What the seeds' import holds, one line per paper (see `seed_lines`); checked in, and
rewritten by `--update-goldens` after an intended change to the import (review its diff)."""


def import_seeds(content: Path) -> str:
    code, out, err = cli("--content", content, "import", "--manifest",
                         content / "listings" / "manifest.yml")
    assert (code, err) == (0, "")
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return seed_content(tmp_path_factory.mktemp("seeded"))


def seed_lines(papers: Path) -> str:
    """Each paper file, read with PyYAML, as one line: its slug, title, dates, upvotes,
    author count, sources, arXiv id, links and a hash of its abstract. Everything the
    import decides except `proposed_topics`, which follow topics.yml and the proposer
    (test_topic_proposals)."""
    lines = []
    for path in sorted(papers.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        links = ", ".join(f"{link['kind']} {link['url']}" for link in data.get("links") or ())
        digest = hashlib.sha256(data["abstract"].encode()).hexdigest()[:12]
        fields = [path.stem, data["title"], data.get("added"), data.get("published"), data.get("upvotes"),
                  data.get("author_count"), ",".join(data.get("sources") or ()), data.get("arxiv"), links,
                  f"abstract {digest}"]
        lines.append(" | ".join("-" if value in (None, "") else str(value) for value in fields))
    return "\n".join(lines) + "\n"


def test_the_seeds_import_as_expected(seeded: tuple[Path, str], update_goldens: bool) -> None:
    """The import of the seed listings, in a temporary folder, against its own record
    (tests/fixtures/seed_import.txt): every paper and what the import gave it."""
    content, output = seeded
    papers = content / "papers"
    lines = output.splitlines()
    assert lines[:5] == SEED_LISTING_LINES and lines[-1] == SEED_COUNTS
    assert lines[5:-1] == [f"wrote {path} (new)" for path in sorted(papers.glob("*.yml"))]
    assert len(lines[5:-1]) == 532
    assert not [p for p in papers.rglob("*") if p.name.startswith(".")], "a temporary file was left"
    got = seed_lines(papers)
    if update_goldens:
        SEED_IMPORT.write_text(got, encoding="utf-8")
    assert got.splitlines() == SEED_IMPORT.read_text(encoding="utf-8").splitlines()
    assert b"redirect_from" not in b"".join(p.read_bytes() for p in papers.iterdir())
    assert cli("--content", content, "check") == (0, "", "533 files checked: 0 errors, 0 warnings\n")


def test_every_published_slug_still_leads_to_its_paper() -> None:
    """Every slug the site has published (tests/fixtures/published_slugs.txt) is a paper's
    slug or an old slug in a paper's redirect_from, so no published address breaks: a
    rename or a merge keeps the old slug (CONTRIBUTING's "Rename a paper")."""
    papers = read_papers(CONTENT)
    live = {p.slug for p in papers}
    old = {slug for p in papers for slug in p.redirect_from}
    published = PUBLISHED_SLUGS.read_text(encoding="utf-8").split()
    assert published
    assert [s for s in published if s not in live and s not in old] == []


def test_reimport_changes_no_byte(seeded: tuple[Path, str], tmp_path: Path) -> None:
    content = Path(shutil.copytree(seeded[0], tmp_path / "content"))
    before = snapshot(content)
    output = import_seeds(content)
    assert snapshot(content) == before
    assert output.splitlines() == SEED_LISTING_LINES + [
        "added 0, updated 0, unchanged 532, skipped 45 (repeated in this import)"]


def test_reimport_into_the_committed_content_adds_nothing_and_keeps_every_edit(fast_tmp: Path) -> None:
    """`make import` on the committed content, whatever curators and contributors did to
    it: no paper comes back twice, and no field changes but `upvotes`, which a listing at
    least as new as a paper's `added` refreshes (model.Merge)."""
    content = Path(shutil.copytree(CONTENT, fast_tmp / "content"))
    before = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (content / "papers").iterdir()}
    code, out, err = cli("--content", content, "import", "--manifest", content / "listings" / "manifest.yml")
    assert (code, err) == (0, "")
    assert re.search(r"^added 0, updated \d+, unchanged \d+, skipped \d+ ", out, re.M), out
    after = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (content / "papers").iterdir()}
    assert set(after) == set(before)
    for name, data in after.items():
        changed = {k for k in data.keys() | before[name].keys() if data.get(k) != before[name].get(k)}
        assert changed <= {"upvotes"}, (name, changed)


def test_paper_in_several_listings_is_one_file_with_all_sources(seeded: tuple[Path, str]) -> None:
    papers = {p.title: p for p in read_papers(seeded[0])}
    paper = papers["Pretraining Language Models with Human Preferences"]
    assert paper.sources == ("002_a5cf91813e7d014e", "004_998dcee729a8eeba", "003_e70dd2ff951c1db1")
    assert paper.added == dt.date(2025, 3, 11)  # the first of them
    assert [p.title for p in papers.values()].count(paper.title) == 1


def test_hat_paper_fields(seeded: tuple[Path, str]) -> None:
    path = seeded[0] / "papers" / "hat-hybrid-attention-transformer-for-image-restoration.yml"
    data = yaml.safe_load(path.read_text())
    assert data["author_count"] == 7
    assert data["published"] == "2023-09-11"  # quoted, so every YAML reader keeps it as text
    assert data["links"] == [{"url": "https://github.com/XPixelGroup/HAT", "kind": "code"}]
    assert data["added"] == "2025-12-10"
    assert data["sources"] == ["003_e70dd2ff951c1db1"]
    assert list(data) == ["title", "abstract", "author_count", "published", "links", "proposed_topics", "sources", "added"]


def test_every_paper_has_a_topic_and_few_are_uncategorized(seeded: tuple[Path, str]) -> None:
    papers = read_papers(seeded[0])
    assert all(p.proposed_topics and not p.topics for p in papers), "an import only proposes"
    # With no curated paper to learn from, the rules propose alone, with no confidence.
    assert {q.confidence for p in papers for q in p.proposed_topics} == {None}
    other = [p for p in papers if p.shown_topics == ("other",)]
    assert len(other) <= 0.05 * len(papers)


def test_fixture_layouts_import(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    papers_dir = content / "papers"
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10") == (
        0, "metadata.txt: metadata layout, 3 entries\n"
           f"wrote {papers_dir / 'meta-paper-with-upvotes.yml'} (new)\n"
           f"wrote {papers_dir / 'meta-paper-with-year.yml'} (new)\n"
           f"wrote {papers_dir / 'meta-paper-without-year.yml'} (new)\n"
           "added 3, updated 0, unchanged 0, skipped 0 (repeated in this import)\n", "")
    papers = {p.title: p for p in read_papers(content)}
    assert papers["Meta Paper Without Year"].published == dt.date(2024, 12, 27)
    assert papers["Meta Paper With Upvotes"].upvotes == 12
    assert papers["Meta Paper With Upvotes"].abstract == "Abstract two, ReST-MCTS* style, written out to more than twenty words so that the importer takes it for a real abstract."
    assert papers["Meta Paper Without Year"].abstract == "Abstract three about n_TOF, written out to more than twenty words so that the importer takes it for a real abstract."
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-11") == (
        0, "compact.txt: compact layout, 2 entries\n"
           f"wrote {papers_dir / 'first-paper-a-compact-title.yml'} (new)\n"
           f"wrote {papers_dir / 'second-paper-on-tulu.yml'} (new)\n"
           "added 2, updated 0, unchanged 0, skipped 0 (repeated in this import)\n", "")
    papers = {p.title: p for p in read_papers(content)}
    second = papers["Second Paper on TÜLU"]
    assert second.abstract == ("We revisit instruction tuning in the style of TÜLU with a small set of curated tasks "
                               "and careful evaluation. A naïve method improves accuracy by 90%, see "
                               "https://huggingface.co/datasets/acme/data.")
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
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10")[0] == 0
    path = content / "papers" / "meta-paper-with-year.yml"
    _edit(
        path,
        title="Meta Paper With Year (Corrected Title)",
        topics=["speech"],
        authors=["Ada Lovelace", "Alan Turing"],
        links=[{"url": "https://github.com/acme/meta", "kind": "code"}],
        note="Curator's note.",
    )
    curated = yaml.safe_load(path.read_text())
    assert curated["proposed_topics"], "the curator left the proposed topics in the file"
    # The import keeps every field the curator wrote; it only drops `proposed_topics`, which
    # the curator's `topics` override, and then leaves the file alone.
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10") == (
        0, "metadata.txt: metadata layout, 3 entries\n"
           f"wrote {path} (updated)\n"
           "added 0, updated 1, unchanged 2, skipped 0 (repeated in this import)\n", "")
    assert sorted(p.name for p in (content / "papers").iterdir()) == [
        "meta-paper-with-upvotes.yml", "meta-paper-with-year.yml", "meta-paper-without-year.yml"]
    assert yaml.safe_load(path.read_text()) == {k: v for k, v in curated.items() if k != "proposed_topics"}
    settled = path.read_text()
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10")[1].endswith(
        "added 0, updated 0, unchanged 3, skipped 0 (repeated in this import)\n")
    assert path.read_text() == settled


def test_reimport_reads_the_named_papers_text_anew_and_keeps_the_curators_fields(tmp_path: Path) -> None:
    """`--reimport` is how an importer fix reaches committed papers: the text an older importer
    wrote (here: a URL it rewrote, a footnote it deleted) becomes what a fresh import writes;
    every field a curator owns stays, and a paper not named keeps its text."""
    content = empty_content(tmp_path)
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10")[0] == 0
    fresh = {p.name: p.read_text() for p in (content / "papers").iterdir()}
    first = content / "papers" / "first-paper-a-compact-title.yml"
    second = content / "papers" / "second-paper-on-tulu.yml"
    old_text = "An older importer's abstract, long enough to count as one: twenty words and more of text."
    _edit(first, abstract=old_text, title="First Paper: An Older Title", topics=["speech"],
          note="Curator's note.", redirect_from=["first-paper-old"])
    _edit(second, abstract=old_text)
    curated = yaml.safe_load(first.read_text())
    code, out, err = cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10",
                         "--reimport", "first-paper-old", "--dry-run")
    assert (code, err) == (0, "")
    assert out.endswith("added 0, updated 1, unchanged 1, skipped 0 (repeated in this import)\n"
                        "re-imported first-paper-a-compact-title: title, abstract read anew\n")
    assert yaml.safe_load(first.read_text()) == curated, "a dry run wrote"
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10",
               "--reimport", "first-paper-a-compact-title")[0] == 0
    data = yaml.safe_load(first.read_text())
    assert (data["title"], data["abstract"]) == (yaml.safe_load(fresh[first.name])["title"],
                                                 yaml.safe_load(fresh[first.name])["abstract"])
    assert {k: v for k, v in data.items() if k not in ("title", "abstract")} == {
        k: v for k, v in curated.items() if k not in ("title", "abstract", "proposed_topics")}
    assert yaml.safe_load(second.read_text())["abstract"] == old_text, "a paper not named kept its text"
    # Named again, it is already what the importer writes.
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10", "--reimport",
               "first-paper-a-compact-title")[1].endswith(
        "unchanged 2, skipped 0 (repeated in this import)\n"
        "re-imported first-paper-a-compact-title: text unchanged\n")


def test_reimport_takes_the_text_of_the_first_listing_that_holds_the_paper(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    later = tmp_path / "later.txt"
    later.write_text(COMPACT.read_text().replace("We study compact listings", "We study later listings"))
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10")[0] == 0
    path = content / "papers" / "first-paper-a-compact-title.yml"
    expected = yaml.safe_load(path.read_text())["abstract"]
    _edit(path, abstract="Changed. " + expected)
    assert cli("--content", content, "import", COMPACT, later, "--as-of", "2025-12-10",
               "--reimport", "first-paper-a-compact-title")[0] == 0
    assert yaml.safe_load(path.read_text())["abstract"] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reimport", "no-such-paper"],
         "Error: --reimport: no paper has the slug no-such-paper (nor has it as an old slug in "
         "redirect_from)\n"),
        (["--reimport", "meta-paper-with-year"],
         "Error: --reimport: no entry of these listings is the paper meta-paper-with-year, so there "
         "is no text to read anew (is it in another listing, or did its title change beyond "
         "recognition?)\n"),
    ],
)
def test_reimport_of_a_paper_it_cannot_read_fails_and_writes_nothing(
        tmp_path: Path, args: list[str], message: str) -> None:
    content = empty_content(tmp_path)
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10")[0] == 0
    before = snapshot(content)
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10", *args) == (1, "", message)
    assert snapshot(content) == before


def test_reimport_needs_listings(tmp_path: Path) -> None:
    code, _, err = cli("--content", empty_content(tmp_path), "import", "--hf-daily", "2025-11-27",
                       "--reimport", "x")
    assert code == 2
    assert err.endswith("error: --reimport reads a paper's text from listings; give LISTING files "
                        "or --manifest\n")


def test_newer_listing_refreshes_upvotes_older_does_not(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    text = METADATA.read_text()
    newer = tmp_path / "newer.txt"
    newer.write_text(text.replace("Oct 19, 2022 12", "Oct 19, 2022 40").replace("Dec 10\n", "Dec 20\n", 1))
    older = tmp_path / "older.txt"
    older.write_text(text.replace("Oct 19, 2022 12", "Oct 19, 2022 3").replace("Dec 10\n", "Dec 1\n", 1))
    assert cli("--content", content, "import", METADATA, "--as-of", "2025-12-10")[0] == 0
    code, out, err = cli("--content", content, "import", newer, "--as-of", "2025-12-20")
    assert (code, out.splitlines()[0], out.splitlines()[-1], err) == (
        0, "newer.txt: metadata layout, 3 entries",
        "added 0, updated 3, unchanged 0, skipped 0 (repeated in this import)", "")
    assert out.count(" (updated)\n") == 3
    paper = {p.slug: p for p in read_papers(content)}["meta-paper-with-upvotes"]
    assert (paper.upvotes, paper.sources, paper.added) == (40, ("metadata", "newer"), dt.date(2025, 12, 10))
    assert cli("--content", content, "import", older, "--as-of", "2025-12-01")[0] == 0
    paper = {p.slug: p for p in read_papers(content)}["meta-paper-with-upvotes"]
    assert (paper.upvotes, paper.sources) == (40, ("metadata", "newer", "older"))


@pytest.mark.parametrize(
    ("content_bytes", "expected"),
    [
        (b"", "bad.txt:1:1: error: listing is empty; expected title and abstract lines"),
        (b"Title\nna\xefve\n", "bad.txt:2:3: error: not UTF-8 text: byte 0xef cannot be decoded"),
        (b"new\n\nSubscribe\n", "bad.txt:1:1: error: listing holds no entries (only page chrome); expected title and abstract lines"),
        (b"Title one\nAbstract one.\nTitle two\n", "bad.txt:3:1: error: truncated entry: title 'Title two' has no abstract"),
    ],
)
def test_bad_listing_fails_whole_import(in_tmp: Path, content_bytes: bytes, expected: str) -> None:
    content = empty_content(in_tmp)
    (in_tmp / "bad.txt").write_bytes(content_bytes)
    before = snapshot(content)
    # A good listing first: nothing of it may be written either.
    assert cli("--content", content, "import", COMPACT, "bad.txt", "--as-of", "2025-12-10") == (
        1, "", f"{expected}\nError: 1 error found; nothing was written\n")
    assert snapshot(content) == before


def test_every_bad_listing_is_reported(in_tmp: Path) -> None:
    content = empty_content(in_tmp)
    (in_tmp / "one.txt").write_bytes(b"")
    (in_tmp / "two.txt").write_bytes(b"Title\nAbstract.\nDangling title\n")
    assert cli("--content", content, "import", "one.txt", "two.txt", "--as-of", "2025-12-10") == (
        1, "",
        "one.txt:1:1: error: listing is empty; expected title and abstract lines\n"
        "two.txt:3:1: error: truncated entry: title 'Dangling title' has no abstract\n"
        "Error: 2 errors found; nothing was written\n")


def test_odd_urls_neither_crash_the_import_nor_fail_check(in_tmp: Path) -> None:
    """Regression (found by test_properties): a bracketed host in a title made the import
    end in a traceback, and `|` or `^` in a URL gave a link that `check` refuses."""
    base_content(in_tmp)
    (in_tmp / "odd.txt").write_text(
        "A Title With https://[::1/x In It\n"
        "Abstract with https://github.com/acme/repo|extra and https://example.org:99999/page and "
        "https://example.org/a^b.\n", encoding="utf-8")
    # A 7-word abstract is refused as probable page chrome unless forced: force it.
    assert cli("--content", "content", "import", "odd.txt", "--as-of", "2025-12-10", "--force") == (
        0, "odd.txt: compact layout, 1 entries\n"
           "wrote content/papers/a-title-with-https-1-x.yml (new)\n"
           "added 1, updated 0, unchanged 0, skipped 0 (repeated in this import)\n",
        "odd.txt:2:1: warning: the abstract of 'A Title With https://[::1/x In It' (line 1) has 7 "
        "words: 'Abstract with https://github.com/acme/repo|extra and https:…' (imported anyway: "
        "--force)\n")
    paper = {p.slug: p for p in read_papers(in_tmp / "content")}["a-title-with-https-1-x"]
    assert [link.url for link in paper.links] == ["https://github.com/acme/repo", "https://example.org/a"]
    assert cli("--content", "content", "check") == (0, "", "4 files checked: 0 errors, 0 warnings\n")


def test_header_date_must_match_as_of(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    blank = FIXTURES / "listings" / "blank.txt"
    assert cli("--content", content, "import", blank, "--as-of", "2025-12-10") == (
        1, "", f"{blank}:1:1: error: the listing's header date is 'Mar 11', but --as-of is 2025-12-10; "
               "pass the date the listing was captured\nError: 1 error found; nothing was written\n")
    assert not list((content / "papers").iterdir())


def test_as_of_is_required(tmp_path: Path) -> None:
    code, out, err = cli("--content", empty_content(tmp_path), "import", COMPACT)
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m generator import [-h] [--as-of YYYY-MM-DD]")
    assert err.endswith("\npython -m generator import: error: the following arguments are required with "
                        "LISTING: --as-of\n")


def test_source_names_a_single_listing(tmp_path: Path) -> None:
    assert cli("--content", empty_content(tmp_path), "import", COMPACT, METADATA, "--as-of", "2025-12-10",
               "--source", "x") == (1, "", "Error: --source names one listing; give one LISTING with it\n")


def test_unreadable_existing_file_stops_import(in_tmp: Path) -> None:
    content = empty_content(in_tmp)
    (content / "papers" / "broken.yml").write_text("title: [unclosed\n")
    assert cli("--content", "content", "import", COMPACT, "--as-of", "2025-12-10") == (
        1, "",
        "content/papers/broken.yml:2:1: error: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence at line 1, column 8)\nError: 1 error found; nothing was written\n")
    assert [p.name for p in (content / "papers").iterdir()] == ["broken.yml"]


def test_no_temporary_files_are_left(seeded: tuple[Path, str]) -> None:
    assert not [p for p in seeded[0].rglob("*") if p.name.startswith(".")]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    content = empty_content(tmp_path)
    assert cli("--content", content, "import", COMPACT, "--as-of", "2025-12-10", "--dry-run") == (
        0, "compact.txt: compact layout, 2 entries\n"
           f"would write {content / 'papers' / 'first-paper-a-compact-title.yml'} (new)\n"
           f"would write {content / 'papers' / 'second-paper-on-tulu.yml'} (new)\n"
           "added 2, updated 0, unchanged 0, skipped 0 (repeated in this import)\n", "")
    assert not list((content / "papers").iterdir())


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.ingest.importer import import_listings

    as_of = dt.date(2025, 12, 10)
    import_listings([COMPACT], content_dir=empty_content(tmp_path / "a"), as_of=as_of, dry_run=True, progress=True)
    assert "importing: 100%" in capsys.readouterr().err
    # Under pytest stderr is not a terminal: no bar by default.
    import_listings([COMPACT], content_dir=empty_content(tmp_path / "b"), as_of=as_of, dry_run=True)
    assert capsys.readouterr() == ("", "")


def test_merge_never_fills_a_date_the_paper_contradicts() -> None:
    """A later listing's `Sep 10` resolved to the wrong year must not date a paper after it
    was added: `check` refuses `published` after `added`."""
    from generator.ingest.importer import merge
    from generator.model import Paper

    existing = Paper(slug="p", title="T", abstract="A", added=dt.date(2025, 3, 11))
    later = Paper(slug="p", title="T", abstract="A", published=dt.date(2026, 9, 10))
    assert merge(existing, later, dt.date(2026, 12, 1)).published is None
    earlier = Paper(slug="p", title="T", abstract="A", published=dt.date(2025, 3, 1))
    assert merge(existing, earlier, dt.date(2026, 12, 1)).published == dt.date(2025, 3, 1)
