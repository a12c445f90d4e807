"""Precision and recall of the topic rules on the hand-labelled set (labels.yml).

With `--proposer`, the report on the topic proposer instead (proposals.py).

Run `python tests/topic_eval/evaluate.py` for the report BENCHMARKS.md quotes: the
figures on the whole set and on its two halves, per topic, and every paper the rules
and the labels disagree on. tests/test_topic_eval.py holds the rules to it.

- A labelled paper is found in content/papers by its normalized title (title_key), or
  by its labelled slug among the papers' slugs and redirect_from (slugs changed when
  broken slugs were fixed, and titles when math residue was).
- The rules' topics are computed from content/topics.yml on the paper's committed title
  and abstract (what an import proposes when no paper is curated).
- Precision and recall are micro-averaged over (paper, topic) pairs: precision is the
  share of the topics the rules give that the labels have, recall the share of the
  labelled topics the rules give. Order does not count; "first topic right" says how
  often the rules' first topic is the label's first.
- The halves: the papers sorted by the SHA-256 of their title, the first 50 are the
  `tune` half and the last 50 the `held-out` half (see BENCHMARKS.md for how each was used).
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.identity import title_key  # noqa: E402
from generator.review.check import read_papers  # noqa: E402
from generator.review.topics import load_topics  # noqa: E402
from generator.topics.assign import assign_topics  # noqa: E402

LABELS = Path(__file__).resolve().parent / "labels.yml"


@dataclass(frozen=True)
class Judged:
    title: str
    labelled: tuple[str, ...]
    predicted: tuple[str, ...]


@dataclass
class Score:
    papers: list[Judged] = field(default_factory=list)

    @property
    def tp(self) -> int:
        return sum(len(set(p.labelled) & set(p.predicted)) for p in self.papers)

    @property
    def fp(self) -> int:
        return sum(len(set(p.predicted) - set(p.labelled)) for p in self.papers)

    @property
    def fn(self) -> int:
        return sum(len(set(p.labelled) - set(p.predicted)) for p in self.papers)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn)

    @property
    def first_right(self) -> int:
        return sum(p.predicted[:1] == p.labelled[:1] for p in self.papers)

    def line(self, name: str) -> str:
        return (f"{name}: {len(self.papers)} papers, precision {self.precision:.1%} "
                f"({self.tp}/{self.tp + self.fp}), recall {self.recall:.1%} "
                f"({self.tp}/{self.tp + self.fn}), first topic right {self.first_right}/{len(self.papers)}")


def judge(content: Path = ROOT / "content") -> tuple[Score, Score, Score]:
    """(all, tune half, held-out half)."""
    rules = load_topics(content / "topics.yml")
    by_key: dict[str, object] = {}
    for paper in read_papers(content):
        by_key[f"title:{title_key(paper.title)}"] = paper
        for slug in (paper.slug, *paper.redirect_from):
            by_key[f"slug:{slug}"] = paper
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["papers"]
    order = sorted(labels, key=lambda item: hashlib.sha256(item["title"].encode()).hexdigest())
    tune = {item["title"] for item in order[: len(order) // 2]}
    everything, tuned, held_out = Score(), Score(), Score()
    for item in labels:
        paper = by_key.get(f"title:{title_key(item['title'])}") or by_key.get(f"slug:{item['slug']}")
        if paper is None:
            raise LookupError(f"labelled paper not in content/papers: {item['title']!r}")
        judged = Judged(item["title"], tuple(item["topics"]),
                        assign_topics(paper.title, paper.abstract, rules))  # type: ignore[attr-defined]
        everything.papers.append(judged)
        (tuned if item["title"] in tune else held_out).papers.append(judged)
    return everything, tuned, held_out


def report() -> str:
    everything, tuned, held_out = judge()
    lines = [everything.line("all"), tuned.line("tune half"), held_out.line("held-out half"), "",
             "per topic: labelled, given by the rules, both"]
    labelled = Counter(t for p in everything.papers for t in p.labelled)
    given = Counter(t for p in everything.papers for t in p.predicted)
    both = Counter(t for p in everything.papers for t in set(p.labelled) & set(p.predicted))
    for topic in sorted(set(labelled) | set(given)):
        lines.append(f"  {topic:20} {labelled[topic]:3} {given[topic]:3} {both[topic]:3}")
    lines += ["", "disagreements (labels / rules):"]
    for p in everything.papers:
        if set(p.labelled) != set(p.predicted):
            lines.append(f"  {p.title[:70]}: {', '.join(p.labelled)} / {', '.join(p.predicted)}")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="The topic rules against the hand labels, "
                                     "or (--proposer) the topic proposer against the curators' "
                                     "topics of every committed paper.")
    parser.add_argument("--proposer", action="store_true",
                        help="evaluate the proposer (tests/topic_eval/proposals.py)")
    if parser.parse_args().proposer:
        from proposals import report as proposer_report

        print(proposer_report())
    else:
        print(report())
