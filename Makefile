# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and test).
# `make bench` measures the site under load (README, Performance); it installs wrk and the
# profiler, which the site and its tests do not need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
BENCH_DB ?= postgres
BENCH_INSTANCES ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint db bench bench-profile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

db: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_event

run: db
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# make bench [BENCH_DB=sqlite] [BENCH_INSTANCES=1|2|1,2]: a few minutes, ports 8105 and 8106.
bench: $(BENCH_STAMP)
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "Could not install wrk: run 'apt-get install wrk' as root"; exit 1; }; }
	$(BIN)/python bench/run.py --db $(BENCH_DB) $(if $(BENCH_INSTANCES),--instances $(BENCH_INSTANCES))

# Where each page's time goes above /healthz (pyinstrument), in-process.
bench-profile: $(BENCH_STAMP)
	$(BIN)/python bench/profile_pages.py --db $(BENCH_DB)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles test-db.sqlite3*
