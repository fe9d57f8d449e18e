# The two set-up commands: `make demo` and `make test`. Both create or reuse .venv
# and install exactly the versions in constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test install lock clean

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
test: install
	$(BIN)/pytest -n $(JOBS) --dist loadgroup --durations=25

# Re-pin after changing dependencies in pyproject.toml (then run make test).
lock: install
	$(BIN)/pip freeze --exclude-editable | grep -v '^marginscope' > constraints.txt

clean:
	rm -rf $(VENV) demo-data marginscope.duckdb .pytest_cache
