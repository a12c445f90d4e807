"""Untrusted text into templates: the escaping filters and the Jinja environments.

Every content field arrives in a pull request, so nothing from it may reach a
reader as markup. Three rules cover the Markdown pages:
- Text that Markdown will parse goes through the `md` filter (every ASCII
  punctuation mark backslash-escaped for `pymdownx.escapeall`, then HTML
  escaped), so `ReST-MCTS*`, `P(y|x)` and `<SR>` come out literally.
- Text inside a raw HTML block of a template (a paper's abstract, note and
  BibTeX) is escaped by Jinja's autoescape alone: Markdown does not parse
  raw HTML blocks, so nothing in the text can become Markdown either. The
  URLs in it become links through `linked`, which only cuts the text into
  runs; the template writes the runs, escaped like any other text.
- Material prints the front-matter keys `title`, `description` and `tags`
  unescaped (they are HTML to its templates and its search), so they are
  stored through `h`. Every other front-matter value is raw data that
  `theme/paper.html` escapes itself.
`feed.xml` gets its own environment: XML-escaped, and cleaned of the
characters XML 1.0 forbids.

The templates ship inside the package (`generator/site/templates/`), so an
installed wheel builds the same site as a checkout.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from generator.dates import long_date
from generator.links import trim_url, url_problem

_MD_PUNCT = re.compile(r"([!#$%()*+,\-./:;=?@\[\\\]^_`{|}~])")
_TEXT_URL = re.compile(r"https?://[^\s<>\"'`\\{}|^\x00-\x1f\x7f]+")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def md_inline(text: object) -> Markup:
    """Text shown literally inside Markdown: whitespace collapsed, every
    Markdown-active character backslash-escaped, `&<>"'` as HTML entities."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MD_PUNCT.sub(r"\\\1", flat)))


def md_paragraphs(text: object) -> Markup:
    """Like md_inline, but blank lines still separate paragraphs."""
    parts = [p for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return Markup("\n\n").join(md_inline(p) for p in parts)


def paragraphs(text: object) -> list[str]:
    """Paragraphs (split at blank lines), each with its whitespace collapsed: for text
    written into a raw HTML block, where Jinja's autoescape is the only escaping."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(text)) if p.strip()]


def linked(text: object) -> list[tuple[str, str]]:
    """Text cut into runs of (text, href), href '' for plain text: the URLs in an
    abstract or note become links. Only an http or https URL that `check` would accept
    as a link is one (never `javascript:`); the template writes both parts through
    autoescape, so a quote or an angle bracket can never leave the attribute."""
    text = str(text)
    runs: list[tuple[str, str]] = []
    done = 0
    for match in _TEXT_URL.finditer(text):
        url = trim_url(match.group())
        if len(url) <= len("https://x.y") or url_problem(url) is not None:
            continue
        runs += [(text[done:match.start()], ""), (url, url)]
        done = match.start() + len(url)
    runs.append((text[done:], ""))
    return [run for run in runs if run[0]]


def md_url(url: object) -> Markup:
    """A URL safe to put between the parentheses of a Markdown link."""
    return Markup(quote(str(url), safe=":/?#@!$&*+,;=%~-._"))


def fenced(text: str, lang: str = "") -> Markup:
    """A fenced code block whose fence no backtick run inside can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{lang}\n{text}\n{fence}")


def h(text: object) -> str:
    """HTML-escape for front-matter keys Material prints unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


def xml_chars(value: object) -> object:
    """Drop characters XML 1.0 forbids even as entities: one would make the whole feed
    unreadable. Markup stays Markup so nothing is escaped twice."""
    if isinstance(value, Markup):
        return Markup(_XML_ILLEGAL.sub("", value))
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


def _environment(**options: Any) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator.site", "templates"),
        autoescape=True,  # anything not passed through a filter is HTML-escaped
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


def markdown_env() -> jinja2.Environment:
    """For the Markdown pages: the filters above, HTML escaping for the rest."""
    env = _environment()
    env.filters.update(md=md_inline, md_paragraphs=md_paragraphs, paragraphs=paragraphs, linked=linked, md_url=md_url,
                       fenced=fenced,
                       long_date=long_date)
    return env


def xml_env() -> jinja2.Environment:
    """For feed.xml: every value XML-escaped (autoescape) and cleaned of illegal characters."""
    return _environment(finalize=xml_chars)


def html_env() -> jinja2.Environment:
    """For a whole HTML page (the preview's error page): every value HTML-escaped."""
    return _environment()


def css_env() -> jinja2.Environment:
    """For generated stylesheets: values are pre-validated names and percent-encoded URIs."""
    return _environment()
