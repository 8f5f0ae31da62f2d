# reportgen: the two commands a new user needs are `make build` and `make test`.
# Both install from the lock files in requirements/ (pinned with hashes), so every
# install is the same program; `make lock` refreshes them (requirements/README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROJECT ?= .
NEWEST ?= .venv-newest
# axe-core for the browser accessibility tests, pinned (with its hash) by the lockfile.
AXE := tests/browser/node_modules/axe-core/axe.min.js
PIP_LOCKED := -m pip install --quiet --require-hashes --no-deps -r
# reportgen itself, built with the locked setuptools: nothing unpinned is fetched.
PIP_SELF := -m pip install --quiet --no-deps --no-build-isolation -e .
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" pyproject.toml requirements/build.in

.PHONY: build html validate test test-newest lint check golden docs system-deps \
	system-deps-test setup setup-test lock clean audit bench fuzz

build: setup ## Install what building needs (no test tools), then build the example into build/
	$(BIN)/reportgen build $(PROJECT)

html: setup ## Build the HTML only (fast)
	$(BIN)/reportgen build $(PROJECT) --html-only

validate: setup ## Check the report project and list every problem
	$(BIN)/reportgen validate $(PROJECT)

test: setup-test ## Run the test suite (installs the test tools: Chromium, axe-core, pytest ...)
	$(BIN)/python -m pytest

test-newest: system-deps-test $(AXE) ## Fast tests against the newest releases pyproject.toml allows
	$(PYTHON) scripts/test_newest.py $(NEWEST)

lint: setup-test ## Format check, lint and type check
	$(BIN)/ruff format --check reportgen tests scripts bench
	$(BIN)/ruff check reportgen tests scripts bench
	$(BIN)/mypy reportgen tests scripts bench

check: lint test ## Everything CI cares about

audit: setup-test ## Audit installed dependencies for known vulnerabilities (pip-audit)
	$(BIN)/python scripts/audit_deps.py

bench: setup-test ## Benchmarks: full, HTML-only, no-op and parallel builds against targets (reportgen/docs/performance.md)
	$(BIN)/python bench/run.py

RUNS ?= 500
SEED ?= 1
fuzz: setup-test ## Mutation fuzz of the example project: RUNS runs from SEED (reportgen/docs/security.md)
	$(BIN)/python -m tests.fuzz --runs $(RUNS) --seed $(SEED)

docs: setup ## Regenerate reportgen/docs/project-format.md, validation.md and references.md from the code
	$(BIN)/python -m reportgen.schema_docs > reportgen/docs/project-format.md
	$(BIN)/python -m reportgen.catalogue > reportgen/docs/validation.md
	$(BIN)/python -m reportgen.reference_docs > reportgen/docs/references.md

golden: setup-test ## Regenerate the golden HTML of the example report (review the diff!)
	$(BIN)/python -m tests.golden_update

lock: setup-test ## Refresh requirements/*.txt to the newest releases pyproject.toml allows
	$(UV_COMPILE) --upgrade --extra dev -o requirements/dev.txt
	$(UV_COMPILE) -c requirements/dev.txt -o requirements/runtime.txt

setup: system-deps $(VENV)/.runtime-installed
setup-test: system-deps-test $(VENV)/.dev-installed $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@bash scripts/install-system-deps.sh

system-deps-test:
	@bash scripts/install-system-deps.sh --test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/python $(PIP_LOCKED) requirements/runtime.txt
	$(BIN)/python $(PIP_SELF)
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python $(PIP_LOCKED) requirements/dev.txt
	$(BIN)/python $(PIP_SELF)
	touch $@

clean:
	rm -rf build $(VENV) $(NEWEST) *.egg-info .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
