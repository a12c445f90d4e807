"""What is new here: a paper that enters the index today tops feed.xml, its topics'
feeds and the home page's "Newest papers", whether it was published years ago or has
no date at all.

The site is built from a copy of the committed content/ with two papers added on one
day: helpers.TODAY (the day conftest.py pins for `new`), or the day after the newest
`added` of the committed papers if a contributor's papers are newer than that. One comes
through `new`, undated, as a contributor adds one, and one is written with a publication
date years back. Expected orders come from the content files (PyYAML), never from the
generator.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from generator import clock
from helpers import CONTENT, TODAY, cli, mkdocs_config_for, shown_topics
from test_downloads import stamp
from test_feeds import SITE_URL, assert_newest_added
from test_site import content_papers

OLD_BUT_NEW = "a-2019-paper-listed-today"


@functools.cache
def added_on() -> dt.date:
    """The day the two papers are added: TODAY, or after every committed paper's `added`."""
    return max([TODAY] + [d["added"] + dt.timedelta(days=1) for d in content_papers(CONTENT).values()])


def _slugs(feed: Path) -> list[str]:
    entries = feedparser.parse(feed.read_bytes()).entries
    return [re.fullmatch(re.escape(SITE_URL) + r"papers/([a-z0-9-]+)/", e.link).group(1) for e in entries]


def _home_newest(docs: Path) -> list[str]:
    page = (docs / "index.md").read_text(encoding="utf-8")
    block = re.search(r'<ol class="pi-items" markdown="block">(.*?)</ol>', page, re.S)
    assert block, "the home page has no Newest papers"
    return re.findall(r"\]\(papers/([a-z0-9-]+)\.md\)\n\{ \.pi-item__title \}", block.group(1))


@pytest.fixture(scope="module")
def added_today(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """(content, docs, the slugs of the two papers added today)."""
    work = tmp_path_factory.mktemp("whats_new")
    content = work / "content"
    shutil.copytree(CONTENT, content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(clock.VARIABLE, str(clock.epoch_of(added_on())))
        code, out, err = cli("--content", content, "new", "--title", "Sparse Mixtures of Tiny Vision Experts",
                             "--abstract", "We route image patches to tiny experts and match dense "
                             "vision transformers at a tenth of their compute on three image benchmarks.",
                             "--topic", "vision")
    assert code == 0, out + err
    undated = re.search(r"papers/([a-z0-9-]+)\.yml", out + err).group(1)
    (content / "papers" / f"{OLD_BUT_NEW}.yml").write_text(yaml.safe_dump({
        "title": "A 2019 Paper Listed Today",
        "abstract": "An image classifier from 2019 that a curator added to the index today.",
        "published": "2019-03-04",
        "topics": ["vision"],
        "added": added_on().isoformat(),
    }, sort_keys=False), encoding="utf-8")
    code, out, err = cli("--content", content, "build", "--out", work / "docs", "-f", mkdocs_config_for(work))
    assert code == 0, out + err
    return content, work / "docs", [OLD_BUT_NEW, undated]


def test_new_papers_top_the_site_feed(added_today: tuple[Path, Path, list[str]]) -> None:
    content, docs, new = added_today
    papers = content_papers(content)
    assert all(papers[s]["added"] == added_on() for s in new)
    assert papers[OLD_BUT_NEW]["published"].year == 2019 and not papers[new[1]].get("published")
    # Many committed papers were published after 2019: a feed by publication date would bury it.
    assert sum(1 for d in papers.values() if d.get("published") and d["published"].year > 2019) > 20
    got = _slugs(docs / "feed.xml")
    assert got[:2] == new  # the same day: the dated one first
    assert_newest_added(got, papers)
    parsed = feedparser.parse((docs / "feed.xml").read_bytes())
    assert parsed.entries[0].updated == parsed.entries[1].updated == parsed.feed.updated == stamp(added_on())
    assert parsed.entries[0].published == stamp(papers[OLD_BUT_NEW]["published"])
    assert "published" not in parsed.entries[1]
    assert all(e.updated < stamp(added_on()) for e in parsed.entries[2:])


def test_new_papers_top_their_topic_feeds(added_today: tuple[Path, Path, list[str]]) -> None:
    content, docs, new = added_today
    papers = content_papers(content)
    for topic in sorted({t for s in new for t in shown_topics(papers[s])}):
        mine = {s: d for s, d in papers.items() if topic in shown_topics(d)}
        got = _slugs(docs / "topics" / topic / "feed.xml")
        assert set(got[:2]) == {s for s in new if topic in shown_topics(papers[s])}, topic
        assert_newest_added(got, mine)


def test_new_papers_top_the_home_page(added_today: tuple[Path, Path, list[str]]) -> None:
    content, docs, new = added_today
    shown = _home_newest(docs)
    assert shown[:2] == new
    assert_newest_added(shown, content_papers(content))
