# savedesk: `make run` opens the app on a demo database, `make test` runs the whole suite.
# Both create the virtual environment first when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := var/demo.db
CONSTRAINTS := constraints.txt

.PHONY: run test test-pg lint typecheck format bench bench-pg fuzz screenshots demo clean system-deps lock

# Installs the exact versions of constraints.txt: a new release cannot break a fresh clone.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@bash scripts/system-deps.sh venv
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev]"
	@touch $(STAMP)

# After a deliberate upgrade in .venv (and a green suite): pin what it holds now.
lock: $(STAMP)
	@{ sed -n '1,3p' $(CONSTRAINTS); $(BIN)/python -m pip freeze --exclude-editable | grep -v '^savedesk'; } > $(CONSTRAINTS).new
	@mv $(CONSTRAINTS).new $(CONSTRAINTS)

system-deps:
	@bash scripts/system-deps.sh offscreen

# Built once; later set-ups keep it (and whatever you did in it). `make demo` builds it anew.
$(DEMO_DB): | $(STAMP)
	@mkdir -p var
	$(BIN)/savedesk demo --db $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	@bash scripts/system-deps.sh window
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display: run this from a desktop session (or under xvfb-run; see make screenshots)." >&2; exit 1; fi
	$(BIN)/savedesk $(DEMO_DB)

demo: $(STAMP)
	@mkdir -p var
	$(BIN)/savedesk demo --db $(DEMO_DB) --replace

test: $(STAMP) system-deps
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The same suite again on a real PostgreSQL 15 (the team store): installed by the set-up where
# missing (as root; otherwise it names the apt line), started and stopped by the tests themselves.
test-pg: $(STAMP) system-deps
	@bash scripts/system-deps.sh postgres
	SAVEDESK_TEST_STORE=postgresql QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy on review/ and reports/; the per-module exception list in pyproject.toml only shrinks
typecheck: $(STAMP)
	$(BIN)/python scripts/mypy_gate.py

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The import fuzzing of the normal suite, with many more (and new, not derandomized) examples.
FUZZ_EXAMPLES ?= 3000
fuzz: $(STAMP)
	SAVEDESK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
	  tests/test_import_fuzz.py --hypothesis-show-statistics

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks

# 20 concurrent reviewers (each a lead login) on a team store of 1,000,000 messages imported by
# savedesk, on a throwaway PostgreSQL 15 (installed as for test-pg). Sizes: BENCH_PG_* (see
# tests/benchmarks/bench_pg.py); BENCH_PG_TICKETS=10000 builds 100,000 messages in minutes.
bench-pg: $(STAMP)
	@bash scripts/system-deps.sh postgres
	$(BIN)/python -m tests.benchmarks pg

# Uses the display when there is one, else a virtual one (Xvfb) of 1920x1080.
screenshots: $(STAMP) $(DEMO_DB)
	@bash scripts/system-deps.sh window
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  $(BIN)/python -m desktop.screenshots --db $(DEMO_DB) --out var/screenshots; \
	else \
	  xvfb-run -a -s "-screen 0 1920x1080x24" \
	    $(BIN)/python -m desktop.screenshots --db $(DEMO_DB) --out var/screenshots; \
	fi

clean:
	rm -rf $(VENV) var build *.egg-info
