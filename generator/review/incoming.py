"""`check`'s review of a paper that a service sent, before any file is written.

`import --hf-daily` and `enrich` review every record on its own (`partial`: only the
fields it has), as it arrives, and each paper again, merged, before writing it: the
same per-file rules as `check`, on the text the file would have. A paper that fails is
left out and named, and the rest of the batch lands.

One rule needs the day of the import, which `check` does not have: no date after it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import Problem, Severity
from generator.model import PAPER_FIELDS, Kind, Paper
from generator.review.fields import PASTED, refused_text, too_long, too_many
from generator.review.nodes import parse_text
from generator.review.paper import check_paper, check_schema, schema_validator
from generator.review.topics import TopicIds, check_topics
from generator.store.paperfile import paper_to_yaml
from generator.text import SURROGATES

SURROGATE = re.compile(f"[{SURROGATES}]")
RECORD = "record"
"""The slug a record is reviewed under, before it has one."""


@functools.lru_cache(maxsize=1)
def _model_validator() -> Any:
    from jsonschema import Draft202012Validator

    from generator.review.schema import paper_schema

    return Draft202012Validator(paper_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def review_papers(papers: Iterable[Paper], *, today: dt.date, content_dir: Path | None = None,
                  partial: bool = False) -> dict[str, list[Problem]]:
    """The errors of each paper that has any, by slug. With `content_dir`, its topics and
    schema are the reference; without, the model's schema and no topic check."""
    if content_dir is None:
        topics, validator = TopicIds("topics.yml"), _model_validator()
    else:
        topics = check_topics(Path(content_dir) / "topics.yml", "topics.yml", [])
        validator = schema_validator(Path(content_dir))
    errors: dict[str, list[Problem]] = {}
    for paper in papers:
        problems: list[Problem] = []
        display = f"{paper.slug}.yml"
        problems += [Problem(display, 1, 1, Severity.ERROR, message) for message in _unwritable(paper)]
        doc = parse_text(paper_to_yaml(paper), display, problems) if not problems else None
        if doc is not None:
            check_paper(doc, topics, provenance=False, partial=partial)
            check_schema(doc, validator)
            for name, spec in PAPER_FIELDS:
                day = getattr(paper, name)
                if spec.kind is Kind.DATE and day is not None and day > today:
                    doc.report(doc.node_at((name,)), f"{name}: {day} is after the day of this "
                                                     f"import ({today})", path=(name,))
        if found := [p for p in problems if p.severity is Severity.ERROR]:
            errors[paper.slug] = found
    return errors


def _unwritable(paper: Paper) -> list[str]:
    """`check`'s message for each value that is refused before it is even written: a lone
    surrogate (PyYAML escapes it, then refuses the escape), and a list or text over its
    limit (100,000 authors take PyYAML's emitter a minute)."""
    messages = []
    for name, spec in PAPER_FIELDS:
        value = getattr(paper, name)
        if isinstance(value, tuple) and (message := too_many((name,), value, "names", spec.max_items)):
            messages.append(message)
            continue
        values = {(name,): value} if isinstance(value, str) else \
            {(name, i): item for i, item in enumerate(value)} if isinstance(value, tuple) else {}
        for path, text in values.items():
            if not isinstance(text, str):
                continue
            if SURROGATE.search(text):
                messages.append(refused_text(path, text) or "")
            elif (message := too_long(path, text, spec.max_length,
                                      PASTED if spec.warn_length else "")) is not None:
                messages.append(message)
    return messages


def reason(problems: list[Problem], most: int = 3) -> str:
    """A refusal's reason: the first few problems' messages, without the file's line."""
    text = "; ".join(p.message for p in problems[:most])
    return text + (f"; and {len(problems) - most} more" if len(problems) > most else "")
