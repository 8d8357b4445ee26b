PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench geodata clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: $(STAMP)
	$(BIN)/pip install -q -e '.[test,geodata]'
	touch $@

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port 8501 --server.headless true

# Tests run with an empty matplotlib cache, as on a new machine: nothing may depend on what a cache holds.
test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	MPLCONFIGDIR=$$(mktemp -d) $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/cli.py

geodata: $(VENV)/.test-installed
	$(BIN)/python -m layout build-geodata

clean:
	rm -rf $(VENV) .pytest_cache
