"""`import --hf-daily`: the Hub's Daily Papers as listings, through the same import.

A spec is a day (`2026-11-20`), an inclusive range (`2026-11-16..2026-11-22`)
or a saved daily-papers JSON file. Each day becomes one batch of entries that
`importer.import_batches` normalizes, de-duplicates, gives topics and merges
exactly as it does a text listing. A paper's `added` is the day it was featured:
the day asked for, or in a saved file the day its item says (`--as-of` only for an
item that does not say); its source is `hf-daily-YYYY-MM-DD`.

Every record is reviewed on its own as it is read (`enrich.hub`), and every paper
again, merged, before it is written (`review.incoming`): a bad record is left out
and named with the reason, and the rest of the day lands. The run fails (exit 1,
nothing written) when a request fails outright or an answer is refused whole (the
service down, a malformed page, more papers than a page holds), and when every
record was refused; otherwise it succeeds, with a warning for each record left out.
An import reads at most `MAX_DAYS` days and `MAX_PAPERS` papers: the days past the
cap are named, for the next import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import clock
from generator.enrich.hub import load_daily_file
from generator.enrich.records import Found
from generator.enrich.services import Network, open_services
from generator.errors import GeneratorError, Refusal
from generator.ingest.importer import Batch, ImportSummary, import_batches
from generator.model import DAILY_SOURCE_PREFIX as SOURCE_PREFIX
from generator.model import Paper, RawEntry
from generator.review.incoming import reason, review_papers

MAX_DAYS = 31
"""The longest range one import asks the Hub for."""
MAX_PAPERS = 3_000
"""The most papers one import takes: a month of Daily Papers is about 1,500."""
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")


def parse_spec(spec: str) -> list[dt.date] | Path:
    """The days a spec names, or the JSON file it names."""
    match = _RANGE.fullmatch(spec.strip())
    if match is None:
        path = Path(spec)
        if path.suffix == ".json":
            return path
        raise GeneratorError(f"--hf-daily: expected YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or a .json "
                             f"file saved from the Hub's daily papers, found {spec!r}")
    try:
        first = dt.date.fromisoformat(match[1])
        last = dt.date.fromisoformat(match[2] or match[1])
    except ValueError as exc:
        raise GeneratorError(f"--hf-daily: {spec!r}: {exc}") from None
    if last < first:
        raise GeneratorError(f"--hf-daily: {spec!r} ends before it starts")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise GeneratorError(f"--hf-daily: {spec!r} spans {days} days; ask for at most {MAX_DAYS} "
                             "at a time")
    return [first + dt.timedelta(days=n) for n in range(days)]


def to_entry(found: Found, source: str, line: int) -> RawEntry:
    """A Daily Papers item as an import entry: its text to be cleaned, its facts as given."""
    return RawEntry(title=found.title, abstract=found.summary or "", source=source, line=line,
                    upvotes=found.upvotes, authors=found.authors, published=found.published,
                    arxiv=found.arxiv, urls=tuple(u for u in (found.code, found.project) if u))


def _batches(origin: str, papers: list[Found], day_of: Callable[[Found], dt.date | None]) -> list[Batch]:
    by_day: dict[dt.date, list[Found]] = defaultdict(list)
    for found in papers:
        day = day_of(found)
        if day is None:
            raise GeneratorError(f"{origin}: {found.arxiv} does not say which day it was featured; "
                                 "pass --as-of")
        by_day[day].append(found)
    batches = []
    for day in sorted(by_day):
        source = f"{SOURCE_PREFIX}{day.isoformat()}"
        entries = tuple(to_entry(f, source, n) for n, f in enumerate(by_day[day], 1))
        batches.append(Batch(origin, f"{source}: {len(entries)} papers", day, entries))
    return batches


def _split(records: list[Found | Refusal], refused: list[Refusal]) -> list[Found]:
    refused += [r for r in records if isinstance(r, Refusal)]
    return [r for r in records if isinstance(r, Found)]


def import_daily(
    specs: list[str],
    *,
    content_dir: Path,
    network: Network,
    today: dt.date,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    progress: bool | None = None,
) -> tuple[ImportSummary, str]:
    """Fetch (or read) every spec, then import it all at once; the summary and the requests
    made. `today` is the day of the import: no paper may be dated after it."""
    parsed = [(spec, parse_spec(spec)) for spec in specs]
    days = sorted({d for _, p in parsed if isinstance(p, list) for d in p})
    if days and days[-1] > today:
        raise GeneratorError(f"--hf-daily: {days[-1]} is after today ({today})")
    batches: list[Batch] = []
    refused: list[Refusal] = []
    usage = "none"
    for spec, what in parsed:
        if isinstance(what, Path):
            found = _split(load_daily_file(what, today), refused)
            batches += _batches(str(what), found, lambda f: f.daily or as_of)
    total = sum(len(b.entries) for b in batches)
    if days:
        with open_services(network, today) as services:
            for n, day in enumerate(days):
                found = _split(services.hub.daily(day), refused)
                if total + len(found) > MAX_PAPERS:
                    refused.append(Refusal(f"{day}..{days[-1]}", f"not imported: more than "
                                           f"{MAX_PAPERS:,} papers in one import; import these "
                                           "days next"))
                    break
                total += len(found)
                batches += _batches(f"{network.endpoints.hub}/api/daily_papers?date={day}",
                                    found, lambda f, day=day: day)
            usage = services.usage().split("; ")[0]

    def review(papers: list[Paper]) -> dict[str, str]:
        problems = review_papers(papers, today=today, content_dir=content_dir)
        return {slug: f"the file would not pass check: {reason(found)}" for slug, found in problems.items()}

    summary = import_batches(batches, content_dir=content_dir, dry_run=dry_run, progress=progress,
                             review=review)
    summary.refused[:0] = refused
    return summary, usage


@dataclass(frozen=True)
class DailyReport:
    """What `import --hf-daily` did, for the terminal."""

    summary: ImportSummary
    usage: str
    dry_run: bool

    @property
    def nothing_usable(self) -> bool:
        """Records came, and every one was refused: the run failed."""
        s = self.summary
        return bool(s.refused) and s.added + s.updated + s.unchanged == 0

    def __str__(self) -> str:
        skipped = f"; {len(self.summary.refused)} left out" if self.summary.refused else ""
        return (f"{self.summary}{skipped}\nrequests: {self.usage}"
                + ("\ndry run: nothing was written" if self.dry_run else ""))


def run_import_daily(specs: list[str], *, content_dir: Path, network: Network,
                     as_of: dt.date | None, dry_run: bool, summary: Path | None,
                     today: dt.date | None = None) -> DailyReport:
    """`python -m generator import --hf-daily`: the import, and the summary file if asked."""
    from generator.enrich.http import ServiceError
    from generator.enrich.run import append_summary, refused_section
    from generator.enrich.summary import import_section

    try:
        result, usage = import_daily(specs, content_dir=content_dir, network=network,
                                     today=today or clock.today(), as_of=as_of, dry_run=dry_run)
    except ServiceError as exc:
        raise ServiceError(f"{exc}; nothing was written") from None
    if summary is not None:
        append_summary(summary, import_section(result) + (refused_section(result.refused)
                                                          if result.refused else ""))
    return DailyReport(result, usage, dry_run)
