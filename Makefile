# The two commands a newcomer needs: `make site` and `make test`.
PYTHON ?= python3
# The oldest Python the lock files hold for: requires-python in pyproject.toml (written
# once; `make lock` resolves for it and .venv refuses an older one).
MIN_PYTHON := $(shell sed -n 's/^requires-python = ">=\([0-9.]*\)"$$/\1/p' pyproject.toml)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(PY) -m pip
# Both lock files are installed hash-checked: pip refuses any file whose sha256
# is not in the lock, and any package the lock does not pin. Wheels only, so no
# package's build script runs and no unpinned build tool is fetched.
PIP_LOCKED := $(PIP) install --quiet --require-hashes --only-binary :all:
RUNTIME_LOCK := requirements/runtime.txt
TEST_LOCK := requirements/test.txt
STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
# Material prints a banner about MkDocs 2 on every build; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

# The web-standards validators (axe-core, the Nu HTML Checker) and Lighthouse, pinned
# in tests/standards/package-lock.json and installed from the npm registry with npm ci.
# `make test` needs only the first two (--omit=dev); `make lighthouse` takes all.
STANDARDS := tests/standards
STANDARDS_STAMP := $(STANDARDS)/node_modules/.installed
LIGHTHOUSE_STAMP := $(STANDARDS)/node_modules/.installed-lighthouse
NPM_CI := npm ci --prefix $(STANDARDS) --ignore-scripts --no-audit --no-fund --loglevel=error
# What the tests need from Debian (`make deps-debian`): the browser, Java for the Nu HTML
# Checker, Node.js and npm for the validators. Nothing else installs system packages.
DEBIAN_PACKAGES := chromium default-jre-headless nodejs npm

.PHONY: install site serve test check fmt fmt-check import enrich bench schema lock clean standards \
	lighthouse python-version deps-check deps-debian chromium

python-version:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "make: no '$(PYTHON)' on PATH; install Python $(MIN_PYTHON) or newer, or name one: make PYTHON=python3.12 ..."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:3] < tuple(int(n) for n in "$(MIN_PYTHON)".split(".")))' 2>/dev/null || { \
		echo "make: $$($(PYTHON) --version 2>&1) is older than Python $(MIN_PYTHON), the oldest the lock files in requirements/ hold for"; \
		echo "      (pyproject.toml, requires-python). Install a newer one and name it: make PYTHON=python3.12 ..."; exit 1; }

# A change to either lock file recreates .venv, so it holds exactly what is
# locked: a package dropped from a lock leaves the environment too.
$(STAMP): $(RUNTIME_LOCK) $(TEST_LOCK) pyproject.toml | python-version
	$(PYTHON) -m venv --clear $(VENV)
	$(PIP_LOCKED) -r $(RUNTIME_LOCK)
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

# The test lock is the runtime lock plus the test tools, at the same versions.
$(TEST_STAMP): $(STAMP)
	$(PIP_LOCKED) -r $(TEST_LOCK)
	touch $(TEST_STAMP)

install: $(STAMP) ## Create .venv with the locked runtime dependencies

# `generator site` is `mkdocs build --strict` with the paper pages split over one
# MkDocs process per CPU (same output; see generator/site/shards.py), and the search
# index built beside them from the catalog (the records `generator build` wrote).
site: $(STAMP) ## Generate the pages, build the static site into site/ and index it for search
	$(PY) -m generator build
	$(PY) -m generator site

# --dirty: after an edit, MkDocs rebuilds only the pages whose Markdown changed
# (the generator rewrites only those); the paper-index plugin re-indexes search after each
# build. --no-strict: MkDocs warns about every dirty build, which strict mode (for
# `make site` and CI) would turn into an error.
serve: $(STAMP) ## Serve on http://127.0.0.1:8000, regenerating when content/ changes
	$(PY) -m generator build
	$(BIN)/mkdocs serve --dirty --no-strict

test: deps-check $(TEST_STAMP) $(STANDARDS_STAMP) ## Run the whole test suite (first checks Chromium, Java and Node.js; says how to install what is missing)
	$(PY) -m pytest -n 2 --dist loadgroup

# Says what is missing and how to get it on this system (tests/system-deps.sh); installs nothing.
deps-check: ## Check that Chromium, Java and Node.js with npm are there for the tests
	@sh tests/system-deps.sh

# Asked for, never run by another target: on a laptop, installing system packages is
# the owner's call. .ci/run calls it on CI's Debian machines (root there). A package is
# installed only when what the tests run is missing (a Java or Node.js from elsewhere will do).
deps-debian: ## Install Debian's packages the tests need: chromium, default-jre-headless, nodejs, npm (root, or sudo)
	@missing=; for package in $(DEBIAN_PACKAGES); do \
		case $$package in \
		chromium) command -v "$${CHROMIUM_PATH:-/usr/bin/chromium}";; \
		default-jre-headless) java -version;; \
		nodejs) command -v node;; \
		npm) command -v npm;; \
		esac >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps-debian: nothing to install"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	echo "deps-debian: $${SUDO:+$$SUDO }apt-get install$$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null

chromium: ## Install Debian's Chromium for the browser tests (root, or sudo)
	@$(MAKE) --no-print-directory deps-debian DEBIAN_PACKAGES=chromium

# Java runs the Nu HTML Checker (vnu.jar); Node.js and npm install the validators.
$(STANDARDS_STAMP): $(STANDARDS)/package-lock.json | deps-check
	$(NPM_CI) --omit=dev
	touch $(STANDARDS_STAMP)

standards: $(STANDARDS_STAMP) ## Install the web-standards validators of the tests (axe-core, vnu.jar) with npm

$(LIGHTHOUSE_STAMP): $(STANDARDS)/package-lock.json | $(STANDARDS_STAMP)
	$(NPM_CI)
	touch $(STANDARDS_STAMP) $(LIGHTHOUSE_STAMP)

# Builds the real site, serves it on 127.0.0.1 and prints Lighthouse's mobile scores
# for the home page and a paper page (see BENCHMARKS.md). Not a test: scores vary.
lighthouse: deps-check $(STAMP) $(LIGHTHOUSE_STAMP) ## Lighthouse mobile scores of the home and a paper page (see BENCHMARKS.md)
	$(PY) tests/lighthouse.py

check: $(STAMP) ## Review content/
	$(PY) -m generator check

fmt: $(STAMP) ## Rewrite paper files into canonical formatting
	$(PY) -m generator fmt

fmt-check: $(STAMP)
	$(PY) -m generator fmt --check

# The exact command that produced content/papers/ from the committed listings: the
# manifest names each listing, oldest capture first, with the day it was captured and
# the evidence for it (see content/README.md).
import: $(STAMP) ## Re-run the import of every committed listing (idempotent)
	$(PY) -m generator import --manifest content/listings/manifest.yml

# Needs network. Looks every committed paper up on the Hugging Face Hub and arXiv
# and fills what the listings lack; a curator's value is never replaced. Answers
# are cached in .cache/enrich, so an interrupted run resumes where it stopped.
enrich: $(STAMP) ## Fill arXiv ids, authors, dates, upvotes and links from the Hub and arXiv (network)
	$(PY) -m generator enrich

schema: $(STAMP) ## Regenerate content/schema/paper.schema.json and the docs' field tables from generator/model.py
	$(PY) -m generator.review.schema .

bench: $(STAMP) ## Print build, size and search figures at 532 to 50,000 papers, and 100,000 as a CI matrix (see BENCHMARKS.md)
	$(PY) tests/bench.py

# Re-resolves both lock files from requirements/*.in (needs the PyPI registry, nothing
# else: no Python is downloaded). Pins already in a lock are kept unless the .in file
# changed; LOCK_ARGS="--upgrade" moves every transitive pin to its newest release,
# "--upgrade-package NAME" just one. The lock is universal (any OS) from MIN_PYTHON on,
# with one version of each package for every Python it accepts (tests/test_supply_chain.py).
# `make lock` only needs some .venv with uv in it (order-only), so editing a pin does not
# reinstall first.
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version $(MIN_PYTHON) \
	--no-python-downloads --generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)

lock: | $(TEST_STAMP) ## Regenerate requirements/runtime.txt and requirements/test.txt
	$(UV_COMPILE) requirements/runtime.in -o $(RUNTIME_LOCK)
	$(UV_COMPILE) requirements/test.in -o $(TEST_LOCK)

clean:
	rm -rf build site $(STANDARDS)/node_modules
