"""MkDocs hook of a shard's config (written by `generator.site.shards`): build only the
paper pages whose file names fall in the shard's range, and, except in the first shard,
no other page.

A range test per file, rather than `exclude_docs` patterns: a count-balanced cut falls
between any two file names, and the gitignore patterns for "between these two names"
grow with the names' length and are matched against every file of the docs folder.
The pages left out are marked EXCLUDED, exactly as `exclude_docs` marks them.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files, InclusionLevel

CONFIG_KEY = "paper_index_shard"
"""The key under `extra:` that holds the shard's range."""


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
