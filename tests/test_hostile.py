"""A hostile Hugging Face Hub and arXiv: what `enrich` and `import --hf-daily` make of them.

Each scenario serves, from the fake services on 127.0.0.1 (tests/fake_api.py, in the
documented formats of `/api/papers/{id}`, `/api/papers/search`, `/api/daily_papers`
and arXiv's Atom export API), one kind of answer that broke the weekly update once:
front matter breakers, records `check` refuses, answers that crashed the client,
answers without limits, answers about something else, service text meant for the CI
log, one bad record among good ones. The real command runs in a subprocess against
a copy of three committed papers, and for each scenario the test asserts:

- no traceback, and every line of the output is one line of safe text (no line starts
  with `::`, no control character); a failed run ends with one `Error:` line;
- the exit status: 1 only when nothing usable came back;
- `content/` unchanged, or every file the run wrote passing `check` (compared with the
  whole folder, which holds only three papers and so has unused topics of its own);
  the good records of a mixed batch landed,
  the bad ones did not, and each was named in a warning;
- nothing malformed cached: no answer the scenario spoiled, and every cached answer
  reads without a refusal;
- the process's peak memory under 500 MB and its wall time within its deadline.

Then one site is built from the union of every scenario's resulting content, and every
paper page is opened in Chromium: no dialog, no console message and no global that a
payload would set, and each page keeps its template.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.enrich.arxiv import parse_feed
from generator.enrich.hub import parse_json, read_items, read_paper
from generator.enrich.records import record_problem
from generator.errors import Refusal
from generator.review.check import check_content
from fake_api import ATOM, FakeApi, Raw
from helpers import CONTENT, ROOT, build_site, snapshot

pytestmark = [pytest.mark.xdist_group("hostile")]

HAT = "hat-hybrid-attention-transformer-for-image-restoration"
TULU = "tulu-3-pushing-frontiers-in-open-language-model-post-training"
CYCLICAL = "cyclical-curriculum-learning"
BASE = (HAT, TULU, CYCLICAL)
HAT_ID, TULU_ID, CYCLICAL_ID = "2309.05239", "2411.15124", "2202.05531"
SPARSE_ID, PROMPT_ID, EVIL_ID = "2611.09876", "2611.10001", "2611.20001"
DAY = "2026-11-20"
TODAY = dt.date(2026, 11, 29)
MEMORY_LIMIT = 500 * 1024 * 1024
STARTUP = 20.0
"""Seconds a run may take beyond its requests' deadlines (start-up, a loaded machine)."""

ENRICH = ("enrich", HAT, TULU, CYCLICAL)
DAILY = ("import", "--hf-daily", DAY)
DAILY_GOOD = (SPARSE_ID, PROMPT_ID, HAT_ID)
"""What the day's three good records land as (HAT's file gets its arXiv id)."""
ENRICH_GOOD = (TULU_ID, CYCLICAL_ID)
PWNED = "window.__pwned=1"
"""What every script payload does: the browser test looks for the global."""


# --- answers in the documented formats ---------------------------------------------------


def daily_item(arxiv: str = EVIL_ID, **paper: object) -> dict:
    """A `/api/daily_papers` item: the paper under `paper`, featured on DAY."""
    record = {"id": arxiv, "authors": [{"_id": "1", "name": "Mallory Quinn", "hidden": False}],
              "publishedAt": "2026-11-18T09:00:00.000Z", "submittedOnDailyAt": f"{DAY}T06:00:00.000Z",
              "title": "A Hostile Record Among Good Ones",
              "summary": "A record whose fields were chosen to break the import, the page or the log.",
              "upvotes": 3, "discussionId": "6900000000000000000000ff"}
    record.update(paper)
    return {"paper": record, "publishedAt": f"{DAY}T06:00:00.000Z", "title": record.get("title"),
            "numComments": 0, "isAuthorParticipating": False}


def add_items(*items: dict) -> Callable[[FakeApi], None]:
    return lambda api: api.daily[DAY].extend(items)


def set_hub_paper(arxiv: str, **changes: object) -> Callable[[FakeApi], None]:
    return lambda api: api.papers[arxiv].update(changes)


def atom_entry(arxiv: str, title: str, authors: list[str], published: str = "2023-09-11T06:31:15Z",
               abs_id: str | None = None) -> str:
    names = "".join(f"<author><name>{_xml(a)}</name></author>" for a in authors)
    return (f'<entry><id>{abs_id or f"http://arxiv.org/abs/{arxiv}v1"}</id><published>{published}</published>'
            f"<title>{_xml(title)}</title><summary>An abstract.</summary>{names}"
            '<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CV"/></entry>')


def atom_feed(*entries: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="{ATOM}"><title>ArXiv Query</title>'
            + "".join(entries) + "</feed>").encode("utf-8")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_body(value: object) -> bytes:
    return json.dumps(value).encode()


@functools.cache
def gzip_bomb(size: int) -> bytes:
    """`size` bytes of JSON whitespace, gzipped: about 1,000 times smaller."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    parts = [packer.compress(b"[")] + [packer.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + packer.compress(b"]") + packer.flush()


GZIP = (("Content-Type", "application/json"), ("Content-Encoding", "gzip"))
COMMANDS = "\n::error file=content/topics.yml::pwned\n::add-mask::x\n\x1b[2J\x1b]0;pwned\x07"
"""Text that, printed raw on a line of a GitHub runner's log, is a workflow command."""
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
                  + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
                             for i in range(8))
                  + b']><feed xmlns="http://www.w3.org/2005/Atom"><title>&i;</title></feed>')
PAYLOAD_AUTHORS = [f"<script>{PWNED}</script>", f"<img src=x onerror={PWNED}>",
                   f'"><svg onload={PWNED}>', "{{ 7*7 }} {% raw %}", "Ada ]]> --> <!--"]
PAYLOAD_TITLE = f"<script>{PWNED}</script> A Title [x](javascript:{PWNED}) {{{{ 7*7 }}}}"
PAYLOAD_SUMMARY = (f"--- \ntitle: injected\ntemplate: main.html\n---\n<iframe src=javascript:{PWNED}>"
                   f"</iframe> <img src=x onerror={PWNED}> [click](javascript:{PWNED}) and 20 more words "
                   "so that the abstract reads like one, with a colon: here and a # there.")


# --- the scenarios ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    id: str
    serves: str
    """What the fake services answer, in a reader's words (the report's scenario list)."""
    setup: Callable[[FakeApi], None]
    command: tuple[str, ...] = DAILY
    exit: int = 0
    landed: tuple[str, ...] = ()
    """arXiv ids that must be in content/ afterwards: the good records."""
    absent: tuple[str, ...] = ()
    """arXiv ids that must not be."""
    warned: tuple[str, ...] = ()
    """Names that a `warning: skipped` line must give."""
    says: str = ""
    """A fragment of the output (stdout and stderr) that says what happened."""
    spoiled: tuple[str, ...] = ()
    """Paths (with their query) of answers this scenario spoiled: none may be cached."""
    never: tuple[str, ...] = ()
    """Text of a spoiled record that no file may hold afterwards (it was not applied)."""
    options: tuple[str, ...] = ()
    timeout: float = 5.0
    retries: int = 1

    @property
    def deadline(self) -> float:
        """The wall time the run may take: every attempt to its deadline, plus start-up."""
        return (self.retries + 1) * self.timeout * 3 + STARTUP

    def __str__(self) -> str:
        return self.id


def daily_refuses(id_: str, serves: str, *items: dict, says: str, name: str = EVIL_ID) -> Scenario:
    """A day whose extra record is refused while the three good ones land."""
    return Scenario(id_, serves, add_items(*items), landed=DAILY_GOOD, absent=(EVIL_ID,),
                    warned=(name,), says=says, spoiled=("/api/daily_papers",))


def enrich_refuses(id_: str, serves: str, setup: Callable[[FakeApi], None], *, says: str,
                   spoiled: tuple[str, ...] = (f"/api/papers/{HAT_ID}",)) -> Scenario:
    """An enrich run where HAT's answer is refused and TULU and CYCLICAL land."""
    return Scenario(id_, serves, setup, ENRICH, landed=ENRICH_GOOD, absent=(HAT_ID,), warned=(HAT,),
                    says=says, spoiled=spoiled)


def daily_fails(id_: str, serves: str, raw: Raw, *, says: str, **more: object) -> Scenario:
    """A day whose answer is refused whole: exit 1, nothing written."""
    return Scenario(id_, serves, lambda api: api.always("/api/daily_papers", raw), exit=1,
                    absent=DAILY_GOOD[:2], says=says, spoiled=("/api/daily_papers",), **more)  # type: ignore[arg-type]


def _redirect_elsewhere(api: FakeApi) -> None:
    port = urlsplit(api.url).port
    api.always(f"/api/papers/{HAT_ID}", Raw(status=302, headers=(
        ("Location", f"http://localhost:{port}/api/papers/{HAT_ID}"),)))


TULU_ENTRY = atom_entry(TULU_ID, "Tulu 3: Pushing Frontiers in Open Language Model Post-Training",
                        ["Nathan Lambert"], "2024-11-22T18:44:04Z")
HAT_TITLE = "HAT: Hybrid Attention Transformer for Image Restoration"


def _arxiv_after_title_search(raw: Raw) -> Callable[[FakeApi], None]:
    """ENRICH asks arXiv twice: CYCLICAL's title search (answered as usual), then the batch
    of HAT's and TULU's ids (answered with `raw`)."""
    return lambda api: api.fail("/arxiv/api/query", "pass", raw)


def _payload_records(api: FakeApi) -> None:
    api.papers[HAT_ID].update(authors=[{"name": a} for a in PAYLOAD_AUTHORS],
                              githubRepo=f"javascript:{PWNED}",
                              projectPage=f'https://example.org/"><script>{PWNED}</script>')
    api.entries.pop(HAT_ID)  # so that the Hub's authors are the ones applied


SCENARIOS = [
    # Front matter breakers: noncharacters and lone surrogates (JSON escapes) in any field.
    daily_refuses("daily-uffff-author", "a day with a record whose authors are "
                  "['Mallory \\uffff', '<script>...']", daily_item(authors=[{"name": "Mallory \uffff"},
                                                                               {"name": PAYLOAD_AUTHORS[0]}]),
                  says="U+FFFF"),
    daily_refuses("daily-ufffe-title", "a record whose title holds U+FFFE",
                  daily_item(title="A Title \ufffe Here"), says="U+FFFE"),
    daily_refuses("daily-ufdd0-summary", "a record whose abstract holds U+FDD0",
                  daily_item(summary="An abstract with \ufdd0 a noncharacter in the middle of it."),
                  says="U+FDD0"),
    daily_refuses("daily-plane-noncharacter", "an author with U+10FFFF (a plane 16 noncharacter)",
                  daily_item(authors=[{"name": "Eve \U0010ffff"}]), says="U+10FFFF"),
    daily_refuses("daily-lone-surrogate-title", "a title with the JSON escape \\ud800",
                  daily_item(title="Broken \ud800 Title"), says="U+D800"),
    daily_refuses("daily-lone-surrogate-author", "an author with the JSON escape \\udfff",
                  daily_item(authors=[{"name": "Low \udfff Surrogate"}]), says="U+DFFF"),
    enrich_refuses("enrich-uffff-author", "HAT's /api/papers answer with an author 'Mallory \\uffff'",
                   set_hub_paper(HAT_ID, authors=[{"name": "Mallory \uffff"}]), says="U+FFFF"),
    enrich_refuses("enrich-surrogate-title", "HAT's /api/papers answer with a lone surrogate in its title",
                   set_hub_paper(HAT_ID, title="HAT \ud83d Restoration"), says="U+D83D"),
    # Records the import used to write although `check` refuses them.
    daily_refuses("daily-esc-author", "an author with ESC and a terminal colour code",
                  daily_item(authors=[{"name": "Mallory \x1b[31mRed"}]), says="U+001B"),
    daily_refuses("daily-bel-title", "a title with BEL", daily_item(title="Ring \x07 Ring"),
                  says="U+0007"),
    daily_refuses("daily-nul-title", "one title with a NUL among the day's papers",
                  daily_item(title="Null \x00 Title"), says="U+0000"),
    daily_refuses("daily-null-summary", "a record whose summary is null", daily_item(summary=None),
                  says="summary: expected text, found null"),
    daily_refuses("daily-no-summary", "a record with no summary at all",
                  {"paper": {k: v for k, v in daily_item()["paper"].items() if k != "summary"},
                   "publishedAt": f"{DAY}T06:00:00.000Z"}, says="no summary"),
    daily_refuses("daily-upvotes-true", "upvotes: true", daily_item(upvotes=True),
                  says="upvotes: expected a whole number, found true"),
    daily_refuses("daily-authors-wrong-types", "authors [null, 12345, ['x', 'y'], {'k': 1}]",
                  daily_item(authors=[None, 12345, ["x", "y"], {"k": 1}]),
                  says="authors[0]: expected an author with a name, found null"),
    daily_refuses("daily-authors-null", "authors: null", daily_item(authors=None),
                  says="authors: expected a list, found null"),
    daily_refuses("daily-empty-title", "a title of spaces", daily_item(title="   "),
                  says="title: empty"),
    # Answers that ended in a traceback.
    enrich_refuses("enrich-redirect-loop", "HAT's /api/papers answer redirects to itself, forever",
                   lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(status=302, headers=(
                       ("Location", f"/api/papers/{HAT_ID}"),))), says="more than 3 redirects"),
    daily_fails("daily-redirect-loop", "the day's answer redirects to itself, forever",
                Raw(status=307, headers=(("Location", "/api/daily_papers?date=x"),)),
                says="more than 3 redirects"),
    daily_fails("daily-invalid-gzip", "Content-Encoding: gzip over a body that is not gzip",
                Raw(b"this is not gzip at all", headers=GZIP), says="invalid gzip body"),
    enrich_refuses("enrich-truncated-gzip", "HAT's answer gzipped and cut in half",
                   lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(gzip_bomb(1 << 20)[:300], headers=GZIP)),
                   says="invalid gzip body"),
    daily_fails("daily-json-nested-200000", "JSON nested 200,000 deep",
                Raw(b"[" * 200_000 + b"]" * 200_000), says="JSON nested too deeply"),
    enrich_refuses("enrich-json-nested", "HAT's answer: an object nested 200,000 deep",
                   lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(b'{"a":' * 200_000 + b"1" + b"}" * 200_000)),
                   says="JSON nested too deeply"),
    daily_fails("daily-invalid-utf8", "a JSON body with the byte 0xff in a string",
                Raw(b'[{"paper": {"id": "2611.20001", "title": "\xff"}}]'), says="not UTF-8"),
    daily_fails("daily-content-encoding-br", "Content-Encoding: br, which was not asked for",
                Raw(b"\x0b\x02\x80[]\x03", headers=(("Content-Encoding", "br"),)),
                says="content encoding br,"),
    Scenario("arxiv-retry-after-superscript", "arXiv: a 429 with Retry-After: ², then the answer",
             lambda api: api.fail("/arxiv/api/query", Raw(status=429, headers=(("Retry-After", "²"),))),
             ENRICH, landed=(HAT_ID,) + ENRICH_GOOD),
    Scenario("arxiv-retry-after-negative", "arXiv: a 503 with Retry-After: -5, then the answer",
             lambda api: api.fail("/arxiv/api/query", Raw(status=503, headers=(("Retry-After", "-5"),))),
             ENRICH, landed=(HAT_ID,) + ENRICH_GOOD),
    Scenario("hub-retry-after-past-date", "a 429 with an HTTP date in the past, then the answer",
             lambda api: api.fail("/api/daily_papers", Raw(status=429, headers=(
                 ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),))), landed=DAILY_GOOD),
    Scenario("hub-retry-after-huge", "429s asking to retry after 99,999,999,999,999 seconds",
             lambda api: api.always("/api/daily_papers", Raw(status=429, headers=(
                 ("Retry-After", "99999999999999"),))), exit=1, absent=DAILY_GOOD[:2],
             says="asks to retry after"),
    Scenario("hub-retry-after-future-date", "503s asking to retry in the year 2099",
             lambda api: api.always("/api/daily_papers", Raw(status=503, headers=(
                 ("Retry-After", "Thu, 01 Jan 2099 00:00:00 GMT"),))), exit=1, absent=DAILY_GOOD[:2],
             says="asks to retry after"),
    # No limits.
    daily_fails("daily-gzip-bomb", "a 300 MB answer gzipped into 0.3 MB", Raw(gzip_bomb(300 << 20), headers=GZIP),
                says="more than 8,388,608 bytes decompressed"),
    enrich_refuses("enrich-gzip-bomb", "HAT's answer: 1 GB gzipped into 1 MB",
                   lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(gzip_bomb(1 << 30), headers=GZIP)),
                   says="more than 8,388,608 bytes decompressed"),
    daily_fails("daily-slow-body", "an answer at 1 byte a second (--timeout 2)",
                Raw(b"[" + b" " * 60 + b"]", trickle=1.0), says="no whole answer within 2s",
                timeout=2.0, retries=0),
    Scenario("enrich-slow-headers", "HAT's status line and headers at 1 byte a second (--timeout 2)",
             lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(b"{}", header_trickle=1.0)), ENRICH,
             exit=1, absent=ENRICH_GOOD + (HAT_ID,), says="no whole answer within 2s",
             spoiled=(f"/api/papers/{HAT_ID}",), timeout=2.0, retries=0),
    enrich_refuses("search-100001-results", "100,001 title-search results when 5 were asked for",
                   lambda api: api.fail("/api/papers/search", Raw(json_body(
                       [{"paper": {"id": HAT_ID, "title": "x"}}] * 100_001))),
                   says="100,001 papers when at most 5 were asked for",
                   spoiled=("/api/papers/search?q=HAT",)),
    daily_fails("daily-page-too-large", "20,000 daily papers on a page of 100",
                Raw(json_body([{"paper": {"id": f"2611.{n:05d}"}} for n in range(20_000)])),
                says="20,000 papers when at most 100 were asked for"),
    daily_refuses("daily-100000-authors", "a record with 100,000 authors",
                  daily_item(authors=[{"name": f"Author {n}"} for n in range(100_000)]),
                  says="100,000 names; expected at most 5,000"),
    daily_refuses("daily-title-1mb", "a title of a million characters",
                  daily_item(title="Long " * 200_000), says="expected at most 500"),
    daily_refuses("daily-author-name-10k", "an author's name of 10,000 characters",
                  daily_item(authors=[{"name": "Ada " * 2_500}]), says="expected at most 200"),
    daily_refuses("daily-upvotes-4000-digits", "upvotes of 4,000 digits",
                  daily_item(upvotes=int("9" * 4000)), says="a number of 4,000 digits"),
    daily_refuses("daily-published-9999", "a publication date of 9999-12-31",
                  daily_item(publishedAt="9999-12-31T00:00:00.000Z"), says="9999-12-31 is after"),
    daily_refuses("daily-published-1900", "a publication date of 1900-01-01",
                  daily_item(publishedAt="1900-01-01T00:00:00.000Z"), says="is before 1990-01-01"),
    Scenario("arxiv-too-many-entries", "arXiv: 1,000 entries for an id_list of 2",
             _arxiv_after_title_search(Raw(atom_feed(*[atom_entry(f"2309.{n:05d}", f"Paper {n}", ["A"])
                                                       for n in range(1000)]))),
             ENRICH, landed=(CYCLICAL_ID,), absent=(HAT_ID, TULU_ID), warned=(HAT, TULU),
             says="1,000 entries when at most 2 were asked for", spoiled=("/arxiv/api/query?id_list",)),
    Scenario("arxiv-entity-bomb", "arXiv: a billion-laughs document type declaration",
             _arxiv_after_title_search(Raw(BILLION_LAUGHS)), ENRICH, landed=(CYCLICAL_ID,),
             absent=(HAT_ID, TULU_ID), warned=(HAT, TULU), says="document type declaration",
             spoiled=("/arxiv/api/query?id_list",)),
    Scenario("arxiv-not-xml", "arXiv: an HTML error page with status 200",
             _arxiv_after_title_search(Raw(b"<html><body>Oops</body>")), ENRICH, landed=(CYCLICAL_ID,),
             absent=(HAT_ID, TULU_ID), warned=(HAT, TULU), says="malformed Atom answer",
             spoiled=("/arxiv/api/query?id_list",)),
    Scenario("arxiv-control-character", "arXiv: an author name with ESC, which XML cannot hold",
             _arxiv_after_title_search(Raw(atom_feed(atom_entry(HAT_ID, "HAT", ["Mallory \x1b[31m"]))) ),
             ENRICH, landed=(CYCLICAL_ID,), absent=(HAT_ID, TULU_ID), warned=(HAT, TULU),
             says="not XML", spoiled=("/arxiv/api/query?id_list",)),
    # Wrong data.
    enrich_refuses("enrich-answer-about-another-paper", "/api/papers/2309.05239 answers TULU's record",
                   lambda api: api.papers.__setitem__(HAT_ID, dict(api.papers[TULU_ID])),
                   says=f"the answer is about {TULU_ID}, not {HAT_ID}"),
    enrich_refuses("enrich-redirect-to-another-host", "HAT's answer redirects to localhost (another host)",
                   _redirect_elsewhere, says="redirected to another host"),
    Scenario("arxiv-duplicate-entries", "arXiv: HAT's entry twice, with other authors the second time",
             _arxiv_after_title_search(Raw(atom_feed(atom_entry(HAT_ID, HAT_TITLE, ["Xiangyu Chen"]),
                                                     atom_entry(HAT_ID, HAT_TITLE, ["Mallory Evil"])))),
             ENRICH, never=("Mallory Evil",),
             landed=(TULU_ID, CYCLICAL_ID), absent=(HAT_ID,), warned=(HAT,), says="appears 2 times",
             spoiled=("/arxiv/api/query?id_list",)),
    enrich_refuses("enrich-authors-wrong-types", "HAT's authors: [null, 12345, ['x', 'y'], {'k': 1}]",
                   set_hub_paper(HAT_ID, authors=[None, 12345, ["x", "y"], {"k": 1}]),
                   says="authors[0]: expected an author with a name, found null"),
    Scenario("daily-duplicate-ids", "a day holding the same arXiv id twice, with other authors",
             add_items(daily_item(SPARSE_ID, title="Sparse Retrieval Heads for Long-Context Reasoning",
                                  authors=[{"name": "Mallory"}])),
             landed=(PROMPT_ID, HAT_ID), absent=(SPARSE_ID,), warned=(SPARSE_ID,), says="appears 2 times",
             spoiled=("/api/daily_papers",)),
    Scenario("arxiv-id-not-on-arxiv-org", "arXiv: an entry whose id is evil.example/arxiv.org/abs/2309.05239",
             _arxiv_after_title_search(Raw(atom_feed(atom_entry(
                 HAT_ID, HAT_TITLE, ["Mallory Evil"], abs_id=f"http://evil.example/arxiv.org/abs/{HAT_ID}v1"),
                 TULU_ENTRY))),
             ENRICH, landed=(HAT_ID,) + ENRICH_GOOD, never=("Mallory Evil", "evil.example"),
             spoiled=("/arxiv/api/query?id_list",)),
    daily_refuses("daily-bad-id", "a record whose id is ../../etc/passwd",
                  daily_item("../../etc/passwd"), says="id: expected an arXiv id", name="item 4"),
    daily_refuses("daily-negative-upvotes", "upvotes: -5", daily_item(upvotes=-5),
                  says="expected a whole number >= 0"),
    # Service text meant for the CI log.
    Scenario("arxiv-error-entry-with-commands", "arXiv's error entry, its summary full of workflow commands",
             _arxiv_after_title_search(Raw(atom_feed(
                 f"<entry><id>http://arxiv.org/api/errors#x</id><title>Error</title><summary>"
                 f"{_xml(COMMANDS.replace(chr(27), '').replace(chr(7), ''))}</summary></entry>"))),
             ENRICH, landed=(CYCLICAL_ID,), absent=(HAT_ID, TULU_ID), warned=(HAT, TULU),
             says="arXiv reports an error", spoiled=("/arxiv/api/query?id_list",)),
    daily_refuses("daily-title-with-commands", "a title with workflow commands and terminal escapes",
                  daily_item(title=f"Innocent{COMMANDS}"), says="control character"),
    daily_refuses("daily-date-with-commands", "a publishedAt of workflow commands",
                  daily_item(publishedAt=COMMANDS), says="publishedAt: expected a date and time"),
    Scenario("arxiv-category-with-commands", "arXiv: a primary category of workflow commands "
             "(&#10; keeps its line breaks)",
             _arxiv_after_title_search(Raw(atom_feed(atom_entry(HAT_ID, HAT_TITLE, ["Xiangyu Chen"]).replace(
                 'term="cs.CV"', 'term="cs.CV&#10;::error file=content/topics.yml::pwned&#10;::add-mask::x"'),
                 TULU_ENTRY))),
             ENRICH, landed=ENRICH_GOOD, absent=(HAT_ID,), warned=(HAT,),
             says="primary_category: expected an arXiv category", spoiled=("/arxiv/api/query?id_list",)),
    Scenario("hub-404-body-a-list", "HAT's /api/papers answer: a 404 whose body is a JSON list "
             "(huggingface_hub's error formatting raised AttributeError on it)",
             lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(b"[1, 2]", status=404)), ENRICH,
             landed=(HAT_ID,) + ENRICH_GOOD),
    daily_fails("hub-503-body-nested", "503s whose JSON body is nested 100,000 deep",
                Raw(b"[" * 100_000 + b"]" * 100_000, status=503), says="answered HTTP 503 after 2 attempts"),
    daily_fails("daily-500-with-commands", "503s whose body is workflow commands",
                Raw(COMMANDS.encode(), status=503), says="answered HTTP 503 after 2 attempts"),
    enrich_refuses("enrich-location-with-commands", "a redirect whose Location holds workflow commands",
                   lambda api: api.always(f"/api/papers/{HAT_ID}", Raw(status=302, headers=(
                       ("Location", "http://evil.example/::error::pwned%0A::add-mask::x"),))),
                   says="redirected to another host"),
    # One bad record among good ones, and nothing good at all.
    Scenario("daily-all-bad", "a day whose every record breaks a rule",
             lambda api: api.daily.__setitem__(DAY, [daily_item(f"2611.2000{n}", upvotes=True) for n in range(3)]),
             exit=1, absent=("2611.20000", "2611.20001", "2611.20002"), warned=("2611.20000", "2611.20002"),
             says="every record was refused", spoiled=("/api/daily_papers",)),
    Scenario("enrich-all-bad", "the only paper asked for gets an answer about another paper",
             lambda api: api.papers.__setitem__(HAT_ID, dict(api.papers[TULU_ID])), ("enrich", HAT),
             exit=1, absent=(HAT_ID,), warned=(HAT,), says="every paper looked up was refused",
             spoiled=(f"/api/papers/{HAT_ID}",)),
    # Valid text that is markup: it lands, and the browser test checks it stays text.
    Scenario("daily-html-payloads", "a record whose title, authors and abstract are HTML and JS payloads",
             add_items(daily_item(title=PAYLOAD_TITLE, summary=PAYLOAD_SUMMARY,
                                  authors=[{"name": a} for a in PAYLOAD_AUTHORS],
                                  githubRepo=f"javascript:{PWNED}",
                                  projectPage=f'https://example.org/"><script>{PWNED}</script>')),
             landed=DAILY_GOOD + (EVIL_ID,)),
    Scenario("enrich-html-payloads", "HAT's authors and links are HTML and JS payloads",
             _payload_records, ENRICH, landed=(HAT_ID,) + ENRICH_GOOD),
]


# --- running one scenario -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    scenario: Scenario
    content: Path
    cache: Path
    code: int
    stdout: bytes
    stderr: bytes
    peak_rss: int
    """Bytes (the child's ru_maxrss)."""
    wall: float
    before: dict[str, bytes]

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr).decode("utf-8")


def base_content(folder: Path) -> Path:
    content = folder / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(CONTENT / "topics.yml", content / "topics.yml")
    for slug in BASE:
        shutil.copy(CONTENT / "papers" / f"{slug}.yml", content / "papers")
    return content


def run_scenario(scenario: Scenario, folder: Path) -> Run:
    content = base_content(folder)
    before = snapshot(content)
    cache = folder / "cache"
    with FakeApi() as api:
        scenario.setup(api)
        env = {**os.environ, **api.env(), "HF_HOME": str(folder / "hf"), "HF_HUB_DISABLE_TELEMETRY": "1",
               "SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc).timestamp())),
               "PYTHONPATH": str(ROOT)}
        env.pop("HF_TOKEN", None)
        args = [sys.executable, "-m", "generator", "--content", str(content), *scenario.command,
                "--cache", str(cache), "--hub-interval", "0", "--backoff", "0.01",
                "--retries", str(scenario.retries), "--timeout", f"{scenario.timeout:g}", *scenario.options]
        if scenario.command[0] == "enrich":
            args += ["--arxiv-interval", "0"]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.monotonic()
            proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            watchdog = threading.Timer(scenario.deadline * 2, proc.kill)
            watchdog.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                watchdog.cancel()
            wall = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            return Run(scenario, content, cache, proc.returncode, out.read(), err.read(),
                       usage.ru_maxrss * 1024, wall, before)


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every scenario the session runs (all of them for the site), once, three at a time
    (each has its own server and folder)."""
    chosen = {item.callspec.params["scenario"].id for item in request.session.items
              if hasattr(item, "callspec") and "scenario" in item.callspec.params}
    if any(item.name == "test_no_payload_runs_on_any_page" for item in request.session.items):
        chosen = {s.id for s in SCENARIOS}
    root = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {s.id: pool.submit(run_scenario, s, root / s.id) for s in SCENARIOS if s.id in chosen}
        return {key: future.result() for key, future in futures.items()}


# --- what every run must hold -------------------------------------------------------------

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def arxiv_ids(content: Path) -> set[str]:
    return {data["arxiv"] for p in (content / "papers").glob("*.yml")
            if (data := yaml.safe_load(p.read_text(encoding="utf-8"))).get("arxiv")}


def cached(cache: Path) -> dict[str, tuple[int, bytes]]:
    """Every cached answer (status, body), by its path and query."""
    answers = {}
    for path in cache.glob("*.json") if cache.is_dir() else ():
        entry = json.loads(path.read_text(encoding="utf-8"))
        parts = urlsplit(entry["url"])
        answers[parts.path + (f"?{parts.query}" if parts.query else "")] = (entry["status"], entry["body"].encode())
    return answers


def refusals_in(where: str, status: int, body: bytes) -> list[object]:
    """What the clients' own readers refuse in a cached answer (it should be nothing)."""
    if status == 404:
        return []
    far = dt.date(2999, 1, 1)
    if where.startswith("/arxiv/"):
        return [r for r in parse_feed(body, far) if isinstance(r, Refusal)]
    data = parse_json(body)
    if where.startswith(("/api/papers/search", "/api/daily_papers")):
        return [r for r in read_items(data, far) if isinstance(r, Refusal)]
    found = read_paper(data)
    return [problem] if (problem := record_problem(found, far)) else []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_scenario(scenario: Scenario, runs: dict[str, Run]) -> None:
    run = runs[scenario.id]
    text = run.output  # raises if the output is not UTF-8
    assert "Traceback" not in text, text
    assert run.code == scenario.exit, text
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("::") or UNSAFE.search(line)] == [], \
        "service text went raw into the log"
    if scenario.exit:
        errors = [line for line in lines if line.startswith("Error:")]
        assert errors == [run.stderr.decode().splitlines()[-1]], "one Error: line, the last"
    if scenario.says:
        assert scenario.says in text, text
    warnings = [line for line in lines if line.startswith("warning: skipped ")]
    for name in scenario.warned:
        assert any(line.startswith(f"warning: skipped {name}: ") for line in warnings), text

    after = snapshot(run.content)
    written = [run.content / name for name, data in after.items() if run.before.get(name) != data]
    if written:  # checked against the whole folder, reported for the files the run wrote
        problems = [p for p in check_content(run.content, written) if p.severity == "error"]
        assert problems == [], "\n".join(map(str, problems))
    present = arxiv_ids(run.content)
    assert set(scenario.landed) <= present, f"the good records did not land: {text}"
    assert not set(scenario.absent) & present, f"a refused record landed: {text}"
    files = b"".join(after.values()).decode("utf-8")
    assert [fragment for fragment in scenario.never if fragment in files] == [], "a spoiled record landed"

    answers = cached(run.cache)
    spoiled = [where for where in answers for prefix in scenario.spoiled if where.startswith(prefix)]
    assert spoiled == [], "a spoiled answer was cached"
    for where, (status, body) in answers.items():
        assert refusals_in(where, status, body) == [], f"{where} was cached, but is refused"

    assert run.peak_rss < MEMORY_LIMIT, f"{run.peak_rss / 2**20:.0f} MB"
    assert run.wall < scenario.deadline, f"{run.wall:.1f}s > {scenario.deadline:.0f}s"


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 40
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)


# --- one site from every scenario's content, in Chromium ---------------------------------------


@pytest.fixture(scope="module")
def union_site(runs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory):
    """One content folder with every paper any scenario wrote or changed, each kept under a
    slug and title of its own (so that no two are duplicates), and the topics they use."""
    folder = tmp_path_factory.mktemp("union")
    content = folder / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copytree(CONTENT / "pages", content / "pages")
    seen: dict[bytes, str] = {}
    used: set[str] = set()
    for run in runs.values():
        for name, data in snapshot(run.content).items():
            if not name.startswith("papers/") or run.before.get(name) == data or data in seen:
                continue
            paper = yaml.safe_load(data.decode("utf-8"))
            slug = f"{run.scenario.id}-{len(seen)}"[:80].rstrip("-")
            paper["title"] = f"{paper['title']} ({slug})"
            paper.pop("arxiv", None)
            seen[data] = slug
            used.update(paper.get("topics") or [p["topic"] for p in paper.get("proposed_topics") or []])
            (content / "papers" / f"{slug}.yml").write_text(
                yaml.safe_dump(paper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    topics = yaml.safe_load((CONTENT / "topics.yml").read_text(encoding="utf-8"))
    topics["topics"] = [t for t in topics["topics"] if t["id"] in used or t["id"] == topics.get("fallback")]
    (content / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return build_site(content, folder / "work"), sorted(seen.values())


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: run `make chromium` or set CHROMIUM_PATH")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
def test_no_payload_runs_on_any_page(union_site, browser) -> None:
    site, slugs = union_site
    for payloads in ("daily-html-payloads", "enrich-html-payloads"):
        assert any(slug.startswith(payloads) for slug in slugs), f"{payloads} reached the site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.site)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    context = browser.new_context(service_workers="block")  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    try:
        for slug in slugs:
            title = yaml.safe_load((site.content / "papers" / f"{slug}.yml").read_text(encoding="utf-8"))["title"]
            page.goto(f"{base}papers/{slug}/", wait_until="load")
            assert page.evaluate("() => window.__pwned") is None, slug
            heading = page.locator("h1.pi-title")
            assert heading.count() == 1, f"{slug}: the page lost its template"
            assert heading.inner_text() == " ".join(title.split()), slug
    finally:
        context.close()
        server.shutdown()
    assert dialogs == [] and [m for m in console if "pwned" in m] == []
