"""The topic proposer (generator/topics/propose.py), trained on the curated papers of content/.

- its figures on the held-out fifth and by cross-validation (tests/topic_eval/proposals.py,
  on the curated papers frozen there, so that a contributor's papers move nothing) stay at
  least what BENCHMARKS.md ("Topic proposals") records, and confident proposals stay at 90%
  precision or more on the held-out fifth;
- training is deterministic, and the cache of the rules' scores changes nothing but time;
- with too few curated papers the rules propose alone, with no confidence;
- an import and `topics refresh` into the committed content propose with confidences,
  and the weekly pull request's body lists them, flagging those that need review;
- `topics explain` adds up; `check` never trains.

After a deliberate re-curation, freeze content/ anew (`python tests/topic_eval/proposals.py
--freeze`) and update the record here and in BENCHMARKS.md from `python
tests/topic_eval/evaluate.py --proposer`. The other tests hold for any valid content/:
their counts come from the files.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.enrich.summary import import_section
from generator.ingest.importer import ImportSummary
from generator.model import Paper, Proposal
from generator.review.check import read_papers
from generator.review.topics import load_topics
from generator import parallel
from generator.topics import cache, propose
from generator.topics.assign import assign_topics
from generator.topics.propose import MIN_CURATED, propose_topics, rule_features, train, training_sample
from generator.topics.proposals import CONFIDENT
from helpers import CONTENT, ROOT, TESTS, cli

sys.path.insert(0, str(TESTS / "topic_eval"))
from proposals import Evaluation, evaluate  # noqa: E402

# The figures of BENCHMARKS.md ("Topic proposals"), measured on the frozen curated papers:
# (right, given) for precision, (right, curated) for recall, first topics right, papers.
HELD_OUT = {"precision": (163, 195), "recall": (163, 219), "first": (90, 121)}
CROSS_VALIDATION = {"precision": (559, 647), "recall": (559, 766), "first": (314, 411)}
HELD_OUT_CONFIDENT = {"precision": (134, 145), "covered": (74, 121)}
CROSS_VALIDATION_CONFIDENT = {"precision": (428, 456), "covered": (245, 411)}


@pytest.fixture(scope="module")
def rule_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache of the rules' scores for the module (the repository's own is left alone)."""
    folder = tmp_path_factory.mktemp("topic-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "CACHE_DIR", folder)
        yield folder


@pytest.fixture(scope="module")
def evaluation(rule_cache: Path) -> Evaluation:
    return evaluate()


@pytest.fixture(scope="module")
def curated(rule_cache: Path) -> list[Paper]:
    return [p for p in read_papers(CONTENT) if p.topics]


def _at_least(found: tuple[int, int], recorded: tuple[int, int]) -> bool:
    return found[0] * recorded[1] >= recorded[0] * found[1]


def test_the_held_out_fifth_and_the_folds(evaluation: Evaluation) -> None:
    held = {p.slug for p, _ in evaluation.held_out.pairs}
    development = {p.slug for p, _ in evaluation.cross_validation.pairs}
    assert (len(held), len(development)) == (121, 411)
    assert not held & development


def test_the_figures_hold(evaluation: Evaluation) -> None:
    report = "\n".join([evaluation.held_out.line("held-out"),
                        evaluation.cross_validation.line("cross-validation"),
                        evaluation.held_out.confident_line("held-out"),
                        evaluation.cross_validation.confident_line("cross-validation")])
    print(report)
    for scored, recorded, confident in (
            (evaluation.held_out, HELD_OUT, HELD_OUT_CONFIDENT),
            (evaluation.cross_validation, CROSS_VALIDATION, CROSS_VALIDATION_CONFIDENT)):
        tp, given, curated = scored.counts()
        papers = len(scored.pairs)
        assert _at_least((tp, given), recorded["precision"]), report
        assert _at_least((tp, curated), recorded["recall"]), report
        assert _at_least((scored.first, papers), recorded["first"]), report
        right, sure, covered = scored.confident()
        assert _at_least((right, sure), confident["precision"]), report
        assert _at_least((covered, papers), confident["covered"]), report


def test_confident_proposals_reach_90_percent_on_the_held_out_fifth(evaluation: Evaluation) -> None:
    right, sure, _ = evaluation.held_out.confident()
    assert right / sure >= 0.90
    # ... and the proposer beats the rules it starts from, on papers neither was tuned on.
    assert evaluation.held_out.first > evaluation.rules_held_out.first
    assert evaluation.held_out.precision >= evaluation.rules_held_out.precision
    assert evaluation.held_out.recall >= evaluation.rules_held_out.recall


def test_training_is_deterministic_and_the_cache_changes_nothing(
        curated: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_topics(CONTENT / "topics.yml")
    sample = curated[::13]
    first, second = train(curated[40:], rules), train(list(reversed(curated[40:])), rules)
    assert first is not None and second is not None
    assert first.weights.tolist() == second.weights.tolist()
    assert first.propose(sample) == second.propose(sample)
    warm = rule_features(sample, rules)
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cold")
    assert rule_features(sample, rules).tolist() == warm.tolist(), "computed anew, the same"
    assert list((tmp_path / "cold").glob("rule-scores-*.json")), "and cached"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(cache, "CACHE_DIR", blocked / "topics")
    assert rule_features(sample, rules).tolist() == warm.tolist(), "a cache it cannot write"


@pytest.mark.skipif(not parallel.can_fork(), reason="one core, or no fork")
def test_rule_scores_from_two_processes_are_those_of_one(
        curated: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing cached, the papers' rule scores are split with a forked process (past
    `PARALLEL_FROM`): the same features, and the same cache file, as scored in one."""
    rules = load_topics(CONTENT / "topics.yml")
    assert len(curated) >= propose.PARALLEL_FROM
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "two")
    calls = []
    monkeypatch.setattr(propose, "beside",
                        lambda child, here: calls.append(1) or parallel.beside(child, here))
    two = rule_features(curated, rules)
    assert calls == [1]
    with monkeypatch.context() as serial:
        serial.setattr(propose, "can_fork", lambda: False)
        serial.setattr(cache, "CACHE_DIR", tmp_path / "one")
        one = rule_features(curated, rules)
    assert two.tolist() == one.tolist()
    [a], [b] = (list((tmp_path / side).glob("rule-scores-*.json")) for side in ("one", "two"))
    assert a.read_bytes() == b.read_bytes()


def test_too_few_curated_papers_leave_the_rules_alone(curated: list[Paper]) -> None:
    rules = load_topics(CONTENT / "topics.yml")
    assert train(curated[:MIN_CURATED - 1], rules) is None
    assert train(curated[:MIN_CURATED], rules) is not None
    paper = curated[-1]
    assert propose_topics([paper], None, rules) == [
        tuple(Proposal(t) for t in assign_topics(paper.title, paper.abstract, rules))]



def test_a_large_catalog_trains_on_a_sample_that_does_not_depend_on_order(curated: list[Paper]) -> None:
    """Past the cap, the proposer learns from a fixed sample: the same whatever order the
    papers come in, and one more paper moves it by at most one paper."""
    rules = load_topics(CONTENT / "topics.yml")
    most = 120
    sample = training_sample(curated, most)
    assert len(sample) == most < len(curated)
    assert [p.slug for p in sample] == sorted(p.slug for p in sample)
    assert training_sample(list(reversed(curated)), most) == sample
    assert len(set(sample) - set(training_sample(curated[:-1], most))) <= 1
    assert training_sample(curated, len(curated)) == tuple(sorted(curated, key=lambda p: p.slug))
    proposer = train(curated, rules, most)
    assert proposer is not None and proposer.curated == sample


LISTING = (
    "Dense Passage Retrieval With Hard Negatives for Open-Domain Question Answering\n"
    "We train a dual-encoder retriever for open-domain question answering with hard negatives "
    "mined by BM25, and show that dense passage retrieval beats sparse retrieval on Natural "
    "Questions and TriviaQA, and that a retrieval-augmented reader answers better with our "
    "passages.\n"
    "Learning Robot Manipulation Policies From Sparse Rewards\n"
    "We train a robot arm to grasp and stack objects with reinforcement learning from sparse "
    "rewards, using an exploration bonus and a learned world model, and transfer the policy "
    "from simulation to a real robot without fine-tuning.\n"
)
RETRIEVAL = "dense-passage-retrieval-with-hard-negatives-for-open-domain-question-answering"
ROBOT = "learning-robot-manipulation-policies-from-sparse-rewards"


def test_an_import_proposes_with_confidence_and_the_body_lists_it(
        rule_cache: Path, fast_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = Path(shutil.copytree(CONTENT, fast_tmp / "content"))
    (fast_tmp / "listing.txt").write_text(LISTING, encoding="utf-8")
    monkeypatch.chdir(fast_tmp)
    code, out, err = cli("--content", "content", "import", "listing.txt", "--as-of", "2026-12-04",
                         "--summary", "body.md")
    assert (code, err) == (0, ""), err
    proposals = {}
    for slug in (RETRIEVAL, ROBOT):
        data = yaml.safe_load((content / "papers" / f"{slug}.yml").read_text(encoding="utf-8"))
        assert "topics" not in data
        proposals[slug] = [(p["topic"], p["confidence"]) for p in data["proposed_topics"]]
        assert all(0 <= c <= 1 for _, c in proposals[slug])
        confidences = [c for _, c in proposals[slug]]
        assert confidences == sorted(confidences, reverse=True)
    assert proposals[RETRIEVAL][0] == ("retrieval", proposals[RETRIEVAL][0][1])
    assert proposals[RETRIEVAL][0][1] >= CONFIDENT, proposals
    assert proposals[ROBOT][0][0] == "reinforcement-learning", proposals
    # The body lists each paper with its proposal; a paper with a topic below the threshold
    # is under "Needs review", the others under "Confident".
    body = Path("body.md").read_text(encoding="utf-8")
    assert body.startswith("### Added (2 papers)\n\nEach paper's topics are proposed by the rules")
    lines = body.splitlines()
    for slug, found in proposals.items():
        at = next(i for i, line in enumerate(lines) if f"content/papers/{slug}.yml" in line)
        needs_review = any(c < CONFIDENT for _, c in found)
        heading = next(line for line in reversed(lines[:at]) if line.startswith("**"))
        assert heading.startswith("**Needs review" if needs_review else "**Confident"), body
        assert lines[at].startswith("- **needs review** ") == needs_review, lines[at]
        written = ", ".join(f"{topic} ({confidence:.2f}"
                            + (", needs review" if confidence < CONFIDENT else "") + ")"
                            for topic, confidence in found)
        assert lines[at].endswith(": " + re.sub(r"([-().,])", r"\\\1", written)), lines[at]
    files = len(list((content / "papers").glob("*.yml"))) + 2  # and topics.yml, topic-notes.yml
    assert cli("--content", "content", "check") == (0, "", f"{files} files checked: 0 errors, 0 warnings\n")
    code, out, _ = cli("--content", "content", "check", "--uncurated")
    uncurated = [line.split(":", 1)[0] for line in out.splitlines()
                 if "uncurated: no curator's `topics` yet (proposed: " in line]
    without_topics = [f"content/papers/{path.name}" for path in sorted((content / "papers").glob("*.yml"))
                      if "topics" not in yaml.safe_load(path.read_text(encoding="utf-8"))]
    assert sorted(uncurated) == without_topics  # the two just imported, and any a contributor left
    assert {f"content/papers/{slug}.yml" for slug in (RETRIEVAL, ROBOT)} <= set(uncurated)


def test_the_body_flags_what_needs_review() -> None:
    def paper(slug: str, *proposals: Proposal) -> Paper:
        return Paper(slug=slug, title=slug.replace("-", " ").title(), abstract="Text.",
                     proposed_topics=proposals)

    summary = ImportSummary(added=3, new_papers=[
        paper("sure", Proposal("retrieval", 0.97), Proposal("data", 0.85)),
        paper("unsure", Proposal("retrieval", 0.97), Proposal("data", 0.84)),
        paper("rules-alone", Proposal("vision")),
    ])
    section = import_section(summary)
    assert section.split("\n\n")[0] == "### Added (3 papers)"
    assert section.split("\n\n")[2:] == [
        "**Needs review (2):**",
        "- **needs review** Unsure (`content/papers/unsure.yml`): retrieval \\(0\\.97\\)\\, "
        "data \\(0\\.84\\, needs review\\)\n"
        "- **needs review** Rules Alone (`content/papers/rules-alone.yml`): vision \\(rules alone\\, "
        "needs review\\)",
        "**Confident (1):**",
        "- Sure (`content/papers/sure.yml`): retrieval \\(0\\.97\\)\\, data \\(0\\.85\\)\n",
    ]
    assert import_section(ImportSummary()) == "### Added (0 papers)\n\nNone.\n"


def test_refresh_proposes_for_the_papers_without_a_curators_topics(
        rule_cache: Path, fast_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = Path(shutil.copytree(CONTENT, fast_tmp / "content"))
    monkeypatch.chdir(fast_tmp)
    slugs = ["2d-matryoshka-sentence-embeddings", "realm-retrieval-augmented-language-model-pre-training"]
    for slug in slugs:
        path = content / "papers" / f"{slug}.yml"
        path.write_text(re.sub(r"^topics:\n(?:  - .*\n)+", "", path.read_text(encoding="utf-8"),
                               flags=re.M), encoding="utf-8")
    code, out, _ = cli("--content", "content", "check")
    assert code == 1 and out.count("error: no topics: expected `topics`") == 2
    code, out, err = cli("--content", "content", "topics", "refresh", "--dry-run")
    assert (code, err) == (0, "")
    section = out.split("proposed topics (confident at 0.85 or more):\n", 1)[1].split("proposed_topics")[0]
    listed = re.findall(r"^  ([a-z0-9-]+): (.+)$", section, flags=re.M)
    assert [slug for slug, _ in listed] == slugs
    assert all(re.fullmatch(r"[a-z-]+ \(\d\.\d\d(, needs review)?\)(, [a-z-]+ \(\d\.\d\d(, needs "
                            r"review)?\))*", found) for _, found in listed), listed
    papers = len(list((content / "papers").glob("*.yml")))
    assert f"proposed_topics would change in 2 of {papers} papers" in out
    assert cli("--content", "content", "topics", "refresh")[0] == 0
    code, out_check, err = cli("--content", "content", "check")
    # Only the curator's notes still name the topics the two papers had.
    assert (code, err) == (0, f"{papers + 2} files checked: 0 errors, 2 warnings\n")
    assert out_check.count("but the paper has no curator's topics") == 2
    data = yaml.safe_load((content / "papers" / f"{slugs[0]}.yml").read_text(encoding="utf-8"))
    assert data["proposed_topics"][0]["topic"] == "retrieval"
    assert f"  {slugs[0]}: {_described(data['proposed_topics'])}" in out.replace("would ", "")


def _described(proposals: list[dict[str, object]]) -> str:
    return ", ".join(f"{p['topic']} ({p['confidence']:.2f}"
                     + (", needs review" if p["confidence"] < CONFIDENT else "") + ")"  # type: ignore[operator]
                     for p in proposals)


EXPLAINED = re.compile(r"^(?P<topic>[a-z-]+): (?P<p>\d\.\d\d), (?P<verdict>.+)\n"
                       r"  log-odds (?P<logit>[-+]\d+\.\d\d) = rules (?P<rules>[-+]\d+\.\d\d), nearest "
                       r"curated papers (?P<near>[-+]\d+\.\d\d), topic prior (?P<prior>[-+]\d+\.\d\d)$",
                       re.M)


def test_explain_adds_up(rule_cache: Path, curated: list[Paper]) -> None:
    slug = "a-cheaper-and-better-diffusion-language-model-with-soft-masked-noise"
    code, out, err = cli("--content", CONTENT, "topics", "explain", slug)
    assert (code, err) == (0, "")
    assert f"proposer: trained on {len(curated) - 1} curated papers (not this one)" in out
    found = list(EXPLAINED.finditer(out))
    assert found, out
    for m in found:
        parts = float(m["rules"]) + float(m["near"]) + float(m["prior"])
        assert abs(parts - float(m["logit"])) <= 0.02, m[0]
        assert abs(1 / (1 + math.exp(-float(m["logit"]))) - float(m["p"])) <= 0.006, m[0]
    proposed = [m["topic"] for m in found if m["verdict"].startswith("proposed")]
    line = next(line for line in out.splitlines() if line.startswith("the proposer would give: "))
    assert [t.split(" (")[0] for t in line.removeprefix("the proposer would give: ").split("), ")] == proposed
    assert "strongest terms shared with them: diffusion" in out
    assert "\nrules: image-generation, pretraining\n" in out, "then the rules' own explanation"


def test_check_never_trains() -> None:
    """`check` (and the build) read proposals from the files; nothing imports scikit-learn or
    the proposer for them. A subprocess, so that no other test's imports count."""
    script = ("import sys\nfrom pathlib import Path\nfrom generator.review.check import run_check\n"
              "assert run_check(Path(sys.argv[1]), None) == 0\n"
              "print(sorted(m for m in sys.modules if m.startswith(('sklearn', 'generator.topics'))))\n")
    result = subprocess.run([sys.executable, "-c", script, str(CONTENT)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['generator.topics', 'generator.topics.proposals']"


def test_the_parts_explain_shows_are_the_model(curated: list[Paper]) -> None:
    """The split into rules, neighbours and prior is the trained regression itself: their sum
    is its decision function on the (paper, topic) rows it was trained on."""
    from generator.topics.propose import _pairs

    rules = load_topics(CONTENT / "topics.yml")
    proposer = train(curated[20:], rules)
    assert proposer is not None
    evidence = proposer.evidence(curated[:20])
    rows = _pairs(rule_features(curated[:20], rules), evidence.votes)
    logit = (rows @ proposer.weights + proposer.intercept).reshape(20, -1)
    parts = evidence.rules + evidence.neighbours + evidence.prior
    assert abs(parts - logit).max() < 1e-9
    assert abs(evidence.probability - 1 / (1 + pow(math.e, -logit))).max() < 1e-12


def test_the_cache_is_keyed_by_the_rules(curated: list[Paper], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path)
    rules = load_topics(CONTENT / "topics.yml")
    sample = curated[:20]
    before = rule_features(sample, rules)
    heavier = dataclasses.replace(rules, scoring=dataclasses.replace(rules.scoring, title_weight=9))
    after = rule_features(sample, heavier)
    assert after.tolist() != before.tolist()
    assert len(list(tmp_path.glob("rule-scores-*.json"))) == 2


def test_the_docs_state_the_proposers_numbers() -> None:
    from generator.topics.propose import ASSIGN

    readme = " ".join((CONTENT / "README.md").read_text(encoding="utf-8").split())
    contributing = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert f"a topic at {CONFIDENT:.2f} or more is confident" in readme
    assert f"A topic at {CONFIDENT:.2f} or more is confident" in contributing
    assert f"fewer than {MIN_CURATED} curated papers" in readme
    assert f"every other topic at {ASSIGN:.1f} or more" in readme
