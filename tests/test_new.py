"""`python -m generator new`: scaffold from flags or a pasted snippet, refuse duplicates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.store.paperfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "check_cases" / "_base"
HAT = "content/papers/hat-hybrid-attention-transformer-for-image-restoration.yml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid content folder (two papers, three topics) inside tmp_path."""
    shutil.copytree(BASE, tmp_path / "content")
    shutil.copytree(ROOT / "content" / "schema", tmp_path / "content" / "schema")
    return tmp_path


def cli(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", "content", *args],
        cwd=cwd, input=stdin if stdin is not None else "", capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )


def files(cwd: Path) -> dict[str, bytes]:
    return {str(p.relative_to(cwd)): p.read_bytes() for p in sorted((cwd / "content").rglob("*")) if p.is_file()}


def assert_check_passes(cwd: Path) -> None:
    result = cli(cwd, "check")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


SNIPPETS = {
    "compact": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "Open-domain question answering relies on efficient passage retrieval. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
    ),
    "blank-line": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "\n"
        "Open-domain question answering relies on efficient passage retrieval. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
        "\n"
    ),
    "metadata": (
        "Dense Passage Retrieval for Open-Domain Question Answering\n"
        "\n"
        "Open-domain question answering relies on efficient passage retrieval. We reach 90\\% "
        "accuracy; code at https://github.com/facebookresearch/DPR.\n"
        "\n"
        "  • 3 authors\n"
        "·\n"
        "Sep 11, 2023\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(SNIPPETS))
def test_new_from_a_pasted_snippet(site: Path, layout: str) -> None:
    result = cli(site, "new", stdin=SNIPPETS[layout])
    assert result.returncode == 0, result.stderr
    path = "content/papers/dense-passage-retrieval-for-open-domain-question-answering.yml"
    assert result.stdout.splitlines()[0] == f"wrote {path}"
    assert "topics: retrieval (suggested by the rules" in result.stdout
    data = load_yaml((site / path).read_text(encoding="utf-8"))
    assert data["title"] == "Dense Passage Retrieval for Open-Domain Question Answering"
    assert data["abstract"] == ("Open-domain question answering relies on efficient passage retrieval. "
                                "We reach 90% accuracy; code at https://github.com/facebookresearch/DPR.")
    assert data["links"] == [{"url": "https://github.com/facebookresearch/DPR", "kind": "code"}]
    assert data["topics"] == ["retrieval"]
    assert "sources" not in data
    if layout == "metadata":
        assert (data["author_count"], data["published"]) == (3, "2023-09-11")
    else:
        assert "author_count" not in data and "published" not in data
    assert_check_passes(site)


def test_new_from_a_two_line_snippet(site: Path) -> None:
    result = cli(site, "new", stdin="Denoising Diffusion Restoration\nWe restore images by denoising.")
    assert result.returncode == 0, result.stderr
    data = load_yaml((site / "content/papers/denoising-diffusion-restoration.yml").read_text())
    assert data["topics"] == ["image-restoration"]
    assert_check_passes(site)


def test_new_from_flags(site: Path) -> None:
    result = cli(site, "new", "--title", "A Benchmark: For Everything",
                 "--abstract", "We release   a benchmark.",
                 "--url", "https://github.com/example/bench",
                 "--url", "https://huggingface.co/datasets/example/bench",
                 "--arxiv", "https://arxiv.org/abs/2401.01234v2",
                 "--topic", "retrieval", "--topic", "other")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote content/papers/a-benchmark-for-everything.yml",
        "topics: retrieval, other (as given; edit the file to change them)",
    ]
    data = load_yaml((site / "content/papers/a-benchmark-for-everything.yml").read_text())
    assert data["title"] == "A Benchmark: For Everything"
    assert data["abstract"] == "We release a benchmark."
    assert data["arxiv"] == "2401.01234"
    assert data["links"] == [
        {"url": "https://github.com/example/bench", "kind": "code"},
        {"url": "https://huggingface.co/datasets/example/bench", "kind": "hf-dataset"},
    ]
    assert data["topics"] == ["retrieval", "other"]
    assert list(data) == ["title", "abstract", "arxiv", "links", "topics", "added"]
    assert_check_passes(site)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--title", "hat: HYBRID attention transformer for image restoration!", "--abstract", "x"], None,
         f"Error: {HAT} already has this paper (the same title)"),
        (["--title", "Another Name", "--abstract", "x", "--arxiv", "2309.05239"], None,
         f"Error: {HAT} already has this paper (the same arxiv id 2309.05239)"),
        ([], "Text Embeddings Reveal (Almost) As Much As Text\nPasted again.\n",
         "Error: content/papers/text-embeddings-reveal-almost-as-much-as-text.yml already has this paper"),
    ],
    ids=["title", "arxiv", "snippet"],
)
def test_new_refuses_a_duplicate(site: Path, args: list[str], stdin: str | None, message: str) -> None:
    before = files(site)
    result = cli(site, "new", *args, stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert files(site) == before


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--title", "T", "--abstract", "A", "--topic", "retreival"], None,
         "Error: --topic: unknown topic 'retreival'; did you mean 'retrieval'?"),
        (["--title", "T", "--abstract", "A", "--url", "javascript:alert(1)"], None,
         "Error: --url: expected an http or https URL, found the scheme 'javascript:'"),
        (["--title", "T", "--abstract", "A", "--arxiv", "soon"], None,
         "Error: --arxiv: expected an arXiv id like 2306.04751"),
        (["--title", "T"], None, "Error: --abstract: expected the paper's abstract with --title"),
        ([], "", "Error: expected --title and --abstract, or a listing snippet on stdin"),
        ([], "First Title\nFirst abstract.\nSecond Title\nSecond abstract.\n",
         "Error: expected one paper in the snippet, found 2 (titles at lines 1, 3)"),
        ([], "Only A Title\n", "<stdin>:1:1: error: truncated entry"),
    ],
    ids=["topic", "url", "arxiv", "no-abstract", "nothing", "two-papers", "truncated"],
)
def test_new_refuses_bad_input(site: Path, args: list[str], stdin: str | None, message: str) -> None:
    before = files(site)
    result = cli(site, "new", *args, stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert files(site) == before


def test_new_never_takes_a_redirected_slug(site: Path) -> None:
    old = site / "content/papers/text-embeddings-reveal-almost-as-much-as-text.yml"
    old.write_text(old.read_text() + "redirect_from:\n- dense-retrieval-revisited\n")
    result = cli(site, "new", "--title", "Dense Retrieval Revisited", "--abstract", "Retrieval again.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote content/papers/dense-retrieval-revisited-2.yml\n")
    assert_check_passes(site)
