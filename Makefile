# Two commands for a newcomer: `make run` and `make test`. Everything else
# they need is installed by these targets (CI starts from a fresh machine).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= policy-ledger.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build run test lint validate openapi release clean

$(BIN)/policy-ledger: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/policy-ledger

node_modules/.bin/spectral: package.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --silent --no-audit --no-fund
	touch $@

# The browser tests drive Debian's Chromium (Playwright's own download is not used).
/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium

validate: install
	$(BIN)/policy-ledger validate

build: install
	$(BIN)/policy-ledger build --db $(DB)

run: build
	$(BIN)/policy-ledger serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

release: install
	$(BIN)/policy-ledger release

openapi: install
	$(BIN)/policy-ledger openapi --out openapi/openapi.json

test: install node_modules/.bin/spectral /usr/bin/chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules $(DB)
