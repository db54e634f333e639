# reviewpulse — every command a user or CI runs. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Lambda runs Python 3.12: use it for the venvs and `sam build` when pyenv or the system has one that runs
# (a pyenv shim for an uninstalled version does not).
PY312 := $(shell for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1) $$(command -v python3.12 2>/dev/null); do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo "$$p"; break; }; done)
PYTHON ?= $(if $(PY312),$(PY312),python3)
VENV := .venv
SAM_VENV := .venv-sam
SAM_VERSION := 1.170.0
BIN := $(VENV)/bin
SAM := $(SAM_VENV)/bin/sam
REGION ?= eu-west-1
EVAL_DIR ?= ../shared/eval/dev
ARGS ?=

.PHONY: help venv run test lint typecheck unit template build eval bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml layers/reviewpulse/requirements.txt
	@echo "› creating $(VENV) with $$($(PYTHON) --version)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip
	@$(BIN)/pip install -q -e '.[dev]'
	@touch $@

# aws-sam-cli pins boto3, click and pydantic: it lives in its own venv so it never holds ours back.
$(SAM_VENV)/.installed:
	@echo "› creating $(SAM_VENV) with aws-sam-cli $(SAM_VERSION)"
	@test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	@$(SAM_VENV)/bin/pip install -q --upgrade pip
	@$(SAM_VENV)/bin/pip install -q aws-sam-cli==$(SAM_VERSION)
	@touch $@

venv: $(BIN)/.installed ## Create the development virtualenv

run: $(BIN)/.installed ## Run the whole loop locally (moto, sandbox platform, in-process Lambdas). ARGS="--help"
	$(BIN)/python -m tests.local $(ARGS)

test: lint typecheck unit template build ## Lint, type-check, test, validate the template, build
	@echo "✓ make test passed"

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy layers/reviewpulse/reviewpulse functions tests

unit: $(BIN)/.installed
	$(BIN)/pytest

template: $(BIN)/.installed $(SAM_VENV)/.installed
	$(BIN)/cfn-lint template.yaml
	SAM_CLI_TELEMETRY=0 $(SAM) validate --lint --region $(REGION)

build: $(SAM_VENV)/.installed
	@if [ -z "$(PY312)" ]; then \
		echo "! no python3.12 on this machine (pyenv or PATH): skipping sam build"; \
	else \
		PATH="$$(dirname $(PY312)):$$PATH" SAM_CLI_TELEMETRY=0 $(SAM) build --region $(REGION); \
	fi

eval: $(BIN)/.installed ## Score the built-in classifier on labelled reviews (EVAL_DIR=...)
	EVAL_DIR=$(EVAL_DIR) $(BIN)/python tests/eval/evaluate.py

bench: $(BIN)/.installed ## Ingest throughput, writes per unchanged review, cold starts → build/bench.json
	$(BIN)/python -m tests.bench

clean: ## Remove venvs, build output and local state
	rm -rf $(VENV) $(SAM_VENV) .aws-sam build .local-state
