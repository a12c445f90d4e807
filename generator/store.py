"""Read and write `content/papers/<slug>.yml`: stable formatting, atomic writes.

The files are edited by hand in pull requests, so the writer aims at small,
readable diffs: a fixed key order, block style, and the abstract as a folded
paragraph instead of one 1,500-character line.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from generator.errors import ContentError, Problem
from generator.model import PAPER_KEYS, Catalog, Link, Paper

SLUG_MAX = 80
FOLD_AT = 78
"""Long text fields are folded to lines of about this width."""


class _StringLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's, when present) that leaves dates as strings."""


_StringLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Folded(str):
    """A string the dumper writes as a folded block (`>-`)."""


def _represent_folded(dumper: yaml.SafeDumper, value: _Folded) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")


_Dumper.add_representer(_Folded, _represent_folded)


def load_yaml(text: str) -> Any:
    """Parse YAML with dates kept as strings. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_StringLoader)  # noqa: S506 - a SafeLoader subclass


def slug_for(title: str, taken: set[str]) -> str:
    """A slug for a new paper: python-slugify, at most 80 characters, unique."""
    base = slugify(title, max_length=SLUG_MAX, word_boundary=True) or "paper"
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


def paper_to_mapping(paper: Paper) -> dict[str, Any]:
    """The paper as the mapping written to its file: empty fields are left out."""
    values: dict[str, Any] = {
        "title": paper.title,
        "abstract": _Folded(paper.abstract) if len(paper.abstract) > FOLD_AT else paper.abstract,
        "authors": list(paper.authors),
        "author_count": paper.author_count,
        "published": paper.published,
        "upvotes": paper.upvotes,
        "arxiv": paper.arxiv,
        "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
        "topics": list(paper.topics),
        "note": _Folded(paper.note) if paper.note and len(paper.note) > FOLD_AT else paper.note,
        "sources": list(paper.sources),
        "added": paper.added,
        "redirect_from": list(paper.redirect_from),
    }
    return {key: values[key] for key in PAPER_KEYS if values[key] not in (None, [], "")}


def paper_to_yaml(paper: Paper) -> str:
    """The canonical text of a paper file; the same paper always gives the same bytes."""
    text = yaml.dump(
        paper_to_mapping(paper),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=FOLD_AT,
    )
    if load_yaml(text) != _as_loaded(paper_to_mapping(paper)):
        # PyYAML cannot fold every string faithfully; fall back to its own choice.
        mapping = {k: str(v) if isinstance(v, _Folded) else v for k, v in paper_to_mapping(paper).items()}
        text = yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=FOLD_AT)
    return text


def _as_loaded(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, str) else v)
            for k, v in mapping.items()}


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def paper_from_mapping(slug: str, data: dict[str, Any]) -> Paper:
    """Build a Paper from a file's mapping. Assumes it passed validation."""
    return Paper(
        slug=slug,
        title=str(data["title"]).strip(),
        abstract=" ".join(str(data["abstract"]).split()),
        authors=tuple(str(a).strip() for a in data.get("authors") or ()),
        author_count=data.get("author_count"),
        published=_date(data.get("published")),
        upvotes=data.get("upvotes"),
        arxiv=str(data["arxiv"]) if data.get("arxiv") else None,
        links=tuple(Link(url=str(link["url"]), kind=str(link["kind"])) for link in data.get("links") or ()),
        topics=tuple(data.get("topics") or ()),
        note=str(data["note"]).strip() if data.get("note") else None,
        sources=tuple(data.get("sources") or ()),
        added=_date(data.get("added")),
        redirect_from=tuple(data.get("redirect_from") or ()),
    )


def paper_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / "papers").glob("*.yml"))


def read_papers(content_dir: Path) -> list[Paper]:
    """Every paper file, parsed without the full review `check` does.

    Used by the import, which must refuse to merge into files it cannot read.
    """
    papers, problems = [], []
    for path in paper_files(content_dir):
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "title" not in data or "abstract" not in data:
                raise ValueError("expected a mapping with at least `title` and `abstract`")
            papers.append(paper_from_mapping(path.stem, data))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            problems.append(Problem(str(path), line, col, "error", f"YAML syntax error: {exc.problem}"))
        except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 1, 1, "error", f"cannot read paper file: {exc}"))
    if problems:
        raise ContentError(problems)
    return papers


def load_catalog(content_dir: Path) -> Catalog:
    """All of `content/`, validated: the one entry point for the build."""
    from generator.topics import load_topics
    from generator.validate import check_content

    problems = check_content(content_dir)
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    topics, fallback = load_topics(content_dir / "topics.yml")
    papers = sorted(read_papers(content_dir), key=lambda p: p.slug)
    return Catalog(papers=tuple(papers), topics=topics, fallback_topic=fallback)


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file or none: all temporary files first, then the renames."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((temp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except BaseException:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        raise
    for temp, path in temps:
        os.replace(temp, path)
