# ClusterPortal: `make run` serves the portal with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ORGANISATIONS ?= 1200
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clusterportal
PYTEST := DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" DATABASE_CONN_MAX_AGE=0 \
	$(VENV)/bin/pytest
# Processes sharing the test load, each with its own test database (pytest-xdist).
TEST_WORKERS ?= 2
# Tests that drive Chromium or start Celery workers, Redis or PostgreSQL of their own need the
# machine to themselves: their timeouts are real. They run after the others, one at a time.
ALONE := browser or worker or fault
# Percentage of the portal's lines the suite runs (95.02% when the floor was set); the build
# fails below it. Raise it as coverage grows.
COVERAGE_FLOOR := 95
TEST_STARTED := $(shell date +%s)

.PHONY: run install install-dev setup test test-fast lint format messages worker beat web bench bench-web

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# What the portal needs to run.
install: $(VENV)/.installed

# And what tests and tools need.
install-dev: $(VENV)/.installed-dev

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
	$(PY) manage.py seed_partner_searches
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

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two stages, both always run: the fail status is either's. The first keeps its test database
# for the second (a fresh one each run), and the coverage of both is added up.
test: lint
	@status=0; \
	$(PYTEST) -n $(TEST_WORKERS) -m "not ($(ALONE))" --create-db --reuse-db \
		--cov --cov-report= || status=$$?; \
	$(PYTEST) -n 1 -m "$(ALONE)" --reuse-db \
		--cov --cov-append --cov-report= --cov-fail-under=$(COVERAGE_FLOOR) || status=$$?; \
	echo "make test took $$(( $$(date +%s) - $(TEST_STARTED) )) s"; \
	exit $$status

# The inner loop: no browser, worker or fault tests, no coverage, test databases kept between
# runs (add --create-db after a migration: `make test-fast PYTEST_ARGS=--create-db`).
test-fast: install-dev
	$(PYTEST) -n $(TEST_WORKERS) -m "not ($(ALONE))" --reuse-db $(PYTEST_ARGS)

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
