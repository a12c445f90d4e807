"""Lighthouse's mobile scores for the home page and a paper page: `make lighthouse`.

Builds the real site from content/ (generator, `mkdocs build --strict`, Pagefind;
the same build as the tests), serves it on 127.0.0.1 at its own path
(/paper-index/) and gzip-compressed, as GitHub Pages serves it, and runs Lighthouse (pinned in
tests/standards/package-lock.json, installed by `make lighthouse`) in Debian's
headless Chromium with its default mobile settings: a Moto G Power-sized screen
and simulated slow 4G with a 4x slower CPU. Prints the four category scores and
every audit that did not pass, for BENCHMARKS.md. Not a test: the performance
score moves from run to run and with the machine's load.

    python tests/lighthouse.py [--runs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from helpers import CONTENT, ROOT, build_site  # noqa: E402
from page_kinds import PAGE_KINDS  # noqa: E402
from test_metadata import SITE_URL  # noqa: E402

LIGHTHOUSE = ROOT / "tests" / "standards" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"home": PAGE_KINDS["home"], "paper": PAGE_KINDS["paper"]}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --disable-quic --no-first-run")


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", "/")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the client accepts it (as GitHub
    Pages does): Lighthouse's simulated network counts the bytes transferred."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (not self.path.split("?")[0].endswith(COMPRESSED) or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile, the default) of `url`: its JSON report."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    run = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{run.stdout}\n{run.stderr}")
    return json.loads(out.read_text(encoding="utf-8"))


def misses(report: dict) -> list[str]:
    """Every scored audit below 1 in the four categories, with its category."""
    lines = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lines.append(f"{cat}: {ref['id']} {audit['score']:.2f}{value}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median score is printed")
    parser.add_argument("--keep", type=Path, help="write the JSON reports into this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse`")

    with tempfile.TemporaryDirectory(prefix="paper-index-lighthouse-") as tmp:
        work = Path(tmp)
        site = build_site(CONTENT, work / "build")
        prefix = urlsplit(SITE_URL).path.strip("/")
        (work / "served").mkdir()
        (work / "served" / prefix).symlink_to(site.site, target_is_directory=True)
        server, base = serve(work / "served")
        try:
            for name, path in PAGES.items():
                url = f"{base}{prefix}/{path}"
                reports = []
                for i in range(args.runs):
                    out = (args.keep or work) / f"lighthouse-{name}-{i + 1}.json"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    reports.append(lighthouse(url, out))
                scores = {cat: sorted(round(r["categories"][cat]["score"] * 100) for r in reports)
                          for cat in CATEGORIES}
                median = {cat: s[len(s) // 2] for cat, s in scores.items()}
                print(f"{name} ({path or '/'}), Lighthouse {reports[0]['lighthouseVersion']}, mobile, "
                      f"median of {args.runs}: " + ", ".join(f"{cat} {median[cat]}" for cat in CATEGORIES))
                if args.runs > 1:
                    print("  all runs: " + ", ".join(f"{cat} {scores[cat]}" for cat in CATEGORIES))
                metrics = reports[0]["audits"]
                print("  " + ", ".join(f"{key} {metrics[key]['displayValue']}" for key in (
                    "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                    "cumulative-layout-shift", "speed-index") if key in metrics))
                for line in misses(reports[0]):
                    print("  below 1: " + line)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
