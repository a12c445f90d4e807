"""The one URL rule (`generator.links.url_problem`): what a link on the site may be.

The addresses below are written from the standards, not from the code: RFC 1918 (10/8,
172.16/12, 192.168/16), RFC 3927 (169.254/16), RFC 4193 (fc00::/7), RFC 6761 (`localhost`
and every `.localhost` name), and the WHATWG URL standard's IPv4 parser, by which a
browser reads any host whose last label is a number as an IPv4 address, each part
decimal, octal (a leading 0) or hexadecimal (0x), the last part filling the rest.
"""

from __future__ import annotations

import pytest

from generator.links import url_problem
from generator.site.templating import linked

LOCAL = [
    ("http://localhost/", "this computer (localhost)"),
    ("https://LocalHost:8443/x", "this computer (localhost)"),
    ("http://localhost./", "this computer (localhost)"),
    ("http://api.localhost/", "this computer (localhost)"),
    ("http://ｌｏｃａｌｈｏｓｔ/", "this computer (localhost)"),  # full-width: browsers fold it
    ("http://127.0.0.1/", "the loopback address 127.0.0.1"),
    ("http://127.255.255.254:9/", "the loopback address 127.255.255.254"),
    ("http://[::1]/", "the loopback address ::1"),
    ("http://[0:0:0:0:0:0:0:1]/", "0:0:0:0:0:0:0:1, which is the loopback address ::1"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1, which is the loopback address 127.0.0.1"),
    ("http://0.0.0.0/", "the unspecified address 0.0.0.0"),
    ("http://[::]/", "the unspecified address ::"),
    ("http://10.255.0.1/", "the private address 10.255.0.1"),
    ("http://172.16.0.1/", "the private address 172.16.0.1"),
    ("http://172.31.255.255/", "the private address 172.31.255.255"),
    ("http://192.168.0.1/", "the private address 192.168.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "the link-local address 169.254.169.254"),
    ("http://[fe80::1]/", "the link-local address fe80::1"),
    ("http://[fc00::1]/", "the private address fc00::1"),
    ("http://[fdff:ffff::1]/", "the private address fdff:ffff::1"),
    # 127 * 2**24 + 1; 0x7f then 1 filling three bytes; octal 0177; two parts; a trailing dot.
    ("http://2130706433/", "2130706433, which is the loopback address 127.0.0.1"),
    ("http://0x7f.1/", "0x7f.1, which is the loopback address 127.0.0.1"),
    ("http://0x7F000001/", "0x7f000001, which is the loopback address 127.0.0.1"),
    ("http://0177.0.0.1/", "0177.0.0.1, which is the loopback address 127.0.0.1"),
    ("http://127.1/", "127.1, which is the loopback address 127.0.0.1"),
    ("http://127.0.0.1./", "127.0.0.1., which is the loopback address 127.0.0.1"),
    ("http://10.0x10203/", "10.0x10203, which is the private address 10.1.2.3"),
    ("http://３２３２２３５５２１/", "３２３２２３５５２１, which is the private address 192.168.0.1"),
]


@pytest.mark.parametrize(("url", "what"), LOCAL)
def test_a_link_into_the_readers_own_network_is_refused(url: str, what: str) -> None:
    assert url_problem(url) == f"a link to {what} ({url!r}); expected a host on the public internet"


@pytest.mark.parametrize("url", [u for u, _ in LOCAL])
def test_a_service_endpoint_may_be_local(url: str) -> None:
    """HF_ENDPOINT and PAPER_INDEX_ARXIV_API point at a fake service on 127.0.0.1 in the tests."""
    problem = url_problem(url, local=True)
    assert problem is None or problem.startswith("malformed URL"), problem


@pytest.mark.parametrize(
    "url",
    ["https://github.com@127.0.0.1:9/o/r", "https://user:secret@example.org/", "https://@example.org/",
     "https://github.com%40evil.example@evil.example/"],
)
def test_a_user_name_before_the_host_is_refused(url: str) -> None:
    problem = url_problem(url)
    assert problem is not None and problem.startswith(f"a URL with a user name before its host ({url!r})")


@pytest.mark.parametrize(
    ("url", "why"),
    [("http://example.123/", "the host 'example.123' ends in a number, so a browser reads it as an IPv4 "
                             "address, and 'example' is not a number"),
     ("http://1.2.3.4.5/", "the host '1.2.3.4.5' ends in a number, so a browser reads it as an IPv4 "
                           "address, and it is none"),
     ("http://256.1.1.1/", "the host '256.1.1.1' ends in a number, so a browser reads it as an IPv4 "
                           "address, and it is none"),
     ("http://08.8.8.8/", "the host '08.8.8.8' is not an IPv4 address: '08' is not a number in base 8"),
     ("http://0x8.8.8.8/", "expected the address 0x8.8.8.8 written as 8.8.8.8"),
     ("http://134744072/", "expected the address 134744072 written as 8.8.8.8")],
)
def test_a_host_a_browser_reads_as_another_address_is_malformed(url: str, why: str) -> None:
    assert url_problem(url) == f"malformed URL {url!r}: {why}"


@pytest.mark.parametrize(
    "url",
    ["https://github.com/o/r", "https://8.8.8.8/", "http://172.32.0.1/", "http://172.15.255.255/",
     "http://[2606:4700:4700::1111]/", "https://localhost.example.org/", "https://my-localhost.org/",
     "https://example.org/a@b", "https://example.org/?next=http://127.0.0.1/", "https://café.example/"],
)
def test_a_public_link_is_accepted(url: str) -> None:
    assert url_problem(url) is None


def test_an_abstract_links_only_public_urls() -> None:
    text = "Code: https://github.com/o/r, demo at http://127.0.0.1:7860/ and https://github.com@10.0.0.1/x."
    assert [href for _, href in linked(text) if href] == ["https://github.com/o/r"]
