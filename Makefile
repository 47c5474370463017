# Rampup: the verbs the README's commands call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install install-test run test lint format bench bench-cold bench-growth bench-drop bench-load clean

help:
	@echo "make run   - install, migrate, load the roadmap, create demo accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install test dependencies and run the whole suite (browser tests included)"
	@echo "make lint  - ruff check, ruff format check and the djade template format check"
	@echo "make bench - key pages vs a floor page on realistic data (BENCH_ARGS=--json out.json)"
	@echo "make bench-growth - the growth table: 1k/10k/50k learners, 1/3 years, 5/50/200 mentees, cold and warm (BENCH_ARGS=--keep-db keeps the datasets for next time)"
	@echo "make bench-drop - drop the datasets bench --keep-db kept"
	@echo "make bench-load - key pages under load on gunicorn + PostgreSQL + Redis, then a two-server check (BENCH_ARGS=--duration 5)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# A stamp per dependency set: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet ".[test]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Links in emails (also those create_demo_accounts queues) point at this server.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_roadmap
	$(PY) manage.py create_demo_accounts
	@echo "Demo accounts (password rampup-demo): demo-learner, demo-mentor"
	@echo "Serving on http://$(HOST):$(PORT)/ (web, a task worker and the reminder clock: Procfile)"
	PY=$(PY) HOST=$(HOST) $(VENV)/bin/honcho start --port $(PORT)

test: install-test
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

TEMPLATES = $(shell find templates -name '*.html')

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check --target-version 5.2 $(TEMPLATES)

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade --target-version 5.2 $(TEMPLATES)

# Key pages against a floor page on a throwaway database of realistic size.
bench: install
	$(PY) manage.py bench $(BENCH_ARGS)

# The same, forgetting each learner's cached fragments before every request.
bench-cold: install
	$(PY) manage.py bench --cold $(BENCH_ARGS)

# The growth table: 1k/10k/50k learners, 1 and 3 years, 5/50/200 mentees, cold and warm
# (BENCH_ARGS="--growth-learners 1000,10000": about 15 minutes; 50k adds 10-30 more).
# BENCH_ARGS=--keep-db keeps each dataset (rampup_bench_1000, _10000, _50000 on
# PostgreSQL) and measures it again next time, migrated, without the build: minutes.
bench-growth: install
	$(PY) manage.py bench --growth $(BENCH_ARGS)

# Drop the datasets --keep-db kept (every rampup_bench_* database, or file on SQLite).
bench-drop: install
	$(PY) manage.py bench --drop-db $(BENCH_ARGS)

# Key pages under load on real servers (gunicorn, PostgreSQL, Redis on 127.0.0.1), then
# a second server against the same database and cache, to prove no local state.
bench-load: install
	$(PY) manage.py bench_load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
