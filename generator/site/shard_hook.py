"""MkDocs hook of a shard's config (written by `generator.site.shards`): build only the
paper pages whose file names fall in the shard's range, and, except in the first shard,
no other page.

A range test per file, rather than `exclude_docs` patterns: a count-balanced cut falls
between any two file names, and the gitignore patterns for "between these two names"
grow with the names' length and are matched against every file of the docs folder.
The pages left out are marked EXCLUDED, exactly as `exclude_docs` marks them.

A page whose Markdown is empty, as every paper page's is (its body is HTML in its
front matter, templates/paper_body.html), is rendered without building a
Python-Markdown object: MkDocs 1.6 builds one with every extension for each page
(half a millisecond, a sixth of a paper page's time), and for blank Markdown it
converts to nothing, with no table of contents, title or anchors. And the front
matter the generator wrote is read as the JSON it is (`frontmatter.read_generated`):
PyYAML's constructor took a tenth of a paper page's time. Both replace functions of
the pinned MkDocs in shard processes only (`on_startup`), and tests/test_shards.py
compares the sharded site with a plain `mkdocs build` byte for byte.

The theme's `fragment`s (markup that depends on the config and the page's depth
alone, such as the header's logo, search box and repository link) are rendered once
for all paper pages of a shard, rather than once per page (`on_env`).
"""

from __future__ import annotations

import logging
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from generator.site.frontmatter import read_generated

CONFIG_KEY = "paper_index_shard"
"""The key under `extra:` that holds the shard's range."""


_render = Page.render


def _render_blank_without_markdown(self: Page, config: Any, files: Files) -> None:
    if self.markdown is None or self.markdown.strip():
        return _render(self, config, files)
    # What Page.render leaves for blank Markdown (Markdown.convert returns "" for it).
    self.content, self.toc, self._title_from_render = "", get_toc([]), None
    self.present_anchor_ids = set()
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        self.links_to_anchors = {}


_get_data = meta.get_data


def _get_data_json_first(doc: str) -> tuple[str, dict[str, Any]]:
    return read_generated(doc) or _get_data(doc)


def on_startup(command: str, dirty: bool, **kwargs: Any) -> None:
    Page.render = _render_blank_without_markdown  # type: ignore[method-assign]
    meta.get_data = _get_data_json_first


def on_env(env: Environment, **kwargs: Any) -> Environment:
    rendered: dict[tuple[str, str], str] = {}

    @pass_context
    def fragment(context: Context, name: str, caller: Any) -> str:
        # MkDocs' `url` filter makes a link relative to the page's own folder, so only
        # pages whose links to anything outside papers/ read alike share one: the papers.
        page = context.get("page")
        if not getattr(page, "url", "").startswith("papers/"):
            return caller()
        key = (name, context.get("base_url", ""))
        if key not in rendered:
            rendered[key] = caller()
        return rendered[key]

    env.globals["fragment"] = fragment
    return env


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    shard = config["extra"].get(CONFIG_KEY)
    if not shard:
        return files
    first, last, others = shard["first"], shard["last"], shard["other_pages"]
    for file in files:
        name = file.src_uri
        if name.startswith("papers/") and name.count("/") == 1 and name.endswith(".md"):
            mine = first is not None and first <= name[7:] <= last
        else:  # every other page, download, asset and theme file
            mine = others
        if not mine:
            file.inclusion = InclusionLevel.EXCLUDED
    return files
