"""Paper Index: a static site generator for a curated index of research papers.

The pipeline's stages are subpackages: `ingest` (listing dumps in), `store`
(paper files), `review` (`check`, `fmt`, the validated catalog), `topics`
(assignment by rule) and `site` (Markdown pages and downloads for MkDocs).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paper-index")
except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
    __version__ = "0+unknown"
