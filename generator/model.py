"""The records that flow through the pipeline, and the one definition of a paper's fields.

Every stage takes and returns these frozen dataclasses, so a later stage never
depends on how an earlier one parsed or stored anything.

A paper field is declared once, on `Paper`, with a `FieldSpec` in its metadata:
its kind, its documentation and how an import merges it. The store's YAML
mapping, the review's checks, the JSON Schema, papers.json and the field
tables in the docs are all derived from `PAPER_FIELDS`, so adding a field
means adding it here and to the template that shows it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from generator.text import ABSTRACT_MAX, ABSTRACT_WARN


TITLE_MAX = 500
"""The most characters in a title: arXiv's longest run to about 300."""
AUTHORS_MAX = 5_000
"""The most authors a paper may list: the largest collaborations on arXiv name a few
thousand, and the Hub once answered with 100,000."""
AUTHOR_NAME_MAX = 200
"""The most characters in one author's name (a collaboration's name included)."""
UPVOTES_MAX = 1_000_000
"""The most upvotes a paper may have: the Hub's most upvoted papers have a few thousand."""
EARLIEST_DATE = dt.date(1990, 1, 1)
"""No paper of the index is dated before this (arXiv itself opened in 1991)."""

DAILY_SOURCE_PREFIX = "hf-daily-"
"""A paper's source for a day of the Hub's Daily Papers is this plus the day,
`hf-daily-2025-12-10` (written by `import --hf-daily`, named for readers by the site)."""
PASTED_SOURCE_PREFIX = "pasted-"
"""A paper's source for cards a contributor pasted into `new` is this plus the day,
`pasted-2026-12-04` (named for readers by the site: "Pasted by a contributor, ...")."""


class LinkKind(StrEnum):
    """What a link points to. The order is the order badges are shown in."""

    label: str
    """The badge's generic label."""
    icon: str
    """A Material icon path (`material/github`) for the badge."""
    description: str
    """What the kind means, in a reviewer's words."""

    def __new__(cls, value: str, label: str, icon: str, description: str) -> LinkKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.icon, member.description = label, icon, description
        return member

    CODE = "code", "Code", "material/github", "a code repository"
    HF_MODEL = "hf-model", "Model", "material/cube-outline", "a Hugging Face model"
    HF_DATASET = "hf-dataset", "Dataset", "material/database", "a Hugging Face dataset"
    HF_SPACE = "hf-space", "Space", "material/rocket-launch", "a Hugging Face Space"
    HF_COLLECTION = ("hf-collection", "Collection", "material/folder-multiple",
                     "a Hugging Face collection")
    PROJECT = "project", "Project page", "material/web", "a project page"
    OTHER = "other", "Link", "material/link-variant", "a web page"


CODE_HOST_ICONS = {"github.com": LinkKind.CODE.icon, "gitlab.com": "simple/gitlab"}
"""The icon of a code link by its host; a code link to any other host shows CODE_ICON."""
CODE_ICON = "material/code-braces"


class BadgeKind(StrEnum):
    """A badge the site adds to a paper page beside its own links: arXiv's pages when the
    paper has an arXiv id, else searches for its title. The order is the order shown."""

    label: str
    """The badge's label."""
    icon: str
    """A Material icon path for the badge."""

    def __new__(cls, value: str, label: str, icon: str) -> BadgeKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.icon = label, icon
        return member

    ARXIV = "arxiv", "arXiv", "simple/arxiv"
    PDF = "pdf", "PDF", "material/file-pdf-box"
    HF_PAPER = "hf-paper", "HF Papers", "simple/huggingface"
    ARXIV_SEARCH = "arxiv-search", "Find on arXiv", "simple/arxiv"
    HF_SEARCH = "hf-search", "Find on Hugging Face", "simple/huggingface"


BADGE_ICONS = frozenset({kind.icon for kind in LinkKind} | {kind.icon for kind in BadgeKind}
                        | set(CODE_HOST_ICONS.values()) | {CODE_ICON})
"""Every icon a badge can show, derived from the tables above: the icon stylesheet holds
them all, so no badge can lack its icon."""


class Kind(Enum):
    """The shape of a paper field's value; each stage has one rule per kind."""

    LINE = "a line of text"
    PROSE = "a paragraph of text; whitespace is collapsed"
    PARAGRAPHS = "text; blank lines separate paragraphs"
    NAMES = "a list of names"
    COUNT = "a whole number"
    DATE = "a quoted date, 'YYYY-MM-DD'"
    ARXIV = "an arXiv id"
    CATEGORY = "an arXiv category"
    LINKS = "a list of links, each a url and a kind"
    TOPICS = "a list of topic ids from topics.yml"
    PROPOSALS = "a list of proposed topics, each a topic id from topics.yml and a confidence"
    LABELS = "a list of distinct names"
    SLUGS = "a list of old slugs"


class Merge(Enum):
    """What an import does with a field the paper's file already has."""

    KEEP = "never changed by an import"
    REIMPORT = ("never changed by an import, unless `import --reimport SLUG` names the paper: "
                "then it is read anew from the first listing that holds it")
    FILL = "filled in by an import only when missing"
    REFRESH = "refreshed by an import from a listing at least as new as `added`"
    UNION = "an import adds new values"
    BY_KIND = "an import adds a link of a kind the paper has no link of"
    PROPOSED = ("proposed for each new paper an import or `new` writes, and for a paper whose "
                "text `--reimport` reads anew; for every paper by `topics refresh`; left out when "
                "`topics` is set")


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    doc: str
    """One line for the docs and the JSON Schema."""
    required: bool = False
    merge: Merge = Merge.FILL
    minimum: int | None = None
    """For COUNT fields."""
    maximum: int | None = None
    """For COUNT fields, the largest number `check` accepts."""
    items: str = ""
    """For list fields, what the list holds, in a reviewer's words: `author names`."""
    max_items: int | None = None
    """For list fields, the most items `check` accepts."""
    max_length: int | None = None
    """For text fields, the most characters `check` accepts; for a list of names, the most
    characters in each name."""
    earliest: dt.date | None = None
    """For DATE fields, the earliest date `check` accepts."""
    not_after: str | None = None
    """For DATE fields, another date field of the paper that this one may not be after."""
    warn_length: int | None = None
    """For text fields, the length above which `check` warns."""


def _field(kind: Kind, doc: str, *, required: bool = False, **spec: Any) -> Any:
    metadata = {"spec": FieldSpec(kind, doc, required, **spec)}
    if required:
        return dataclasses.field(metadata=metadata)
    default: Any = None if kind in _SCALARS else ()
    return dataclasses.field(default=default, metadata=metadata)


_SCALARS = {Kind.LINE, Kind.PROSE, Kind.PARAGRAPHS, Kind.COUNT, Kind.DATE, Kind.ARXIV,
            Kind.CATEGORY}


@dataclass(frozen=True)
class Link:
    url: str
    kind: LinkKind


@dataclass(frozen=True)
class Proposal:
    """A topic the proposer (generator.topics.propose) gives a paper no curator has read."""

    topic: str
    confidence: float | None = None
    """The model's probability that a curator gives the paper this topic, rounded to two
    places; None when there were too few curated papers to train on (the rules alone)."""


@dataclass(frozen=True)
class RawEntry:
    """One entry as a source gave it (a listing's parser, the Hub's Daily Papers), before any
    cleaning."""

    title: str
    abstract: str
    source: str
    """The listing's name, e.g. `002_a5cf91813e7d014e`."""
    line: int
    """1-based line of the title in the listing, for error messages."""
    abstract_line: int | None = None
    """1-based line of the abstract in the listing, when it has one."""
    author_count: int | None = None
    date_text: str | None = None
    """The date as printed (`Sep 27`, `Oct 19, 2022`), resolved later."""
    upvotes: int | None = None
    authors: tuple[str, ...] = ()
    """Author names, when the source lists them (the Hub's Daily Papers do)."""
    published: dt.date | None = None
    """The publication date, when the source gives it as a date."""
    arxiv: str | None = None
    """The arXiv id, when the source gives it beside the text."""
    urls: tuple[str, ...] = ()
    """Links the source gives beside the text (the Hub's code repository and project page)."""
    submitter: str | None = None
    """Who submitted the paper to Daily Papers (`Submitted by akhaliq`); not stored in the
    paper file, but read so that the line is never taken for a title."""


@dataclass(frozen=True)
class Paper:
    """One paper: a file `content/papers/<slug>.yml`. The fields below, in file order."""

    slug: str
    """The file name without `.yml`; also the page URL. Stable once set."""
    title: str = _field(
        Kind.LINE,
        "The paper's title as readers should see it: Unicode, no LaTeX.",
        required=True,
        merge=Merge.REIMPORT,
        max_length=TITLE_MAX,
    )
    abstract: str = _field(
        Kind.PROSE,
        "The abstract as published. Long text is written as a folded block (`>-`): line "
        "breaks inside it are spaces.",
        required=True,
        merge=Merge.REIMPORT,
        max_length=ABSTRACT_MAX,
        warn_length=ABSTRACT_WARN,
    )
    authors: tuple[str, ...] = _field(
        Kind.NAMES,
        'Author names, in order.',
        items="author names",
        max_items=AUTHORS_MAX,
        max_length=AUTHOR_NAME_MAX,
    )
    author_count: int | None = _field(
        Kind.COUNT,
        'How many authors the listing showed, when the names are not known.',
        minimum=1,
        maximum=AUTHORS_MAX,
    )
    published: dt.date | None = _field(
        Kind.DATE,
        'The publication date.',
        earliest=EARLIEST_DATE,
        not_after="added",
    )
    upvotes: int | None = _field(
        Kind.COUNT,
        'Hugging Face upvotes at the time of the newest listing or `enrich` lookup.',
        minimum=0,
        maximum=UPVOTES_MAX,
        merge=Merge.REFRESH,
    )
    arxiv: str | None = _field(
        Kind.ARXIV,
        "The arXiv id without a version, such as `'2306.04751'`. Quote it, or YAML reads "
        "it as a number.",
    )
    arxiv_category: str | None = _field(
        Kind.CATEGORY,
        "The paper's primary arXiv category, such as `cs.CL`: BibTeX's `primaryClass`.",
    )
    links: tuple[Link, ...] = _field(
        Kind.LINKS,
        "The authors' code, models, datasets, demos and project pages. A `url` is http or"
        " https, and its `kind` must fit the URL (`check` names the right one).",
        items="links (url, kind)",
        merge=Merge.BY_KIND,
    )
    topics: tuple[str, ...] = _field(
        Kind.TOPICS,
        "The topics a curator chose: ids from `content/topics.yml`, the best first. When set,"
        " they are the paper's topics, and no rule changes them.",
        items="topic ids",
        merge=Merge.KEEP,
    )
    proposed_topics: tuple[Proposal, ...] = _field(
        Kind.PROPOSALS,
        "The topics the proposer gives the paper (the rules in `content/topics.yml` and a model "
        "trained on the curators' topics), the best first, each with its confidence: its topics "
        "until a curator sets `topics`. Written by the tools; don't edit it.",
        items="proposed topics (topic, confidence)",
        merge=Merge.PROPOSED,
    )
    note: str | None = _field(
        Kind.PARAGRAPHS,
        "A short curator's note, shown on the paper page.",
    )
    sources: tuple[str, ...] = _field(
        Kind.LABELS,
        "Where the paper came from: the listings it was imported from (file names without "
        "`.txt`), `hf-daily-YYYY-MM-DD` for a day of Daily Papers, `pasted-YYYY-MM-DD` for "
        "cards pasted into `new`. Leave these alone.",
        items="listing names",
        merge=Merge.UNION,
    )
    added: dt.date | None = _field(
        Kind.DATE,
        'The capture date (`--as-of`) of the listing that first brought the paper in.',
        earliest=EARLIEST_DATE,
    )
    redirect_from: tuple[str, ...] = _field(
        Kind.SLUGS,
        "Old slugs of this paper, after a rename or a merge. Their addresses keep working"
        " and lead here.",
        items="old slugs",
        merge=Merge.KEEP,
    )

    @property
    def shown_topics(self) -> tuple[str, ...]:
        """The paper's topics as readers see them: the curator's, else the proposed ones."""
        return self.topics or tuple(p.topic for p in self.proposed_topics)

    @property
    def curated_topics(self) -> bool:
        """True when a curator chose the topics, so that no proposal replaces them."""
        return bool(self.topics)


PAPER_FIELDS: tuple[tuple[str, FieldSpec], ...] = tuple(
    (f.name, f.metadata["spec"]) for f in dataclasses.fields(Paper) if "spec" in f.metadata
)
"""Every field of a paper file with its spec, in the order the store writes them."""
PAPER_KEYS = tuple(name for name, _ in PAPER_FIELDS)
REQUIRED_KEYS = tuple(name for name, spec in PAPER_FIELDS if spec.required)
RETIRED_KEYS = {"rule_topics": "proposed_topics"}
"""Keys paper files once had, and the field that took over: `check` names the new one, and
`topics refresh` rewrites such a file (the rules' topics became proposals with a confidence)."""


class RuleKind(StrEnum):
    """How a topic rule's text is matched (see `generator.topics.assign`)."""

    KEYWORD = "keywords"
    """A phrase, whole words, ignoring case; a plural `s`/`es` and a hyphen for a space match."""
    ACRONYM = "acronyms"
    """A phrase matched with its exact case (CLIP, GLUE); a plural `s` matches."""
    TITLE_KEYWORD = "title_keywords"
    """A KEYWORD that counts only in the title: a word too generic to count in an abstract."""
    PATTERN = "patterns"
    """A Python regular expression, ignoring case unless it says `(?-i:...)`."""


@dataclass(frozen=True)
class TopicRule:
    """One rule of a topic: a hit adds `weight` to the topic's score."""

    kind: RuleKind
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    rules: tuple[TopicRule, ...] = ()
    """What gives a paper this topic, each with its weight."""
    exclude: tuple[str, ...] = ()
    """Phrases (ignoring case) whose text never counts for this topic: `code is available`
    is not the code domain."""
    icon: str | None = None
    """A Material icon shortcode name such as `material-magnify`."""
    redirect_from: tuple[str, ...] = ()
    """Old ids of this topic, after a rename or a merge: their pages lead here."""


@dataclass(frozen=True)
class Scoring:
    """How rule hits become topics; `scoring:` in topics.yml overrides any of these."""

    title_weight: float = 3.0
    """A rule that hits the title adds its weight this many times."""
    abstract_cap: int = 3
    """At most this many hits of one rule in the abstract count (one weight each)."""
    min_score: float = 3.0
    """The score a topic needs to be assigned."""
    min_best: float | None = None
    """A paper no topic gives `min_score` still gets its best topic if it scores this much,
    rather than the fallback topic (None: the fallback topic)."""
    second_ratio: float = 0.0
    """The second topic also needs this fraction of the best one's score."""
    third_ratio: float | None = None
    """The third topic and later ones need this fraction of the best score (None: as the
    second)."""
    max_topics: int = 3
    """The most topics a paper gets from the rules."""


@dataclass(frozen=True)
class TopicRules:
    """content/topics.yml: the topics, the fallback topic and how rule hits are scored."""

    topics: tuple[Topic, ...]
    fallback: str | None = None
    """The topic given to a paper that no rule gives a topic."""
    scoring: Scoring = Scoring()


@dataclass(frozen=True)
class Catalog:
    """Everything in `content/`, loaded and validated."""

    papers: tuple[Paper, ...]
    topics: tuple[Topic, ...]
    fallback_topic: str | None = None
    """The topic given to a paper that matches no rule."""
