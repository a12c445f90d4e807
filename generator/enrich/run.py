"""`python -m generator enrich`: fill the facts the listings lack from the Hub and arXiv.

For each paper (all, the SLUGs given, or with `--only-missing` those that lack
an arXiv id, authors or a date):

1. Its arXiv id: the one in its file, else a title search on the Hub, then on
   arXiv, under the rules of `enrich.match`. An id that another paper already
   has is reported and not applied.
2. What the Hub (`paper_info`) and arXiv (`id_list`, in batches) know of that id.
3. A merge under the model's policies (`importer.merge`), the same as an
   import's: arxiv, arxiv_category, authors and published are filled only when
   missing, upvotes are refreshed, and the Hub's code and project links are
   added only when the paper has no link of their kind. A value a curator wrote
   is never replaced; when a service disagrees with it, the report says so. (A
   date that is only the month of the arXiv id, the 1st as `new --arxiv` writes
   it, counts as missing: the day arXiv gives in that month fills it.)

Every answer is reviewed record by record (`enrich.hub`, `enrich.arxiv`), and each
changed paper again, merged, by `check`'s rules (`review.incoming`) before it is
written. A paper whose answer was refused (malformed, too large, about another
paper) or whose merged file `check` would refuse is skipped and named, with the
reason, and the others are written: a bad record never stops the batch, and the
run fails only when every paper looked up was skipped.

A request that fails outright (the service down, a timeout after the retries) stops
the run before anything is written: then `content/` is as it was, and the cache
makes a rerun resume where it stopped. Otherwise the files are written all at once
(`write_atomic`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator import clock
from generator.enrich.http import AnswerError
from generator.enrich.match import Match, match_title
from generator.enrich.records import Found
from generator.enrich.services import Network, Services, open_services
from generator.enrich.summary import capped, paper_line
from generator.errors import GeneratorError, Refusal, did_you_mean
from generator.identity import arxiv_month
from generator.ingest.importer import merge
from generator.links import classify
from generator.model import PAPER_FIELDS, Link, Merge, Paper
from generator.progress import progress
from generator.review.check import read_papers
from generator.review.incoming import reason, review_papers
from generator.site.templating import md_inline
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml
from generator.text import quote_untrusted

MISSING = ("arxiv", "authors", "published")
"""What `--only-missing` looks for: a paper lacking any of these is looked up."""


@dataclass(frozen=True)
class Request:
    """What `enrich` was asked to do."""

    slugs: tuple[str, ...] = ()
    """Only these papers; empty means every paper."""
    only_missing: bool = False
    limit: int | None = None
    """Look up at most this many papers (after the selection)."""
    dry_run: bool = False


@dataclass(frozen=True)
class Outcome:
    """What became of one paper."""

    before: Paper
    after: Paper
    how: str = ""
    """How its arXiv id was found (or that it was already known)."""
    notes: tuple[str, ...] = ()
    """Problems and kept curator values, in a reader's words."""
    refused: str = ""
    """Why the paper was skipped: an answer about it, or the file it would become, was
    refused. Its file is left as it was."""

    @property
    def changed(self) -> list[str]:
        return [name for name, _ in PAPER_FIELDS if getattr(self.before, name) != getattr(self.after, name)]


@dataclass
class Report:
    """Everything `enrich` did or would do, for the terminal and for a pull request."""

    outcomes: list[Outcome] = field(default_factory=list)
    usage: str = ""
    dry_run: bool = False
    diff: str = ""

    @property
    def changed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.changed]

    @property
    def refused(self) -> list[Refusal]:
        return [Refusal(o.before.slug, o.refused) for o in self.outcomes if o.refused]

    @property
    def nothing_usable(self) -> bool:
        """Every paper looked up was skipped: the run failed."""
        return bool(self.outcomes) and all(o.refused for o in self.outcomes)

    def __str__(self) -> str:
        lines = [self.diff] if self.diff else []
        for o in self.outcomes:
            if not o.changed and not o.notes:
                continue
            lines.append(f"{o.before.slug}:" + (f" ({o.how})" if o.how and o.changed else ""))
            for name in o.changed:
                lines.append(f"  {name}: {_show(getattr(o.before, name))} -> {_show(getattr(o.after, name))}")
            lines += [f"  note: {quote_untrusted(note, 1000)}" for note in o.notes]
        verb = "would change" if self.dry_run else "changed"
        fields = sum(len(o.changed) for o in self.outcomes)
        lines.append(f"looked up {len(self.outcomes)} papers; {verb} {len(self.changed)} "
                     f"({fields} fields); {sum(bool(o.notes) for o in self.outcomes)} with notes; "
                     f"{len(self.refused)} skipped")
        lines.append(f"requests: {self.usage}")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return "\n".join(lines)

    def markdown(self) -> str:
        """A section for a pull request body: each paper with the fields filled, linked."""
        rows = []
        for o in self.changed:
            fields = ", ".join(f"`{name}`" for name in o.changed)
            rows.append(f"- {paper_line(o.after)}: {fields}")
        notes = [f"- `{o.before.slug}`: {md_inline(note)}" for o in self.outcomes for note in o.notes]
        text = f"### Enriched ({len(rows)} papers)\n\n" + ("\n".join(capped(rows)) if rows else "None.") + "\n"
        if notes:
            text += "\n<details><summary>Notes (not applied)</summary>\n\n" + "\n".join(capped(notes))
            text += "\n\n</details>\n"
        if self.refused:
            text += refused_section(self.refused)
        return text + f"\nRequests: {self.usage}\n"


def _show(value: object) -> str:
    if value is None or value == ():
        return "(none)"
    if isinstance(value, tuple):
        items = [link.url if isinstance(link, Link) else str(link) for link in value]
        return ", ".join(items) if len(items) <= 4 else f"{', '.join(items[:3])}, ... ({len(items)})"
    return str(value)


def select(papers: list[Paper], request: Request) -> list[Paper]:
    """The papers to look up, in slug order."""
    by_slug = {p.slug: p for p in papers}
    if request.slugs:
        unknown = [s for s in request.slugs if s not in by_slug]
        if unknown:
            hint = did_you_mean(unknown[0], by_slug)
            raise GeneratorError(f"no paper '{unknown[0]}' in content/papers/{hint}")
        chosen = [by_slug[s] for s in dict.fromkeys(request.slugs)]
    else:
        chosen = sorted(papers, key=lambda p: p.slug)
    if request.only_missing:
        chosen = [p for p in chosen if any(not getattr(p, name) for name in MISSING)]
    if request.limit is not None:
        chosen = chosen[: request.limit]
    return chosen


def refused_section(refused: list[Refusal]) -> str:
    """The records left out, for a pull request body: named, with the reason."""
    rows = [f"- `{r.name}`: {md_inline(r.reason)}" for r in refused]
    return (f"\n<details><summary>Skipped ({len(rows)}): refused by the review</summary>\n\n"
            + "\n".join(capped(rows)) + "\n\n</details>\n")


def _candidates(records: list[Found | Refusal], source: str, notes: list[str]) -> list[Found]:
    """The records of a search that passed review; a note for each refused one."""
    notes += [f"a search result on {source} was refused: {r}" for r in records if isinstance(r, Refusal)]
    return [r for r in records if isinstance(r, Found)]


def _find_id(paper: Paper, services: Services) -> tuple[Match, Found | None, list[str]]:
    """The paper's arXiv id by title: the Hub first, then arXiv; (match, arXiv's record,
    notes on refused search results)."""
    notes: list[str] = []
    hub = match_title(paper, _candidates(services.hub.search(paper.title), "the Hub", notes))
    if hub.found or hub.problem.startswith("ambiguous"):
        return hub, None, notes
    on_arxiv = match_title(paper, _candidates(services.arxiv.by_title(paper.title), "arXiv", notes))
    if on_arxiv.found:
        return on_arxiv, on_arxiv.found, notes
    problems = "; ".join(p for p in (hub.problem, on_arxiv.problem) if p)
    return Match(problem=problems or "not found on the Hugging Face Hub or arXiv by title"), None, notes


def incoming(paper: Paper, arxiv_id: str, hub: Found | None, arxiv: Found | None) -> Paper:
    """What the services say of the paper, as a Paper to merge into the one we have."""
    links = []
    for url in (hub.code, hub.project) if hub else ():
        if url:
            links.append(Link(url=url, kind=classify(url)))
    return Paper(
        slug=paper.slug, title=paper.title, abstract=paper.abstract,
        arxiv=arxiv_id,
        arxiv_category=arxiv.category if arxiv else None,
        authors=(arxiv.authors if arxiv and arxiv.authors else hub.authors if hub else ()),
        published=(arxiv.published if arxiv and arxiv.published else hub.published if hub else None),
        upvotes=hub.upvotes if hub else None,
        links=tuple(links),
    )


def _month_known(paper: Paper, arxiv_id: str, offered: Paper) -> Paper:
    """The paper without its `published` when that is only the month its arXiv id gives
    (the 1st, as `new --arxiv` writes it) and the services know the day in that month:
    the day then fills it, as for a paper with no date."""
    month, day = arxiv_month(arxiv_id), offered.published
    if paper.published and paper.published == month and day and day != month \
            and (day.year, day.month) == (month.year, month.month):
        return dataclasses.replace(paper, published=None)
    return paper


def _kept(before: Paper, offered: Paper, after: Paper, best: Found | None) -> list[str]:
    """A note for each value a curator wrote that a service disagrees with."""
    notes = []
    for name, spec in PAPER_FIELDS:
        if spec.merge is not Merge.FILL:
            continue
        mine, theirs = getattr(before, name), getattr(offered, name)
        if mine and theirs and mine != theirs and getattr(after, name) == mine:
            source = best.source if best else "the services"
            notes.append(f"kept {name} {_show(mine)!r}; {source} has {_show(theirs)!r}")
    return notes


@dataclass
class _Plan:
    """One paper on its way through the lookups."""

    paper: Paper
    arxiv: str | None = None
    how: str = ""
    notes: list[str] = field(default_factory=list)
    from_arxiv: Found | None = None
    """arXiv's record, when the id was found by an arXiv title search."""
    refused: str = ""


def _plan(paper: Paper, services: Services, owner: dict[str, str]) -> _Plan:
    if paper.arxiv:
        return _Plan(paper, paper.arxiv, "arXiv id in its file")
    try:
        match, from_arxiv, notes = _find_id(paper, services)
    except AnswerError as exc:
        return _Plan(paper, refused=str(exc))
    if match.found is None:
        return _Plan(paper, notes=notes + ([match.problem] if match.problem else []))
    other = owner.get(match.found.arxiv)
    if other and other != paper.slug:
        return _Plan(paper, notes=notes + [f"arXiv id {match.found.arxiv} ({match.how}) is already "
                                           f"{other}'s; not applied"])
    owner[match.found.arxiv] = paper.slug
    return _Plan(paper, match.found.arxiv, match.how, notes, from_arxiv)


def enrich(content_dir: Path, request: Request, services: Services, today: dt.date,
           bar: bool | None = None) -> Report:
    """Look the papers up and write every change at once; see the module docstring."""
    papers = read_papers(content_dir)
    chosen = select(papers, request)
    owner = {p.arxiv: p.slug for p in papers if p.arxiv}
    plans = [_plan(paper, services, owner) for paper in progress(chosen, "finding arXiv ids", "paper", bar)]

    by_id = {plan.arxiv: plan for plan in plans if plan.arxiv}
    on_hub: dict[str, Found | None] = {}
    for arxiv_id in progress(list(by_id), "reading the Hub", "paper", bar):
        try:
            on_hub[arxiv_id] = services.hub.paper(arxiv_id)
        except AnswerError as exc:
            by_id[arxiv_id].refused = str(exc)
    known = {plan.arxiv: plan.from_arxiv for plan in by_id.values() if plan.from_arxiv}
    on_arxiv, refused = services.arxiv.by_ids(i for i, plan in by_id.items()
                                              if i not in known and not plan.refused)
    for arxiv_id, why in refused.items():
        by_id[arxiv_id].refused = why
    on_arxiv.update(known)  # type: ignore[arg-type]

    report = Report(dry_run=request.dry_run)
    for plan in plans:
        paper, after, notes = plan.paper, plan.paper, plan.notes
        if plan.arxiv and not plan.refused:
            hub, arx = on_hub.get(plan.arxiv), on_arxiv.get(plan.arxiv)
            if hub is None and arx is None:
                notes = notes + [f"arXiv id {plan.arxiv} is unknown to the Hugging Face Hub and arXiv"]
            else:
                offered = incoming(paper, plan.arxiv, hub, arx)
                after = merge(_month_known(paper, plan.arxiv, offered), offered, today)
                notes = notes + _kept(paper, offered, after, arx or hub)
        report.outcomes.append(Outcome(paper, after, plan.how, tuple(notes), plan.refused))

    _review(content_dir, report, today)
    files = {content_dir / "papers" / f"{o.after.slug}.yml": paper_to_yaml(o.after)
             for o in report.changed}
    report.usage = services.usage()
    if request.dry_run:
        report.diff = _diff(content_dir, report.changed)
    else:
        write_atomic(files)
    return report


def _review(content_dir: Path, report: Report, today: dt.date) -> None:
    """`check`'s review of every file about to change: one it would refuse is left as it
    was, and its paper reported as skipped."""
    problems = review_papers([o.after for o in report.changed], today=today, content_dir=content_dir)
    report.outcomes = [
        dataclasses.replace(o, after=o.before, refused=f"the file would not pass check: "
                                                       f"{reason(problems[o.after.slug])}")
        if o.changed and o.after.slug in problems else o
        for o in report.outcomes
    ]


def _diff(content_dir: Path, outcomes: Iterable[Outcome]) -> str:
    chunks = []
    for o in outcomes:
        path = content_dir / "papers" / f"{o.after.slug}.yml"
        chunks += difflib.unified_diff(paper_to_yaml(o.before).splitlines(keepends=True),
                                       paper_to_yaml(o.after).splitlines(keepends=True),
                                       fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(chunks).rstrip("\n")


def run_enrich(content_dir: Path, request: Request, network: Network,
               summary: Path | None = None, today: dt.date | None = None) -> Report:
    """`python -m generator enrich`: the lookups, the writes, and the summary file if asked."""
    from generator.enrich.http import ServiceError

    today = today or clock.today()
    try:
        with open_services(network, today) as services:
            report = enrich(Path(content_dir), request, services, today)
    except ServiceError as exc:
        resume = " (the answers so far are cached: run it again to resume)" if network.cache else ""
        raise ServiceError(f"{exc}; nothing was written{resume}") from None
    if summary is not None:
        append_summary(summary, report.markdown())
    return report


def append_summary(path: Path, text: str) -> None:
    """Add a Markdown section to a summary file, as GitHub's job summaries are built."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text.rstrip("\n") + "\n\n")
