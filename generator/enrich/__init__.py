"""Enrich: look papers up on the Hugging Face Hub and arXiv, and fill what the listings lack (`enrich`,
`import --hf-daily`)."""

from pathlib import Path

DEFAULT_CACHE = Path(".cache") / "enrich"
"""Where the services' answers are kept between runs (git-ignored). Here, not in `services`:
the command line names it for every command, and importing the HTTP clients took a
seventh of a second of every `build`."""
