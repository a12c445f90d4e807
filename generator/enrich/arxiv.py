"""arXiv's export API: papers by id (in batches) and by title, read from its Atom feed.

A small client of our own rather than the `arxiv` package: that package brings
its own HTTP session, rate limit and retries (and feedparser), which would
bypass our cache and politeness layer, and it asks for one paper per request
when a plain `id_list` query returns up to `BATCH` papers at once: at arXiv's
one request per 3 seconds, 532 papers take 11 requests instead of 532. The
Atom it returns is small and fixed (entry, title, author/name, published,
arxiv:primary_category), so the standard library's XML parser reads it.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import httpx2

from generator.enrich.http import PoliteTransport, ServiceError, describe_failure
from generator.enrich.records import ARXIV, Found
from generator.identity import ARXIV_CATEGORY, ARXIV_ID_PATTERN, title_key

BATCH = 50
"""Ids asked for in one request."""
TITLE_RESULTS = 5
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(rf"arxiv\.org/abs/(?P<id>{ARXIV_ID_PATTERN})(?:v\d+)?$")


def parse_feed(body: bytes) -> list[Found]:
    """The papers of an export API answer. Raises ValueError on anything but its Atom,
    and on arXiv's own error entries (which it sends with status 200 or 400)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"expected an Atom <feed>, found <{root.tag}>")
    found = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = (entry.findtext(f"{_ATOM}id") or "").strip()
        if "/api/errors" in entry_id:
            raise ValueError(f"arXiv reports an error: {(entry.findtext(f'{_ATOM}summary') or '').strip()}")
        match = _ABS_ID.search(entry_id)
        title = " ".join((entry.findtext(f"{_ATOM}title") or "").split())
        if match is None or not title:
            continue
        authors = tuple(" ".join(name.split()) for a in entry.findall(f"{_ATOM}author")
                        if (name := a.findtext(f"{_ATOM}name") or "").strip())
        published = None
        try:
            published = dt.date.fromisoformat((entry.findtext(f"{_ATOM}published") or "")[:10])
        except ValueError:
            pass
        primary = entry.find(f"{_ARXIV}primary_category")
        category = primary.get("term") if primary is not None else None
        summary = " ".join((entry.findtext(f"{_ATOM}summary") or "").split()) or None
        found.append(Found(source=ARXIV, arxiv=match["id"], title=title, authors=authors,
                           published=published,
                           category=category if category and ARXIV_CATEGORY.fullmatch(category) else None,
                           summary=summary))
    return found


class Arxiv:
    """arXiv's export API at `endpoint` (its `/api/query` URL)."""

    def __init__(self, endpoint: str, transport: PoliteTransport, user_agent: str) -> None:
        self.endpoint = endpoint
        self.transport = transport
        self.client = httpx2.Client(transport=transport, follow_redirects=True,
                                    timeout=httpx2.Timeout(transport.policy.timeout),
                                    headers={"User-Agent": user_agent})

    def close(self) -> None:
        self.client.close()

    def by_ids(self, ids: Iterable[str]) -> dict[str, Found]:
        """The papers arXiv has of `ids`, by id; an unknown id is simply absent."""
        wanted = sorted(set(ids))
        found: dict[str, Found] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            for record in self._query({"id_list": ",".join(batch), "max_results": str(len(batch))}):
                if record.arxiv in batch:
                    found[record.arxiv] = record
        return found

    def by_title(self, title: str) -> list[Found]:
        """The best few papers for a title search (words only: the API reads punctuation)."""
        words = title_key(title)
        if not words:
            return []
        return self._query({"search_query": f'ti:"{words}"', "max_results": str(TITLE_RESULTS)})

    def _query(self, params: dict[str, str]) -> list[Found]:
        request = self.client.build_request("GET", self.endpoint, params=params)
        url = str(request.url)
        try:
            response = self.client.send(request)
        except httpx2.TransportError as exc:
            raise ServiceError(describe_failure(ARXIV, url, exc, self.transport.policy)) from None
        if response.status_code != 200:
            attempts = self.transport.policy.retries + 1
            tried = f" after {attempts} attempts" if response.status_code in (429,) or \
                response.status_code >= 500 else ""
            raise ServiceError(f"{ARXIV}: {url}: answered HTTP {response.status_code}{tried}")
        try:
            return parse_feed(response.content)
        except ValueError as exc:
            self.transport.forget_last()
            raise ServiceError(f"{ARXIV}: {url}: malformed Atom answer ({exc})") from None
