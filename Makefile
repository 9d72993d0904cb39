# Policybase: `make run` (set up, load the seed corpus, serve on SQLite) and `make test` (everything CI checks).
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# The PostgreSQL the suite also runs against; tests create and drop their own database (test_policybase).
PG_URL ?= postgres://postgres:postgres@127.0.0.1:5432/policybase
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run migrate seed test lint test-sqlite test-postgres superuser run-postgres clean serve backup restore

help:
	@echo "make run        set up .venv, migrate, load the seed corpus, serve http://$(HOST):$(PORT) (SQLite)"
	@echo "make test       ruff, migrations check, the suite on SQLite and on PostgreSQL ($(PG_URL))"
	@echo "make superuser  create an admin user"
	@echo "make run-postgres  the same as run, on PostgreSQL (PG_URL)"
	@echo "make serve      production: migrate, collectstatic, gunicorn on $(HOST):$(PORT) (needs SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS)"
	@echo "make backup     back up the database (DATABASE_URL, or var/db.sqlite3) into var/backups/"
	@echo "make restore FILE=…  restore a backup, then ANALYZE and rebuild the search index"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PY)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PYTHON) manage.py migrate --noinput

seed: migrate
	$(PYTHON) manage.py load_seed_corpus

run: seed
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

run-postgres: install
	DATABASE_URL=$(PG_URL) $(PYTHON) manage.py migrate --noinput
	DATABASE_URL=$(PG_URL) $(PYTHON) manage.py load_seed_corpus
	DATABASE_URL=$(PG_URL) $(PYTHON) manage.py runserver $(HOST):$(PORT)

superuser: migrate
	$(PYTHON) manage.py createsuperuser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=policybase.settings.test $(PYTHON) manage.py makemigrations --check --dry-run

test-sqlite: install
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	@if $(PYTHON) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== tests on PostgreSQL ($(PG_URL))"; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS); \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (REQUIRE_POSTGRES) but does not answer at $(PG_URL)"; exit 1; \
	else \
		echo "!! PostgreSQL does not answer at $(PG_URL): PostgreSQL run SKIPPED (.ci/run starts one)"; \
	fi

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# --- production (docs/operations.md) ---
PRODUCTION := DJANGO_SETTINGS_MODULE=policybase.settings.production

serve: install
	$(PRODUCTION) $(PYTHON) manage.py migrate --noinput
	$(PRODUCTION) $(PYTHON) manage.py collectstatic --noinput --verbosity 0
	$(PRODUCTION) HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn --config policybase/gunicorn.conf.py policybase.wsgi

# Backup and restore act on the database the environment names (DATABASE_URL), as every manage.py command does.
backup: install
	$(PYTHON) manage.py backup_database $(if $(OUT),--output "$(OUT)")

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/policybase-….dump (or .sqlite3)"; exit 2; }
	$(PYTHON) manage.py restore_database "$(FILE)"

# --- evaluations (judgments frozen before tuning) and benchmarks ---
BENCH_DOCS ?= 10000

.PHONY: eval eval-search eval-ingest eval-themes eval-align bench bench-1m load

# A bounded load test against a server already running on 127.0.0.1:$(PORT) (make serve): docs/operations.md.
load: install
	$(PYTHON) bench/load.py --url http://127.0.0.1:$(PORT)

eval: eval-search eval-ingest eval-themes eval-align

eval-search: install
	$(PYTHON) bench/eval/run_eval.py --per-query

eval-ingest: install
	$(PYTHON) bench/eval/ingest_eval.py --verbose

eval-themes: install
	$(PYTHON) bench/eval/themes_eval.py

eval-align: install
	$(PYTHON) bench/eval/align_eval.py

bench: install
	$(PYTHON) bench/run_bench.py --docs $(BENCH_DOCS)

# The same measurements at ten times the size: the PostgreSQL corpus of the last `make bench` copied ten times.
bench-1m: install
	$(PYTHON) bench/run_bench.py --docs $(BENCH_DOCS) --backend postgresql --skip-import --replicate 10
