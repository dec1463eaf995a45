# newsstream: the commands a user and CI run. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINTED := streams tests benchmarks training
# The venv is not on PATH: say how to reach `newsstream` from the user's own shell.
PATH_HINT := echo "-- newsstream is installed in $(abspath $(BIN)): run '. $(VENV)/bin/activate' to have it on PATH (or call $(abspath $(BIN))/newsstream)"

.DEFAULT_GOAL := help
.PHONY: help install demo test unit integration integration-kafka kafka-jars lint format schemas asyncapi docs bench bench-stream eval train-ner clean

help: ## list the targets, each with what it does (the default goal)
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-zA-Z0-9_.-]+:[^=]*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install newsstream with its test tools
	@$(PATH_HINT)

# The hint comes first: the Ctrl-C that stops the demo stops make too.
demo: $(STAMP) ## embedded broker + worker + live page + sample feed, alerts live until Ctrl-C
	@$(PATH_HINT)
	$(BIN)/newsstream demo

test: lint ## lint, type-check, then the whole test suite (unit, agents, integration)
	$(BIN)/pytest

unit: $(STAMP) ## the tests that need no broker
	$(BIN)/pytest -m "not integration"

integration: $(STAMP) ## the integration tests against the embedded broker (NEWSSTREAM_TEST_BROKER)
	$(BIN)/pytest -m integration

kafka-jars: ## resolve the Apache Kafka broker jars (JDK 17+ and Maven) into ~/.cache/newsstream
	tools/kafka/fetch-jars.sh

integration-kafka: $(STAMP) ## the integration tests against Apache Kafka 4.1 (no Docker)
	NEWSSTREAM_TEST_BROKER=kafka NEWSSTREAM_KAFKA_LIB="$${NEWSSTREAM_KAFKA_LIB:-$$(tools/kafka/fetch-jars.sh)}" \
		$(BIN)/pytest -m integration

lint: $(STAMP) ## ruff check, ruff format --check and mypy over streams, tests and benchmarks
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

format: $(STAMP) ## apply ruff's fixes and formatting to streams, tests and benchmarks
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

schemas: $(STAMP) ## regenerate the JSON Schema files and the AsyncAPI document from the models
	$(BIN)/python -m streams.commands.schema_export

asyncapi: ## validate streams/schemas/asyncapi.yaml with the official AsyncAPI parser (Node.js)
	@test -d tools/asyncapi/node_modules || npm ci --prefix tools/asyncapi --no-audit --no-fund
	node tools/asyncapi/validate.mjs streams/schemas/asyncapi.yaml

docs: $(STAMP) ## regenerate the README's configuration and dead-letter tables from the code
	$(BIN)/python -m streams.settings --readme

bench: $(STAMP) ## core throughput, latency and memory
	$(BIN)/newsstream bench --core

bench-stream: $(STAMP) ## the whole pipeline, 20,000 articles on the embedded broker (CI runs it)
	$(BIN)/newsstream bench --stream --articles 20000

eval: $(STAMP) ## quality gate: labelled-set scores against benchmarks/quality_baseline.json
	$(BIN)/python -m benchmarks.eval_gate

train-ner: $(STAMP) ## retrain the shipped name tagger from CoNLL-2003 (../shared/eval) and training/data
	$(BIN)/python -m training.train_ner

clean: ## remove .venv and the tool caches and data directory
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .newsstream-data
