"""Read and check the paper files the review cache did not answer for, on two cores when
there are many.

Reading a file (YAML composition) and its own checks (fields, then the schema) need
nothing but the file and the topic ids, so the files can be split: above
`PARALLEL_FROM` files, a forked process reads the second half while this one reads the
first. The child sends back each file's data, text and problems, which become a
`CachedDoc`, as a review-cache hit does: the checks across files re-read a file's node
tree only to point at a line. Below the threshold (the real catalog, the tests'
fixtures), forking and sending the results back would cost more than it saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.parallel import beside, can_fork
from generator.review.nodes import CachedDoc, Doc, parse_file
from generator.review.paper import check_paper, check_schema, schema_validator
from generator.review.topics import TopicIds

PARALLEL_FROM = 2000
"""Files to read before a second process pays for itself: at 2,000 papers the serial
reading takes about 1.5 s, and forking plus sending back half the results about 0.1 s."""


@dataclass(frozen=True)
class Reading:
    """One file to read: `checked` when its own problems are looked for (else it only takes
    part in the checks across files)."""

    path: Path
    display: str
    checked: bool


@dataclass(frozen=True)
class Rules:
    """What the checks of one file need besides the file."""

    content_dir: Path
    topics: TopicIds
    provenance: bool
    refreshing: bool


@dataclass(frozen=True)
class Read:
    """A file as read: `doc`, and whether it was readable YAML (`parsed`)."""

    doc: Doc
    parsed: bool


class _Reader:
    """Reads files one at a time; the schema validator (importing jsonschema) is made
    on the first file to check."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.validator: Any = None

    def read(self, job: Reading) -> Read:
        mine: list[Problem] = []
        parsed = parse_file(job.path, job.display, mine)
        doc = parsed if parsed is not None else Doc(job.display, mine)
        if parsed is not None and job.checked:
            check_paper(doc, self.rules.topics, provenance=self.rules.provenance,
                        refreshing=self.rules.refreshing)
            self.validator = self.validator or schema_validator(self.rules.content_dir)
            check_schema(doc, self.validator)
        return Read(doc, parsed is not None)


_Sent = tuple[bool, Any, str, list[Problem]]


def _sent(read: Read) -> _Sent:
    """What a file's reading sends back from the child: data, text and problems."""
    return read.parsed, read.doc.data, read.doc.text, read.doc.problems


def _received(job: Reading, sent: _Sent) -> Read:
    """A file read by the child, as a review-cache hit: its node tree is read again only
    if a check across files points at a line."""
    parsed, data, text, problems = sent
    if not parsed:
        return Read(Doc(job.display, problems), False)
    return Read(CachedDoc(job.display, problems, data=data, text=text, source=job.path), True)


def read_files(jobs: list[Reading], rules: Rules) -> list[Read]:
    """Each file read (and checked when asked), in the order given, with the same data
    and problems however the work was split."""
    reader = _Reader(rules)
    if len(jobs) < PARALLEL_FROM or not can_fork():
        return [reader.read(job) for job in jobs]
    half = len(jobs) // 2
    sent, first = beside(lambda: [_sent(reader.read(job)) for job in jobs[half:]],
                         lambda: [reader.read(job) for job in jobs[:half]])
    return first + [_received(job, one) for job, one in zip(jobs[half:], sent, strict=True)]
