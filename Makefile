# planwatch — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := planwatch/web/static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup browser run test gate lint format test-pg demo clean

# Virtual environment with the package and its pinned dependencies, rebuilt when they change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) $(VENDOR)
	@command -v msgfmt >/dev/null || bash scripts/install-system-packages.sh gettext
	@test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || bash scripts/install-system-packages.sh fonts-noto-cjk
	cd planwatch && DEBUG=1 ../$(BIN)/planwatch compilemessages --verbosity 0

# Browser libraries come from the npm registry and are served by the platform itself.
$(VENDOR): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || bash scripts/install-system-packages.sh nodejs npm
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p planwatch/web/static/vendor
	cp frontend/node_modules/chart.js/dist/chart.umd.min.js frontend/node_modules/chart.js/dist/chart.umd.min.js.map planwatch/web/static/vendor/
	touch $(VENDOR)

# The platform on its embedded default: SQLite under var/, demo data, server on 127.0.0.1.
run: setup
	HOST=$(HOST) PORT=$(PORT) bash scripts/run-dev.sh

# The quality gate and the whole test suite (CI runs exactly this, on SQLite and PostgreSQL).
# The browser tests drive Debian's Chromium: installed here where it is missing, so that this
# command alone works on a machine that has never run CI.
test: setup browser gate

browser:
	@test -x /usr/bin/chromium || bash scripts/install-system-packages.sh chromium

gate:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/planwatch makemigrations --check --dry-run --settings=planwatch.settings_test
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var build *.egg-info
