# The two commands a newcomer needs: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# Material prints a banner about MkDocs 2 on every build; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site serve test check fmt fmt-check import bench schema clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv with the pinned dependencies

# `generator site` is `mkdocs build --strict` with the paper pages split over one
# MkDocs process per CPU (same output; see generator/site/shards.py).
site: $(STAMP) ## Generate the pages, build the static site into site/ and index it for search
	$(PY) -m generator build
	$(PY) -m generator site
	$(PY) -m pagefind --site site --silent

# --dirty: after an edit, MkDocs rebuilds only the pages whose Markdown changed
# (the generator rewrites only those); the serve hook re-indexes search after each
# build. --no-strict: MkDocs warns about every dirty build, which strict mode (for
# `make site` and CI) would turn into an error.
serve: $(STAMP) ## Serve on http://127.0.0.1:8000, regenerating when content/ changes
	$(PY) -m generator build
	$(BIN)/mkdocs serve --dirty --no-strict

test: $(STAMP) ## Run the whole test suite (installs Chromium for the browser tests if missing)
	@command -v $${CHROMIUM_PATH:-/usr/bin/chromium} >/dev/null 2>&1 || $(MAKE) chromium
	$(PY) -m pytest -n 2 --dist loadgroup

chromium: ## Install Debian's Chromium for the browser tests
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

check: $(STAMP) ## Review content/
	$(PY) -m generator check

fmt: $(STAMP) ## Rewrite paper files into canonical formatting
	$(PY) -m generator fmt

fmt-check: $(STAMP)
	$(PY) -m generator fmt --check

# The exact commands that produced content/papers/ from the seed listings.
# Each listing is imported, oldest first, with the date it was captured
# (see content/README.md).
import: $(STAMP) ## Re-run the import of every committed listing (idempotent)
	$(PY) -m generator import content/listings/003_e70dd2ff951c1db1.txt --as-of 2025-12-10
	$(PY) -m generator import content/listings/002_a5cf91813e7d014e.txt --as-of 2026-03-11
	$(PY) -m generator import content/listings/004_998dcee729a8eeba.txt --as-of 2026-03-14
	$(PY) -m generator import content/listings/000_6e142910f8444dbd.txt --as-of 2026-11-28
	$(PY) -m generator import content/listings/001_45326a44d991b082.txt --as-of 2026-11-28

schema: $(STAMP) ## Regenerate content/schema/paper.schema.json and the docs' field tables from generator/model.py
	$(PY) -m generator.review.schema .

bench: $(STAMP) ## Print build, size and search figures at 532, 10,000 and 50,000 papers (see BENCHMARKS.md)
	$(PY) tests/bench.py

clean:
	rm -rf build site
