"""Topics v2: weighted rules a curator can steer, and topics whose provenance is in the file.

- the engine: keywords, exact-case acronyms, title-only keywords, excluded phrases,
  weights, the title weight and the abstract cap, abbreviations counted once, the
  selection of topics (min_score, second_ratio, a title that names a topic, max_topics,
  min_best, the fallback);
- topics.yml: the new keys are checked with their lines;
- provenance: `topics` is a curator's, `proposed_topics` the proposer's (here the rules
  alone: these content folders have too few curated papers to learn from); the import
  writes only proposals, a rule change reaches them through `topics refresh`, never a
  curator's choice, and a file of the `rule_topics` days is named and rewritten;
- `topics explain` and `topics refresh --dry-run`, with their exact output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.model import RuleKind, Scoring, Topic, TopicRule, TopicRules
from generator.review.topics import load_topics
from generator.topics.assign import assign_topics, score_topics
from helpers import CONTENT, cli, mkdocs_config_for, snapshot

K, A, T, P = RuleKind.KEYWORD, RuleKind.ACRONYM, RuleKind.TITLE_KEYWORD, RuleKind.PATTERN


def rules(*topics: Topic, **scoring: float) -> TopicRules:
    return TopicRules(tuple(topics) + (Topic("other", "Other", "Everything else."),), "other",
                      Scoring(**{"title_weight": 3, "abstract_cap": 2, "min_score": 6, **scoring}))


def topic(id: str, *rules_: tuple[RuleKind, str, float], exclude: tuple[str, ...] = ()) -> Topic:
    return Topic(id, id.title(), f"About {id}.", tuple(TopicRule(k, t, w) for k, t, w in rules_),
                 exclude)


MULTIMODAL = topic("multimodal", (A, "CLIP", 3), (K, "vision-language", 3))
NLP = topic("nlp-tasks", (A, "GLUE", 3), (K, "question answering", 3))
DOMAINS = topic("domains", (T, "code", 3), (K, "source code", 3), (K, "protein", 3),
                exclude=("code is available", "code will be released"))
THEORY = topic("theory", (T, "understanding", 1), (K, "probing", 3))
RETRIEVAL = topic("retrieval", (K, "retrieval", 2), (K, "dense retrieval", 3), (A, "RAG", 3),
                  (K, "retrieval-augmented generation", 3))
DATA = topic("data", (K, "training data", 3))


def test_an_acronym_matches_its_exact_case_only() -> None:
    r = rules(MULTIMODAL, NLP)
    assert assign_topics("Learning from Video Clips", "We clip gradients of every video clip.", r) == ("other",)
    assert assign_topics("Molecular Glues", "We design molecular glues that glue proteins.", r) == ("other",)
    assert assign_topics("Better CLIP Models", "We train CLIP on more data.", r) == ("multimodal",)
    assert assign_topics("A Benchmark", "Results on GLUE and on question answering.", r) == ("nlp-tasks",)


def test_a_title_keyword_counts_in_the_title_only() -> None:
    r = rules(DOMAINS, THEORY)
    assert assign_topics("Understanding Code Models", "Models of code.", r) == ("domains",)
    assert assign_topics("Autodiff in JAX", "Our code is available and the code will be released; "
                         "the code runs anywhere.", r) == ("other",)
    assert assign_topics("Understanding Attention", "Why does it work?", r) == ("other",)


def test_excluded_phrases_never_count() -> None:
    (score,) = score_topics("Autodiff", "Code is available online. We study source code.", rules(DOMAINS))
    assert (score.score, score.excluded) == (3.0, ("Code is available",))


def test_weights_the_title_weight_and_the_abstract_cap() -> None:
    r = rules(RETRIEVAL)
    (score,) = score_topics("Dense Retrieval at Scale",
                            "Retrieval, retrieval and retrieval; dense retrieval again.", r)
    # 'Dense Retrieval' in the title: 3 x 3; the abstract: 'retrieval' three times, capped at
    # two (2 x 2), and 'dense retrieval' once (3): the longer phrase wins where both match.
    assert score.score == 9 + 4 + 3
    assert score.title_score == 9
    assert {h.rule.text: (h.in_title, h.in_abstract, h.score) for h in score.hits} == {
        "dense retrieval": (1, 1, 12.0), "retrieval": (0, 3, 4.0)}


def test_an_abbreviation_in_parentheses_counts_once() -> None:
    r = rules(RETRIEVAL)
    once = score_topics("A Study", "We study retrieval-augmented generation (RAG).", r)[0].score
    twice = score_topics("A Study", "We study retrieval-augmented generation and RAG.", r)[0].score
    assert (once, twice) == (3, 6)


def test_the_second_half_of_a_hyphenated_word_is_not_a_match() -> None:
    assert score_topics("A Study", "We clean the pre-training data.", rules(DATA)) == []
    assert score_topics("A Study", "We clean the training data.", rules(DATA))[0].score == 3


def test_which_topics_a_paper_gets() -> None:
    r = rules(RETRIEVAL, DATA, THEORY, second_ratio=0.5)
    # Both reach min_score, and data reaches half of retrieval's score.
    assert assign_topics("Dense Retrieval", "Training data matters for retrieval; training data.",
                         r) == ("retrieval", "data")
    # Data (6) is below half of retrieval's 22 ...
    heavy = "Dense retrieval, dense retrieval, retrieval and retrieval. Training data; training data."
    assert assign_topics("Dense Retrieval", heavy, r) == ("retrieval",)
    # ... unless the title names it: a topic in the title is central.
    assert assign_topics("Dense Retrieval and Training Data", heavy, r) == ("retrieval", "data")
    # Nothing reaches min_score: the fallback, or the best topic from min_best up.
    assert assign_topics("A Study", "Some probing.", r) == ("other",)
    assert assign_topics("A Study", "Some probing.", rules(THEORY, min_best=3)) == ("theory",)
    assert assign_topics("A Study", "Some probing.", rules(THEORY, min_best=4)) == ("other",)
    # At most max_topics, the best first.
    many = rules(RETRIEVAL, DATA, THEORY, max_topics=2)
    assert assign_topics("Dense Retrieval, Training Data and Probing", "", many) == ("retrieval", "data")


def test_the_committed_rules_fix_the_issues_examples() -> None:
    """Issue 8's examples of wrong topics, on the rules in content/topics.yml."""
    real = load_topics(CONTENT / "topics.yml")

    def topics(title: str, abstract: str) -> tuple[str, ...]:
        return assign_topics(title, abstract, real)

    assert "multimodal" not in topics("Temporal Grounding", "We find the video clip that answers a "
                                      "question, and clip long videos into short ones for training.")
    assert "nlp-tasks" not in topics("Designing Molecular Glues", "Molecular glues are small molecules "
                                     "that bring two proteins together; we design new glues.")
    assert "theory" not in topics("Understanding Images Better", "An image encoder with better "
                                  "segmentation and detection on COCO and ImageNet.")
    assert "domains" not in topics("Automatic Functional Differentiation in JAX", "We extend JAX to "
                                   "differentiate functionals. The code is available online.")
    assert "vision" not in topics("Improving Language Models by Segmenting Phrases", "The model "
                                  "induces phrase segmentation without any annotation of phrase "
                                  "segmentation, and improves language modeling.")


# --- topics.yml -------------------------------------------------------------------------

V2_TOPICS = """\
fallback: other
scoring:
  title_weight: 3
  min_score: 6
topics:
  - id: retrieval
    title: Retrieval
    description: Finding documents for a query.
    keywords:
      retrieval: 2
      dense retrieval: 3
    acronyms: [RAG]
    exclude: [retrieval heads]
  - id: data
    title: Data
    description: Training data.
    keywords:
      training data: 2
    title_keywords:
      data: 2
  - id: other
    title: Other
    description: Everything else.
"""


def test_weights_and_the_new_keys_are_read(tmp_path: Path) -> None:
    (tmp_path / "topics.yml").write_text(V2_TOPICS, encoding="utf-8")
    loaded = load_topics(tmp_path / "topics.yml")
    assert loaded.scoring == Scoring(title_weight=3, min_score=6)
    retrieval = loaded.topics[0]
    assert retrieval.rules == (TopicRule(K, "retrieval", 2), TopicRule(K, "dense retrieval", 3),
                               TopicRule(A, "RAG", 1))
    assert retrieval.exclude == ("retrieval heads",)
    assert loaded.topics[1].rules == (TopicRule(K, "training data", 2), TopicRule(T, "data", 2))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      retrieval: 2\n", "      retrieval: -2\n",
         "topics.yml:10:18: error: topics[0].keywords.retrieval: expected a weight (a number > 0), "
         "found the number -2"),
        ("      retrieval: 2\n", "      retrieval: much\n",
         "topics.yml:10:18: error: topics[0].keywords.retrieval: expected a weight (a number > 0), "
         "found the text 'much'"),
        ("  min_score: 6\n", "  min_score: 6\n  max_topic: 2\n",
         "topics.yml:5:3: error: scoring: unknown key 'max_topic'; did you mean 'max_topics'?"),
        ("  min_score: 6\n", "  min_score: 6\n  second_ratio: 2\n",
         "topics.yml:5:17: error: scoring.second_ratio: expected a number from 0 to 1, found the number 2"),
        ("    acronyms: [RAG]\n", "    acronyms: RAG\n",
         "topics.yml:12:15: error: topics[0].acronyms: expected a list of acronyms (or a mapping of each "
         "to its weight), found the text 'RAG'"),
        ("    exclude: [retrieval heads]\n", "    exclude: [retrieval heads]\n    patterns:\n      '(oops': 2\n",
         "topics.yml:15:7: error: topics[0].patterns.(oops: expected a valid regular expression, found "
         "'(oops' (missing ), unterminated subpattern at position 0)"),
    ],
)
def test_a_bad_rule_is_reported_at_its_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "topics.yml").write_text(V2_TOPICS.replace(old, new, 1), encoding="utf-8")
    code, out, err = cli("--content", content, "check")
    assert code == 1
    found = [line.split("content/", 1)[1] for line in out.splitlines() if "has no papers" not in line]
    assert found == [message]


# --- provenance ---------------------------------------------------------------------------

ABSTRACT = ("We study dense retrieval for question answering over a large corpus, and show that the "
            "training data of the retriever matters more than its size.")
LISTING = f"Dense Retrieval Needs Better Training Data\n{ABSTRACT}\nA Paper About Nothing Much\n" \
          "We describe a method and evaluate it on several tasks, where it works about as well as " \
          "the methods it is compared with, and sometimes a little better.\n"


@pytest.fixture
def site(in_tmp: Path) -> Path:
    """Two papers imported with V2_TOPICS into ./content."""
    content = in_tmp / "content"
    (content / "papers").mkdir(parents=True)
    (content / "topics.yml").write_text(V2_TOPICS, encoding="utf-8")
    (in_tmp / "listing.txt").write_text(LISTING, encoding="utf-8")
    assert cli("--content", "content", "import", "listing.txt", "--as-of", "2025-11-28")[0] == 0
    return content


DENSE = "content/papers/dense-retrieval-needs-better-training-data.yml"
NOTHING = "content/papers/a-paper-about-nothing-much.yml"


def _data(path: str) -> dict[str, object]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


RULES_ALONE = [{"topic": "retrieval"}, {"topic": "data"}]
"""DENSE's proposal: with no curated paper to learn from, the rules' topics, no confidence."""


def test_the_import_writes_proposals_only(site: Path) -> None:
    assert (_data(DENSE).get("topics"), _data(DENSE)["proposed_topics"]) == (None, RULES_ALONE)
    assert (_data(NOTHING).get("topics"), _data(NOTHING)["proposed_topics"]) == (None, [{"topic": "other"}])
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")


def test_a_rule_change_reaches_the_proposals_at_refresh(site: Path) -> None:
    topics_yml = site / "topics.yml"
    topics_yml.write_text(V2_TOPICS.replace("      dense retrieval: 3\n", "      dense retrieval: 3\n"
                                            "      describe a method: 6\n"), encoding="utf-8")
    # A proposal is kept as it was made: check and the build take the files as they are.
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")
    config = mkdocs_config_for(site.parent)
    code, out, err = cli("--content", "content", "build", "--out", "docs", "-f", config)
    assert (code, err) == (0, ""), err
    assert '"topics":[{"id":"other"' in Path("docs/papers/a-paper-about-nothing-much.md").read_text(encoding="utf-8")
    before = snapshot(site)
    dry = cli("--content", "content", "topics", "refresh", "--dry-run")
    assert dry == (0, f"--- a/{NOTHING}\n+++ b/{NOTHING}\n@@ -3,7 +3,7 @@\n"
                      "   We describe a method and evaluate it on several tasks, where it works about as\n"
                      "   well as the methods it is compared with, and sometimes a little better.\n"
                      " proposed_topics:\n"
                      "-  - topic: other\n"
                      "+  - topic: retrieval\n"
                      " sources:\n"
                      "   - listing\n"
                      " added: '2025-11-28'\n"
                      "proposed topics (confident at 0.85 or more):\n"
                      "  a-paper-about-nothing-much: retrieval (rules alone, needs review)\n"
                      "proposed_topics would change in 1 of 2 papers; 1 of them show other topics\n"
                      "  other: +0 -1\n"
                      "  retrieval: +1 -0\n"
                      "2 papers have no curator's topics; 2 of them need review\n"
                      "dry run: nothing was written\n", "")
    assert snapshot(site) == before
    assert cli("--content", "content", "topics", "refresh") == (
        0, "proposed topics (confident at 0.85 or more):\n"
           "  a-paper-about-nothing-much: retrieval (rules alone, needs review)\n"
           "proposed_topics changed in 1 of 2 papers; 1 of them show other topics\n"
           "  other: +0 -1\n  retrieval: +1 -0\n"
           "2 papers have no curator's topics; 2 of them need review\n", "")
    assert _data(NOTHING)["proposed_topics"] == [{"topic": "retrieval"}]
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")


def test_an_import_proposes_for_new_papers_and_text_read_anew_only(site: Path) -> None:
    """A proposal is kept as it was made: a later import proposes again only for a paper
    whose text it reads anew (`--reimport`)."""
    (site / "topics.yml").write_text(V2_TOPICS.replace("      dense retrieval: 3\n", "      dense retrieval: 3\n"
                                                       "      describe a method: 6\n"), encoding="utf-8")
    assert cli("--content", "content", "import", "listing.txt", "--as-of", "2025-11-28")[1].endswith(
        "added 0, updated 0, unchanged 2, skipped 0 (repeated in this import)\n")
    assert _data(NOTHING)["proposed_topics"] == [{"topic": "other"}]
    Path(NOTHING).write_text(Path(NOTHING).read_text(encoding="utf-8").replace(
        "We describe a method", "An older importer's text: we describe a method"), encoding="utf-8")
    assert cli("--content", "content", "import", "listing.txt", "--as-of", "2025-11-28",
               "--reimport", "a-paper-about-nothing-much")[0] == 0
    assert _data(NOTHING)["proposed_topics"] == [{"topic": "retrieval"}]
    assert _data(DENSE)["proposed_topics"] == RULES_ALONE


def test_refresh_moves_the_papers_of_a_renamed_topic_to_its_new_id(site: Path) -> None:
    """Renaming a topic leaves its old id in papers' proposals: check names the new id, and
    refresh (which proposes anew whatever the file holds) replaces it."""
    (site / "topics.yml").write_text(V2_TOPICS.replace(
        "  - id: retrieval\n", "  - id: search\n    redirect_from: [retrieval]\n"), encoding="utf-8")
    code, out, _ = cli("--content", "content", "check")
    assert code == 1 and ("proposed_topics[0].topic: unknown topic 'retrieval'; it was renamed to "
                          "'search'") in out
    assert cli("--content", "content", "topics", "refresh")[0] == 0
    assert _data(DENSE)["proposed_topics"] == [{"topic": "search"}, {"topic": "data"}]
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")


def _line_of(path: str, key: str) -> int:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


PROPOSED_DENSE = "proposed_topics:\n  - topic: retrieval\n  - topic: data\n"


def test_a_rule_change_never_overrides_a_curators_topics(site: Path) -> None:
    # The curator puts data first, and takes the topics over from the proposer.
    text = Path(DENSE).read_text(encoding="utf-8")
    Path(DENSE).write_text(text.replace(PROPOSED_DENSE, "topics:\n  - data\n  - retrieval\n"),
                           encoding="utf-8")
    (site / "topics.yml").write_text(V2_TOPICS.replace("      dense retrieval: 3\n", "      dense retrieval: 9\n"),
                                     encoding="utf-8")
    assert cli("--content", "content", "check")[0] == 0
    assert cli("--content", "content", "topics", "refresh") == (
        0, "proposed_topics changed in 0 of 2 papers; 0 of them show other topics\n"
           "1 papers have no curator's topics; 1 of them need review\n", "")
    assert _data(DENSE)["topics"] == ["data", "retrieval"] and "proposed_topics" not in _data(DENSE)
    # A re-import keeps the curator's choice too.
    assert cli("--content", "content", "import", "listing.txt", "--as-of", "2025-11-28")[1].endswith(
        "added 0, updated 0, unchanged 2, skipped 0 (repeated in this import)\n")
    assert _data(DENSE)["topics"] == ["data", "retrieval"]


def test_refresh_removes_proposals_beside_a_curators_topics(site: Path) -> None:
    Path(DENSE).write_text(Path(DENSE).read_text(encoding="utf-8").replace(
        "proposed_topics:", "topics:\n  - data\n  - retrieval\nproposed_topics:"), encoding="utf-8")
    line = _line_of(DENSE, "proposed_topics") + 1
    assert cli("--content", "content", "check")[1] == (
        f"{DENSE}:{line}:3: warning: proposed_topics: not used while `topics` is set (a curator's "
        "choice); `python -m generator topics refresh` removes it\n")
    assert cli("--content", "content", "topics", "refresh")[1].startswith(
        "proposed_topics changed in 1 of 2")
    assert (_data(DENSE)["topics"], "proposed_topics" in _data(DENSE)) == (["data", "retrieval"], False)


def test_refresh_rewrites_a_file_of_the_rule_topics_days(site: Path) -> None:
    """Before proposals had a confidence, the rules' topics were stored as `rule_topics`: check
    names the key that replaced it (the site shows no topic from it, so the topics only it
    gave have no papers), and refresh writes the file anew."""
    Path(DENSE).write_text(Path(DENSE).read_text(encoding="utf-8").replace(
        PROPOSED_DENSE, "rule_topics:\n  - retrieval\n"), encoding="utf-8")
    line = _line_of(DENSE, "rule_topics")
    unused = ("content/topics.yml:{}:9: warning: topic '{}' has no papers; its page lists none until a "
              "paper has it in its topics or proposed_topics (or remove the topic)\n")
    assert cli("--content", "content", "check") == (
        1, f"{DENSE}:{line}:1: error: rule_topics: replaced by `proposed_topics` (proposed topics, "
           "each with a confidence); run `python -m generator topics refresh`\n"
           + unused.format(6, "retrieval") + unused.format(14, "data"),
        "3 files checked: 1 error, 2 warnings\n")
    code, out, err = cli("--content", "content", "topics", "refresh")
    assert (code, err) == (0, "") and "proposed_topics changed in 1 of 2 papers; 1 of them" in out
    assert (_data(DENSE)["proposed_topics"], "rule_topics" in _data(DENSE)) == (RULES_ALONE, False)
    assert cli("--content", "content", "check") == (0, "", "3 files checked: 0 errors, 0 warnings\n")


def test_explain_shows_every_hit_and_why_each_topic_is_in_or_out(site: Path) -> None:
    assert cli("--content", "content", "topics", "explain", "dense-retrieval-needs-better-training-data") == (
        0, f"{DENSE}: Dense Retrieval Needs Better Training Data\n"
           "proposed: retrieval (rules alone, needs review), data (rules alone, needs review)\n"
           "  the file's proposal, made when it arrived: retrieval (rules alone, needs review), "
           "data (rules alone, needs review)\n"
           "proposer: fewer than 50 curated papers to learn from, so the rules propose alone, with "
           "no confidence (see the rules below)\n"
           "\n"
           "rules: retrieval, data\n"
           "scoring: a title hit counts 3 times the rule's weight, at most 3 abstract hits per rule "
           "count; a topic needs 6; at most 3 topics\n"
           "\n"
           "retrieval: 12, assigned (1 of 2)\n"
           "  +   12  keyword 'dense retrieval' (weight 3) in title 3 + abstract 1: 'Dense Retrieval', "
           "'dense retrieval'\n"
           "\n"
           "data: 8, assigned (2 of 2)\n"
           "  +    8  keyword 'training data' (weight 2) in title 3 + abstract 1: 'Training Data', "
           "'training data'\n", "")


def test_explain_finds_a_paper_by_an_old_slug_and_suggests_a_close_one(site: Path) -> None:
    Path(NOTHING).write_text(Path(NOTHING).read_text(encoding="utf-8") + "redirect_from:\n  - old-name\n",
                             encoding="utf-8")
    assert cli("--content", "content", "topics", "explain", "old-name")[1].startswith(
        f"{NOTHING}: A Paper About Nothing Much\nproposed: other (rules alone, needs review)\n")
    assert cli("--content", "content", "topics", "explain", "a-paper-about-nothing") == (
        1, "", "Error: no paper 'a-paper-about-nothing' in content/papers; did you mean "
               "'a-paper-about-nothing-much'?\n")


def test_the_committed_content_has_no_proposals_to_refresh() -> None:
    """Refresh proposes nothing anew for the committed content and finds no proposal to
    remove, however many papers there are and however many a curator has not read yet."""
    files = sorted((CONTENT / "papers").glob("*.yml"))
    uncurated = sum(not yaml.safe_load(f.read_text(encoding="utf-8")).get("topics") for f in files)
    code, out, err = cli("--content", CONTENT, "topics", "refresh", "--dry-run")
    assert (code, err) == (0, "")
    first, second, last = out.splitlines()
    assert first == f"proposed_topics would change in 0 of {len(files)} papers; 0 of them show other topics"
    assert second.startswith(f"{uncurated} papers have no curator's topics; ")
    assert last == "dry run: nothing was written"


def test_refresh_writes_all_files_or_none(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "topics.yml").write_text(V2_TOPICS.replace("      data: 2\n", "      data: 9\n"
                                                       "      nothing: 9\n"), encoding="utf-8")
    before = snapshot(site / "papers")
    import generator.store.atomic as atomic

    real_replace = atomic.os.replace
    calls: list[str] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        raise OSError(28, "No space left on device", dst)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    code, out, err = cli("--content", "content", "topics", "refresh")
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert code == 1 and err.startswith("Error: ") and calls
    assert snapshot(site / "papers") == before, "no file changed, no temporary left behind"
