# The verbs people type. `make demo` and `make test` set up everything on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
AG := $(VENV)/bin/autograder
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: setup demo test test-fast build images bench clean serve mutants

setup: $(STAMP)

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing pinned dependencies (torch 2.13.0 CPU)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@bash scripts/install-system-deps.sh
	@touch $(STAMP)

build: setup
	$(AG) build --all --jobs $(JOBS)

demo: setup
	@$(AG) build week01
	@rm -rf build/demo && $(AG) samples week01 --dest build/demo/submissions
	@# exit 3: graded, with rows that need a look (the demo's broken notebook is one of them)
	@$(AG) grade week01 build/demo/submissions --out build/demo/grades --jobs $(JOBS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ]
	@echo; echo "==> build/demo/grades/grades.csv"; column -s, -t < build/demo/grades/grades.csv

test: setup
	@bash scripts/run-tests.sh

# The submission service: `make serve`, or e.g. `make serve OPEN=week01 PORT=8080` (OPEN: weeks
# accepted before their release date, for a trial run). Needs roster.yml (see README).
HOST ?= 127.0.0.1
PORT ?= 8000
OPEN ?=
serve: setup
	$(AG) serve --host $(HOST) --port $(PORT) $(addprefix --open ,$(OPEN))

bench: setup
	@$(PY) -m autograder.bench

# Mutation scores of every week's tests; writes assignments/MUTATION.md (long; not part of `make test`).
mutants: setup
	$(AG) mutants --all

clean:
	rm -rf build .pytest_cache

include grader_images/images.mk
