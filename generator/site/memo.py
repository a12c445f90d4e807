"""The build remembers: the related-paper lists and each paper page's inputs, so a build
after one edit recomputes related papers only if a title, abstract or topic changed, and
renders only the paper pages whose inputs changed.

**Related papers, exactly.** They are TF-IDF similarities (`related.py`): editing one
abstract changes the document frequencies of its words, so the weights, the kept terms
and the candidates of any paper sharing those words, across the catalog. Rather than
patch that, the lists are a pure function of every paper's (slug, title, abstract,
topics) and the settings: the memo keeps the lists with the digest of those inputs, and
recomputes them all (importing numpy and scipy) only when the digest changes. An edit to
anything else (links, authors, dates, upvotes) reuses them; an edit to an abstract
gives exactly what a cold build gives. The memo also keeps each text's tokens (by the
text's digest), so that recomputing analyzes only the edited texts: the rest of the
work is the TF-IDF and a sparse product over the whole catalog.

**Pages.** A paper page is a pure function of its paper, its related papers' slugs and
titles, its BibTeX key, its topics' titles, the listings it names and the settings; the
memo keeps, per page, the digest of those inputs and the SHA-256 of the text written. A
page is skipped only when both match, the second against the file on disk, so a page
edited or removed by hand is rendered again. Rather than read 10,000 files again to
hash them, the memo also keeps what `store.digest` remembers of each page file (its
settled status with its SHA-256, as git's index does) and gives it back to the next
process: a file whose status is unchanged holds the bytes it was written with.

**Lines.** A file of one line per paper (the search records) is made again after every
edit, yet most of its lines are the same: each line the last build wrote is used again
for a paper whose key (its slug, its file's digest, what else the line reads) is the
same, when the file on disk is still the one that build wrote (`PaperLines`).

Everything is keyed by the generator's source code too (`review.cache.code_digest`), in
JSON, written atomically; a memo that fails to read is ignored. A wrong memo can cost
time, never change a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.model import Paper
from generator.review.cache import code_digest
from generator.site.settings import Settings
from generator.store import cachejson
from generator.store.atomic import write_atomic
from generator.store import digest as file_digests
from generator.store.digest import file_sha256

FORMAT = 1


def digest(value: object) -> str:
    """SHA-256 of a value's pickle (frozen dataclasses, tuples, strings, dates): ten times
    faster than its repr. Equal values pickle alike when built alike, as every build
    builds them; when not, the memo misses and the page is rendered, never wrong."""
    return hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()


def related_inputs(papers: Sequence[Paper], k: int) -> str:
    return digest((k, sorted((p.slug, p.title, p.abstract, p.shown_topics) for p in papers)))


class SiteMemo:
    """The memo of one output folder (`.cache/generator/site-<folder digest>.json`)."""

    def __init__(self, out_dir: Path, settings: Settings, folder: Path | None) -> None:
        self.out_dir = out_dir
        where = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        self.path = folder / f"site-{where}.json" if folder is not None else None
        self.context = digest((FORMAT, code_digest(), settings))
        self.related: dict[str, Any] = {}
        self.pages: dict[str, list[str]] = {}
        self.new_pages: dict[str, list[str]] = {}
        self.lines: dict[str, Any] = {}
        """File -> [SHA-256 of its text, each line's key] as the last build wrote it."""
        self.new_lines: dict[str, Any] = {}
        self._inputs: tuple[Sequence[Paper], int, str] | None = None
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored["context"] == self.context:
                related, pages, lines = stored["related"], stored["pages"], stored["lines"]
                if isinstance(related, dict) and isinstance(pages, dict) and isinstance(lines, dict):
                    self.related, self.pages, self.lines = related, pages, lines
        except Exception:  # unreadable, partly written, another shape: start afresh
            self.related, self.pages, self.lines = {}, {}, {}
        for rel, entry in self.pages.items():  # each page file's status, for store.digest
            try:
                if isinstance(entry, list) and len(entry) == 3:
                    file_digests.remember(os.fspath(self.out_dir / rel), entry[2], entry[1])
            except (TypeError, ValueError):
                pass

    def _related_inputs(self, papers: Sequence[Paper], k: int) -> str:
        """related_inputs, once per catalog (0.15 s at 10,000 papers; asked twice a build)."""
        if self._inputs is None or self._inputs[0] is not papers or self._inputs[1] != k:
            self._inputs = (papers, k, related_inputs(papers, k))
        return self._inputs[2]

    def knows_related(self, papers: Sequence[Paper], k: int) -> bool:
        """True when `related_papers` would answer from the memo, computing nothing."""
        return (self.related.get("inputs") == self._related_inputs(papers, k)
                and isinstance(self.related.get("lists"), dict))

    def related_papers(self, papers: Sequence[Paper], k: int) -> dict[str, tuple[str, ...]]:
        """related.related_papers(papers, k), from the memo when its inputs are the same."""
        inputs = self._related_inputs(papers, k)
        lists = self.related.get("lists")
        if self.related.get("inputs") == inputs and isinstance(lists, dict):
            return {slug: tuple(related) for slug, related in lists.items()}
        from generator.site.related import related_papers, tokens

        kept = self.related.get("tokens")
        kept = kept if isinstance(kept, dict) else {}
        fresh: dict[str, str] = {}

        def analyze(text: str) -> tuple[str, ...]:
            """A text's tokens as kept by the last build (tokens are words, never spaces),
            else `related.tokens` of it."""
            key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
            known = kept.get(key)
            if isinstance(known, str) and known:
                fresh[key] = known
                return tuple(known.split(" "))
            found = tokens(text)
            fresh[key] = " ".join(found)
            return found

        computed = related_papers(papers, k, analyze)
        # Only the texts of this catalog (each analyzed once): the memo does not grow with
        # every edit.
        self.related = {"inputs": inputs, "lists": {slug: list(r) for slug, r in computed.items()},
                        "tokens": fresh}
        return computed

    def known_tokens(self) -> dict[str, str]:
        """The tokens this memo holds, by text digest (before `related_papers` replaces them)."""
        kept = self.related.get("tokens")
        return kept if isinstance(kept, dict) else {}

    def related_sent(self, known: dict[str, str]) -> dict[str, Any]:
        """The related memo, to send to a process whose memo holds `known` tokens: those
        stand as None (`related_received` puts them back)."""
        tokens = self.known_tokens()
        return {**self.related, "tokens": {key: None if known.get(key) == value else value
                                           for key, value in tokens.items()}}

    def related_received(self, sent: dict[str, Any]) -> None:
        """Take the related memo a forked process computed (`related_sent`)."""
        known = self.known_tokens()
        self.related = {**sent, "tokens": {key: known[key] if value is None else value
                                           for key, value in sent["tokens"].items()}}

    def has_page(self, rel: str) -> bool:
        """True when the last build wrote `rel` (whatever its inputs were)."""
        return rel in self.pages

    def page_unchanged(self, rel: str, inputs: str) -> str | None:
        """The SHA-256 of the text last written for `rel` if its inputs are `inputs`."""
        entry = self.pages.get(rel)
        if isinstance(entry, list) and len(entry) in (2, 3) and entry[0] == inputs:
            return str(entry[1])
        return None

    def remember_page(self, rel: str, inputs: str, text_digest: str) -> None:
        self.new_pages[rel] = [inputs, text_digest]

    def pages_since(self, count: int) -> dict[str, list[str]]:
        """The pages remembered after the first `count`: what a forked process remembered,
        for this process's memo."""
        return dict(list(self.new_pages.items())[count:])

    def lines_of(self, rel: str) -> dict[str, str]:
        """Key -> line (without its newline) of the file `rel` as the last build wrote it;
        nothing if the file is not exactly that file."""
        entry = self.lines.get(rel)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)):
            return {}
        try:
            path = self.out_dir / rel
            if file_sha256(path) != entry[0]:
                return {}
            # At "\n" only: a line's JSON may hold U+2028 and others that splitlines() breaks at.
            lines = path.read_text(encoding="utf-8").split("\n")[:-1]
        except (OSError, UnicodeDecodeError):
            return {}
        return dict(zip(entry[1], lines)) if len(lines) == len(entry[1]) else {}

    def remember_lines(self, rel: str, kept: tuple[str, list[str]]) -> None:
        """Keep what `PaperLines.kept` gave for the file written at `rel`."""
        self.new_lines[rel] = list(kept)

    def save(self) -> None:
        """Keep this build's pages and related lists; a memo that cannot be written is
        only a slower next build."""
        if self.path is None:
            return
        names = {os.fspath(self.out_dir / rel): rel for rel in self.new_pages}
        for name, (status, sha) in file_digests.remembered(list(names)).items():
            entry = self.new_pages[names[name]]
            if sha == entry[1]:  # remembered of the bytes this build's page has
                entry.append(list(status))
        stored = {"format": FORMAT, "context": self.context, "related": self.related,
                  "pages": self.new_pages, "lines": self.new_lines}
        try:  # one C call to encode, then store.atomic's temporary-and-rename
            write_atomic({self.path: cachejson.dumps(stored)})
        except OSError:
            pass


class PaperLines:
    """The lines of one file of a line per paper, each the last build's line when its key
    is the same (see the module doc), else made. Every line ends with a newline and
    holds no other."""

    def __init__(self, previous: dict[str, str]) -> None:
        self.previous = previous
        self.keys: list[str] = []

    def line(self, key: str | None, make: Callable[[], str]) -> str:
        """The line for `key` (None: a paper that has none, always made)."""
        self.keys.append(key or "")
        found = self.previous.get(key) if key else None
        return found + "\n" if found is not None else make()

    def kept(self, text: str) -> tuple[str, list[str]]:
        """What the memo keeps of the file `text` made of these lines, in their order."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), self.keys
