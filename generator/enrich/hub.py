"""The Hugging Face Hub's paper API, through `huggingface_hub`.

`HfApi.paper_info` (by arXiv id) and `HfApi.list_papers` (title search) are
used as they are. The daily papers are fetched with the library's own session
and error handling, then read by the same `PaperInfo` class, because
`HfApi.list_daily_papers` (huggingface_hub 2.4.0) reads `githubRepo` and
`projectPage` only at the top level of an item, where the daily-papers JSON
nests them under `paper`: it would drop every code and project link. A saved
daily-papers JSON file goes through the same reader.

Every request goes through the shared `PoliteTransport` (rate limit, retries,
timeouts, cache), installed as the library's client for as long as a `Hub` is
open. No token is ever sent: the paper API is public.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from generator.enrich.http import PoliteTransport, ServiceError, describe_failure
from generator.enrich.records import HUB, Found
from generator.errors import GeneratorError
from generator.identity import ARXIV_ID
from generator.links import canonical_url, url_problem

PAGE_SIZE = 100
"""Daily papers asked for per request."""
MAX_PAGES = 10
SEARCH_RESULTS = 5
"""Title-search results considered per paper."""
_LIFTED = ("githubRepo", "projectPage", "githubStars")


@contextmanager
def hub_client(transport: PoliteTransport) -> Iterator[None]:
    """Make `huggingface_hub` send its requests through `transport`, then restore its default."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

    def factory() -> httpx2.Client:
        # As the library's default client (its request hook honours HF_HUB_OFFLINE and
        # tags requests), plus our transport and a timeout instead of none.
        return httpx2.Client(transport=transport, event_hooks={"request": [hf_request_event_hook]},
                             follow_redirects=True, timeout=httpx2.Timeout(transport.policy.timeout))

    set_client_factory(factory)
    try:
        yield
    finally:
        set_client_factory(default_client_factory)


def _date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else None


def _url(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and url_problem(value.strip()) is None:
        return canonical_url(value.strip())
    return None


def from_info(info: Any) -> Found | None:
    """A `PaperInfo` as a Found, or None when it names no valid arXiv id or title."""
    arxiv = str(info.id or "").strip()
    if "v" in arxiv and arxiv.rsplit("v", 1)[1].isdigit():
        arxiv = arxiv.rsplit("v", 1)[0]
    title = " ".join(str(info.title or "").split())
    if not ARXIV_ID.fullmatch(arxiv) or not title:
        return None
    authors = tuple(" ".join(str(a.name).split()) for a in info.authors or () if str(a.name).strip())
    upvotes = info.upvotes if isinstance(info.upvotes, int) and info.upvotes >= 0 else None
    summary = " ".join(str(info.summary).split()) if info.summary else None
    return Found(source=HUB, arxiv=arxiv, title=title, authors=authors,
                 published=_date(info.published_at), upvotes=upvotes,
                 code=_url(info.github_repo), project=_url(info.project_page), summary=summary,
                 daily=_date(info.submitted_at))


def read_daily(items: Any) -> list[Found]:
    """The papers of a daily-papers JSON document (a list of items, each with its `paper`)."""
    from huggingface_hub.hf_api import PaperInfo

    if not isinstance(items, list):
        raise ValueError(f"expected a JSON list of daily papers, found {type(items).__name__}")
    found = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"expected each daily paper as a JSON object, found {item!r:.60}")
        item = dict(item)
        paper = dict(item["paper"]) if isinstance(item.get("paper"), dict) else {}
        for key in _LIFTED:
            if key in paper and key not in item:
                item[key] = paper[key]
        item["paper"] = paper
        if (record := from_info(PaperInfo(**item))) is not None:
            found.append(record)
    return found


class Hub:
    """The three questions asked of the Hub; each answer is a Found (or None/empty)."""

    def __init__(self, endpoint: str, transport: PoliteTransport) -> None:
        from huggingface_hub import HfApi

        self.endpoint = endpoint.rstrip("/")
        self.transport = transport
        self.api = HfApi(endpoint=self.endpoint, token=False)

    def paper(self, arxiv_id: str) -> Found | None:
        """The Hub's page of a paper by arXiv id; None when the Hub has none."""
        url = f"{self.endpoint}/api/papers/{arxiv_id}"
        info = self._call(url, lambda: self.api.paper_info(arxiv_id), missing_ok=True)
        return from_info(info) if info is not None else None

    def search(self, title: str) -> list[Found]:
        """Papers whose title matches a search for `title` (the best few)."""
        url = f"{self.endpoint}/api/papers/search"
        infos = self._call(url, lambda: list(self.api.list_papers(query=title, limit=SEARCH_RESULTS,
                                                                  token=False)))
        return [f for info in infos or [] if (f := from_info(info)) is not None]

    def daily(self, day: dt.date) -> list[Found]:
        """The Daily Papers of one day, every page of them."""
        from huggingface_hub.utils import get_session, hf_raise_for_status

        url = f"{self.endpoint}/api/daily_papers"
        found: list[Found] = []
        for page in range(MAX_PAGES):
            params = {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}

            def fetch() -> list[Found]:
                response = get_session().get(url, params=params)
                hf_raise_for_status(response)
                return read_daily(response.json())

            batch = self._call(f"{url}?date={day.isoformat()}&p={page}", fetch)
            found += batch
            if len(batch) < PAGE_SIZE:
                break
        return found

    def _call(self, url: str, fn: Any, missing_ok: bool = False) -> Any:
        from huggingface_hub.errors import HfHubHTTPError

        try:
            return fn()
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status == 404 and missing_ok:
                return None
            attempts = self.transport.policy.retries + 1
            tried = f" after {attempts} attempts" if status == 429 or (status or 0) >= 500 else ""
            raise ServiceError(f"{HUB}: {url}: answered HTTP {status}{tried}") from None
        except httpx2.TransportError as exc:
            raise ServiceError(describe_failure(HUB, url, exc, self.transport.policy)) from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # json.JSONDecodeError is a ValueError; a wrong shape fails in PaperInfo.
            self.transport.forget_last()
            raise ServiceError(f"{HUB}: {url}: malformed JSON answer ({exc})") from None


def load_daily_file(path: Path) -> list[Found]:
    """A daily-papers JSON file saved from `/api/daily_papers`."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return read_daily(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise GeneratorError(f"{path}: expected a daily-papers JSON file as the Hub's "
                             f"/api/daily_papers returns it ({exc})") from None
