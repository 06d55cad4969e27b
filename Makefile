# 年报助手 — developer entry points. `make run` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench bench-quick scale-demo venv clean

$(BIN)/nianbao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(BIN)/nianbao

venv: $(BIN)/nianbao

## Set up, bring the database up to date, and start the bot (a local demo without a token).
run: venv
	$(BIN)/nianbao db upgrade
	$(BIN)/nianbao run

## Run the whole test suite.
test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .

bench: venv
	$(BIN)/python -m bench

bench-quick: venv
	$(BIN)/python -m bench --quick

## Scale-out profile: PostgreSQL (TEST_DATABASE_URL's server), WORKERS webhook workers behind nginx, the
## fake Bot API, Redis-shared flood limits when Redis answers. Ctrl-C stops it all. See docs/SCALING.md.
WORKERS ?= 3
scale-demo: venv
	$(BIN)/python -m bench.scaleout demo --workers $(WORKERS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
