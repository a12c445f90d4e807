"""The one settings object of a build: where the site lives, read from mkdocs.yml.

The site's address, name and repository are MkDocs settings; reading them with
MkDocs' own config loader (not a second copy, not a regex) keeps the feed, the
BibTeX URLs and the edit links in step with the site MkDocs publishes.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError


@dataclass(frozen=True)
class Settings:
    """What the generator needs to know about the site it writes pages for."""

    site_url: str = ""
    """Absolute, ending in `/`; '' when mkdocs.yml sets none (then no downloads)."""
    site_name: str = "Paper Index"
    repo_url: str = ""
    """Without one (mkdocs.yml sets no repo_url) pages link no repository files."""
    branch: str = "main"
    """The branch the edit links and links to repository files point at."""
    newest: int = 12
    """How many of the newest papers the home page lists."""
    top_upvoted: int = 5
    """How many of the most upvoted papers the home page lists."""
    upvoted_min_papers: int = 20
    """The home page shows "Most upvoted" only when at least this many papers have an
    upvote: a top five picked from a handful says nothing about the catalog."""
    upvoted_min_top: int = 10
    """... and only when the most upvoted paper has at least this many: a top list
    that peaks at a few votes is noise."""
    related: int = 5
    """How many related papers a paper page shows at most (generator/site/related.py)."""
    topic_rows: int = 200
    """How many of its newest papers a topic page lists; Browse, filtered by the topic, has
    them all. A table of 16,000 rows (a large topic at 50,000 papers) is 11 MB that no
    reader scrolls, and sorting it would freeze a phone."""
    feed_size: int = 50
    """How many of the newest papers `feed.xml` and each topic feed carry."""
    topic_download_rows: int = 1000
    """How many of its newest papers a topic's papers.json and papers.bib hold; papers.json
    and papers.bib hold every paper. At 50,000 papers the topic files repeated most of the
    catalog (a paper has 1.5 topics): 67 MB, for files a reader can filter from the whole."""
    preview_authors: int = 6
    """Authors named in a paper's header before "and N more"."""
    theme_dir: Path | None = None
    """The theme's `custom_dir` (overrides/): its templates name icons for the icon sheet."""
    theme_icons: tuple[str, ...] = ()
    """Icon paths mkdocs.yml sets (`theme.icon.*`, the palette toggles)."""

    @classmethod
    def from_mkdocs(cls, config_file: Path) -> Settings:
        """Settings from an mkdocs.yml, through MkDocs' own loader and validation."""
        if not config_file.is_file():
            raise GeneratorError(f"{config_file}: MkDocs configuration not found; "
                                 "pass the site's mkdocs.yml with --config-file")
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        quiet = logging.getLogger("mkdocs")
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            # docs_dir must exist for MkDocs to accept the file, and the generator is
            # what creates it, so the check is pointed at an empty folder.
            with tempfile.TemporaryDirectory() as empty:
                config = load_config(str(config_file), docs_dir=empty)
        except MkDocsException as exc:
            raise GeneratorError(f"{config_file}: invalid MkDocs configuration ({exc})") from None
        finally:
            quiet.setLevel(level)
        return cls.from_config(config)

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        """Settings from a loaded MkDocs config (in the build, or in the serve hook)."""
        site_url = config["site_url"] or ""
        edit_uri = (config["edit_uri"] or "").strip("/")
        branch = edit_uri.split("/")[1] if edit_uri.startswith(("edit/", "blob/")) else "main"
        theme = config["theme"]
        icons = [v for v in (theme.get("icon") or {}).values() if isinstance(v, str)]
        palette = theme.get("palette") or []
        for option in [palette] if isinstance(palette, dict) else palette:
            toggle = option.get("toggle") if isinstance(option, dict) else None
            if isinstance(toggle, dict) and isinstance(toggle.get("icon"), str):
                icons.append(toggle["icon"])
        custom_dir = getattr(theme, "custom_dir", None)
        return cls(
            site_url=site_url.rstrip("/") + "/" if site_url else "",
            site_name=config["site_name"],
            repo_url=(config["repo_url"] or "").rstrip("/"),
            branch=branch,
            theme_dir=Path(custom_dir) if custom_dir else None,
            theme_icons=tuple(icons),
        )
