"""Polite HTTP with limits for the two services: a rate limit, retries, a deadline, a size
cap, same-host redirects, and a cache of the answers that were used.

All of it lives in one httpx2 transport, because `huggingface_hub` sends every
request through a shared httpx2 client that it lets us build
(`set_client_factory`), and the arXiv client is a plain httpx2 client: both then
get the same behaviour, written and tested once.

- Rate limit: at least `interval` seconds between two requests to one service
  (arXiv asks for about one request every 3 seconds).
- Deadline: one attempt, from connecting to the answer's last byte, takes at most
  `timeout` seconds. Every socket operation is given what is left of it (a network
  backend of our own under httpcore2), so an answer trickled at 1 byte a second ends
  at the deadline like one that never comes.
- Size: at most `MAX_BYTES` of the answer are read, counted after decompression and
  decompressed as they arrive, so a gzip bomb is stopped after `MAX_BYTES`, not
  inflated into memory. Only gzip and deflate are asked for and read.
- Redirects: followed here, at most `MAX_REDIRECTS`, and only within the service's
  own scheme, host and port; the clients above never see one.
- Retries: a 429, a 5xx, a timeout or a dropped connection is retried up to
  `retries` times, waiting `backoff`, then twice that, and so on, or as long as a
  `Retry-After` header asks (seconds or an HTTP date; anything else is ignored). One
  that asks for more than `max_wait` seconds ends the run instead.
- Cache: a 200 or 404 answer is kept on disk under its URL, but only once the client
  has read it and used every record in it (`keep`): a malformed or refused answer is
  never cached, so a rerun asks the service again.

Every failure is a `ServiceError` whose message names the service, the URL and the
reason; `AnswerError` is the kind where an answer came but cannot be used.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import math
import os
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore2
import httpx2

from generator.errors import GeneratorError
from generator.text import quote_untrusted

MAX_WAIT = 120.0
"""The longest a Retry-After header can make us wait, in seconds."""
MAX_BYTES = 8 * 1024 * 1024
"""The most bytes of one answer that are read, after decompression: a day of Daily Papers
is about 0.5 MB, an arXiv batch of 50 papers about 0.2 MB."""
MAX_REDIRECTS = 3
CACHEABLE = (200, 404)
"""Answers worth keeping: the record, or that there is none."""
CACHE_FORMAT = 2
"""Cached answers of another format (an older client's, which kept answers it could not
read) are ignored."""
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


class ServiceError(GeneratorError):
    """A service did not answer usefully, even after the retries."""


class AnswerError(ServiceError):
    """An answer came, but cannot be used: malformed, too large, redirected elsewhere, or
    about something else than was asked. Never cached."""


@dataclass(frozen=True)
class Politeness:
    """How one service is treated."""

    interval: float
    """Seconds between two requests to the service."""
    timeout: float = 30.0
    """Seconds one attempt may take, from connecting to the answer's last byte."""
    retries: int = 4
    """Further attempts after a 429, a 5xx, a timeout or a dropped connection."""
    backoff: float = 2.0
    """Seconds before the first retry; each further retry waits twice as long."""
    max_wait: float = MAX_WAIT
    """The longest a Retry-After header may ask us to wait; asking more ends the run."""


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
            if entry["url"] != url or entry.get("format") != CACHE_FORMAT:
                return None
            return int(entry["status"]), str(entry["type"]), entry["body"].encode("utf-8")
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def put(self, url: str, status: int, content_type: str, body: bytes) -> None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return
        entry = {"format": CACHE_FORMAT, "url": url, "status": status, "type": content_type,
                 "body": text, "fetched": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=True)
        os.replace(temp, self._path(url))

    def forget(self, url: str) -> None:
        """Drop an answer the caller could not use, so that a rerun asks again."""
        self._path(url).unlink(missing_ok=True)


# --- the deadline ---------------------------------------------------------------------

_deadline = threading.local()


def _within_deadline(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout`, shortened to what is left of the current request's deadline."""
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A socket stream whose every read and write ends by the request's deadline."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _within_deadline(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _within_deadline(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore2.NetworkStream:
        return _DeadlineStream(self.inner.start_tls(
            ssl_context, server_hostname, _within_deadline(timeout, httpcore2.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore2.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        timeout = _within_deadline(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_tcp(host, port, timeout, local_address,
                                                      socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        timeout = _within_deadline(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class DeadlineTransport(httpx2.HTTPTransport):
    """httpx2's own transport over a connection pool whose sockets keep the deadline.

    httpx2 offers no argument for the network backend, so its pool is replaced by an
    identical one that has ours (httpcore2's public `network_backend`)."""

    def __init__(self) -> None:
        super().__init__()
        if not isinstance(getattr(self, "_pool", None), httpcore2.ConnectionPool):
            raise RuntimeError("httpx2.HTTPTransport has changed: it no longer keeps its "
                               "connection pool in _pool")
        self._pool = httpcore2.ConnectionPool(ssl_context=httpx2.create_ssl_context(),
                                              network_backend=_DeadlineBackend())


# --- the transport ----------------------------------------------------------------------


def _origin(url: httpx2.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


@dataclass
class PoliteTransport(httpx2.BaseTransport):
    """An httpx2 transport with the limits, retries and cache of the module docstring."""

    service: str
    """The service's name, for messages: `the Hugging Face Hub`, `arXiv`."""
    policy: Politeness
    cache: ResponseCache | None = None
    origin: str | None = None
    """The service's URL: requests and redirects elsewhere are refused (None: any)."""
    inner: httpx2.BaseTransport = field(default_factory=DeadlineTransport)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    stats: Stats = field(default_factory=Stats)
    fresh: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    """Answers from the network that the client has not yet kept or dropped."""
    _next_at: float = 0.0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        url = str(request.url)
        self._check_origin(request.url, url)
        use_cache = self.cache is not None and request.method == "GET"
        if use_cache and (hit := self.cache.get(url)) is not None:  # type: ignore[union-attr]
            self.stats.cached += 1
            status, content_type, body = hit
            return httpx2.Response(status, headers={"content-type": content_type}, content=body,
                                   request=request)
        request.headers["Accept-Encoding"] = "gzip, deflate"
        attempt = 0
        while True:
            self._wait_turn()
            self.stats.requests += 1
            try:
                status, headers, body = self._attempt(request, url)
            except (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError,
                    httpx2.LocalProtocolError) as exc:
                if attempt >= self.policy.retries:
                    raise ServiceError(describe_failure(self.service, url, exc, self.policy)) from None
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if (status == 429 or status >= 500) and attempt < self.policy.retries:
                self.sleep(self._retry_wait(headers, attempt, url, status))
                attempt += 1
                continue
            if use_cache and status in CACHEABLE:  # a 404 is kept as no more than its status
                self.fresh[url] = (status, headers.get("content-type", ""), body if status == 200 else b"")
            return httpx2.Response(status, headers=_plain(headers), content=body, request=request)

    def keep(self, url: str) -> None:
        """Cache an answer the client has read and used in full."""
        if (answer := self.fresh.pop(url, None)) is not None and self.cache is not None:
            self.cache.put(url, *answer)

    def drop(self, url: str) -> None:
        """Never cache an answer the client refused (and forget it if it came from the cache)."""
        self.fresh.pop(url, None)
        if self.cache is not None:
            self.cache.forget(url)

    def _check_origin(self, target: httpx2.URL, url: str) -> None:
        if self.origin is not None and _origin(target) != _origin(httpx2.URL(self.origin)):
            raise AnswerError(f"{self.service}: {url}: not at {self.origin}; refused")

    def _attempt(self, request: httpx2.Request, url: str) -> tuple[int, httpx2.Headers, bytes]:
        """One attempt within the deadline: the redirects and the whole body."""
        _deadline.at = time.monotonic() + self.policy.timeout
        try:
            for _ in range(MAX_REDIRECTS + 1):
                response = self.inner.handle_request(request)
                try:
                    location = response.headers.get("location")
                    if response.status_code not in _REDIRECTS or location is None:
                        return response.status_code, response.headers, self._body(response, url)
                finally:
                    response.close()
                request = self._redirected(request, url, location)
            raise AnswerError(f"{self.service}: {url}: more than {MAX_REDIRECTS} redirects")
        finally:
            _deadline.at = None

    def _redirected(self, request: httpx2.Request, url: str, location: str) -> httpx2.Request:
        try:
            target = request.url.join(location)
        except (httpx2.InvalidURL, ValueError):
            raise AnswerError(f"{self.service}: {url}: redirected to an invalid URL "
                              f"{quote_untrusted(location)}") from None
        if _origin(target) != _origin(request.url):
            raise AnswerError(f"{self.service}: {url}: redirected to another host "
                              f"({quote_untrusted(location)}); not followed")
        return httpx2.Request("GET", target, headers=request.headers,
                              extensions=request.extensions)

    def _body(self, response: httpx2.Response, url: str) -> bytes:
        """The body, decompressed as it arrives, and refused past MAX_BYTES."""
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("", "identity"):
            decoder = None
        elif encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        else:
            raise AnswerError(f"{self.service}: {url}: an answer in the content encoding "
                              f"{quote_untrusted(encoding)}, which was not asked for")
        chunks: list[bytes] = []
        size = 0
        # A test's MockTransport hands over a response already read; a socket's is streamed.
        raws = [response.content] if response.is_stream_consumed else response.iter_raw(_CHUNK)
        try:
            for raw in raws:
                pending = raw
                while pending:
                    data = decoder.decompress(pending, MAX_BYTES - size + 1) if decoder else pending
                    pending = decoder.unconsumed_tail if decoder else b""
                    size += len(data)
                    if size > MAX_BYTES:
                        raise AnswerError(f"{self.service}: {url}: an answer of more than "
                                          f"{MAX_BYTES:,} bytes{' decompressed' if decoder else ''}; "
                                          "refused")
                    chunks.append(data)
            if decoder is not None and not decoder.eof:
                raise AnswerError(f"{self.service}: {url}: an invalid {encoding} body (it ends "
                                  "before its end)")
        except zlib.error as exc:
            raise AnswerError(f"{self.service}: {url}: an invalid {encoding} body ({exc})") from None
        return b"".join(chunks)

    def _wait_turn(self) -> None:
        now = self.clock()
        if now < self._next_at:
            self.sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self.policy.interval

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * 2**attempt

    def _retry_wait(self, headers: httpx2.Headers, attempt: int, url: str, status: int) -> float:
        wait = self._backoff(attempt)
        asked = retry_after(headers.get("retry-after", ""), dt.datetime.now(dt.timezone.utc))
        if asked is not None and asked > self.policy.max_wait:
            shown = f"{asked:,.0f} s" if math.isfinite(asked) else "longer than any clock counts"
            raise ServiceError(f"{self.service}: {url}: answered HTTP {status} and asks to retry "
                               f"after {shown}, more than the {self.policy.max_wait:g} s this "
                               "client waits; try again later")
        return max(wait, asked or 0.0)


def retry_after(value: str, now: dt.datetime) -> float | None:
    """The seconds a `Retry-After` header asks for (a number of seconds or an HTTP date), or
    None for anything else: a negative number, `²`, text."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) <= 12 else math.inf
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def _plain(headers: httpx2.Headers) -> dict[str, str]:
    """The headers that still hold once the body is read (and decompressed)."""
    return {k: v for k, v in headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}


def describe_failure(service: str, url: str, exc: Exception, policy: Politeness) -> str:
    """A failed request in a reader's words: which service, which URL, what went wrong."""
    attempts = policy.retries + 1
    if isinstance(exc, httpx2.TimeoutException):
        what = f"no whole answer within {policy.timeout:g}s, {attempts} attempts"
    elif isinstance(exc, httpx2.TransportError):
        what = f"{type(exc).__name__}: {quote_untrusted(str(exc)) or 'connection failed'}, {attempts} attempts"
    else:
        what = quote_untrusted(str(exc))
    return f"{service}: {url}: {what}"
