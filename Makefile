# ExifTree — `make run` starts the app, `make test` runs the whole suite (what CI runs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench screenshots bundle clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(BIN)/.installed
	bash scripts/system-deps.sh runtime
	$(BIN)/exiftree-desktop

lint: $(BIN)/.installed
	$(BIN)/ruff check catalog desktop publisher webviewer tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(BIN)/.installed lint
	bash scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/ai.py
	$(BIN)/python bench/publish.py
	$(BIN)/python bench/viewer.py
	$(BIN)/python bench/desktop.py

screenshots: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

bundle: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[bundle]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache
