"""The files of this repository that `init` derives a new index's files from.

One source of truth: the new index's workflows, Makefile targets and mkdocs.yml are
made from this repository's own (generator/starter/derive.py), so a change to them here
reaches every index made afterwards. The wheel carries copies of these files, put into
the package at build time (build_hooks.py reads this list without importing the package,
so this module imports nothing); a checkout reads them in place.
"""

REPO_FILES = (
    "mkdocs.yml",
    "Makefile",
    "CONTRIBUTING.md",
    ".github/workflows/ci.yml",
    ".github/workflows/deploy.yml",
    ".github/workflows/update.yml",
    ".github/scripts/propose.sh",
    ".github/dependabot.yml",
)
BUNDLE = "repo"
"""Where the copies go inside this package (generator/starter/repo/<path>)."""
