# Every target does its own set-up on a fresh machine: only python3 (3.11+) is assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
DB     ?= demo.db

.PHONY: install dev demo test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

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

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: dev
	$(BIN)/mypy

test: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/ingest_html.py
	$(BIN)/python benchmarks/annotate.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
