"""paper-index: a static site generator for curated indexes of research papers.

The pipeline's stages are subpackages: `ingest` (listing dumps in), `store`
(paper files), `review` (`check`, `fmt`, the validated catalog), `topics`
(assignment by rule), `site` (Markdown pages, downloads and the theme for MkDocs)
and `starter` (`init`, a new index).
"""

__version__ = "0.2.0"
"""The one place the version is written: pyproject.toml reads it for the wheel."""
