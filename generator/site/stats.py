"""The Stats page: papers per year and per topic, the share with code, and the upvote
distribution, each as a static SVG bar chart with the same numbers in a table.

Python decides the numbers and the geometry (plain dataclasses); the SVG comes from
the Jinja template `_bar_chart.svg`, drawn in `currentColor` so it follows the
palette. A chart whose data is too thin to mean anything is not drawn: the page
says so in a sentence and keeps the table.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from generator.model import Paper
from generator.site.orders import CatalogIndex
from generator.site.paperfacts import count_with_code

MIN_PAPERS = 20
"""A chart needs at least this many papers behind it, or it is a table only."""
MIN_BARS = 2
"""...and at least this many bars."""

WIDTH = 640
LABEL_WIDTH = 190
"""Room for the category labels left of the bars."""
VALUE_ROOM = 50
"""Room right of the longest bar for its value."""
BAR_HEIGHT = 18
BAR_GAP = 6
TOP = 10
AXIS_ROOM = 44
"""Below the bars: tick labels and the axis title."""
LABEL_CHARS = 30
"""A longer category label is cut (with …) in the chart; the table has it whole."""

UPVOTE_BUCKETS = ((0, 0), (1, 1), (2, 4), (5, 9), (10, 24), (25, 49), (50, 99), (100, None))
"""Upvote ranges, inclusive; None is open-ended."""


@dataclass(frozen=True)
class Bar:
    label: str
    """The category, cut to LABEL_CHARS for the chart."""
    full_label: str
    value: float
    shown: str
    """The value as printed: `12`, `45%`."""
    y: float
    width: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart and its table. `bars` is empty when the data is too thin."""

    id: str
    title: str
    description: str
    """What the chart shows, in a sentence: the SVG's <desc>."""
    category: str
    """The table's first column heading (`Year`, `Topic`)."""
    axis_label: str
    """The x axis title (`Papers`)."""
    rows: tuple[tuple[str, str], ...]
    """(category, value as printed) for the table, in chart order."""
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    thin: str | None
    """Why no chart is drawn, as a sentence for readers; None when it is."""
    height: float
    plot_bottom: float = 0.0
    plot_left: float = LABEL_WIDTH
    width: float = WIDTH
    bar_height: float = BAR_HEIGHT
    top: float = TOP


def _nice_step(top: float, target: int = 5) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about `target` ticks."""
    if top <= 0:
        return 1
    raw = top / target
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def chart(id: str, title: str, description: str, category: str, axis_label: str,
          data: list[tuple[str, float, str]], papers: int, what: str,
          top: float | None = None, unit: str = "") -> Chart:
    """A chart of `data` (label, value, value as printed), drawn from `papers` papers
    (`what` names them in the thin-data sentence); `top` fixes the axis end (100 for %)."""
    rows = tuple((label, shown) for label, _, shown in data)
    base = dict(id=id, title=title, description=description, category=category,
                axis_label=axis_label, rows=rows)
    if papers < MIN_PAPERS or len(data) < MIN_BARS:
        reason = (f"{what[0].upper()}{what[1:]}: {papers}. Too few for a chart to mean "
                  "anything, so here are the numbers." if papers else f"No {what} yet.")
        return Chart(**base, bars=(), ticks=(), thin=reason, height=0)
    end = top if top is not None else max(value for _, value, _ in data)
    step = _nice_step(end)
    end = math.ceil(end / step) * step if top is None else top
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = tuple(Bar(_cut(label), label, value, shown, TOP + i * (BAR_HEIGHT + BAR_GAP),
                     round(plot * value / end, 1) if end else 0)
                 for i, (label, value, shown) in enumerate(data))
    bottom = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP)
    ticks = tuple(Tick(round(LABEL_WIDTH + plot * (i * step) / end, 1),
                       f"{i * step:g}{unit}") for i in range(int(round(end / step)) + 1))
    return Chart(**base, bars=bars, ticks=ticks, thin=None, height=bottom + AXIS_ROOM,
                 plot_bottom=bottom)


def _bucket(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class Stats:
    """Everything the Stats page shows."""

    papers: int
    dated: int
    with_code: int
    voted: int
    charts: tuple[Chart, ...]

    @property
    def code_share(self) -> int:
        """Whole percent of papers with code."""
        return round(100 * self.with_code / self.papers) if self.papers else 0

    @classmethod
    def of(cls, index: CatalogIndex) -> Stats:
        papers: tuple[Paper, ...] = index.catalog.papers
        years = Counter(p.published.year for p in papers if p.published)
        dated = sum(years.values())
        per_year = chart("years", "Papers per year of publication",
                         f"{dated} of {len(papers)} papers have a publication date; bars count "
                         "them by year, oldest first.", "Year", "Papers",
                         [(str(y), n, str(n)) for y, n in sorted(years.items())],
                         dated, "papers with a publication date")
        topics = sorted(((t, len(index.by_topic.get(t.id, []))) for t in index.catalog.topics),
                        key=lambda tn: (-tn[1], tn[0].title.casefold()))
        topics = [(t, n) for t, n in topics if n]
        per_topic = chart("topics", "Papers per topic",
                          "Papers in each topic, the largest first; a paper can be in several "
                          "topics.", "Topic", "Papers",
                          [(t.title, n, str(n)) for t, n in topics], len(papers), "papers")
        code = []
        for t, n in topics:
            share = 100 * count_with_code(index.by_topic[t.id]) / n
            code.append((t.title, share, f"{round(share)}%"))
        code.sort(key=lambda row: -row[1])
        code_chart = chart("code", "Share of papers with code, per topic",
                           "The percentage of each topic's papers that link to their code, "
                           "the highest first.", "Topic", "Papers with code (%)", code,
                           len(papers), "papers", top=100, unit="%")
        votes = [p.upvotes for p in papers if p.upvotes is not None]
        buckets = [(_bucket(lo, hi), sum(1 for v in votes if v >= lo and (hi is None or v <= hi)))
                   for lo, hi in UPVOTE_BUCKETS]
        while buckets and buckets[-1][1] == 0:
            buckets.pop()
        upvotes = chart("upvotes", "Upvote distribution",
                        f"How many of the {len(votes)} papers with a Hugging Face upvote count "
                        "have how many upvotes.", "Upvotes", "Papers",
                        [(label, n, str(n)) for label, n in buckets], len(votes),
                        "papers with an upvote count")
        return cls(papers=len(papers), dated=dated, with_code=count_with_code(papers),
                   voted=len(votes), charts=(per_year, per_topic, code_chart, upvotes))
