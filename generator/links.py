"""What a link is: whether it is acceptable, its one canonical spelling, and its kind.

The import classifies the links it finds, `new` classifies the ones it is
given, `check` holds every file's links to the same rule, and the site draws a
badge by kind; all of them ask here.
"""

from __future__ import annotations

import functools

import re
from urllib.parse import urlsplit, urlunsplit

from generator.errors import short
from generator.model import LinkKind
from generator.text import refusal, refused_character

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]+")
_URL_FORBIDDEN = set('<>"\\^`{|}')

SHORTENERS = frozenset({
    "bit.ly", "aka.ms", "rb.gy", "tiny.cc", "tinyurl.com", "t.co", "goo.gl", "is.gd",
    "ow.ly", "buff.ly", "shorturl.at", "cutt.ly",
})
CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
HF_HOSTS = frozenset({"huggingface.co", "hf.co"})
_HF_SECTIONS = {"datasets": LinkKind.HF_DATASET, "spaces": LinkKind.HF_SPACE,
                "collections": LinkKind.HF_COLLECTION}
_HF_NOT_MODELS = {"docs", "blog", "papers", "learn", "tasks", "join", "login", "pricing", "models"}


_TRAILING = ".,;:!?*'\""
_PAIRS = {")": "(", "]": "["}


def trim_url(url: str) -> str:
    """Strip the punctuation a sentence glued to a URL, keeping balanced brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        else:
            break
    return url


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable link (http or https, well formed), or None."""
    scheme = _SCHEME.match(url)
    if scheme is None:
        return f"expected an http or https URL (https://...), found {short(url)!r}"
    if scheme.group(1) not in ("http", "https"):
        found = f"the scheme '{scheme.group(0)}' in {short(url)!r}"
        return f"expected an http or https URL, found {found}"
    if not url[scheme.end() :].startswith("//"):
        return f"malformed URL {short(url)!r}: expected '//' after '{scheme.group(0)}'"
    if (refused := refused_character(url)) is not None:
        return f"malformed URL {short(url)!r}: found the {refusal(refused[0])[0]}"
    bad = next((c for c in url if c.isspace() or c in _URL_FORBIDDEN), None)
    if bad is not None:
        return f"malformed URL {short(url)!r}: found {bad!r}, which must be percent-encoded"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL {short(url)!r}: {exc}"
    host = parts.hostname or ""
    if not (_HOST.fullmatch(host) or (":" in host and parts.netloc.count("[") == 1)):
        return f"malformed URL {short(url)!r}: expected a host name like example.org after '//'"
    return None


@functools.lru_cache(maxsize=1 << 16)  # the site asks for every link of every paper, often
def is_web_url(url: str) -> bool:
    """Validation allows only http(s); the site checks again before it links (defense in depth)."""
    return urlsplit(url).scheme in ("http", "https") and not any(c.isspace() for c in url)


def arxiv_abs_url(arxiv_id: str) -> str:
    """The paper's abstract page on arXiv."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    """The paper's PDF on arXiv (its newest version)."""
    return f"https://arxiv.org/pdf/{arxiv_id}"


def canonical_url(url: str) -> str:
    """One spelling per target: https for code and HF hosts, no `.git`, no trailing slash."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.startswith("www.") and host[4:] in CODE_HOSTS | HF_HOSTS:
        host = host[4:]
    scheme = "https" if host in CODE_HOSTS | HF_HOSTS else parts.scheme
    path = parts.path
    if host in CODE_HOSTS:
        path = path.rstrip("/")
        if path.endswith(".git") and path.count("/") == 2:
            path = path[: -len(".git")]
    return urlunsplit((scheme, host, path, parts.query, parts.fragment))


def classify(url: str) -> LinkKind:
    """The kind of a link, which decides its badge."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in CODE_HOSTS:
        return LinkKind.CODE
    if host in HF_HOSTS:
        if segments and segments[0] in _HF_SECTIONS:
            return _HF_SECTIONS[segments[0]]
        if len(segments) >= 2 and segments[0] not in _HF_NOT_MODELS:
            return LinkKind.HF_MODEL
        return LinkKind.OTHER
    if host in SHORTENERS or host.endswith("arxiv.org"):
        return LinkKind.OTHER
    return LinkKind.PROJECT
