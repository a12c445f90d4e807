"""Web-standards gates on every kind of page (tests/page_kinds.py) of the seed site, built
from the seed listings' import, and on every state of Browse that its script draws
(filters on, no results, another sort, the search panel open):

- axe-core, injected into Debian's headless Chromium with Playwright, in the light
  and dark palettes (`prefers-color-scheme`, which Material's palette follows when no
  choice is stored) at desktop (1280 px) and phone (390 px) widths: no serious and
  no critical violation;
- the Nu HTML Checker (vnu.jar, run by Java once over every page at once): no error.

Both validators come from the npm registry at the versions pinned in
tests/standards/package-lock.json, installed by `make standards` (which `make
test` runs) into tests/standards/node_modules; nothing is downloaded at test time.
The last tests feed a deliberately broken page through the same two gates, so
a gate that stopped seeing errors would fail the suite.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import ROOT, BuiltSite
from test_metadata import SITE_URL
from page_kinds import BROWSE_STATES, PAGE_KINDS, SEARCH_OPEN, STUBS
from chromium import serve
from test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

STANDARDS = ROOT / "tests" / "standards"
AXE_JS = STANDARDS / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = STANDARDS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

WIDTHS = {"desktop": 1280, "phone": 390}
SCHEMES = {"light": "default", "dark": "slate"}
"""`prefers-color-scheme` → the Material scheme the page must then show."""
BLOCKING = ("serious", "critical")
READY = {"browse": "#pi-browse-results li"}
"""Kinds whose content a script renders after load: wait for this selector first."""
HOSTILE = "papers/script-alert-1/"
"""A fixture paper whose title and abstract try to inject markup: checked by vnu as well."""


def _installed(path: Path) -> Path:
    if not path.is_file():
        # A skip would let CI pass without the validators: `make test` installs them.
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make standards` (npm ci in tests/standards)")
    return path


BROKEN = ('<img src="x.png"><div id="twice"></div><div id="twice"></div>'
          '<p style="color:#aaa;background:#fff">pale text</p><button></button>')
"""An image without alt text, a duplicate id, low contrast and a nameless button: the
gates must see all of them (the last tests), or they could be passing on nothing."""


# --- the Nu HTML Checker --------------------------------------------------------


def vnu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """Every error the Nu HTML Checker finds in `files`, by file: one Java run for all."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("no `java` on PATH: run `make standards` (Debian's default-jre-headless)")
    run = subprocess.run([java, "-jar", str(_installed(VNU_JAR)), "--format", "json",
                          "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    found: dict[Path, list[str]] = {f.resolve(): [] for f in files}
    for message in json.loads(run.stderr)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue  # "info" (including warnings) does not fail the gate
        where = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        found.setdefault(where, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} "
            f"[{' '.join(message.get('extract', '').split())[:120]}]")
    return found


def _file(site: BuiltSite, path: str) -> Path:
    return site.site / path / "index.html" if path.endswith("/") or not path else site.site / path


@pytest.fixture(scope="module")
def broken_page(seed_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The About page with BROKEN inserted at the top of its content."""
    text = seed_site.html("about/")
    marker = '<article class="md-content__inner md-typeset">'
    assert marker in text
    page = tmp_path_factory.mktemp("broken") / "broken.html"
    page.write_text(text.replace(marker, marker + BROKEN, 1), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def browse_snapshots(browser, site_base: str,  # noqa: F811
                     tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each Browse state's document as the browser holds it once drawn (its DOM,
    serialized), saved for the Nu HTML Checker, by state."""
    folder = tmp_path_factory.mktemp("browse_states")
    saved = {}
    for n, state in enumerate(BROWSE_STATES):
        context, page = _open(browser, site_base + BROWSE_STATES[state], WIDTHS["desktop"], "light")
        try:
            _draw_browse(page, state)
            saved[state] = folder / f"state-{n}.html"
            saved[state].write_text(page.content(), encoding="utf-8")
        finally:
            context.close()
    return saved


@pytest.fixture(scope="module")
def vnu_report(seed_site: BuiltSite, fixture_site: BuiltSite, broken_page: Path,
               browse_snapshots: dict[str, Path]) -> dict[Path, list[str]]:
    """One run of the checker over every page kind, every Browse state, a hostile page and
    the broken page."""
    files = [_file(seed_site, p) for p in PAGE_KINDS.values()] + list(browse_snapshots.values())
    return vnu_errors(files + [_file(fixture_site, HOSTILE), broken_page])


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_nu_html_checker_finds_no_error(vnu_report: dict[Path, list[str]], seed_site: BuiltSite,
                                        kind: str) -> None:
    errors = vnu_report[_file(seed_site, PAGE_KINDS[kind]).resolve()]
    assert errors == [], f"{kind} ({PAGE_KINDS[kind] or '/'}): " + "\n".join(errors)


@pytest.mark.parametrize("state", BROWSE_STATES)
def test_nu_html_checker_finds_no_error_in_browse_states(vnu_report: dict[Path, list[str]],
                                                        browse_snapshots: dict[str, Path], state: str) -> None:
    errors = vnu_report[browse_snapshots[state].resolve()]
    assert errors == [], f"{state} ({BROWSE_STATES[state]}): " + "\n".join(errors)


def test_nu_html_checker_finds_no_error_with_hostile_titles(vnu_report: dict[Path, list[str]],
                                                           fixture_site: BuiltSite) -> None:
    assert vnu_report[_file(fixture_site, HOSTILE).resolve()] == []


# --- axe-core in Chromium --------------------------------------------------------

_AXE_RUN = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => impacts.includes(v.impact)).map(v =>
    `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s): ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1).join(' ')).join('; ') + ')');
}"""


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(_installed(AXE_JS)))
    return page.evaluate(_AXE_RUN, list(BLOCKING))


@pytest.fixture(scope="module")
def site_base(seed_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served at its own path (/paper-index/): the 404 page links its styles and
    scripts from there, since it is shown at any address."""
    prefix = urlsplit(SITE_URL).path.strip("/")
    root = tmp_path_factory.mktemp("served")
    (root / prefix).symlink_to(seed_site.site, target_is_directory=True)
    with serve(root) as base:
        yield f"{base}{prefix}/"


def _open(browser, url: str, width: int, scheme: str, stub: bool = False):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  service_workers="block")
    page = context.new_page()
    if stub:
        # A stub's meta refresh leaves at once; stop that second navigation so the stub
        # itself stays to be checked (an aborted navigation keeps the current document).
        loaded: list[str] = []

        def route(route) -> None:
            if route.request.is_navigation_request() and loaded:
                route.abort("aborted")
            else:
                loaded.append(route.request.url)
                route.continue_()
        page.route("**/*", route)
    page.goto(url, wait_until="load")
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_serious_violation(browser, site_base: str, kind: str, scheme: str,  # noqa: F811
                                        width: str) -> None:
    context, page = _open(browser, site_base + PAGE_KINDS[kind], WIDTHS[width], scheme, kind in STUBS)
    try:
        if kind not in STUBS:
            # The palette really is the one asked for (Material follows the media query).
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        if kind in READY:
            page.locator(READY[kind]).first.wait_for(state="attached")
        violations = axe_violations(page)
    finally:
        context.close()
    assert violations == [], f"{kind} ({PAGE_KINDS[kind] or '/'}), {scheme}, {width}:\n" + "\n".join(violations)


_BROWSE_DRAWN = """() => {
  const form = document.querySelector('[data-pi-browse]')
  return form && !form.hasAttribute('aria-busy') && (document.querySelector('#pi-browse-results li') ||
    !document.getElementById('pi-browse-none').hidden)
}"""
"""Browse has drawn its results, or said there are none (the page as served has neither)."""


def _draw_browse(page, state: str) -> None:
    """Wait until Browse has drawn `state`; open its filters where a phone folds them, and
    the header's search over it for SEARCH_OPEN."""
    page.wait_for_function(_BROWSE_DRAWN)
    if not page.locator("details.pi-facets").evaluate("d => d.open"):
        page.locator(".pi-facets__summary").click()
    assert page.locator(".pi-facet__option").first.is_visible()
    if state in SEARCH_OPEN:
        button = page.locator("label.md-header__button[for='__search']")
        box = page.locator("input.md-search__input")
        (button if button.is_visible() else box).click()  # a phone has a button for the box
        box.press_sequentially("diffusion", delay=10)
        page.locator(".md-search-result .pi-card").first.wait_for(state="visible")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("state", BROWSE_STATES)
def test_axe_finds_no_serious_violation_in_browse_states(browser, site_base: str, state: str,  # noqa: F811
                                                         scheme: str, width: str) -> None:
    context, page = _open(browser, site_base + BROWSE_STATES[state], WIDTHS[width], scheme)
    try:
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        _draw_browse(page, state)
        violations = axe_violations(page)
    finally:
        context.close()
    assert violations == [], f"{state} ({BROWSE_STATES[state]}), {scheme}, {width}:\n" + "\n".join(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_serious_violation_in_open_search_results(browser, site_base: str,  # noqa: F811
                                                                scheme: str) -> None:
    context, page = _open(browser, site_base, WIDTHS["desktop"], scheme)
    try:
        page.locator(".md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("diffusion", delay=10)
        page.locator(".pi-card").first.wait_for(state="visible")
        violations = axe_violations(page)
    finally:
        context.close()
    assert violations == [], "\n".join(violations)


# --- the gates can fail ------------------------------------------------------------


def test_the_nu_html_checker_catches_a_broken_page(vnu_report: dict[Path, list[str]], broken_page: Path) -> None:
    errors = vnu_report[broken_page.resolve()]
    assert any("Duplicate ID" in e for e in errors), errors
    assert any("alt" in e for e in errors), errors


def test_axe_catches_a_broken_page(browser, broken_page: Path) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    try:
        page.set_content(broken_page.read_text(encoding="utf-8"), wait_until="load")
        found = {v.split(":", 1)[0] for v in axe_violations(page)}
    finally:
        context.close()
    assert {"critical image-alt", "critical button-name", "serious color-contrast"} <= found, found
