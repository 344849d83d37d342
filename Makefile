# Two entry points for a fresh machine with Python 3.11 and make: `make run` and `make test`.
PY ?= python3
VENV := .venv
UV := .tools/bin/uv
UV_VERSION := 0.13.9
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install lint screenshots bench clean

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --python $(PY) --quiet

run: install
	$(VENV)/bin/dealtrack migrate --noinput
	$(VENV)/bin/dealtrack demo --if-empty
	$(VENV)/bin/dealtrack serve --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/dealtrack makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest

# PNGs of the board, list, deal page and Today with demo data (needs Debian's chromium and fonts-noto-cjk).
screenshots: install
	$(VENV)/bin/python -m dealtrack.testing.screenshots --out docs/screenshots

clean:
	rm -rf .venv .tools
