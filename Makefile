# Two commands: `make run` (set up, serve on SQLite and send mail) and `make test` (set up and test).
# `make bench` measures the site under load (README, Performance); it installs wrk and the
# profiler, which the site and its tests do not need.
# The newest Python from 3.13 down to 3.11 that runs, else python3 if it is 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && \
	  { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
BENCH_DB ?= postgres
BENCH_INSTANCES ?=
HOST ?= 127.0.0.1
PORT ?= 8000

# What makemessages reads: the project's code and templates, not its tests or installed tools.
MAKEMESSAGES := --locale=fr --no-obsolete --add-location=file \
	--ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench

.PHONY: setup run test lint db bench bench-profile clean messages browser-tools

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, 3.12 or 3.13):" \
	  "install one, or give it: make PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

setup: $(STAMP)

# The settings default to production (DEBUG off); what runs here is development.
db run messages: export DEBUG ?= true

db: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_event

# The site and the mail worker (Procfile.dev) with their output together; Ctrl-C stops both.
run: db
	HOST=$(HOST) PORT=$(PORT) PYTHONUNBUFFERED=1 $(BIN)/honcho start -f Procfile.dev

# axe-core and the HTML checker for the browser tests, from package-lock.json. Install scripts
# are skipped: vnu-jar's would fetch a Java runtime, and the machine's Java 17 is used instead.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

browser-tools: node_modules/.package-lock.json

# Without npm the accessibility and HTML checks skip (CI fails instead, see .ci/run). The
# tests run in development mode (tests/settings.py), as a bare `pytest` does.
test: setup $(if $(shell command -v npm),browser-tools)
	$(BIN)/python -m pytest

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev,bench]'
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

# Extract the texts to translate into locale/fr/LC_MESSAGES/django.po, then compile django.mo
# (both committed: the site needs no gettext to run). Needs GNU gettext (apt-get install gettext).
messages: setup
	$(BIN)/python manage.py makemessages $(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages --locale=fr --locale=en --ignore=.venv --ignore=node_modules

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules staticfiles test-db.sqlite3*
