# reportgen: the two commands a new user needs are `make build` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROJECT ?= .
# axe-core for the browser accessibility tests, pinned (with its hash) by the lockfile.
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: build html validate test lint check golden docs system-deps setup clean audit bench fuzz

build: setup ## Set everything up and build the example report into build/
	$(BIN)/reportgen build $(PROJECT)

html: setup ## Build the HTML only (fast)
	$(BIN)/reportgen build $(PROJECT) --html-only

validate: setup ## Check the report project and list every problem
	$(BIN)/reportgen validate $(PROJECT)

test: setup ## Run the test suite
	$(BIN)/python -m pytest

lint: setup ## Format check, lint and type check
	$(BIN)/ruff format --check reportgen tests
	$(BIN)/ruff check reportgen tests
	$(BIN)/mypy reportgen

check: lint test ## Everything CI cares about

audit: setup ## Audit installed dependencies for known vulnerabilities (pip-audit)
	$(BIN)/python scripts/audit_deps.py

bench: setup ## Benchmarks: full, HTML-only, no-op and parallel builds against targets (docs/performance.md)
	$(BIN)/python bench/run.py

RUNS ?= 500
SEED ?= 1
fuzz: setup ## Mutation fuzz of the example project: RUNS runs from SEED (docs/security.md)
	$(BIN)/python -m tests.fuzz --runs $(RUNS) --seed $(SEED)

docs: setup ## Regenerate docs/project-format.md and docs/validation.md from the code
	$(BIN)/python -m reportgen.schema_docs > docs/project-format.md
	$(BIN)/python -m reportgen.catalogue > docs/validation.md

golden: setup ## Regenerate the golden HTML of the example report (review the diff!)
	$(BIN)/python -m tests.golden_update

setup: system-deps $(VENV)/.installed $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@bash scripts/install-system-deps.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf build $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
