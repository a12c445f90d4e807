"""arXiv's export API: papers by id (in batches) and by title, read from its Atom feed.

A small client of our own rather than the `arxiv` package: that package brings
its own HTTP session, rate limit and retries (and feedparser), which would
bypass our cache and politeness layer, and it asks for one paper per request
when a plain `id_list` query returns up to `BATCH` papers at once: at arXiv's
one request per 3 seconds, 532 papers take 11 requests instead of 532.

The Atom it returns is small and fixed: a `feed` whose `entry` children each have an
`id` (`http://arxiv.org/abs/<id>v<n>`), a `title`, `author`s with a `name`, a
`published` date and time, a `summary` and an `arxiv:primary_category`. The standard
library's XML parser reads it, after two refusals that keep it safe: a body that is not
UTF-8, and any document type declaration (where entity expansion bombs live; Atom has
none). An entry that breaks the format, or whose id is not an arxiv.org address, is
refused and named, and the rest of the feed is used; a feed with more entries than were
asked for, or with arXiv's own error entry, is refused whole. An id that appears twice
is refused, not resolved to either entry.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import httpx2

from generator.enrich.http import AnswerError, PoliteTransport, ServiceError, describe_failure
from generator.enrich.hub import refuse_repeats
from generator.enrich.records import ARXIV, Found, RecordError, record_problem
from generator.errors import Refusal
from generator.identity import ARXIV_CATEGORY, ARXIV_ID_PATTERN, title_key
from generator.text import quote_untrusted

BATCH = 50
"""Ids asked for in one request."""
TITLE_RESULTS = 5
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(rf"https?://arxiv\.org/abs/(?P<id>{ARXIV_ID_PATTERN})(?:v\d+)?")
"""An entry's id: an address on arxiv.org itself, matched whole."""
USER_AGENT = "paper-index (+https://github.com/paper-index/paper-index)"


def _text(entry: ET.Element, tag: str) -> str:
    return " ".join((entry.findtext(tag) or "").split())


def read_entry(entry: ET.Element) -> Found:
    """One Atom entry. Raises RecordError."""
    raw_id = (entry.findtext(f"{_ATOM}id") or "").strip()
    match = _ABS_ID.fullmatch(raw_id)
    if match is None:
        raise RecordError(f"id: expected an arxiv.org/abs/ address, found {quote_untrusted(raw_id)}")
    title = _text(entry, f"{_ATOM}title")
    if not title:
        raise RecordError("title: empty")
    authors = [name for author in entry.findall(f"{_ATOM}author")
               if (name := _text(author, f"{_ATOM}name"))]  # an empty name names no one
    published = None
    if (stamp := (entry.findtext(f"{_ATOM}published") or "").strip()):
        try:
            published = dt.datetime.fromisoformat(stamp).date()
        except ValueError:
            raise RecordError(f"published: expected a date and time, found "
                              f"{quote_untrusted(stamp)}") from None
    category = None
    if (primary := entry.find(f"{_ARXIV}primary_category")) is not None:
        category = primary.get("term") or ""
        if not ARXIV_CATEGORY.fullmatch(category):
            raise RecordError(f"primary_category: expected an arXiv category, found "
                              f"{quote_untrusted(category)}")
    return Found(source=ARXIV, arxiv=match["id"], title=title, authors=tuple(authors),
                 published=published, category=category,
                 summary=_text(entry, f"{_ATOM}summary") or None)


def parse_feed(body: bytes, today: dt.date, *, limit: int | None = None) -> list[Found | Refusal]:
    """The records of an export API answer, each a Found or a Refusal. Raises ValueError
    on anything but its Atom, and on arXiv's own error entries (which it sends with
    status 200 or 400)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start:,})") from None
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise ValueError("a document type declaration, which Atom never has")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"expected an Atom <feed>, found <{quote_untrusted(root.tag)}>")
    entries = root.findall(f"{_ATOM}entry")
    for entry in entries:
        if "/api/errors" in (entry.findtext(f"{_ATOM}id") or ""):
            raise ValueError(f"arXiv reports an error: {quote_untrusted(_text(entry, f'{_ATOM}summary'))}")
    if limit is not None and len(entries) > limit:
        raise ValueError(f"{len(entries):,} entries when at most {limit} were asked for")
    records: list[Found | Refusal] = []
    for n, entry in enumerate(entries, 1):
        try:
            found = read_entry(entry)
            if (problem := record_problem(found, today)) is not None:
                records.append(Refusal(found.arxiv, problem))
            else:
                records.append(found)
        except RecordError as exc:
            match = _ABS_ID.fullmatch((entry.findtext(f"{_ATOM}id") or "").strip())
            records.append(Refusal(match["id"] if match else f"entry {n}", str(exc)))
    return refuse_repeats(records)


class Arxiv:
    """arXiv's export API at `endpoint` (its `/api/query` URL)."""

    def __init__(self, endpoint: str, transport: PoliteTransport, today: dt.date) -> None:
        self.endpoint = endpoint
        self.transport = transport
        self.today = today
        self.client = httpx2.Client(transport=transport, follow_redirects=False,
                                    timeout=httpx2.Timeout(transport.policy.timeout),
                                    headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def by_ids(self, ids: Iterable[str]) -> tuple[dict[str, Found], dict[str, str]]:
        """The papers arXiv has of `ids`, by id (an unknown id is simply absent), and why
        each refused one was refused."""
        wanted = sorted(set(ids))
        found: dict[str, Found] = {}
        refused: dict[str, str] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            try:
                records = self._query({"id_list": ",".join(batch), "max_results": str(len(batch))},
                                      limit=len(batch))
            except AnswerError as exc:
                refused.update(dict.fromkeys(batch, str(exc)))
                continue
            for record in records:
                if isinstance(record, Refusal) and record.name in batch:
                    refused[record.name] = f"{ARXIV}: {record.reason}"
                elif isinstance(record, Found) and record.arxiv in batch:
                    found[record.arxiv] = record
        return found, refused

    def by_title(self, title: str) -> list[Found | Refusal]:
        """The best few papers for a title search (words only: the API reads punctuation)."""
        words = title_key(title)
        if not words:
            return []
        return self._query({"search_query": f'ti:"{words}"', "max_results": str(TITLE_RESULTS)},
                           limit=TITLE_RESULTS)

    def _query(self, params: dict[str, str], limit: int) -> list[Found | Refusal]:
        request = self.client.build_request("GET", self.endpoint, params=params)
        url = str(request.url)
        try:
            response = self.client.send(request)
        except httpx2.HTTPError as exc:
            raise ServiceError(describe_failure(ARXIV, url, exc, self.transport.policy)) from None
        if response.status_code != 200:
            attempts = self.transport.policy.retries + 1
            tried = f" after {attempts} attempts" if response.status_code in (429,) or \
                response.status_code >= 500 else ""
            raise ServiceError(f"{ARXIV}: {url}: answered HTTP {response.status_code}{tried}")
        try:
            records = parse_feed(response.content, self.today, limit=limit)
        except ValueError as exc:
            self.transport.drop(url)
            raise AnswerError(f"{ARXIV}: {url}: refused: malformed Atom answer ({exc})") from None
        if all(isinstance(r, Found) for r in records):
            self.transport.keep(url)
        else:
            self.transport.drop(url)
        return records
