# The two set-up commands: `make demo` and `make test`. Both create or reuse .venv
# and install exactly the versions in constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test test-fast lint install lock clean

$(INSTALLED): pyproject.toml constraints.txt scripts/bootstrap
	PYTHON=$(PYTHON) scripts/bootstrap $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(INSTALLED)

demo: install
	$(BIN)/marginscope demo
	$(BIN)/marginscope status
	$(BIN)/marginscope serve

# Two workers: CI has two cores. Each worker starts its own demo server, browser and PostgreSQL;
# the engine tests (tests/backends, one xdist group) run on one worker, which starts Spark.
JOBS ?= 2
test: install lint
	$(BIN)/pytest -n $(JOBS) --dist loadgroup --durations=25

# For quick iteration: no browser, no engines (PostgreSQL, Spark), no slow tests; about a fifth of make test.
test-fast: install
	$(BIN)/pytest -n $(JOBS) -q -m "not browser and not slow and not engines" --ignore=tests/backends

# The lint rules and the type checker, both configured in pyproject.toml.
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Re-pin after changing dependencies in pyproject.toml (then run make test).
lock: install
	$(BIN)/pip freeze --exclude-editable | grep -v '^marginscope' > constraints.txt

clean:
	rm -rf $(VENV) demo-data marginscope.duckdb .pytest_cache
