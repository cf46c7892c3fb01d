# Карта сообществ — every set-up step a fresh Debian 12 machine needs. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
# pygeoapi, a baseline of bench scenario 1, in a virtualenv of its own (its pins are not ours).
PYGEOAPI_STAMP := var/bench-pygeoapi/.installed
LIGHTHOUSE_STAMP := node_modules/.installed
# The development profile: DEBUG on, a per-checkout secret key in var/ (config/settings/base.py).
export DJANGO_DEBUG ?= 1

.PHONY: help install system-deps venv db migrate data run test lint format stop lock vendor bench bench-quick backup restore serve security-report

help:  ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: system-deps venv  ## Install Debian packages and the locked Python virtualenv; start nothing

system-deps:
	@bash scripts/system-deps.sh

venv: $(STAMP)
$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

db: install  ## Start the local PostGIS cluster in var/postgres/ (skipped when DATABASE_URL is set)
	@$(PY) -m config.localdb start

migrate: db
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable

data: migrate  ## Load the real geodata (idempotent)
	@$(MANAGE) load_geodata --if-changed

run: data  ## Set up everything and serve the site at http://127.0.0.1:$(PORT)/
	@$(MANAGE) seed_programme
	@$(MANAGE) load_demo
	@$(MANAGE) ensure_admin
	@echo "Serving http://127.0.0.1:$(PORT)/  (Ctrl+C to stop the web server; make stop stops PostgreSQL)"
	@$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: data  ## The production profile (gunicorn, DEBUG off) on http://127.0.0.1:$(PORT)/
	@PORT=$(PORT) bash scripts/serve.sh

test: db  ## Run the whole test suite on a throwaway PostGIS database
	@$(PY) -m pytest

security-report: db  ## Run the security and fault battery; writes the counts per category to docs/security.md
	@$(PY) -m pytest -q -p tests.security_report --security-report docs/security.md

backup: db  ## Back up the database and uploaded files into var/backups/ (with checksums)
	@$(PY) -m config.backup create

restore: db  ## Replace the database and uploads with a backup: make restore FILE=var/backups/karta-….tar
	@test -n "$(FILE)" || (echo "Usage: make restore FILE=var/backups/karta-YYYYmmdd-HHMMSS.tar [YES=1]" && exit 1)
	@$(PY) -m config.backup restore "$(FILE)" $(if $(YES),--yes,)

bench: db $(PYGEOAPI_STAMP) $(LIGHTHOUSE_STAMP)  ## Benchmarks: ratios against baselines in one run; writes bench/results/ and bench/README.md
	@DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) -m bench

bench-quick: db $(PYGEOAPI_STAMP)  ## Every benchmark scenario at 1/100 size (keeps the harness working; judges nothing)
	@DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) -m bench --quick

# Lighthouse (bench scenario 9, not CI): Node from Debian's packages, npm's lighthouse as pinned in
# package.json / package-lock.json, Debian's chromium.
$(LIGHTHOUSE_STAMP): package.json package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || sudo apt-get install -y --no-install-recommends nodejs npm
	@command -v chromium >/dev/null || sudo apt-get install -y --no-install-recommends chromium
	@npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

$(PYGEOAPI_STAMP): bench/pygeoapi/requirements.lock
	@$(PYTHON) -m venv var/bench-pygeoapi
	@var/bench-pygeoapi/bin/pip install -q --disable-pip-version-check --require-hashes -r bench/pygeoapi/requirements.lock
	@cp bench/pygeoapi/requirements.lock $@

lint: install  ## ruff, formatting, mypy, import layers, missing migrations
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy .
	@$(VENV)/bin/lint-imports
	@$(MANAGE) makemigrations --check --dry-run >/dev/null || (echo "Model changes without a migration: run python manage.py makemigrations" && exit 1)

format: install  ## Apply ruff fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

stop:  ## Stop the local PostgreSQL cluster
	@$(PYTHON) -m config.localdb stop

vendor:  ## Re-create the committed static/vendor files from package-lock.json (needs npm)
	bash scripts/vendor.sh

lock:  ## Re-resolve requirements.lock from pyproject.toml, and pygeoapi's (needs uv)
	uv pip compile pyproject.toml --extra dev --extra bench --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile bench/pygeoapi/requirements.in --generate-hashes --python-version 3.11 -o bench/pygeoapi/requirements.lock
