"""`python -m generator check`: golden cases, the committed content, GitHub output.

Each folder in tests/check_cases/ is one case: files that are laid over a small
good content folder (`_base/`: a topics.yml and two good papers, plus the
repository's schema), and `expected.txt`, the exact lines `check` must print; an optional
`options.txt` holds options to pass to `check` (such as `--uncurated`).
The expected lines were written by hand from the input files: line and column
are what a person counts in the file, 1-based.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Problem
from generator.identity import title_key
from generator.review.check import check_content, read_papers
from generator.review.cross import (
    ABSTRACT_MAX_DF,
    ABSTRACT_MIN_SHARED,
    ABSTRACT_PREFIX,
    ABSTRACT_RATIO,
    NEAR_DUPLICATE_RATIO,
    TITLE_PREFIX,
    code_link_key,
)
from generator.review.similar import similar_pairs
from generator.review.report import github_annotation
from helpers import CHECK_CASES, CONTENT, base_content, cli, documented_check_messages

CASE_NAMES = sorted(p.name for p in CHECK_CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))

GITHUB_CASES = ["javascript-url", "duplicate-key", "near-duplicate-title", "empty-topic", "bad-file-name"]
GITHUB_OUTPUT = """\
::error file=content/papers/Bad_File_Name.yml,line=1,col=1::file name 'Bad_File_Name.yml': expected a slug (lowercase a-z, 0-9 and single hyphens, at most 80 characters) with .yml, e.g. 'bad-file-name.yml'
::error file=content/papers/a-link-that-runs-a-script.yml,line=4,col=8::links[0].url: expected an http or https URL, found the scheme 'javascript:' in 'javascript:alert(document.cookie)'
::error file=content/papers/a-paper-with-two-abstracts.yml,line=5,col=1::duplicate key 'abstract' (first defined at line 2); YAML would silently keep only this one
::warning file=content/papers/text-embeddings-reveal-almost-as-much-as-text.yml,line=1,col=8::possible duplicate: the title is 99%25 similar to the title in content/papers/text-embeddings-reveal-almost-as-much-as-texts.yml ('Text Embeddings Reveal (Almost) As Much As Texts')
::warning file=content/papers/text-embeddings-reveal-almost-as-much-as-texts.yml,line=1,col=8::possible duplicate: the title is 99%25 similar to the title in content/papers/text-embeddings-reveal-almost-as-much-as-text.yml ('Text Embeddings Reveal (Almost) As Much As Text')
::error file=content/topics.yml,line=9,col=9::topic 'robotics' has no papers; expected at least one paper with it in its topics or proposed_topics (or remove the topic)
"""
"""GITHUB_CASES as workflow annotations: `%` escaped as %25, one line per problem."""
GITHUB_SUMMARY = """\
## Content check

7 files checked: 4 errors, 2 warnings

| Location | Severity | Problem |
| --- | --- | --- |
| content/papers/Bad\\_File\\_Name.yml:1:1 | error | file name 'Bad\\_File\\_Name.yml': expected a slug (lowercase a-z, 0-9 and single hyphens, at most 80 characters) with .yml, e.g. 'bad-file-name.yml' |
| content/papers/a-link-that-runs-a-script.yml:4:8 | error | links\\[0\\].url: expected an http or https URL, found the scheme 'javascript:' in 'javascript:alert(document.cookie)' |
| content/papers/a-paper-with-two-abstracts.yml:5:1 | error | duplicate key 'abstract' (first defined at line 2); YAML would silently keep only this one |
| content/papers/text-embeddings-reveal-almost-as-much-as-text.yml:1:8 | warning | possible duplicate: the title is 99% similar to the title in content/papers/text-embeddings-reveal-almost-as-much-as-texts.yml ('Text Embeddings Reveal (Almost) As Much As Texts') |
| content/papers/text-embeddings-reveal-almost-as-much-as-texts.yml:1:8 | warning | possible duplicate: the title is 99% similar to the title in content/papers/text-embeddings-reveal-almost-as-much-as-text.yml ('Text Embeddings Reveal (Almost) As Much As Text') |
| content/topics.yml:9:9 | error | topic 'robotics' has no papers; expected at least one paper with it in its topics or proposed\\_topics (or remove the topic) |

"""
"""The job summary of GITHUB_CASES: Markdown table syntax in messages (`_`, `[`) escaped, and
a blank line after the table so that the next step's summary starts a new block."""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def test_every_case_has_input_files_and_an_expected_output() -> None:
    for case in CASE_NAMES:
        inputs = [p for p in (CHECK_CASES / case).rglob("*")
                  if p.is_file() and p.name not in ("expected.txt", "options.txt")]
        assert inputs, f"check case {case} lays no file over _base"
        assert (CHECK_CASES / case / "expected.txt").read_text(encoding="utf-8").strip(), case


def test_every_documented_message_has_a_golden_case() -> None:
    """The message table in CONTRIBUTING.md is the list of what `check` can say: each
    entry needs a case here that makes `check` say it."""
    expected = [line for case in CASE_NAMES
                for line in (CHECK_CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()]
    for fragment, severity in documented_check_messages():
        assert any(f": {severity}: " in line and fragment in line for line in expected), fragment


def test_base_content_is_clean(in_tmp: Path) -> None:
    base_content(in_tmp)
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")


UNCURATED = ("title: Dense Retrieval Proposed for a Curator\nabstract: A new paper that no curator has "
             "read yet.\nproposed_topics:\n- topic: retrieval\n  confidence: 0.91\n")


def test_uncurated_lists_the_papers_without_a_curator_s_topics(in_tmp: Path) -> None:
    """`check --uncurated` warns on each paper whose topics are proposals, and only
    with the option: the committed papers all have a curator's topics, new imports do not."""
    base_content(in_tmp)
    Path("content/papers/proposed-for-a-curator.yml").write_text(UNCURATED, encoding="utf-8")
    assert cli("--content", "content", "check") == (0, "", "4 files checked: 0 errors, 0 warnings\n")
    warning = ("content/papers/proposed-for-a-curator.yml:1:1: warning: uncurated: no curator's `topics` "
               "yet (proposed: retrieval (0.91)); read the paper and write `topics:`\n")
    assert cli("--content", "content", "check", "--uncurated") == (
        0, warning, "4 files checked: 0 errors, 1 warning\n")
    # Checking named files reports on those only.
    hat = "content/papers/hat-hybrid-attention-transformer-for-image-restoration.yml"
    assert cli("--content", "content", "check", "--uncurated", hat) == (
        0, "", "1 file checked: 0 errors, 0 warnings\n")
    assert cli("--content", "content", "check", "--uncurated", "content/papers/proposed-for-a-curator.yml") == (
        0, warning, "1 file checked: 0 errors, 1 warning\n")


@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden_case(in_tmp: Path, case: str) -> None:
    content = base_content(in_tmp, case)
    expected = (CHECK_CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    errors = sum(": error: " in line for line in expected)
    warnings = sum(": warning: " in line for line in expected)
    files = len(list((content / "papers").iterdir())) + 1 + (content / "topic-notes.yml").is_file()
    summary = f"{plural(files, 'file')} checked: {plural(errors, 'error')}, {plural(warnings, 'warning')}\n"
    options = CHECK_CASES / case / "options.txt"
    extra = options.read_text(encoding="utf-8").split() if options.is_file() else []
    code, out, err = cli("--content", "content", "check", *extra)
    assert (code, out.splitlines(), err) == (1 if errors else 0, expected, summary)


def test_committed_content_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CONTENT.parent)
    files = len(list((CONTENT / "papers").iterdir())) + 2  # topics.yml and topic-notes.yml
    assert cli("check") == (0, "", f"{files} files checked: 0 errors, 0 warnings\n")


def test_paths_limit_the_report_but_not_the_comparison(in_tmp: Path) -> None:
    """Checking one file still finds its duplicate among all files, and reports only it."""
    base_content(in_tmp, "duplicate-title", "negative-upvotes")
    assert cli("--content", "content", "check", "content/papers/hat-again.yml") == (
        1,
        "content/papers/hat-again.yml:1:8: error: duplicate paper: the same title is in "
        "content/papers/hat-hybrid-attention-transformer-for-image-restoration.yml; expected each "
        "paper once (merge them and list the old slug in redirect_from)\n",
        "1 file checked: 1 error, 0 warnings\n",
    )


def test_missing_path_is_an_error(in_tmp: Path) -> None:
    base_content(in_tmp)
    assert cli("--content", "content", "check", "content/papers/no-such-paper.yml") == (
        1,
        "content/papers/no-such-paper.yml:1:1: error: file not found; expected a paper file "
        "(content/papers/<slug>.yml)\n",
        "1 file checked: 1 error, 0 warnings\n",
    )


def test_missing_content_folder_is_a_clean_error(in_tmp: Path) -> None:
    assert cli("--content", "nowhere", "check") == (
        1, "", "Error: nowhere: content folder not found; expected a folder with topics.yml and "
               "papers/ (see --content)\n")


def test_github_format_annotates_and_summarizes_every_problem(in_tmp: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    base_content(in_tmp, *GITHUB_CASES)
    text = cli("--content", "content", "check")
    assert (text[0], len(text[1].splitlines())) == (1, 6)
    summary = in_tmp / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cli("--content", "content", "check", "--format", "github") == (
        1, GITHUB_OUTPUT, "7 files checked: 4 errors, 2 warnings\n")
    # Appended to what earlier steps wrote, never overwriting it.
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + GITHUB_SUMMARY


def test_github_format_without_summary_file(in_tmp: Path) -> None:
    base_content(in_tmp, "javascript-url")
    assert cli("--content", "content", "check", "--format", "github") == (
        1,
        "::error file=content/papers/a-link-that-runs-a-script.yml,line=4,col=8::links[0].url: "
        "expected an http or https URL, found the scheme 'javascript:' in "
        "'javascript:alert(document.cookie)'\n",
        "4 files checked: 1 error, 0 warnings\n",
    )
    assert sorted(p.name for p in in_tmp.iterdir()) == [".cache", "content"]  # no summary file


def test_annotation_escapes_data_and_properties() -> None:
    problem = Problem("odd,name:1.yml", 3, 4, "warning", "50% done\r\nnext: a, b")
    assert github_annotation(problem) == "::warning file=odd%2Cname%3A1.yml,line=3,col=4::50%25 done%0D%0Anext: a, b"


def test_check_content_is_pure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = base_content(tmp_path, "duplicate-arxiv")
    problems = check_content(content)
    assert [p.severity for p in problems] == ["error", "error"]
    assert all(p.path.startswith(str(content)) for p in problems)
    assert capsys.readouterr() == ("", "")


def _every_pair(texts: list[str], cutoff: float) -> set[tuple[int, int]]:
    """What `check` found before blocking: every pair compared, by rapidfuzz."""
    import numpy as np
    from rapidfuzz import fuzz, process

    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1)
    return {(int(i), int(j)) for i, j in zip(*np.nonzero(scores), strict=True) if i < j}


def _planted(texts: list[str], seed: int, every: int) -> list[str]:
    """`texts` plus edited copies of every `every`-th one: a letter changed, dropped or
    added, a space added or dropped, two words swapped."""
    import random

    rng = random.Random(seed)
    out = list(texts)
    for n, text in enumerate(texts[::every]):
        k = rng.randrange(len(text))
        words = text.split()
        out.append([text[:k] + "x" + text[k + 1:], text[:k] + text[k + 1:], text + "s",
                    text[:k] + " " + text[k:], text.replace(" ", "", 1),
                    " ".join(words[1:2] + words[:1] + words[2:])][n % 6])
    return list(dict.fromkeys(title_key(t) for t in out if title_key(t)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_title_blocking_finds_what_comparing_every_pair_finds(seed: int) -> None:
    """Random titles of 3 to 14 made-up words, with planted near-copies."""
    import random

    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(3000)]
    titles = _planted([" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) for _ in range(4000)],
                      seed, 13)
    expected = _every_pair(titles, NEAR_DUPLICATE_RATIO)
    assert len(expected) > 250  # the planted copies, and a few chance pairs
    assert {(i, j) for i, j, _ in similar_pairs(titles, NEAR_DUPLICATE_RATIO, TITLE_PREFIX)} == expected


def test_blocking_finds_what_comparing_every_pair_finds_on_the_real_papers() -> None:
    """The committed papers' titles and abstracts, with planted near-copies: the same
    pairs as comparing every pair, and none among the papers themselves."""
    import random

    papers = read_papers(CONTENT)
    titles = list(dict.fromkeys(title_key(p.title) for p in papers))
    assert similar_pairs(titles, NEAR_DUPLICATE_RATIO, TITLE_PREFIX) == []
    assert _every_pair(titles, NEAR_DUPLICATE_RATIO) == set()
    planted = _planted(titles, 4, 5)
    expected = _every_pair(planted, NEAR_DUPLICATE_RATIO)
    assert len(expected) >= 80  # of 107 copies: on a short title one edit can fall under 93
    assert {(i, j) for i, j, _ in similar_pairs(planted, NEAR_DUPLICATE_RATIO, TITLE_PREFIX)} == expected
    abstracts = [title_key(p.abstract) for p in papers]
    rng = random.Random(5)
    for text in abstracts[::4]:  # a copy with one word in twenty misspelt
        words = text.split()
        abstracts.append(" ".join(w + "x" if rng.random() < 0.05 else w for w in words))
    expected = _every_pair(abstracts, ABSTRACT_RATIO)
    assert len(expected) >= 120  # of 133 copies
    found = similar_pairs(abstracts, ABSTRACT_RATIO, ABSTRACT_PREFIX, ABSTRACT_MAX_DF, ABSTRACT_MIN_SHARED)
    assert {(i, j) for i, j, _ in found} == expected


def test_a_shared_code_link_in_any_spelling(in_tmp: Path) -> None:
    """One repository written two ways is one link; papers whose abstracts are plainly
    unrelated may share a repository without a warning (tests/check_cases/shared-code-link)."""
    assert code_link_key("http://www.GitHub.com/JXMorris12/vec2text.git/") == "github.com/jxmorris12/vec2text"
    assert code_link_key("https://github.com/jxmorris12/vec2text#readme") == "github.com/jxmorris12/vec2text"
    assert code_link_key("https://github.com/jxmorris12/vec2text-2") != code_link_key(
        "https://github.com/jxmorris12/vec2text")


def test_a_broken_topics_file_is_reported_when_checking_one_paper(in_tmp: Path) -> None:
    """Without topics.yml the paper's topic ids cannot be checked, so say why."""
    base_content(in_tmp, "topics-yaml-syntax-error")
    expected = (CHECK_CASES / "topics-yaml-syntax-error" / "expected.txt").read_text(encoding="utf-8")
    assert cli("--content", "content", "check",
               "content/papers/text-embeddings-reveal-almost-as-much-as-text.yml") == (
        1, expected, "1 file checked: 1 error, 0 warnings\n")
