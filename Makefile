# ClusterPortal: `make run` serves the portal with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ORGANISATIONS ?= 1200
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clusterportal

.PHONY: run install setup test lint format messages worker beat web bench bench-web

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Migrate, load reference data, seed demo data when the database is empty, create demo users.
# Set-up prints its own summaries: log lines from INFO down stay quiet, demo e-mails go nowhere.
setup: export LOG_LEVEL ?= WARNING
setup: export EMAIL_BACKEND = django.core.mail.backends.dummy.EmailBackend
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo --organisations $(DEMO_ORGANISATIONS) --seed 2016 --if-empty
	$(PY) manage.py create_demo_users --verbosity 0
	$(PY) manage.py seed_calls
	$(PY) manage.py seed_partnerships
	$(PY) manage.py seed_review
	$(PY) manage.py seed_events
	$(PY) manage.py seed_outcomes
	CELERY_BROKER_URL= $(PY) manage.py recompute_matches --if-none
	@echo
	@echo "Demo logins for http://127.0.0.1:8000 :"
	@$(PY) manage.py create_demo_users

# `make run` shows the portal as its visitors see it: its own 403, 404 and 500 pages, static
# files served by whitenoise. `DEBUG=true make run` brings Django's technical pages back.
RUN_ENV = DEBUG=$${DEBUG:-false} SECURE_COOKIES=$${SECURE_COOKIES:-false} \
	SECRET_KEY=$${SECRET_KEY:-make-run-only-insecure-key-never-use-it-live}

run: setup
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" DATABASE_CONN_MAX_AGE=0 $(VENV)/bin/pytest

# After adding or changing user-facing strings: refresh the French and German catalogues,
# translate the new entries in locale/<language>/LC_MESSAGES/django.po, then compile.
# The compiled .mo files are committed, so running the portal needs no gettext tools.
messages: install
	$(PY) manage.py makemessages -l fr -l de --ignore=.venv --ignore=tests --add-location=file
	$(PY) manage.py compilemessages --ignore=.venv

# Production processes: start as many workers, on as many machines, as the load needs.
worker: install
	$(VENV)/bin/celery -A clusterportal worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A clusterportal beat --loglevel=INFO

web: install
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn clusterportal.wsgi:application --bind 0.0.0.0:8000 \
		--workers $${WEB_CONCURRENCY:-4} --access-logfile -

# gunicorn with production settings on 10,000 seeded organisations (own database and Redis),
# driven by wrk at 16 connections; prints req/s and p50/p95/p99 against a bare view.
bench-web: install
	$(PY) manage.py bench_web
