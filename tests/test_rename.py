"""`python -m generator fmt --slugs`: slugs that end on a word, old ones kept as redirects that work."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import FIXTURE_CONTENT, base_content, build_site, cli, snapshot

CUT = ("Taking a Deep Breath: Enhancing Language Modeling of Large Language Models with Sentinel "
       "Tokens")
OLD = "taking-a-deep-breath-enhancing-language-modeling-of-large-language-models-with"
NEW = "taking-a-deep-breath-enhancing-language-modeling-of-large-language-models"
ONLY = "what-is-it-for"
"""A slug made only of stop words: nothing to end on, so it stays."""


@pytest.fixture
def site(in_tmp: Path) -> Path:
    """tests/check_cases/_base with two papers whose slugs end on stop words (one already
    renamed once) and one whose slug is nothing but stop words."""
    content = base_content(in_tmp)
    papers = content / "papers"
    (papers / f"{OLD}.yml").write_text(
        f"title: '{CUT}'\nabstract: We add sentinel tokens to retrieval models.\n"
        "topics:\n  - retrieval\nredirect_from:\n  - taking-a-deep-breath\n", encoding="utf-8")
    (papers / "dense-retrieval-for-the.yml").write_text(
        "title: Dense Retrieval for the\nabstract: A retrieval paper whose title ends oddly.\n"
        "proposed_topics:\n  - topic: retrieval\n", encoding="utf-8")
    (papers / f"{ONLY}.yml").write_text(
        "title: What Is It For\nabstract: Only stop words in its title.\ntopics:\n  - other\n",
        encoding="utf-8")
    assert cli("--content", "content", "check")[0] == 0
    return in_tmp


def fmt(*args: str) -> tuple[int, str, str]:
    return cli("--content", "content", "fmt", *args)


def test_slugs_renames_every_slug_that_ends_on_a_stop_word_and_keeps_the_old_slug(site: Path) -> None:
    before = snapshot(site)
    code, out, err = fmt("--slugs", "--check")
    assert (code, err.splitlines()[-1]) == (1, "3 would reformat, 2 already canonical, 2 would be renamed")
    assert out.startswith(
        "would rename content/papers/dense-retrieval-for-the.yml -> content/papers/dense-retrieval.yml\n"
        f"would rename content/papers/{OLD}.yml -> content/papers/{NEW}.yml\n")
    assert snapshot(site) == before
    code, out, err = fmt("--slugs")
    assert (code, err.splitlines()[-1]) == (0, "2 reformatted, 3 already canonical, 2 renamed")
    assert out.startswith(
        "renamed content/papers/dense-retrieval-for-the.yml -> content/papers/dense-retrieval.yml\n"
        f"renamed content/papers/{OLD}.yml -> content/papers/{NEW}.yml\n")
    papers = site / "content" / "papers"
    assert sorted(p.stem for p in papers.glob("*.yml")) == [
        "dense-retrieval", "hat-hybrid-attention-transformer-for-image-restoration", NEW,
        "text-embeddings-reveal-almost-as-much-as-text", ONLY]
    moved = yaml.safe_load((papers / f"{NEW}.yml").read_text(encoding="utf-8"))
    assert moved["title"] == CUT and moved["redirect_from"] == ["taking-a-deep-breath", OLD]
    assert yaml.safe_load((papers / "dense-retrieval.yml").read_text(encoding="utf-8"))[
        "redirect_from"] == ["dense-retrieval-for-the"]
    assert cli("--content", "content", "check") == (0, "", "6 files checked: 0 errors, 0 warnings\n")
    # Run again (after a merge, say): nothing left to rename, no byte changes.
    after = snapshot(site)
    assert fmt("--slugs") == (0, "", "0 reformatted, 5 already canonical, 0 renamed\n")
    assert fmt("--slugs", "--check") == (0, "", "0 would reformat, 5 already canonical, 0 would be renamed\n")
    assert snapshot(site) == after


def test_a_new_slug_is_never_one_in_use(site: Path) -> None:
    papers = site / "content" / "papers"
    (papers / "dense-retrieval-2.yml").write_text(
        "title: Dense Retrieval Again\nabstract: Another retrieval paper.\nrule_topics:\n  - retrieval\n"
        "redirect_from:\n  - dense-retrieval\n", encoding="utf-8")
    code, out, _ = fmt("--slugs")
    assert code == 0
    assert "content/papers/dense-retrieval-for-the.yml -> content/papers/dense-retrieval-3.yml\n" in out


def test_slugs_looks_at_every_paper(site: Path) -> None:
    code, _, err = fmt("--slugs", f"content/papers/{OLD}.yml")
    assert code == 2 and "--slugs looks at every paper's slug; give no PATH with it" in err


def test_the_old_addresses_lead_to_the_renamed_pages(site: Path) -> None:
    """A real build: each old slug's page sends the reader on to the paper's new page."""
    assert fmt("--slugs")[0] == 0
    content = site / "content"
    shutil.copytree(FIXTURE_CONTENT / "pages", content / "pages")  # the nav's About page
    built = build_site(content, site / "work")
    for old, new in ((OLD, NEW), ("taking-a-deep-breath", NEW), ("dense-retrieval-for-the", "dense-retrieval")):
        stub = built.html(f"papers/{old}/")
        assert re.findall(r'<meta http-equiv="refresh" content="([^"]+)"', stub) == [f"0; url=../{new}/"]
        assert f'href="../{new}/"' in stub
        assert (built.site / "papers" / new / "index.html").is_file()
