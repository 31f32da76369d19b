# The two commands: `make run` (app with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := jcpp/web/static/vendor
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup test-setup assets model browser lint clean

run: setup
	$(BIN)/jcpp db upgrade
	$(BIN)/jcpp demo --if-empty
	$(BIN)/jcpp serve

# Two workers (-n 2): CI has two cores; each worker gets databases of its own. Tests are sent a
# module at a time, the browser tests all to one worker (see tests/conftest.py).
test: test-setup lint
	$(BIN)/python -m pytest -n 2

setup: $(VENV)/.installed assets model

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

assets: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The shipped topic classifier, trained from the project's data once and kept in a cache folder.
model: $(VENV)/.installed
	$(BIN)/jcpp nlp prepare

test-setup: setup browser

# Debian's Chromium for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

# Every Python package of the checkout (scheduler/ once it exists).
LINT_PATHS := $(wildcard jcpp nlp tests alembic benchmarks scheduler)

lint:
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy jcpp nlp $(wildcard scheduler)

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
