"""The topic rules against 100 papers labelled by reading them (tests/topic_eval/).

The labels were made by reading each paper's title and abstract against the topic
descriptions, never by running the rules (labels.yml's header says how); they are not
edited to fit the rules. Precision and recall are micro-averaged over (paper, topic)
pairs; `python tests/topic_eval/evaluate.py` prints the full report, and BENCHMARKS.md
records the figures and how the rules were tuned.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from helpers import TESTS

sys.path.insert(0, str(TESTS / "topic_eval"))
from evaluate import LABELS, judge  # noqa: E402

# The labels were redone under topics v3 (21 topics; BENCHMARKS.md). The rules, written
# for v2 and extended for the three new topics from their descriptions (not tuned on
# these labels), reach 91.7% precision and 81.4% recall on them: the floors hold them
# there, so a rule change cannot lower them unnoticed. They were 90/85 on the v2 labels.
MIN_PRECISION = 0.90
MIN_RECALL = 0.80


def test_the_labelled_set_is_what_the_header_says() -> None:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["papers"]
    assert len(labels) == 100
    assert len({item["title"] for item in labels}) == 100
    assert all(1 <= len(item["topics"]) <= 3 and item["why"] for item in labels)


def test_precision_and_recall_on_the_labelled_set(seeds: Path) -> None:
    """On the labelled papers as the seed listings give them (curators may edit or merge
    the committed ones), with the committed rules."""
    everything, tuned, held_out = judge(seeds)
    report = "\n".join(s.line(n) for s, n in ((everything, "all"), (tuned, "tune half"),
                                                (held_out, "held-out half")))
    print(report)
    assert len(everything.papers) == 100
    assert everything.precision >= MIN_PRECISION, report
    assert everything.recall >= MIN_RECALL, report
