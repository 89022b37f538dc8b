# Two commands for a new user (Python 3.11+):  make run   and   make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install dev bench lint clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## Install and start the service on http://127.0.0.1:8000 (builds the store on first run).
run: install
	$(BIN)/vocab serve

## Install everything and run the whole test suite.
test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff format --check vocab api loaders tests bench
	$(BIN)/ruff check vocab api loaders tests bench
	$(BIN)/mypy vocab loaders

bench: dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .pytest_cache
