# Caring Together: two commands on a fresh Debian machine with Python 3.11.
#   make run    install, migrate, load the demo (password printed) and serve at http://127.0.0.1:8000
#   make test   install what tests need and run them all (SQLite, then PostgreSQL, lint, migrations)
#   make bench  the benchmarks (national-scale synthetic data; see bench/README.md)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test bench install lint format clean-db

$(BIN)/python:
	@scripts/ensure-system.sh venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(INSTALLED)

run: install
	$(BIN)/caring migrate --noinput
	$(BIN)/caring demo
	@echo "Serving Caring Together at http://127.0.0.1:8000 (sign in at /admin/ as admin, lead, owner, viewer or data)"
	$(BIN)/caring runserver 127.0.0.1:8000

test: install
	scripts/test.sh

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean-db:
	rm -f var/caring.sqlite3 var/caring.sqlite3-wal var/caring.sqlite3-shm
