# Session Console — every target creates .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench self-test page installer installer-test clean

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

$(VENV)/.installer-installed: pyproject.toml | $(BIN)/python
	./.ci/system-deps.sh
	$(BIN)/python -m pip install -q -e '.[installer]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/session-console

lint: $(VENV)/.test-installed
	$(BIN)/ruff check console models ui tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	CONTROL_INVENTORY=check QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(VENV)/.test-installed
	$(BIN)/python bench/vault_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ui_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/ifs_bench.py
	$(BIN)/python bench/pacer_audio_bench.py
	$(BIN)/python bench/pacer_presentation_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/hostile_tamper_bench.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/hostile_kill_bench.py
	$(BIN)/python bench/remote_pacer_bench.py

self-test: $(VENV)/.run-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/session-console self-test

# The client page's one script (resources/remote/site/pacer.js), built from
# resources/remote/src with the esbuild pinned in resources/remote/tools.
page:
	cd resources/remote/tools && npm ci --no-audit --no-fund --loglevel=error && npm run -s build

# The clinic bundle (installer/README.md): build with PyInstaller, then smoke-test it in a
# clean environment. About 1.5 minutes; not part of `make test`.
installer: $(VENV)/.installer-installed
	PYTHON=$(BIN)/python ./installer/build.sh
	./installer/smoke_test.sh dist/session-console

# The bundle plus its pytest checks (smoke test, a vault made by the source tree opened
# by the bundle, single-instance lock).
installer-test: installer $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/integration/test_installer.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
