"""Debian's headless Chromium for the tests (Playwright's sync API; never a downloaded
browser), a site served from 127.0.0.1, and a check that no payload ran on a page.

`live_payloads` is what every test of hostile content asks: the payloads in
tests/render_cases/hostile (and any a test writes) would, if they ran, open a
dialog, log a line holding "pwned", set `window.__pwned`, or leave an element
with an event handler, a `javascript:` link or an iframe in the page.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """`root` over HTTP on 127.0.0.1 (search loads its index over HTTP); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium; fails (never skips) when there is none."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        # A skip would let CI pass without a browser: `make test` installs Chromium.
        pytest.fail(f"no Chromium at {executable}: run `make chromium`, set CHROMIUM_PATH, "
                    "or deselect these tests with -m 'not browser'")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


_FIND_LIVE = """() => {
  const found = [];
  if (window.__pwned !== undefined) found.push(`window.__pwned = ${window.__pwned}`);
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) found.push(`<${el.localName} ${a.name}>`);
      if (/^\\s*javascript:/i.test(a.value) && ["href", "src", "action", "formaction"].includes(a.name))
        found.push(`<${el.localName} ${a.name}="${a.value}">`);
    }
    if (["iframe", "object", "embed", "frame"].includes(el.localName)) found.push(`<${el.localName}>`);
    if (el.localName === "script" && !el.src && /pwned|alert/.test(el.textContent)) found.push("<script>");
  }
  return found;
}"""


class Visit:
    """One page in a fresh context, with everything a running payload would leave:
    dialogs, console lines holding "pwned", requests for the `src=x` of an injected image."""

    def __init__(self, browser: Any, url: str) -> None:
        self.signs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: (self.signs.append(f"dialog {dialog.message!r}"), dialog.dismiss()))
        self.page.on("console", lambda message: "pwned" in message.text and self.signs.append(
            f"console {message.text!r}"))
        self.page.on("request", lambda request: request.url.rsplit("/", 1)[-1] == "x" and self.signs.append(
            f"request {request.url}"))
        self.page.goto(url, wait_until="load")

    def live_payloads(self) -> list[str]:
        """Every sign of a payload that ran, or is ready to run, on the page as it is now."""
        # A redirect stub's meta refresh may fire at any moment after its load, and more
        # slowly on a busy machine: each time it cuts an evaluation short, wait for the next
        # page to load and look again (a stub leaves once; a page that never settles fails).
        for _ in range(50):
            try:
                self.page.wait_for_load_state("load")
                return self.signs + self.page.evaluate(_FIND_LIVE)
            except Exception as exc:  # noqa: BLE001 - Playwright's "context was destroyed"
                if "destroyed" not in str(exc):
                    raise
                self.page.wait_for_timeout(100)
        raise AssertionError(f"{self.page.url} kept navigating")

    def close(self) -> None:
        self.context.close()
