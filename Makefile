# Grassroots — the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?= -n auto -q
export DJANGO_SETTINGS_MODULE := grassroots.settings

.PHONY: run test install install-dev assets messages migrate demo serve lint format lock clean screenshots bench

run: install assets migrate messages demo serve

# DEBUG defaults to off (production fails closed); the demo and the tests run with it on.
run serve test messages migrate demo: export DEBUG ?= 1
# The suite's own settings (tests/settings.py: no nightly backup of the test database); pytest-django takes
# the environment's DJANGO_SETTINGS_MODULE before pyproject's, so it is set here.
test: export DJANGO_SETTINGS_MODULE := tests.settings

test: install-dev assets messages
	$(PY) -m pytest $(PYTEST_ARGS)

# docs/screenshots/: each role's main pages in Chromium, phone and desktop (docs/e2e.md)
screenshots: export DJANGO_SETTINGS_MODULE := tests.settings
screenshots: export DEBUG ?= 1
screenshots: install-dev assets messages
	E2E_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/e2e/test_screenshots.py

# The city-scale benchmark (bench/harness.py, docs/performance.md): seeds a fresh database, serves it with
# gunicorn and DEBUG off, measures every page of bench/pages.toml against the floor, a vote burst, the roll-ups
# and the 100,000-row import. Tier S on SQLite by default; the real run:
#   make bench BENCH_ARGS="--tier M --databases sqlite postgres"
BENCH_ARGS ?=
bench: install assets messages
	$(PY) bench/harness.py $(BENCH_ARGS)

$(VENV)/.installed: requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	$(PY) scripts/build_assets.py

messages:
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "msgfmt (GNU gettext) not found: the interface stays in Chinese; install gettext for English"; fi

migrate:
	$(PY) manage.py migrate --noinput -v 0

demo:
	$(PY) manage.py seed_demo --tier S --if-empty

serve:
	PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the pinned lock files from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock --quiet
	uv pip compile pyproject.toml --python-version 3.11 --extra dev -o requirements-dev.lock --quiet

clean:
	rm -rf $(VENV) node_modules grassroots/static/vendor var/static
