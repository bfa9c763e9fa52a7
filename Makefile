# Two commands do all the set-up: `make demo` and `make test`. Both create .venv/ and install
# the pinned, hash-checked dependencies (requirements/lock.txt) and dyad itself on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := examples/voa-2020-07-07-north-korea.txt

.PHONY: demo test test-all install bench clean

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Code the bundled example, print its events and quotes, store it in ./dyad.duckdb.
demo: $(STAMP)
	$(BIN)/dyad code --published 2020-07-07 $(EXAMPLE)
	$(BIN)/dyad ingest --published 2020-07-07 --db dyad.duckdb $(EXAMPLE)
	$(BIN)/dyad events --db dyad.duckdb --limit 10

## The default test run (slow gold-set runs included; a few minutes on 2 cores).
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py --articles 300

clean:
	rm -rf $(VENV) dyad.duckdb dyad.duckdb.wal
