# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# What makemessages reads: the project's code and templates, not its tests or installed tools.
MAKEMESSAGES := --locale=fr --no-obsolete --add-location=file \
	--ignore=node_modules --ignore=staticfiles --ignore=tests

.PHONY: setup run test lint db bench clean messages browser-tools

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

# axe-core and the HTML checker for the browser tests, from package-lock.json. Install scripts
# are skipped: vnu-jar's would fetch a Java runtime, and the machine's Java 17 is used instead.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

browser-tools: node_modules/.package-lock.json

# Without npm the accessibility and HTML checks skip (CI fails instead, see .ci/run).
test: setup $(if $(shell command -v npm),browser-tools)
	$(BIN)/python -m pytest

# Extract the texts to translate into locale/fr/LC_MESSAGES/django.po, then compile django.mo
# (both committed: the site needs no gettext to run). Needs GNU gettext (apt-get install gettext).
messages: setup
	$(BIN)/python manage.py makemessages $(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages --locale=fr --ignore=.venv --ignore=node_modules

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules staticfiles test-db.sqlite3*
