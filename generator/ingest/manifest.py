"""The manifest of committed listings: which dumps make up the catalog, and when each was captured.

`content/listings/manifest.yml` lists every committed listing, oldest capture
first, with the full date it was captured and the evidence for that date. A
dump rarely carries its own year (a header `Mar 11`, or nothing at all), so the
date is a curator's finding and belongs in a reviewed file, not in a Makefile.
`import --manifest` imports the listings in this order, each dated by its
`captured` day, which is what `added` records on the papers it brings in. The
`name` is how a reader should see the listing (a paper page's "Sources").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ContentError, Problem, Severity
from generator.review.fields import check_keys, check_text
from generator.review.nodes import parse_file

ENTRY_KEYS = ("file", "name", "captured", "evidence")


@dataclass(frozen=True)
class ManifestListing:
    """One committed listing, as the manifest describes it."""

    path: Path
    """The dump, resolved against the manifest's folder."""
    name: str
    """How readers should see it: `Hugging Face papers, 10 December 2025`."""
    captured: dt.date
    """The day it was captured: `--as-of` for its import, and so `added` for its new papers."""
    evidence: str
    """Why that day: the header line, the newest papers it holds, the commit that added it."""
    line: int
    """Where it is described in the manifest, for error messages."""

    @property
    def source(self) -> str:
        """The name its papers record in `sources`: the file name without `.txt`."""
        return self.path.stem


def load_manifest(path: Path) -> tuple[ManifestListing, ...]:
    """The listings of a manifest, in import order; ContentError with every problem, each
    at its line, when the manifest is not usable (a missing file, a bad date, disorder)."""
    problems: list[Problem] = []
    display = str(path)
    if not path.is_file():
        raise ContentError([Problem(display, 1, 1, Severity.ERROR,
                                    "manifest not found; expected a YAML file with a list "
                                    "of listings (file, name, captured, evidence)")])
    doc = parse_file(path, display, problems)
    if doc is None or not doc.is_mapping("a mapping with the key listings"):
        raise ContentError(problems)
    check_keys(doc, (), doc.data, ("listings",), "; expected listings", ("listings",))
    items: Any = doc.data.get("listings")
    if "listings" in doc.data and not isinstance(items, list):
        doc.expected(("listings",), "a list of listings", items)
    found: list[ManifestListing] = []
    for i, item in enumerate(items if isinstance(items, list) else ()):
        here = ("listings", i)
        if not isinstance(item, dict):
            doc.expected(here, "a listing (a mapping with file, name, captured, evidence)", item)
            continue
        before = len(problems)
        check_keys(doc, here, item, ENTRY_KEYS, "; expected " + ", ".join(ENTRY_KEYS), ENTRY_KEYS)
        for key in ("file", "name", "evidence"):
            if key in item:
                check_text(doc, (*here, key), item[key])
        if "captured" in item:
            _date(doc, here, item)
        if len(problems) > before:
            continue
        node = doc.node_at(here)
        line = node.start_mark.line + 1 if node is not None else 1
        listing = path.parent / item["file"]
        if not listing.is_file():
            doc.report(doc.node_at((*here, "file")),
                       f"listings[{i}].file: '{item['file']}' not found next to the manifest")
            continue
        found.append(ManifestListing(listing, item["name"].strip(),
                                     dt.date.fromisoformat(item["captured"]),
                                     " ".join(item["evidence"].split()), line))
    for earlier, later in zip(found, found[1:]):
        if later.captured < earlier.captured:
            problems.append(Problem(display, later.line, 1, Severity.ERROR,
                                    f"{later.path.name} (captured {later.captured}) comes after "
                                    f"{earlier.path.name} (captured {earlier.captured}); expected "
                                    "the oldest capture first, so that `added` records the "
                                    "listing that first brought each paper in"))
    first: dict[str, ManifestListing] = {}
    for listing in found:
        if (seen := first.setdefault(listing.path.name, listing)) is not listing:
            problems.append(Problem(display, listing.line, 1, Severity.ERROR,
                                    f"{listing.path.name} is listed twice (first at line "
                                    f"{seen.line}); expected each listing once"))
    if not found and not problems:
        problems.append(Problem(display, 1, 1, Severity.ERROR,
                                "listings: expected at least one listing"))
    if problems:
        raise ContentError(problems)
    return tuple(found)


def _date(doc: Any, here: tuple[str | int, ...], item: dict[str, Any]) -> None:
    """`captured` is a real date, written YYYY-MM-DD."""
    value = item["captured"]
    path = (*here, "captured")
    if not isinstance(value, str) or len(value) != 10:
        doc.expected(path, "a date as YYYY-MM-DD", value)
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        doc.report(doc.node_at(path), f"listings[{here[1]}].captured: expected a real date "
                                      f"as YYYY-MM-DD, found {value} ({exc})", path=path)
