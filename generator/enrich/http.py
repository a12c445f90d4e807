"""Polite HTTP for the two services: a rate limit, retries with backoff, timeouts and a cache.

All of it lives in one httpx2 transport, because `huggingface_hub` sends every
request through a shared httpx2 client that it lets us build
(`set_client_factory`), and the arXiv client is a plain httpx2 client: both then
get the same behaviour, written and tested once, without touching how either
library parses its answers.

- Rate limit: at least `interval` seconds between two requests to one service
  (arXiv asks for about one request every 3 seconds).
- Retries: a 429, a 5xx, a timeout or a dropped connection is retried up to
  `retries` times, waiting `backoff`, then twice that, and so on, or as long as
  a `Retry-After` header asks (up to `MAX_WAIT`).
- Timeouts: every request gives up after `timeout` seconds.
- Cache: a 200 or 404 answer is kept on disk under its URL, so a rerun (after a
  failure, say) asks again only for what it has not got yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from generator.errors import GeneratorError

MAX_WAIT = 120.0
"""The longest a Retry-After header can make us wait, in seconds."""
CACHEABLE = (200, 404)
"""Answers worth keeping: the record, or that there is none."""


class ServiceError(GeneratorError):
    """A service did not answer usefully, even after the retries."""


@dataclass(frozen=True)
class Politeness:
    """How one service is treated."""

    interval: float
    """Seconds between two requests to the service."""
    timeout: float = 30.0
    """Seconds before a request is given up (and retried)."""
    retries: int = 4
    """Further attempts after a 429, a 5xx, a timeout or a dropped connection."""
    backoff: float = 2.0
    """Seconds before the first retry; each further retry waits twice as long."""


@dataclass
class Stats:
    """What one transport did, for the report."""

    requests: int = 0
    """Requests that went over the network (retries included)."""
    cached: int = 0
    """Requests answered from the cache."""


class ResponseCache:
    """Answers on disk, one JSON file per URL; a write is a rename, so never half done."""

    def __init__(self, folder: Path, *, refresh: bool = False) -> None:
        self.folder = Path(folder)
        self.refresh = refresh
        """Ignore what is cached (still store the new answers)."""

    def _path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def get(self, url: str) -> tuple[int, str, bytes] | None:
        """(status, content type, body) of a cached answer, or None."""
        if self.refresh:
            return None
        try:
            entry = json.loads(self._path(url).read_text(encoding="utf-8"))
            if entry["url"] != url:
                return None
            return int(entry["status"]), str(entry["type"]), entry["body"].encode("utf-8")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, url: str, status: int, content_type: str, body: bytes) -> None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return
        entry = {"url": url, "status": status, "type": content_type, "body": text,
                 "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(temp, self._path(url))

    def forget(self, url: str) -> None:
        """Drop an answer the caller could not read, so that a rerun asks again."""
        self._path(url).unlink(missing_ok=True)


@dataclass
class PoliteTransport(httpx2.BaseTransport):
    """An httpx2 transport with the rate limit, retries and cache of the module docstring."""

    service: str
    """The service's name, for messages: `the Hugging Face Hub`, `arXiv`."""
    policy: Politeness
    cache: ResponseCache | None = None
    inner: httpx2.BaseTransport = field(default_factory=httpx2.HTTPTransport)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    stats: Stats = field(default_factory=Stats)
    last_url: str | None = None
    """The URL of the last answer handed out, which `forget_last` drops from the cache."""
    _next_at: float = 0.0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        url = str(request.url)
        self.last_url = url
        use_cache = self.cache is not None and request.method == "GET"
        if use_cache and (hit := self.cache.get(url)) is not None:  # type: ignore[union-attr]
            self.stats.cached += 1
            status, content_type, body = hit
            return httpx2.Response(status, headers={"content-type": content_type}, content=body,
                                   request=request)
        attempt = 0
        while True:
            self._wait_turn()
            self.stats.requests += 1
            try:
                response = self.inner.handle_request(request)
                try:
                    body = response.read()
                finally:
                    response.close()
            except (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError):
                if attempt >= self.policy.retries:
                    raise
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if (response.status_code == 429 or response.status_code >= 500) and \
                    attempt < self.policy.retries:
                self.sleep(self._retry_wait(response, attempt))
                attempt += 1
                continue
            if use_cache and response.status_code in CACHEABLE:
                self.cache.put(url, response.status_code,  # type: ignore[union-attr]
                               response.headers.get("content-type", ""), body)
            return httpx2.Response(response.status_code, headers=_plain(response.headers),
                                   content=body, request=request)

    def forget_last(self) -> None:
        if self.cache is not None and self.last_url:
            self.cache.forget(self.last_url)

    def _wait_turn(self) -> None:
        now = self.clock()
        if now < self._next_at:
            self.sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self.policy.interval

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * 2**attempt

    def _retry_wait(self, response: httpx2.Response, attempt: int) -> float:
        wait = self._backoff(attempt)
        retry_after = response.headers.get("retry-after", "")
        if retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, MAX_WAIT)


def _plain(headers: httpx2.Headers) -> dict[str, str]:
    """The headers that still hold once the body is read (and decompressed)."""
    return {k: v for k, v in headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}


def describe_failure(service: str, url: str, exc: Exception, policy: Politeness) -> str:
    """A failed request in a reader's words: which service, which URL, what went wrong."""
    attempts = policy.retries + 1
    if isinstance(exc, httpx2.TimeoutException):
        what = f"no answer within {policy.timeout:g}s, {attempts} attempts"
    elif isinstance(exc, httpx2.TransportError):
        what = f"{type(exc).__name__}: {exc or 'connection failed'}, {attempts} attempts"
    else:
        what = str(exc)
    return f"{service}: {url}: {what}"
