"""What a link is: whether it is acceptable, its one canonical spelling, and its kind.

The import classifies the links it finds, `new` classifies the ones it is
given, `check` holds every file's links to the same rule, and the site draws a
badge by kind; all of them ask here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from ipaddress import IPv4Address, IPv6Address, ip_address
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


def url_problem(url: str, *, local: bool = False) -> str | None:
    """Why `url` is not an acceptable link, or None: http or https, well formed, with no
    user name before its host and, unless `local` (a service endpoint a test or a mirror
    runs on this machine), a host on the public internet.

    Every place that takes a URL asks here: `check`, the import, `new`, `enrich`, and the
    site before it links a URL in an abstract."""
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
    if "@" in parts.netloc:
        return (f"a URL with a user name before its host ({short(url)!r}): it leads to "
                f"{parts.hostname or 'no host'}, not to what stands before the '@'; expected the "
                "host right after '//'")
    host = parts.hostname or ""
    try:
        address = _address(host)
    except ValueError as exc:
        return f"malformed URL {short(url)!r}: {exc}"
    if not local and (why := _local(host, address)) is not None:
        return f"a link to {why} ({short(url)!r}); expected a host on the public internet"
    if address is None and not _HOST.fullmatch(host):
        return f"malformed URL {short(url)!r}: expected a host name like example.org after '//'"
    if address is not None and address.version == 4 and host != str(address):
        return f"malformed URL {short(url)!r}: expected the address {host} written as {address}"
    return None


_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_IPV4_PART = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")


def _browser_host(host: str) -> str:
    """The host as a browser's IDNA mapping reads it (close enough for the names and
    numbers below): full-width forms folded, case folded, ideographic dots as dots."""
    return unicodedata.normalize("NFKC", host).translate(_DOTS).casefold()


def _address(host: str) -> IPv4Address | IPv6Address | None:
    """The IP address a browser connects to for `host`, or None for a name. Like the WHATWG
    URL standard, a host whose last label is a number is an IPv4 address in any of its
    spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`); ValueError when it is not one."""
    if ":" in host:
        address = ip_address(host)  # ValueError for a bad IPv6 literal
        return address.ipv4_mapped or address if isinstance(address, IPv6Address) else address
    labels = _browser_host(host).split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not _IPV4_PART.fullmatch(labels[-1]):
        return None
    numbers = []
    for label in labels:
        if not _IPV4_PART.fullmatch(label):
            raise ValueError(f"the host {host!r} ends in a number, so a browser reads it as an "
                             f"IPv4 address, and {label!r} is not a number")
        base = 16 if label[1:2] in ("x", "X") else 8 if len(label) > 1 and label[0] == "0" else 10
        digits = label[2:] if base == 16 else label
        try:
            numbers.append(int(digits or "0", base))
        except ValueError:
            raise ValueError(f"the host {host!r} is not an IPv4 address: {label!r} is not a "
                             f"number in base {base}") from None
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"the host {host!r} ends in a number, so a browser reads it as an IPv4 "
                         "address, and it is none")
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return IPv4Address(value)


_LOCAL_KINDS = ("loopback", "unspecified", "link_local", "private", "multicast", "reserved")


def _local(host: str, address: IPv4Address | IPv6Address | None) -> str | None:
    """What makes `host` a host on this machine or a private network, or None."""
    if address is None:
        name = _browser_host(host).rstrip(".")
        return "this computer (localhost)" if name == "localhost" or name.endswith(".localhost") else None
    kind = next((k for k in _LOCAL_KINDS if getattr(address, f"is_{k}")), None)
    if kind is None and not address.is_global:
        kind = "non-public"
    shown = "" if host == str(address) else f"{host}, which is "
    return f"{shown}the {kind.replace('_', '-')} address {address}" if kind else None


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
