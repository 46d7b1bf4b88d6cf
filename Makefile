# Shortcuts for the scripts the README names (the scripts work without make).
.PHONY: run test lint
run:
	./scripts/run
test:
	./scripts/test
lint:
	.venv/bin/ruff check syncbot tests benchmarks && .venv/bin/ruff format --check syncbot tests benchmarks && .venv/bin/mypy
