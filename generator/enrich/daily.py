"""`import --hf-daily`: the Hub's Daily Papers as listings, through the same import.

A spec is a day (`2026-11-20`), an inclusive range (`2026-11-16..2026-11-22`)
or a saved daily-papers JSON file. Each day becomes one batch of entries that
`importer.import_batches` normalizes, de-duplicates, gives topics and merges
exactly as it does a text listing. A paper's `added` is the day it was
featured (`--as-of` only for an item that does not say), and its source is
`hf-daily-YYYY-MM-DD`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from generator.enrich.hub import load_daily_file
from generator.enrich.records import Found
from generator.enrich.services import Network, open_services
from generator.errors import GeneratorError
from generator.ingest.importer import Batch, ImportSummary, import_batches
from generator.model import DAILY_SOURCE_PREFIX as SOURCE_PREFIX
from generator.model import RawEntry

MAX_DAYS = 31
"""The longest range one import asks the Hub for."""
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


def _batches(origin: str, papers: list[Found], as_of: dt.date | None) -> list[Batch]:
    by_day: dict[dt.date, list[Found]] = defaultdict(list)
    for found in papers:
        day = found.daily or as_of
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


def import_daily(
    specs: list[str],
    *,
    content_dir: Path,
    network: Network,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    progress: bool | None = None,
) -> tuple[ImportSummary, str]:
    """Fetch (or read) every spec, then import it all at once; the summary and the requests made."""
    parsed = [(spec, parse_spec(spec)) for spec in specs]
    batches: list[Batch] = []
    usage = "none"
    days = sorted({d for _, p in parsed if isinstance(p, list) for d in p})
    for spec, what in parsed:
        if isinstance(what, Path):
            batches += _batches(str(what), load_daily_file(what), as_of)
    if days:
        with open_services(network) as services:
            for day in days:
                papers = services.hub.daily(day)
                if papers:
                    batches += _batches(f"{network.endpoints.hub}/api/daily_papers?date={day}",
                                        papers, day)
            usage = services.usage().split("; ")[0]
    summary = import_batches(batches, content_dir=content_dir, dry_run=dry_run, progress=progress)
    return summary, usage


def run_import_daily(specs: list[str], *, content_dir: Path, network: Network,
                     as_of: dt.date | None, dry_run: bool, summary: Path | None) -> str:
    """`python -m generator import --hf-daily`: the import's report, with the requests made."""
    from generator.enrich.http import ServiceError
    from generator.enrich.run import append_summary
    from generator.enrich.summary import import_section

    try:
        result, usage = import_daily(specs, content_dir=content_dir, network=network, as_of=as_of,
                                     dry_run=dry_run)
    except ServiceError as exc:
        raise ServiceError(f"{exc}; nothing was written") from None
    if summary is not None:
        append_summary(summary, import_section(result))
    return f"{result}\nrequests: {usage}" + ("\ndry run: nothing was written" if dry_run else "")
