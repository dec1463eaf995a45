# newsstream: the commands a user and CI run. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test unit integration integration-kafka kafka-jars lint format schemas bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install newsstream with its test tools

demo: $(STAMP) ## embedded broker + worker + sample feed, alerts live until Ctrl-C
	$(BIN)/newsstream demo

test: lint ## lint, type-check, then the whole test suite (unit, agents, integration)
	$(BIN)/pytest

unit: $(STAMP)
	$(BIN)/pytest -m "not integration"

integration: $(STAMP)
	$(BIN)/pytest -m integration

kafka-jars: ## resolve the Apache Kafka broker jars (JDK 17+ and Maven) into ~/.cache/newsstream
	tools/kafka/fetch-jars.sh

integration-kafka: $(STAMP) ## the integration tests against Apache Kafka 4.1 (no Docker)
	NEWSSTREAM_TEST_BROKER=kafka NEWSSTREAM_KAFKA_LIB="$${NEWSSTREAM_KAFKA_LIB:-$$(tools/kafka/fetch-jars.sh)}" \
		$(BIN)/pytest -m integration

lint: $(STAMP)
	$(BIN)/ruff check streams tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix streams tests benchmarks
	$(BIN)/ruff format streams tests benchmarks

schemas: $(STAMP) ## regenerate the JSON Schema files from the models
	$(BIN)/python -m streams.commands.schema_export

bench: $(STAMP) ## core throughput, latency and memory
	$(BIN)/newsstream bench --core

eval: $(STAMP) ## quality gate: labelled-set scores against benchmarks/quality_baseline.json
	$(BIN)/python -m benchmarks.eval_gate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .newsstream-data
