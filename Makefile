# Schakel: `make run` serves the demo care zone; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Settings: manage.py defaults to schakel.settings.development, pytest to schakel.settings.test
# (pyproject.toml); neither is exported here, so that each keeps its own.

.PHONY: run test lint test-sqlite test-postgres test-browser screenshots bench messages check-deploy clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

## Create the environment, the SQLite database and the demo zone, then serve http://127.0.0.1:8000
run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_matrix --apply
	$(PY) manage.py load_retention --apply
	$(PY) manage.py load_need_taxonomy
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_directory
	@# The background worker (imports, e-mail) runs beside the server and is stopped with it.
	bash -c '$(PY) manage.py db_worker --queue-name "*" --no-reload & trap "kill $$! 2>/dev/null" EXIT; $(PY) manage.py runserver 127.0.0.1:8000 --noreload'

## Lint, the import layering, type check, migrations check, the suite on SQLite and PostgreSQL, and the browser journeys
test: $(STAMP) lint test-sqlite test-postgres test-browser

lint: $(STAMP)
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The apps' layering (pyproject.toml [tool.importlinter], docs/decisions.md)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .
	DJANGO_SETTINGS_MODULE=schakel.settings.test $(PY) manage.py makemigrations --check --dry-run

## SQLite in two passes: the suite on an in-memory database, then the tests that need a file's
## real locking (threads, a subprocess; marked `locking`) on a file database in var/.
test-sqlite: $(STAMP)
	$(VENV)/bin/pytest -q -m "not browser and not locking" -n 2
	SCHAKEL_TEST_DB=file $(VENV)/bin/pytest -q -m "locking and not browser" -p no:xdist

test-postgres: $(STAMP)
	@if $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest -q -m "not browser" -n 2; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI and not reachable at $(PG_URL)"; exit 1; \
	else echo "SKIPPED: PostgreSQL not reachable at $(PG_URL) (CI requires it)"; fi

test-browser: $(STAMP)
	@if command -v chromium >/dev/null; then \
		SCHAKEL_TEST_DB=file $(VENV)/bin/pytest -q -m browser -p no:xdist; \
	elif [ "$$CI" = "true" ]; then echo "Chromium is required in CI (apt-get install chromium)"; exit 1; \
	else echo "SKIPPED: browser journeys need Debian's chromium (apt-get install chromium)"; fi

## The user guide's screenshots (docs/user-guide.md): demo zone, fixed clock, docs/guide/img/*.png.
## Not part of `make test`: the file's name is outside pytest's test_*.py pattern.
screenshots: $(STAMP)
	mkdir -p docs/guide/img
	SCHAKEL_TEST_DB=file $(VENV)/bin/pytest -q -p no:xdist -m screenshots tests/browser/guide_screenshots.py

## Benchmarks (docs/benchmarks.md). BENCH_SIZE=tiny for a smoke run; BENCH_PART=access|plans|map for one part.
bench: $(STAMP)
	$(PY) -m bench.run --size $${BENCH_SIZE:-zone} --part $${BENCH_PART:-all}

## Recompile the translation catalogues (needs GNU gettext; the compiled files are committed)
messages: $(STAMP)
	$(PY) manage.py makemessages -l nl -l fr --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=schakel.settings.production SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
		ALLOWED_HOSTS=schakel.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var
