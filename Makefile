# The two commands of the README. Everything else is optional.
.PHONY: serve test lint bench screenshots

serve:  ## run kefu on embedded defaults (SQLite, in-process bus, demo tenant) on :8000
	scripts/uv run --frozen --no-dev kefu serve

# Building llama.cpp's test server from source uses every core.
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc 2>/dev/null || echo 2)

test:  ## install dependencies (and Chromium), make sure Postgres answers, run every test (Valkey is started by the tests)
	scripts/uv sync --frozen
	scripts/ensure-postgres
	scripts/ensure-chromium
	scripts/ensure-docker
	scripts/uv run --frozen ruff check functions shared tests
	scripts/uv run --frozen pytest -n 2 --dist loadfile  # both cores, each test file on one worker

screenshots:  ## refresh the screenshots in docs/img/ from a real browser run
	KEFU_SCREENSHOTS=$(CURDIR)/docs/img scripts/uv run --frozen pytest tests/browser

bench:  ## benchmarks (see docs/benchmarks.md); not part of the test run
	scripts/uv run --frozen python -m tests.bench.delivery
