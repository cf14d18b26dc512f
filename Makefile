# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
BASE_URL ?= http://$(HOST):$(PORT)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alianzas
PYTEST_ARGS ?=

.PHONY: run setup install install-dev test check format messages browser-deps lighthouse

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up the SQLite database with vocabularies, demo content and demo users.
setup: install
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

## Set up (idempotent) and serve the site with demo content at http://$(HOST):$(PORT)/
## Mail is queued: the mail worker runs beside the server (the console shows the mails); it
## also finds and sends the alerts of followed searches (docs/alerts.md).
run: setup
	@echo "Links in e-mails point to $(BASE_URL) (set BASE_URL to change it)."
	BASE_URL=$(BASE_URL) $(PY) manage.py db_worker --backend mail --interval 2 --no-reload & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	BASE_URL=$(BASE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## The whole suite on SQLite and, side by side, on PostgreSQL when a server answers.
test: install-dev
	@$(PY) manage.py compile_catalogues
	@DJANGO_SETTINGS_MODULE=kb.settings.test ./bin/run-tests $(PYTEST_ARGS)

## Static checks run by CI. The coverage floor (pyproject.toml, fail_under) needs the tests'
## line data, so `make test` enforces it at the end of the whole suite (bin/run-tests).
check: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Extract interface strings into locale/{ar,fr,es} (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale ar --locale fr --locale es --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'static/*' --add-location file

## Chromium (Debian), axe-core, the Nu Html Checker and Lighthouse for the browser tests.
browser-deps:
	./bin/install-browser-deps

## Lighthouse scores of a running site (start it first, e.g. with `make run`).
lighthouse:
	bench/lighthouse.sh http://$(HOST):$(PORT)
