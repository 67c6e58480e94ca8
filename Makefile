# Session Console — every target creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench self-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	./.ci/system-deps.sh
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	./.ci/system-deps.sh
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/session-console

lint: $(VENV)/.test-installed
	$(BIN)/ruff check console models ui tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(VENV)/.test-installed
	$(BIN)/python bench/vault_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ifs_bench.py
	$(BIN)/python bench/pacer_audio_bench.py
	$(BIN)/python bench/pacer_bench.py

self-test: $(VENV)/.run-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/session-console self-test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
