"""`python -m generator topics explain|refresh`: why a paper has its topics, and rule changes
applied to every paper.

Provenance is in the file: `topics` is a curator's choice, which no rule ever
changes, and `rule_topics` is the rules' output, which `refresh` rewrites for
every paper from the current topics.yml (and removes where a curator chose).
`check` fails a paper whose `rule_topics` is stale, so a pull request that
changes a rule also carries the papers it moves. `refresh --dry-run` prints
those moves as a diff of the files, and per topic, without writing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GeneratorError, did_you_mean
from generator.model import Paper, RuleKind, TopicRules
from generator.review.check import review_content
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.topics.assign import TopicScore, choose, score_topics, with_rule_topics

_RULE_NAMES = {RuleKind.KEYWORD: "keyword", RuleKind.ACRONYM: "acronym",
               RuleKind.TITLE_KEYWORD: "title keyword", RuleKind.PATTERN: "pattern"}


def _catalog(content_dir: Path) -> tuple[list[Paper], TopicRules]:
    """Every paper and the rules, refusing a content folder with errors other than in
    `rule_topics`, stale or naming a renamed topic's old id (which is what `refresh` fixes)."""
    review = review_content(Path(content_dir), across_files=False, rule_topics=False,
                            refreshing=True)
    catalog = review.catalog()
    return list(catalog.papers), review.topics.rules


def _number(x: float) -> str:
    return f"{x:g}"


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) or "(none)"


def explain_paper(paper: Paper, rules: TopicRules, path: str) -> str:
    """Every rule hit behind the paper's topics, topic by topic, with its score."""
    scores = score_topics(paper.title, paper.abstract, rules)
    chosen = choose(scores, rules)
    s = rules.scoring
    lines = [f"{path}: {paper.title}"]
    if paper.topics:
        lines.append(f"topics: {_ids(paper.topics)} (chosen by a curator: no rule changes them; "
                     f"the rules would give {_ids(chosen)})")
    else:
        lines.append(f"topics: {_ids(chosen)} (from the rules)")
        if paper.rule_topics != chosen:
            lines.append(f"  the file says rule_topics: {_ids(paper.rule_topics)}, which is stale: "
                         "run `python -m generator topics refresh`")
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
    return "\n".join(lines)


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
    """`topics explain SLUG...`: each paper's rule hits, topic by topic."""
    papers, rules = _catalog(content_dir)
    by_slug = {p.slug: p for p in papers}
    for p in papers:
        for old in p.redirect_from:
            by_slug.setdefault(old, p)
    out = []
    for slug in slugs:
        slug = Path(slug).stem if slug.endswith(".yml") else slug
        if slug not in by_slug:
            raise GeneratorError(f"no paper '{slug}' in {Path(content_dir) / 'papers'}"
                                 f"{did_you_mean(slug, by_slug)}")
        paper = by_slug[slug]
        out.append(explain_paper(paper, rules, str(Path(content_dir) / "papers" / f"{paper.slug}.yml")))
    return "\n\n".join(out)


@dataclass
class RefreshReport:
    changed: list[tuple[Paper, Paper]] = field(default_factory=list)
    """(before, after) for every paper whose file changes."""
    total: int = 0
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
        moved = sum(before.shown_topics != after.shown_topics for before, after in self.changed)
        lines.append(f"rule_topics {verb} in {len(self.changed)} of {self.total} papers; "
                     f"{moved} of them show other topics")
        for topic, (gain, loss) in self.moves().items():
            lines.append(f"  {topic}: +{gain} -{loss}")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return "\n".join(lines)


def refresh(content_dir: Path, *, dry_run: bool = False) -> RefreshReport:
    """`topics refresh`: give every paper the `rule_topics` the rules give it now (none where a
    curator chose `topics`); all files or none."""
    content_dir = Path(content_dir)
    papers, rules = _catalog(content_dir)
    report = RefreshReport(total=len(papers), dry_run=dry_run)
    files: dict[Path, str] = {}
    chunks: list[str] = []
    for paper in papers:
        after = with_rule_topics(paper, rules)
        if after == paper:
            continue
        report.changed.append((paper, after))
        path = content_dir / "papers" / f"{paper.slug}.yml"
        files[path] = paper_to_yaml(after)
        if dry_run:
            chunks += difflib.unified_diff(paper_to_yaml(paper).splitlines(keepends=True),
                                           files[path].splitlines(keepends=True),
                                           fromfile=f"a/{path}", tofile=f"b/{path}")
    report.diff = "".join(chunks).rstrip("\n")
    if not dry_run:
        write_atomic(files)
    return report
