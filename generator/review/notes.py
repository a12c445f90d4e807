"""Review content/topic-notes.yml: the curator's audit notes behind papers' topics.

The notes are optional. For each paper they hold the `topics` a curator chose and
a one-line `why`, so that a reviewer can audit the choices and a merge can re-apply
them; the paper files stay the source of truth, and nothing but this check reads
the notes. So a note that has drifted (its paper was renamed or removed, or its
topics were changed in the paper file) is a warning, never an error; only a file
that is not notes at all (broken YAML, the wrong shape) is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Problem, Severity
from generator.review.fields import check_keys, check_text, check_text_list
from generator.review.nodes import Doc, parse_file

NOTES_FILE = "topic-notes.yml"
"""The notes' file name in the content folder."""
NOTE_KEYS = ("topics", "why")


@dataclass(frozen=True)
class PaperTopics:
    """What a note is compared with: a paper's curator topics, or its old slugs."""

    topics: dict[str, tuple[str, ...]]
    """Slug -> the paper's `topics` (empty when the rules choose them)."""
    renamed: dict[str, str]
    """An old slug (in a paper's `redirect_from`) -> the paper's slug."""


def check_notes(path: Path, display: str, papers: PaperTopics, problems: list[Problem]) -> None:
    """Report every problem in the notes file into `problems`."""
    doc = parse_file(path, display, problems)
    if doc is None or not doc.is_mapping("a mapping of paper slugs to notes (topics, why)"):
        return
    for slug, note in doc.data.items():
        _check_note(doc, str(slug), note, papers)


def _check_note(doc: Doc, slug: str, note: Any, papers: PaperTopics) -> None:
    if not isinstance(note, dict):
        doc.expected((slug,), "a note (a mapping with topics and why)", note)
        return
    check_keys(doc, (slug,), note, NOTE_KEYS, "; expected topics or why", NOTE_KEYS)
    if "why" in note:
        check_text(doc, (slug, "why"), note["why"])
    topics = note.get("topics")
    if "topics" in note and not check_text_list(doc, (slug, "topics"), topics, "topic ids"):
        return
    key = doc.node_at((slug,), key=True)
    if slug not in papers.topics:
        where = (f"; the paper was renamed to '{papers.renamed[slug]}'" if slug in papers.renamed
                 else "")
        doc.report(key, f"note '{slug}' names no paper in papers/{where}: move or remove the note",
                   Severity.WARNING)
    elif isinstance(topics, list) and tuple(topics) != papers.topics[slug]:
        chosen = papers.topics[slug]
        found = f"[{', '.join(chosen)}]" if chosen else "no curator's topics"
        doc.report(doc.node_at((slug, "topics")),
                   f"{slug}.topics: the note says [{', '.join(topics)}] but the paper has "
                   f"{found}; update the note (and its why) or the paper",
                   Severity.WARNING)
