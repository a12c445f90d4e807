"""The Hugging Face Hub's paper API: `huggingface_hub`'s session, our strict reader.

Requests go through the library's own session (`get_session`), with the shared
`PoliteTransport` (rate limit, deadline, size cap, retries, cache) installed as its
client for as long as a `Hub` is open. No token is ever sent: the paper API is public.

The answers are read here, not by the library's `PaperInfo`, because that class makes
plausible values of wrong ones (`upvotes: 0` becomes None, an author given as a number
fails the whole answer with a TypeError) and reads `githubRepo` only at the top level of
a daily-papers item, where the API never puts it. The documented formats:

- `/api/papers/{id}`: one paper object;
- `/api/papers/search?q=&limit=`: a list of items, each with its paper under `paper`;
- `/api/daily_papers?date=&limit=&p=`: the same items, one page of them.

A paper object has `id`, `title`, `summary`, `authors` (objects with a `name`),
`publishedAt` and `upvotes`, and may have `githubRepo`, `projectPage` (each a URL or
null) and `submittedOnDailyAt`. A value of another type refuses its record, which is then
named with the reason while the rest of the answer is used. An answer that is no such
document, holds more items than were asked for, or is about another paper than the one
asked for is refused whole. Each record then gets `check`'s review on its own
(`records.record_problem`); an answer is cached only when every record in it passed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx2

from generator.enrich.http import AnswerError, PoliteTransport, ServiceError, describe_failure
from generator.enrich.records import HUB, Found, RecordError, record_problem
from generator.errors import GeneratorError, Refusal
from generator.identity import ARXIV_ID
from generator.links import canonical_url, url_problem
from generator.text import quote_untrusted

PAGE_SIZE = 100
"""Daily papers asked for per request."""
MAX_PAGES = 5
"""Pages of one day read at most: the Hub features 30 to 60 papers on a busy day."""
SEARCH_RESULTS = 5
"""Title-search results asked for per paper."""


@contextmanager
def hub_client(transport: PoliteTransport) -> Iterator[None]:
    """Make `huggingface_hub` send its requests through `transport`, then restore its default."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

    def factory() -> httpx2.Client:
        # As the library's default client (its request hook honours HF_HUB_OFFLINE and
        # tags requests), plus our transport, which follows redirects itself.
        return httpx2.Client(transport=transport, event_hooks={"request": [hf_request_event_hook]},
                             follow_redirects=False, timeout=httpx2.Timeout(transport.policy.timeout))

    set_client_factory(factory)
    try:
        yield
    finally:
        set_client_factory(default_client_factory)


# --- reading the documented format ---------------------------------------------------------


def parse_json(body: bytes) -> Any:
    """A JSON document as RFC 8259 has it (UTF-8), nested no deeper than Python's parser
    goes. Raises ValueError."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start:,})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def json_kind(value: Any) -> str:
    """A JSON value's type in a reader's words: `null`, `a number`, `a list`."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _text(paper: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    if key not in paper:
        if required:
            raise RecordError(f"no {key}")
        return None
    value = paper[key]
    if not isinstance(value, str):
        raise RecordError(f"{key}: expected text, found {json_kind(value)}")
    return " ".join(value.split())


def _authors(paper: dict[str, Any]) -> tuple[str, ...]:
    value = paper.get("authors", [])
    if not isinstance(value, list):
        raise RecordError(f"authors: expected a list, found {json_kind(value)}")
    names = []
    for i, author in enumerate(value):
        name = author.get("name") if isinstance(author, dict) else None
        if not isinstance(name, str):
            found = json_kind(author) if not isinstance(author, dict) else \
                f"an object whose name is {json_kind(name) if 'name' in author else 'missing'}"
            raise RecordError(f"authors[{i}]: expected an author with a name, found {found}")
        names.append(" ".join(name.split()))
    return tuple(name for name in names if name)  # an empty name names no one


def _day(value: Any, key: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{key}: expected a date and time, found {json_kind(value)}")
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise RecordError(f"{key}: expected a date and time like 2023-09-11T06:31:15.000Z, "
                          f"found {quote_untrusted(value)}") from None


def _count(paper: dict[str, Any], key: str) -> int | None:
    if key not in paper:
        return None
    value = paper[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f"{key}: expected a whole number, found {json_kind(value)}")
    return value


def _link(paper: dict[str, Any], key: str) -> str | None:
    """A URL the Hub lists, or None; one that no paper file may hold is left out."""
    value = paper.get(key)
    if value is not None and not isinstance(value, str):
        raise RecordError(f"{key}: expected a URL or null, found {json_kind(value)}")
    if value and value.strip() and url_problem(value.strip()) is None:
        return canonical_url(value.strip())
    return None


def _arxiv_id(paper: dict[str, Any]) -> str:
    value = _text(paper, "id") or ""
    if "v" in value and value.rsplit("v", 1)[1].isdigit():
        value = value.rsplit("v", 1)[0]
    if not ARXIV_ID.fullmatch(value):
        raise RecordError(f"id: expected an arXiv id, found {quote_untrusted(value)}")
    return value


def read_paper(paper: Any, featured: Any = None) -> Found:
    """One paper object; `featured` is its item's `publishedAt`, the day it was featured.
    Raises RecordError."""
    if not isinstance(paper, dict):
        raise RecordError(f"expected a paper object, found {json_kind(paper)}")
    arxiv = _arxiv_id(paper)
    title = _text(paper, "title")
    if not title:
        raise RecordError("title: empty")
    return Found(source=HUB, arxiv=arxiv, title=title, authors=_authors(paper),
                 published=_day(paper.get("publishedAt"), "publishedAt"),
                 upvotes=_count(paper, "upvotes"), code=_link(paper, "githubRepo"),
                 project=_link(paper, "projectPage"), summary=_text(paper, "summary", required=False),
                 daily=_day(featured if featured is not None else paper.get("submittedOnDailyAt"),
                            "publishedAt"))


def _name(paper: Any, n: int) -> str:
    """How to name a record in a report: its arXiv id if it has a valid one."""
    value = paper.get("id") if isinstance(paper, dict) else None
    if isinstance(value, str) and ARXIV_ID.fullmatch(value.split("v")[0] if "v" in value else value):
        return value
    return f"item {n}"


def read_items(items: Any, today: dt.date, *, limit: int | None = None,
               summary_required: bool = False) -> list[Found | Refusal]:
    """The records of a search or daily-papers answer, each a Found or a Refusal. Raises
    ValueError when the answer as a whole is not such a list."""
    if not isinstance(items, list):
        raise ValueError(f"expected a JSON list of papers, found {json_kind(items)}")
    if limit is not None and len(items) > limit:
        raise ValueError(f"{len(items):,} papers when at most {limit} were asked for")
    records: list[Found | Refusal] = []
    for n, item in enumerate(items, 1):
        paper = item.get("paper") if isinstance(item, dict) else None
        try:
            if not isinstance(item, dict):
                raise RecordError(f"expected an item with its paper, found {json_kind(item)}")
            found = read_paper(paper, item.get("publishedAt"))
            if summary_required and not found.summary:
                raise RecordError("no summary: a paper needs its abstract")
            if (problem := record_problem(found, today)) is not None:
                raise RecordError(problem)
            records.append(found)
        except RecordError as exc:
            records.append(Refusal(_name(paper, n), str(exc)))
    return refuse_repeats(records)


def refuse_repeats(records: list[Found | Refusal]) -> list[Found | Refusal]:
    """Every record of an arXiv id that an answer holds twice is refused, rather than one
    of them silently winning."""
    counts = Counter(r.arxiv for r in records if isinstance(r, Found))
    return [Refusal(r.arxiv, f"appears {counts[r.arxiv]} times in one answer")
            if isinstance(r, Found) and counts[r.arxiv] > 1 else r for r in records]


def read_daily(items: Any, today: dt.date) -> list[Found | Refusal]:
    """The records of a daily-papers JSON document (a list of items, each with its `paper`):
    an abstract is required, since each becomes a paper file."""
    return read_items(items, today, summary_required=True)


# --- the client ---------------------------------------------------------------------------


class Hub:
    """The three questions asked of the Hub."""

    def __init__(self, endpoint: str, transport: PoliteTransport, today: dt.date) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.transport = transport
        self.today = today
        """The day of the run: no date of a record may be after it."""

    def paper(self, arxiv_id: str) -> Found | None:
        """The Hub's record of a paper by arXiv id; None when the Hub has none. Raises
        AnswerError when the answer cannot be used."""
        data, url = self._get(f"/api/papers/{arxiv_id}", {}, missing_ok=True)
        if data is None:
            return None
        try:
            found = read_paper(data)
            if found.arxiv != arxiv_id:
                raise RecordError(f"the answer is about {found.arxiv}, not {arxiv_id}")
            if (problem := record_problem(found, self.today)) is not None:
                raise RecordError(problem)
        except RecordError as exc:
            self._refuse(url, str(exc))
        self.transport.keep(url)
        return found

    def search(self, title: str) -> list[Found | Refusal]:
        """The records of a title search (the best few)."""
        data, url = self._get("/api/papers/search", {"q": title, "limit": SEARCH_RESULTS})
        return self._records(url, data, limit=SEARCH_RESULTS)

    def daily(self, day: dt.date) -> list[Found | Refusal]:
        """The Daily Papers of one day, every page of them (at most MAX_PAGES)."""
        records: list[Found | Refusal] = []
        for page in range(MAX_PAGES):
            params = {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}
            data, url = self._get("/api/daily_papers", params)
            batch = self._records(url, data, limit=PAGE_SIZE, summary_required=True)
            records += batch
            if len(batch) < PAGE_SIZE:
                return refuse_repeats(records)
        records.append(Refusal(str(day), f"more than {MAX_PAGES * PAGE_SIZE} papers featured; "
                                         f"only the first {MAX_PAGES * PAGE_SIZE} were read"))
        return refuse_repeats(records)

    def _records(self, url: str, data: Any, **how: Any) -> list[Found | Refusal]:
        try:
            records = read_items(data, self.today, **how)
        except ValueError as exc:
            self._refuse(url, str(exc))
        if all(isinstance(r, Found) for r in records):
            self.transport.keep(url)
        else:
            self.transport.drop(url)
        return records

    def _refuse(self, url: str, why: str) -> Any:
        self.transport.drop(url)
        raise AnswerError(f"{HUB}: {url}: refused: {why}")

    def _get(self, path: str, params: dict[str, Any], missing_ok: bool = False) -> tuple[Any, str]:
        """The parsed JSON of an answer and its URL; (None, url) for a 404 when `missing_ok`.

        The status is read here, not by `hf_raise_for_status`: that function parses the
        body of an error answer for its message, and a hostile one (a JSON list, JSON
        nested 100,000 deep) makes it raise AttributeError or RecursionError."""
        from huggingface_hub.utils import get_session

        url = f"{self.endpoint}{path}"
        shown = f"{url}?{urlencode(params)}" if params else url
        try:
            response = get_session().get(url, params=params)
        except httpx2.HTTPError as exc:
            raise ServiceError(describe_failure(HUB, shown, exc, self.transport.policy)) from None
        url, status = str(response.request.url), response.status_code
        if status == 404 and missing_ok:
            self.transport.keep(url)
            return None, url
        if status != 200:
            self.transport.drop(url)
            attempts = self.transport.policy.retries + 1
            tried = f" after {attempts} attempts" if status == 429 or status >= 500 else ""
            raise ServiceError(f"{HUB}: {shown}: answered HTTP {status}{tried}")
        try:
            return parse_json(response.content), url
        except ValueError as exc:
            return self._refuse(url, f"malformed JSON answer ({exc})"), url


def load_daily_file(path: Path, today: dt.date) -> list[Found | Refusal]:
    """A daily-papers JSON file saved from `/api/daily_papers`."""
    try:
        return read_daily(parse_json(Path(path).read_bytes()), today)
    except ValueError as exc:
        raise GeneratorError(f"{path}: expected a daily-papers JSON file as the Hub's "
                             f"/api/daily_papers returns it ({exc})") from None
