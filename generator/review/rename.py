"""`python -m generator fmt --slugs`: slugs that end on a word, old ones kept as redirects.

A slug is an address readers have linked to, so a rename always adds the old
slug to the paper's `redirect_from` (the site then writes a page there that
leads to the new one). A paper whose slug ends on a stop word (`...-models-with`,
the mark of a title cut at SLUG_MAX characters by an older rule) gets the slug
without them (`identity.end_on_a_word`). Nothing changes when no slug needs it,
so the command can be run again after a merge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.identity import end_on_a_word, unique_slug
from generator.model import Paper
from generator.review.check import read_papers
from generator.store.atomic import write_atomic
from generator.store.paperfile import paper_to_yaml


@dataclass(frozen=True)
class Rename:
    old: Path
    new: Path


def stop_word_renames(papers: list[Paper]) -> dict[str, str]:
    """Old slug -> new slug for every paper whose slug ends on a stop word; a new slug is
    never one that a paper has or had (`-2`, `-3`, ... then)."""
    taken = {p.slug for p in papers} | {old for p in papers for old in p.redirect_from}
    renames = {}
    for paper in sorted(papers, key=lambda p: p.slug):
        if end_on_a_word(paper.slug) != paper.slug:
            renames[paper.slug] = new = unique_slug(paper.slug, taken)
            taken.add(new)
    return renames


def rename_stop_word_slugs(content_dir: Path, *, dry_run: bool = False) -> list[Rename]:
    """Rename every paper whose slug ends on a stop word, its old slug added to its
    `redirect_from`. The new files are written (all or none), then the old ones removed."""
    papers_dir = Path(content_dir) / "papers"
    papers = read_papers(content_dir)
    by_slug = {p.slug: p for p in papers}
    files: dict[Path, str] = {}
    done = []
    for old, new in stop_word_renames(papers).items():
        paper = by_slug[old]
        moved = dataclasses.replace(paper, slug=new, redirect_from=(*paper.redirect_from, old))
        files[papers_dir / f"{new}.yml"] = paper_to_yaml(moved)
        done.append(Rename(papers_dir / f"{old}.yml", papers_dir / f"{new}.yml"))
    if not dry_run:
        write_atomic(files)
        for rename in done:
            rename.old.unlink()
    return done
