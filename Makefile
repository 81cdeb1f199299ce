# Two commands for a newcomer: `make run` and `make test`. Everything else
# they need is installed by these targets (CI starts from a fresh machine).
#   make run  [HOST=127.0.0.1] [PORT=8000] [DB=policy-ledger.db]
#   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= policy-ledger.db
HOST ?= 127.0.0.1
PORT ?= 8000

# What the database is built from: it is rebuilt only when one of these changes.
DATASET_FILES := $(shell find dataset pipeline -type f \( -name '*.yaml' -o -name '*.py' -o -name '*.json' \) 2>/dev/null)

.PHONY: install install-dev build run test lint validate check openapi release clean

# Serving needs only the package and its runtime dependencies.
$(VENV)/.installed: pyproject.toml
	@echo "==> creating $(VENV) and installing Policy Ledger (about a minute the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on -e .
	touch $@

# The tests need the test extras too (pytest, schemathesis, Playwright, ...).
$(VENV)/.installed-dev: $(VENV)/.installed
	@echo "==> installing the test tools"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.bin/spectral: package.json
	@echo "==> installing Spectral (OpenAPI lint) from npm"
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --silent --no-audit --no-fund
	touch $@

# The browser tests drive Debian's Chromium (Playwright's own download is not used).
/usr/bin/chromium:
	@echo "==> installing Debian's chromium for the browser tests"
	apt-get update -qq && apt-get install -y -qq chromium

$(DB): $(VENV)/.installed $(DATASET_FILES)
	@echo "==> building $(DB) from dataset/ (validation, documents, SQLite, downloads)"
	$(BIN)/policy-ledger build --db $(DB)

build: $(DB)

run: $(DB)
	@echo "==> serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/policy-ledger serve --db $(DB) --host $(HOST) --port $(PORT)

validate: install
	$(BIN)/policy-ledger validate

check: install
	$(BIN)/policy-ledger check

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

release: install
	$(BIN)/policy-ledger release

openapi: install
	$(BIN)/policy-ledger openapi --out openapi/openapi.json

test: install-dev node_modules/.bin/spectral /usr/bin/chromium
	@echo "==> lint"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "==> tests"
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules $(DB) downloads
