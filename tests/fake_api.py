"""A fake Hugging Face Hub and arXiv export API on 127.0.0.1, serving recorded answers.

The answers are files in tests/fixtures/api/, written in the services' documented
formats: the Hub's paper JSON (`/api/papers/{id}`), its search and daily-papers
lists (items that nest the paper under `paper`), and an arXiv Atom feed whose
entries are served by id (`id_list`) and by title (`search_query=ti:"..."`).

The real clients are pointed here through HF_ENDPOINT and PAPER_INDEX_ARXIV_API.
A test scripts failures with `fail(path, *actions)`: the next requests whose
path starts with `path` get, in turn, an HTTP status (429 comes with
`Retry-After: 0`), `"slow"` (an answer after `slow_seconds`), `"garbage"`
(status 200 with a body that is not JSON or XML), `"pass"` (the usual answer), or a
`Raw` answer, written
to the socket byte for byte as given: any status line, headers and body, at any
pace (what no well-behaved server sends). `always(path, raw)` serves a `Raw` to
every such request. The answers' data (`papers`, `daily`, `entries`) can be
edited in place. Every request is logged.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.identity import title_key

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "api"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Raw:
    """An answer written to the socket as given."""

    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    trickle: float = 0.0
    """Seconds between two bytes of the body (0: all at once)."""
    header_trickle: float = 0.0
    """Seconds between two bytes of the status line and headers (0: all at once)."""
    length: bool = True
    """Send a Content-Length header (else the body ends when the connection closes)."""


def _paper_item(paper: dict) -> dict:
    """A search or daily-papers item: the paper nested, title and date beside it."""
    return {"paper": copy.deepcopy(paper), "publishedAt": paper.get("submittedOnDailyAt", paper["publishedAt"]),
            "title": paper["title"], "numComments": 0, "isAuthorParticipating": False}


class FakeApi:
    """Both services on one local port: the Hub at `url`, arXiv at `arxiv_url`."""

    def __init__(self) -> None:
        self.papers = {p["id"]: p for p in json.loads((FIXTURES / "hub_papers.json").read_text())}
        self.daily = {"2026-11-20": json.loads((FIXTURES / "daily_2026-11-20.json").read_text())}
        feed = ET.parse(FIXTURES / "arxiv_feed.xml").getroot()
        self.feed_head = [el for el in feed if el.tag != f"{{{ATOM}}}entry"]
        self.entries = {}
        for entry in feed.iter(f"{{{ATOM}}}entry"):
            abs_id = entry.findtext(f"{{{ATOM}}}id").rsplit("/abs/", 1)[1].rsplit("v", 1)[0]
            self.entries[abs_id] = entry
        self.log: list[str] = []
        self.slow_seconds = 2.0
        self._faults: list[tuple[str, deque]] = []
        self._always: list[tuple[str, Raw]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # shutdown() waits for the serving loop's next poll: 0.5 s by default, per test.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def arxiv_url(self) -> str:
        return f"{self.url}/arxiv/api/query"

    def env(self) -> dict[str, str]:
        return {"HF_ENDPOINT": self.url, "PAPER_INDEX_ARXIV_API": self.arxiv_url}

    def fail(self, path: str, *actions: int | str | Raw) -> None:
        with self._lock:
            self._faults.append((path, deque(actions)))

    def always(self, path: str, raw: Raw) -> None:
        """Answer every request whose path starts with `path` with `raw`."""
        with self._lock:
            self._always.append((path, raw))

    def requests(self, prefix: str = "") -> list[str]:
        return [line for line in self.log if line.startswith(prefix)]

    def __enter__(self) -> FakeApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- answers ------------------------------------------------------------------

    def _fault(self, path: str) -> int | str | Raw | None:
        with self._lock:
            for prefix, actions in self._faults:
                if path.startswith(prefix) and actions:
                    return actions.popleft()
            for prefix, raw in self._always:
                if path.startswith(prefix):
                    return raw
        return None

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if path.startswith("/api/papers/search"):
            words = set(title_key(query.get("q", [""])[0]).split())
            found = [_paper_item(p) for p in self.papers.values()
                     if words and words <= set(title_key(p["title"]).split())]
            return 200, "application/json", json.dumps(found[: int(query.get("limit", ["50"])[0])]).encode()
        if path.startswith("/api/papers/"):
            paper = self.papers.get(path.rsplit("/", 1)[1])
            if paper is None:
                return 404, "application/json", b'{"error":"Paper not found"}'
            return 200, "application/json", json.dumps(paper).encode()
        if path == "/api/daily_papers":
            day, page = query.get("date", [""])[0], int(query.get("p", ["0"])[0])
            limit = int(query.get("limit", ["50"])[0])
            items = self.daily.get(day, [])[page * limit : (page + 1) * limit]
            return 200, "application/json", json.dumps(items).encode()
        if path == "/arxiv/api/query":
            return 200, "application/atom+xml; charset=utf-8", self._atom(query)
        return 404, "text/plain", b"not found"

    def _atom(self, query: dict[str, list[str]]) -> bytes:
        if "id_list" in query:
            ids = query["id_list"][0].split(",")
            chosen = [self.entries[i] for i in ids if i in self.entries]
        else:
            words = set(title_key(query.get("search_query", [""])[0].removeprefix("ti:")).split())
            chosen = [e for e in self.entries.values()
                      if words and words <= set(title_key(e.findtext(f"{{{ATOM}}}title")).split())]
            chosen = chosen[: int(query.get("max_results", ["10"])[0])]
        feed = ET.Element(f"{{{ATOM}}}feed")
        feed.extend(copy.deepcopy(self.feed_head) + [copy.deepcopy(e) for e in chosen])
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                api.log.append(self.path)
                action = api._fault(parts.path)
                if action == "slow":
                    time.sleep(api.slow_seconds)
                    action = None
                if isinstance(action, Raw):
                    self._raw(action)
                    return
                if isinstance(action, int):
                    body = b'{"error":"scripted failure"}'
                    self._send(action, "application/json", body,
                               {"Retry-After": "0"} if action == 429 else {})
                    return
                status, kind, body = api.answer(parts.path, parse_qs(parts.query))
                if action == "garbage":
                    status, body = 200, b'{"id": "2309.05239", "title": <html>oops</html'
                self._send(status, kind, body)

            def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _raw(self, raw: Raw) -> None:
                head = [f"HTTP/1.1 {raw.status} Scripted".encode()]
                head += [f"{k}: {v}".encode("utf-8", "surrogateescape") for k, v in raw.headers]
                if raw.length:
                    head.append(f"Content-Length: {len(raw.body)}".encode())
                head.append(b"Connection: close")
                self.close_connection = True
                try:
                    self._write(b"\r\n".join(head) + b"\r\n\r\n", raw.header_trickle)
                    self._write(raw.body, raw.trickle)
                except OSError:
                    pass  # the client gave up (a deadline test)

            def _write(self, data: bytes, pace: float) -> None:
                if not pace:
                    self.wfile.write(data)
                    return
                for i in range(len(data)):
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(pace)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
