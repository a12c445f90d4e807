"""`python -m generator topics explain|refresh`: what drove a paper's proposed topics, and
proposals made anew for every paper no curator has read.

Provenance is in the file: `topics` is a curator's choice, which nothing changes, and
`proposed_topics` is the proposer's (`generator.topics.propose`), written when a paper
arrives and kept as it was proposed. `refresh` proposes anew for every paper without
`topics`, from the current rules and curated papers (and removes the proposals beside a
curator's choice); `--dry-run` prints the diff of the files, each changed paper's
proposals with their confidence and the moves per topic, without writing.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GeneratorError, did_you_mean
from generator.model import RETIRED_KEYS, Paper, RuleKind, TopicRules
from generator.review.check import review_content
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.topics.assign import TopicScore, choose, score_topics
from generator.topics.proposals import CONFIDENT, describe, needs_review

_RULE_NAMES = {RuleKind.KEYWORD: "keyword", RuleKind.ACRONYM: "acronym",
               RuleKind.TITLE_KEYWORD: "title keyword", RuleKind.PATTERN: "pattern"}


@dataclass(frozen=True)
class _Content:
    papers: list[Paper]
    rules: TopicRules
    retired: set[str]
    """The slugs of files with a key the proposer replaced (`rule_topics`)."""


def _content(content_dir: Path) -> _Content:
    """Every paper and the rules, refusing a content folder with errors other than in
    `proposed_topics` naming a renamed topic's old id, or a retired key (which is what
    `refresh` fixes)."""
    review = review_content(Path(content_dir), across_files=False, provenance=False,
                            refreshing=True)
    retired = {f.slug for f in review.papers
               if isinstance(f.doc.data, dict) and set(RETIRED_KEYS) & set(f.doc.data)}
    return _Content(list(review.catalog().papers), review.topics.rules, retired)


def _number(x: float) -> str:
    return f"{x:g}"


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) or "(none)"


def explain_rules(paper: Paper, rules: TopicRules) -> list[str]:
    """Every rule hit behind the rules' topics, topic by topic, with its score."""
    scores = score_topics(paper.title, paper.abstract, rules)
    chosen = choose(scores, rules)
    s = rules.scoring
    lines = [f"rules: {_ids(chosen)}"]
    lines.append(f"scoring: a title hit counts {_number(s.title_weight)} times the rule's weight, "
                 f"at most {s.abstract_cap} abstract hits per rule count; a topic needs "
                 f"{_number(s.min_score)}"
                 + (f" (a second one {_number(s.second_ratio)} of the best score"
                    + (f", a third {_number(s.third_ratio)}" if s.third_ratio is not None else "")
                    + ", unless its title hits alone reach it)" if s.second_ratio else "")
                 + f"; at most {s.max_topics} topics")
    if not scores:
        lines.append("no rule matches"
                     + (f": the fallback topic is {rules.fallback}" if rules.fallback else ""))
    for rank, score in enumerate(scores):
        lines.append("")
        lines.append(f"{score.topic}: {_number(score.score)}, {_verdict(score, rank, chosen, scores, rules)}")
        lines += _hit_lines(score, s.title_weight, s.abstract_cap)
    if chosen == (rules.fallback,) and scores:
        lines += ["", f"no topic scores {_number(s.min_score)}: the fallback topic is {rules.fallback}"]
    return lines


def _verdict(score: TopicScore, rank: int, chosen: tuple[str, ...], scores: list[TopicScore],
             rules: TopicRules) -> str:
    s = rules.scoring
    if score.topic in chosen:
        below = f", below {_number(s.min_score)} but the best" if score.score < s.min_score else ""
        return f"assigned ({chosen.index(score.topic) + 1} of {len(chosen)}{below})"
    if score.score < s.min_score:
        return f"not assigned: below {_number(s.min_score)}"
    if len(chosen) >= s.max_topics:
        return f"not assigned: {s.max_topics} topics score higher"
    ratio = s.second_ratio if len(chosen) < 2 or s.third_ratio is None else s.third_ratio
    return (f"not assigned: below {_number(ratio)} of the best score "
            f"({_number(scores[0].score)})")


def _hit_lines(score: TopicScore, title_weight: float, cap: int) -> list[str]:
    lines = []
    for hit in sorted(score.hits, key=lambda h: -h.score):
        rule = hit.rule
        where = []
        if hit.in_title:
            where.append(f"title {_number(title_weight)}")
        if hit.in_abstract:
            counted = min(hit.in_abstract, cap)
            where.append(f"abstract {counted}" + (f" of {hit.in_abstract}" if counted < hit.in_abstract else ""))
        matched = ", ".join(repr(m) for m in hit.matched[:3])
        lines.append(f"  +{_number(hit.score):>5}  {_RULE_NAMES[rule.kind]} {rule.text!r} "
                     f"(weight {_number(rule.weight)}) in {' + '.join(where)}: {matched}")
    if score.excluded:
        lines.append("  excluded: " + ", ".join(repr(t) for t in dict.fromkeys(score.excluded)))
    return lines


def explain(content_dir: Path, slugs: list[str]) -> str:
    """`topics explain SLUG...`: each paper's proposal, what drove it, and the rules' hits. The
    proposer is trained on the curated papers other than those explained, so that a curated
    paper is proposed for as if it were new."""
    from generator.topics.explain import explain_proposals
    from generator.topics.propose import train

    content = _content(content_dir)
    by_slug = {p.slug: p for p in content.papers}
    for p in content.papers:
        for old in p.redirect_from:
            by_slug.setdefault(old, p)
    wanted = []
    for slug in slugs:
        slug = Path(slug).stem if slug.endswith(".yml") else slug
        if slug not in by_slug:
            raise GeneratorError(f"no paper '{slug}' in {Path(content_dir) / 'papers'}"
                                 f"{did_you_mean(slug, by_slug)}")
        wanted.append(by_slug[slug])
    left_out = {p.slug for p in wanted}
    proposer = train([p for p in content.papers if p.topics and p.slug not in left_out],
                     content.rules)
    out = []
    for paper in wanted:
        path = Path(content_dir) / "papers" / f"{paper.slug}.yml"
        lines = [f"{path}: {paper.title}"]
        lines += explain_proposals(paper, proposer, content.rules)
        lines += [""] + explain_rules(paper, content.rules)
        out.append("\n".join(lines))
    return "\n\n".join(out)


@dataclass
class RefreshReport:
    changed: list[tuple[Paper, Paper]] = field(default_factory=list)
    """(before, after) for every paper whose file changes."""
    total: int = 0
    uncurated: int = 0
    """Papers without a curator's `topics`."""
    review: int = 0
    """Of those, the papers whose proposals need review."""
    dry_run: bool = False
    diff: str = ""

    def moves(self) -> dict[str, tuple[int, int]]:
        """Per topic, how many papers gain it and how many lose it (as readers see them)."""
        gained: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        for before, after in self.changed:
            gained.update(set(after.shown_topics) - set(before.shown_topics))
            lost.update(set(before.shown_topics) - set(after.shown_topics))
        return {t: (gained[t], lost[t]) for t in sorted(set(gained) | set(lost))}

    def __str__(self) -> str:
        lines = [self.diff] if self.diff else []
        verb = "would change" if self.dry_run else "changed"
        proposals = [(after.slug, after.proposed_topics) for _, after in self.changed
                     if after.proposed_topics]
        if proposals:
            lines.append(f"proposed topics (confident at {CONFIDENT:.2f} or more):")
            lines += [f"  {slug}: {describe(found)}" for slug, found in proposals]
        moved = sum(before.shown_topics != after.shown_topics for before, after in self.changed)
        lines.append(f"proposed_topics {verb} in {len(self.changed)} of {self.total} papers; "
                     f"{moved} of them show other topics")
        for topic, (gain, loss) in self.moves().items():
            lines.append(f"  {topic}: +{gain} -{loss}")
        lines.append(f"{self.uncurated} papers have no curator's topics; {self.review} of them "
                     "need review")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return "\n".join(lines)


def refresh(content_dir: Path, *, dry_run: bool = False) -> RefreshReport:
    """`topics refresh`: propose anew for every paper without a curator's `topics` (trained on
    those with them), and remove the proposals beside a curator's choice; all files or none."""
    content_dir = Path(content_dir)
    content = _content(content_dir)
    papers = content.papers
    uncurated = [p for p in papers if not p.topics]
    proposed = {}
    if uncurated:
        from generator.topics.propose import propose_topics, train

        proposer = train([p for p in papers if p.topics], content.rules)
        proposed = dict(zip((p.slug for p in uncurated),
                            propose_topics(uncurated, proposer, content.rules)))
    report = RefreshReport(total=len(papers), uncurated=len(uncurated), dry_run=dry_run,
                           review=sum(needs_review(found) for found in proposed.values()))
    files: dict[Path, str] = {}
    chunks: list[str] = []
    for paper in papers:
        after = dataclasses.replace(paper, proposed_topics=proposed.get(paper.slug, ()))
        if after == paper and paper.slug not in content.retired:
            continue
        report.changed.append((paper, after))
        path = content_dir / "papers" / f"{paper.slug}.yml"
        files[path] = paper_to_yaml(after)
        if dry_run:
            before = path.read_text(encoding="utf-8").splitlines(keepends=True)
            chunks += difflib.unified_diff(before, files[path].splitlines(keepends=True),
                                           fromfile=f"a/{path}", tofile=f"b/{path}")
    report.diff = "".join(chunks).rstrip("\n")
    if not dry_run:
        write_atomic(files)
    return report
