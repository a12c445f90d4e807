"""How well the topic proposer (generator/topics/propose.py) predicts the curators' topics.

`python tests/topic_eval/evaluate.py --proposer` prints this report, which BENCHMARKS.md
("Topic proposals") quotes; tests/test_topic_proposals.py holds the figures.

- The truth is the curators' `topics` of the committed papers, as frozen in
  curated-papers.json (slug, title, abstract, topics) with the topics.yml of that day
  (curated-topics.yml): a contributor's pull request that adds papers or changes one's
  topics must not move the figures the tests hold (issue 20). `python
  tests/topic_eval/proposals.py --freeze` freezes content/ anew after a deliberate
  re-curation; then update the figures in tests/test_topic_proposals.py and BENCHMARKS.md.
- The held-out fifth was fixed before any tuning: the papers whose slug's SHA-256 (of its
  UTF-8 bytes, read as a big-endian integer) is 0 modulo 5. The slug is the one the paper
  had then (split_slugs.txt lists them; a paper renamed since is found through its
  `redirect_from`), so a rename never moves a paper between the halves; a paper added
  since goes by its own slug. No choice of the proposer's
  shape, features or thresholds looked at them; they are scored once, by a proposer
  trained on all the other papers (the development set).
- Cross-validation: the development set in 5 folds (the same integer divided by 5, modulo
  5); each fold is proposed by a proposer trained on the other four. Every choice of the
  proposer (features, `ASSIGN`, `CONFIDENT`) was made on these out-of-fold proposals.
- Precision and recall are micro-averaged over (paper, topic) pairs, as for the rules;
  "first topic" counts the papers whose first proposed topic is the curator's first.
- Confident: a proposed topic at `CONFIDENT` or more. Its precision is over the confident
  (paper, topic) pairs; a paper is covered when all of its proposed topics are confident
  (nothing for a curator to review).
- The rules (what the import gave before the proposer) are scored on the same papers.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.model import Paper, Proposal, TopicRules  # noqa: E402
from generator.review.check import read_papers  # noqa: E402
from generator.review.topics import load_topics  # noqa: E402
from generator.store.paperfile import paper_from_mapping  # noqa: E402
from generator.topics.assign import assign_topics  # noqa: E402
from generator.topics.propose import propose_topics, train  # noqa: E402
from generator.topics.proposals import CONFIDENT, confident  # noqa: E402

THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""The confidence thresholds whose figures the report shows (CONFIDENT among them)."""


def slug_number(slug: str) -> int:
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest(), 16)


SPLIT_SLUGS = frozenset((Path(__file__).with_name("split_slugs.txt")).read_text(encoding="utf-8").split())
"""The slugs of the committed papers when the split was fixed."""


FROZEN_PAPERS = Path(__file__).with_name("curated-papers.json")
FROZEN_TOPICS = Path(__file__).with_name("curated-topics.yml")


def frozen() -> tuple[list[Paper], TopicRules]:
    """The curated papers and the topics the recorded figures were measured on."""
    rows = json.loads(FROZEN_PAPERS.read_text(encoding="utf-8"))
    papers = [paper_from_mapping(row["slug"], {"title": row["title"], "abstract": row["abstract"],
                                               "topics": row["topics"]}) for row in rows]
    return papers, load_topics(FROZEN_TOPICS)


def freeze(content: Path = ROOT / "content") -> int:
    """Write content/'s curated papers (each under its split slug) and topics.yml as the
    frozen truth; the number of papers written."""
    rows = [{"slug": split_slug(p), "title": p.title, "abstract": p.abstract, "topics": list(p.topics)}
            for p in sorted((p for p in read_papers(content) if p.topics), key=split_slug)]
    FROZEN_PAPERS.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    FROZEN_TOPICS.write_bytes((content / "topics.yml").read_bytes())
    return len(rows)


def split_slug(paper: Paper) -> str:
    """The slug that places `paper` in the split: the one it had when the split was fixed."""
    return next((s for s in (paper.slug, *reversed(paper.redirect_from)) if s in SPLIT_SLUGS), paper.slug)


def held_out(slug: str) -> bool:
    return slug_number(slug) % 5 == 0


def fold(slug: str) -> int:
    return slug_number(slug) // 5 % 5


@dataclass
class Scored:
    """Proposals against the curators' topics."""

    pairs: list[tuple[Paper, tuple[Proposal, ...]]] = field(default_factory=list)

    def counts(self, wanted: set[str] | None = None) -> tuple[int, int, int]:
        """(true positives, proposed, curated), over the topics in `wanted` (all if None)."""
        tp = proposed = curated = 0
        for paper, proposals in self.pairs:
            given = {p.topic for p in proposals}
            truth = set(paper.topics)
            if wanted is not None:
                given, truth = given & wanted, truth & wanted
            tp += len(given & truth)
            proposed += len(given)
            curated += len(truth)
        return tp, proposed, curated

    @property
    def precision(self) -> float:
        tp, proposed, _ = self.counts()
        return tp / proposed

    @property
    def recall(self) -> float:
        tp, _, curated = self.counts()
        return tp / curated

    @property
    def first(self) -> int:
        return sum(proposals[:1] and proposals[0].topic == paper.topics[0]
                   for paper, proposals in self.pairs)

    def confident(self, threshold: float = CONFIDENT) -> tuple[int, int, int]:
        """(right confident pairs, confident pairs, papers whose every topic is confident)."""
        right = total = covered = 0
        for paper, proposals in self.pairs:
            sure = [p for p in proposals if p.confidence is not None and p.confidence >= threshold]
            right += sum(p.topic in paper.topics for p in sure)
            total += len(sure)
            covered += bool(proposals) and len(sure) == len(proposals)
        return right, total, covered

    def line(self, name: str) -> str:
        tp, proposed, curated = self.counts()
        n = len(self.pairs)
        return (f"{name}: {n} papers, precision {tp / proposed:.1%} ({tp}/{proposed}), "
                f"recall {tp / curated:.1%} ({tp}/{curated}), first topic {self.first}/{n} "
                f"({self.first / n:.1%})")

    def confident_line(self, name: str, threshold: float = CONFIDENT) -> str:
        right, total, covered = self.confident(threshold)
        n = len(self.pairs)
        return (f"{name}: confident (>= {threshold:.2f}) precision {right / max(total, 1):.1%} "
                f"({right}/{total}); papers all confident {covered}/{n} ({covered / n:.1%}), "
                f"needs review {n - covered}/{n}")

    def per_topic(self, ids: list[str]) -> list[str]:
        lines = [f"  {'topic':22} {'curated':>7} {'proposed':>8} {'both':>5} {'precision':>9} "
                 f"{'recall':>7} {'confident':>9} {'right':>5}"]
        for topic in ids:
            tp, proposed, curated = self.counts({topic})
            sure = [(p, paper) for paper, ps in self.pairs for p in ps
                    if p.topic == topic and confident(p)]
            right = sum(topic in paper.topics for _, paper in sure)
            if not (proposed or curated):
                continue
            lines.append(f"  {topic:22} {curated:7} {proposed:8} {tp:5} "
                         f"{_share(tp, proposed):>9} {_share(tp, curated):>7} {len(sure):9} "
                         f"{right:5}")
        return lines


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


@dataclass
class Evaluation:
    cross_validation: Scored
    held_out: Scored
    rules_cross_validation: Scored
    rules_held_out: Scored
    ids: list[str]


def _rules(papers: list[Paper], rules: TopicRules) -> Scored:
    return Scored([(p, tuple(Proposal(t) for t in assign_topics(p.title, p.abstract, rules)))
                   for p in papers])


def evaluate(papers: list[Paper] | None = None, rules: TopicRules | None = None) -> Evaluation:
    """The proposer scored on `papers` (default: the frozen curated papers and topics)."""
    if papers is None or rules is None:
        papers, rules = frozen()
    curated = sorted((p for p in papers if p.topics), key=split_slug)
    development = [p for p in curated if not held_out(split_slug(p))]
    test = [p for p in curated if held_out(split_slug(p))]
    cross = Scored()
    for k in range(5):
        proposer = train([p for p in development if fold(split_slug(p)) != k], rules)
        part = [p for p in development if fold(split_slug(p)) == k]
        cross.pairs += zip(part, propose_topics(part, proposer, rules))
    cross.pairs.sort(key=lambda pair: split_slug(pair[0]))
    final = Scored(list(zip(test, propose_topics(test, train(development, rules), rules))))
    return Evaluation(cross, final, _rules(development, rules), _rules(test, rules),
                      [t.id for t in rules.topics])


def report(evaluation: Evaluation | None = None) -> str:
    e = evaluation or evaluate()
    lines = [
        "Proposer",
        e.cross_validation.line("  5-fold cross-validation (development set)"),
        e.held_out.line("  held-out fifth"),
        "Rules alone, on the same papers",
        e.rules_cross_validation.line("  development set"),
        e.rules_held_out.line("  held-out fifth"),
        "",
        f"Confidence (a topic is confident at {CONFIDENT:.2f} or more)",
        e.cross_validation.confident_line("  cross-validation"),
        e.held_out.confident_line("  held-out fifth"),
        "",
        "Thresholds on the cross-validation (how CONFIDENT was chosen)",
    ]
    lines += [e.cross_validation.confident_line(f"  {t:.2f}", t) for t in THRESHOLDS]
    lines += ["", "Thresholds on the held-out fifth (seen once 0.80 was chosen; BENCHMARKS.md)"]
    lines += [e.held_out.confident_line(f"  {t:.2f}", t) for t in THRESHOLDS]
    lines += ["", "Per topic, held-out fifth"] + e.held_out.per_topic(e.ids)
    lines += ["", "Per topic, cross-validation"] + e.cross_validation.per_topic(e.ids)
    counts = Counter(len(p) for _, p in e.held_out.pairs)
    lines += ["", "Proposed topics per paper, held-out fifth: "
              + ", ".join(f"{n}: {counts[n]}" for n in sorted(counts))]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--freeze"]:
        print(f"froze {freeze()} curated papers into {FROZEN_PAPERS.name} and {FROZEN_TOPICS.name}")
    else:
        print(report())
