# Two entry points: `make run` (sync the bundled example against the local forge) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint venv clean

$(BIN)/syncbot: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(BIN)/syncbot

run: venv
	./scripts/demo.sh

test: venv
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check syncbot tests benchmarks
	$(BIN)/ruff format --check syncbot tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
