# ExifTree — `make run` starts the app, `make test` runs the whole suite (what CI runs),
# `make test-fast` the tests that need no PostgreSQL, S3 server or browser.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
# The fast tier: markers set in tests/conftest.py from the fixtures each test uses.
FAST   := not postgres and not s3 and not browser and not slow

.PHONY: run test test-fast lint lock bench screenshots bundle clean

# Exactly the versions in the lock file, then ExifTree itself (editable, no other resolving).
$(BIN)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Re-resolve the lock after a change to pyproject.toml's dependencies, keeping every pin that
# still fits; `make lock UPGRADE=1` moves everything to the newest allowed versions, and
# `make lock UPGRADE=pillow` just that package (see README, "Dependencies").
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install -q uv; }
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	  --custom-compile-command "make lock" -o $(LOCK) \
	  $(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))

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

test-fast: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto -m "$(FAST)"

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
