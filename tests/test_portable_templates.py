"""The overrides render under Zensical (MiniJinja) exactly as they do under Material (Jinja2).

Test dependency, for the test lock file: zensical==0.0.73
(the newest release that installs from the package index: 0.0.74 to 0.1.3 need
`zensical-ui`, which is not there). It builds offline and runs no `hooks:`.

Material reaches end of life in May 2027; Zensical reads the same mkdocs.yml and
renders the same `overrides/`, but MiniJinja has no Python methods on values
(`"x".rstrip("/")` stops the whole build). Two checks keep the overrides portable:
- a scan of overrides/**/*.html for method calls inside Jinja tags;
- a real `zensical build --strict` of the generated docs of both test sites, whose
  key markup (edit link, badges, title, feed link, repository link, redirect stub)
  must equal what `mkdocs build` made from the same docs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from helpers import ROOT, BuiltSite, mkdocs_config_for

# Shares the session's built sites with tests/test_site.py (one xdist worker).
pytestmark = pytest.mark.xdist_group("site")

OVERRIDES = ROOT / "overrides"
ZENSICAL = "zensical==0.0.73"
SITE_URL = "https://paper-index.github.io/paper-index/"

# --- the scan: no Python methods in Jinja tags ------------------------------------

COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
STRING = re.compile(r'"[^"]*"|\'[^\']*\'')
# `.name(` on a value: Jinja2 hands templates Python objects, with their str/list/dict
# methods; MiniJinja has none of them.
METHOD_CALL = re.compile(r"([\w\"'\])]+)\s*\.\s*([A-Za-z_]\w*)\s*\(")
# `"%s" % x`: string formatting by operator, which MiniJinja refuses.
PERCENT_FORMAT = re.compile(r"[\"']\s*%(?!\})")
# Calls both engines support: Material's translation macro and Jinja's loop helpers.
ALLOWED_CALLS = {("lang", "t"), ("loop", "cycle"), ("loop", "changed")}


def python_only_constructs(template: str) -> list[tuple[int, str]]:
    """(line, construct) for each Python-only call or operator inside a Jinja tag.

    Comments are dropped first, and string literals are blanked so that text such
    as `".svg"` or `'action.edit'` is never read as code.
    """
    text = COMMENT.sub(lambda m: "\n" * m.group().count("\n"), template)
    found = []
    for tag in JINJA_TAG.finditer(text):
        code = STRING.sub(lambda m: m.group()[0] * 2, tag.group())
        line = text.count("\n", 0, tag.start()) + 1
        for call in METHOD_CALL.finditer(code):
            if (call.group(1), call.group(2)) not in ALLOWED_CALLS:
                found.append((line, f"{call.group(1)}.{call.group(2)}(...)"))
        if PERCENT_FORMAT.search(code):
            found.append((line, "string % value"))
    return found


def override_templates() -> list[Path]:
    return sorted(OVERRIDES.rglob("*.html"))


def test_there_are_overrides_to_scan() -> None:
    names = {str(p.relative_to(OVERRIDES)) for p in override_templates()}
    assert {"main.html", "paper.html", "partials/actions.html"} <= names


@pytest.mark.parametrize("path", override_templates(), ids=lambda p: str(p.relative_to(OVERRIDES)))
def test_override_uses_no_python_methods(path: Path) -> None:
    found = python_only_constructs(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(ROOT)} uses Python-only constructs that Zensical's MiniJinja "
        "cannot render: " + ", ".join(f"line {line}: {what}" for line, what in found)
        + '. Use filters and operators instead: trim("/"), slicing (url[:8] == "https://"), '
        "~, replace, tests."
    )


@pytest.mark.parametrize(
    "snippet",
    [
        # The constructs these overrides used before they were made portable.
        '{% set edit_url = config.repo_url.rstrip("/") ~ "/" ~ config.edit_uri.strip("/") %}',
        '{% if b.url.startswith("https://") or b.url.startswith("http://") %}',
        "{{ page.title.lower() }}",
        "{{ url . endswith ( '/' ) }}",
        '{{ ", ".join(p.authors) }}',
        "{{ 'a-b'.split('-')[0] }}",
        "{% for k, v in page.meta.items() %}{% endfor %}",
        "{{ config.extra.get('x') }}",
        "{{ (a ~ b).replace('x', 'y') }}",
        '{{ "{} more".format(n) }}',
        '{{ "%d more" % n }}',
        "{%- if x[0].upper() -%}",
    ],
)
def test_scan_flags_python_methods(snippet: str) -> None:
    assert python_only_constructs(f"<p>\n{snippet}\n</p>"), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '{% set edit_url = (config.repo_url | trim("/")) ~ "/" ~ (config.edit_uri | trim("/")) %}',
        '{% if b.url[:8] == "https://" or b.url[:7] == "http://" %}',
        "{{ lang.t('action.edit') }}",
        '{% include ".icons/" ~ icon ~ ".svg" %}',
        '{% extends "main.html" %}{%- set t = "../" ~ page.meta.target -%}',
        "{{ loop.cycle('odd', 'even') }}",
        "{{ super() }}",
        "{{ p.authors | join(', ') | e }}",
        "{{ '100%' }}",
        '{#- was: config.repo_url.rstrip("/") -#}',
        "<script>document.title.split(' ')</script>",
    ],
)
def test_scan_allows_portable_code(snippet: str) -> None:
    assert python_only_constructs(snippet) == [], snippet


# --- a real Zensical build, compared with Material's ------------------------------


class KeyMarkup(HTMLParser):
    """What the overrides put on a page, read the same way whichever engine wrote it.

    Values are compared unescaped (MiniJinja writes `/` as `&#x2f;`, Jinja2 leaves
    it), relative links are resolved against the page's address (`feed.xml` and
    `./feed.xml` are one link), and text inside inline SVG icons is skipped (the
    engines ship different icon files).
    """

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.found: list[tuple[str, ...]] = []
        self._open: list[tuple[str, tuple[str, ...], list[str]]] = []
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "svg":
            self._svg += 1
        elif tag == "a" and a.get("rel") == "edit":
            self.found.append(("edit", self.href(a), a.get("title", "")))
        elif tag == "a" and "pi-badge" in classes:
            self._open.append((tag, ("badge", a["class"], self.href(a), a.get("rel", "")), []))
        elif tag == "a" and "md-source" in classes:
            component = str("data-md-component" in a)
            self.found.append(("source", self.href(a), a.get("title", ""), component))
        elif tag == "div" and "md-source__repository" in classes:
            self._open.append((tag, ("repository",), []))
        elif tag in ("h1", "p") and {"pi-title", "pi-meta"} & set(classes):
            self._open.append((tag, (a["class"],), []))
        elif tag == "li" and "md-tabs__item--active" in classes:
            self._open.append((tag, ("active-tab",), []))
        elif tag == "ul" and "pi-related" in classes:
            self._open.append((tag, ("related",), []))
        elif tag == "time":
            self.found.append(("time", a.get("datetime", "")))
        elif tag == "link" and a.get("type") == "application/atom+xml":
            self.found.append(("feed", a.get("title", ""), self.href(a)))
        elif tag == "link" and a.get("rel") == "canonical":
            self.found.append(("canonical", self.href(a)))
        elif tag == "title" and not self._svg:
            self._open.append((tag, ("title",), []))
        elif tag == "meta" and a.get("http-equiv") == "refresh":
            self.found.append(("refresh", a.get("content", "")))
        elif tag == "meta" and a.get("name") == "robots":
            self.found.append(("robots", a.get("content", "")))
        elif tag == "meta" and (a.get("property", "")[:3] == "og:" or a.get("name") == "twitter:card"):
            self.found.append(("social", a.get("property") or a.get("name", ""), a.get("content", "")))

    def href(self, attrs: dict[str, str]) -> str:
        return urljoin(self.url, attrs.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg -= 1
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                _, key, parts = self._open.pop(i)
                self.found.append((*key, " ".join("".join(parts).split())))
                break

    def handle_data(self, data: str) -> None:
        if not self._svg:
            for _, _, parts in self._open:
                parts.append(data)


def key_markup(site: Path, rel: str) -> list[tuple[str, ...]]:
    """The key markup of the page at `rel` (e.g. "papers/x/index.html") in `site`."""
    parser = KeyMarkup(urljoin(SITE_URL, rel))
    parser.feed((site / rel).read_text(encoding="utf-8"))
    parser.close()
    return parser.found


def zensical_build(material: BuiltSite, work: Path) -> Path:
    """`zensical build --strict` of the docs `material` was built from; returns its site folder."""
    pytest.importorskip("zensical", reason=f"not installed: {ZENSICAL}, a test dependency")
    work.mkdir(parents=True, exist_ok=True)
    shutil.copytree(material.docs, work / "docs")
    config = mkdocs_config_for(work)
    # Zensical 0.0.73 panics on an absolute docs_dir ("invariant: Id(Format(Path(RootDir)))").
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"^docs_dir: .*$", "docs_dir: docs", text, flags=re.M)
    assert count == 1
    config.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)],
        cwd=work, capture_output=True, text=True, timeout=900, env={**os.environ, "NO_COLOR": "1"},
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)
    assert run.returncode == 0, f"zensical build --strict failed:\n{output[-4000:]}"
    return work / "site"


@pytest.fixture(scope="module")
def zensical_real(real_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zensical_build(real_site, tmp_path_factory.mktemp("zensical_real"))


@pytest.fixture(scope="module")
def zensical_fixture(fixture_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zensical_build(fixture_site, tmp_path_factory.mktemp("zensical_fixture"))


def pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_zensical_renders_every_page_with_the_same_key_markup(
    which: str, request: pytest.FixtureRequest
) -> None:
    material: BuiltSite = request.getfixturevalue(f"{which}_site")
    zensical: Path = request.getfixturevalue(f"zensical_{which}")
    assert pages(zensical) == pages(material.site)
    differ = [
        rel for rel in sorted(pages(material.site))
        if key_markup(zensical, rel) != key_markup(material.site, rel)
    ]
    assert not differ, (
        f"{len(differ)} pages differ, e.g. {differ[0]}:\n"
        f"material: {key_markup(material.site, differ[0])}\n"
        f"zensical: {key_markup(zensical, differ[0])}"
    )


def test_zensical_paper_page_has_what_the_overrides_add(real_site: BuiltSite, zensical_real: Path) -> None:
    """Guards the comparison above against both sides being empty: a committed paper, read
    from its file (the first with a publication date and a GitHub repository, if any has
    them: the overrides add its date and its code badge)."""
    papers = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((real_site.content / "papers").glob("*.yml"))}
    with_code = [(slug, link["url"]) for slug, data in papers.items() for link in data.get("links") or ()
                 if link["kind"] == "code" and re.fullmatch(r"https://github\.com/[^/]+/[^/]+", link["url"])]
    with_code.sort(key=lambda pair: not papers[pair[0]].get("published"))
    slug, code = with_code[0] if with_code else (min(papers), None)
    found = key_markup(zensical_real, f"papers/{slug}/index.html")
    repo = "https://github.com/paper-index/paper-index"
    assert ("edit", f"{repo}/edit/main/content/papers/{slug}.yml", "Edit this page") in found
    assert ("pi-title", papers[slug]["title"]) in found
    if code:
        owner_repo = code.removeprefix("https://github.com/")
        assert ("badge", "pi-badge pi-badge--code", code, "noopener", owner_repo) in found
    assert ("feed", "Paper Index: newest papers", f"{SITE_URL}feed.xml") in found
    assert ("source", repo, "Go to repository", "False") in found
    assert "repository" in {f[0] for f in found}
    if papers[slug].get("published"):
        assert {"pi-meta", "time"} <= {f[0] for f in found}


def test_zensical_listing_pages_have_no_edit_link(zensical_real: Path) -> None:
    for rel in ("index.html", "code/index.html", "years/index.html"):
        assert not [f for f in key_markup(zensical_real, rel) if f[0] == "edit"], rel


def test_zensical_redirect_stub_is_the_stub(zensical_fixture: Path) -> None:
    found = key_markup(zensical_fixture, "papers/hat-hybrid-attention-transformer/index.html")
    target = f"{SITE_URL}papers/hat-hybrid-attention-transformer-for-image-restoration/"
    assert found == [
        ("robots", "noindex"),
        ("title", "Moved: HAT: Hybrid Attention Transformer for Image Restoration - Paper Index"),
        ("social", "og:description", "A curated, searchable index of research papers, with code, models and datasets."),
        ("canonical", target),
        ("social", "og:type", "website"),
        ("social", "og:site_name", "Paper Index"),
        ("social", "og:title", "HAT: Hybrid Attention Transformer for Image Restoration"),
        ("social", "og:url", target),
        ("social", "twitter:card", "summary"),
        ("refresh", "0; url=../hat-hybrid-attention-transformer-for-image-restoration/"),
    ]
