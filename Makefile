# Two commands for a new user (Python 3.11+):  make run   and   make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install dev chromium postgres nginx bench lint clean

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

# The browser tests drive Debian's chromium through Playwright (no browser download).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@[ -x $(CHROMIUM) ] || { \
	  command -v apt-get >/dev/null || { echo "The browser tests need $(CHROMIUM): install Chromium, or set CHROMIUM=/path/to/chromium"; exit 1; }; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; }

# The editorial store's tests start a throwaway cluster of Debian's PostgreSQL server
# (tests/editorial/postgres.py); only the server binaries are needed, no running service.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null || { echo "The editorial tests need PostgreSQL's server binaries (/usr/lib/postgresql/*/bin/initdb): install PostgreSQL"; exit 1; }; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq postgresql; }

# The replica tests (tests/deploy/test_replicas.py) run Debian's nginx as the current user,
# in front of two `vocab serve` on loopback (deploy/nginx.conf); no nginx service is started.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  command -v apt-get >/dev/null || { echo "The replica tests need nginx: install nginx"; exit 1; }; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq nginx; }

## Install and start the service on http://127.0.0.1:8000 (builds the store on first run).
run: install
	$(BIN)/vocab serve

## Install everything (Debian's chromium, PostgreSQL and nginx included) and run the whole test suite.
test: dev chromium postgres nginx
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff format --check vocab api loaders cli tests bench deploy
	$(BIN)/ruff check vocab api loaders cli tests bench deploy
	$(BIN)/mypy vocab loaders cli api

bench: dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .pytest_cache
