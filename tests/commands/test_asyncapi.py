"""The AsyncAPI document in the repo is the one the models generate, its examples validate
against the JSON Schemas and the models, every topic has a channel, and the official AsyncAPI
parser finds no error in it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from pydantic import BaseModel

from streams.commands.asyncapi.examples import EXAMPLE_SECRET
from streams.commands.asyncapi_export import ASYNCAPI_PATH, asyncapi_text, default_settings
from streams.commands.schema_export import MESSAGE_MODELS, SCHEMA_DIR
from streams.core.delivery.signing import verify
from streams.runtime.topics import topic_specs

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "tools" / "asyncapi" / "validate.mjs"
INSTALL = "npm ci --prefix tools/asyncapi"

#: Model name -> (model, its JSON Schema file in streams/schemas/).
MODELS: dict[str, tuple[type[BaseModel], Path]] = {
    model.__name__: (model, SCHEMA_DIR / f"{stem}.json") for stem, model in MESSAGE_MODELS.items()
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    data = yaml.safe_load(ASYNCAPI_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _examples(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(message id, example name, message, example) of every example of every message."""
    return [
        (message_id, example["name"], message, example)
        for message_id, message in document["components"]["messages"].items()
        for example in message["examples"]
    ]


def _component(document: dict[str, Any], ref: str) -> Any:
    """The node a local `#/...` reference points at; KeyError when there is none."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_asyncapi_checked_in_file_is_current() -> None:
    assert ASYNCAPI_PATH.is_file(), "generate it with `python -m streams.commands.schema_export`"
    assert ASYNCAPI_PATH.read_text(encoding="utf-8") == asyncapi_text(), (
        "regenerate with `python -m streams.commands.schema_export` (or `make schemas`)"
    )


def test_asyncapi_has_no_yaml_aliases_and_names_its_generator() -> None:
    text = ASYNCAPI_PATH.read_text(encoding="utf-8")
    assert text.startswith("# Generated")
    events = yaml.parse(text, Loader=yaml.SafeLoader)
    assert not any(isinstance(event, yaml.AliasEvent) for event in events)


def test_asyncapi_every_message_has_an_example(document: dict[str, Any]) -> None:
    messages = document["components"]["messages"]
    assert all(message.get("examples") for message in messages.values())


def test_asyncapi_examples_validate_against_the_json_schemas_and_models(
    document: dict[str, Any],
) -> None:
    checked = set()
    for message_id, name, message, example in _examples(document):
        schema_name = message["payload"]["$ref"].rsplit("/", 1)[1]
        payload = example["payload"]
        where = f"{message_id}/{name}"
        if schema_name in MODELS:
            model, path = MODELS[schema_name]
            schema = orjson.loads(path.read_bytes())
            errors = list(Draft202012Validator(schema).iter_errors(payload))
            assert not errors, f"{where}: {errors[0].message}"
            model.model_validate(payload)
            checked.add(schema_name)
        else:
            schema = _component(document, message["payload"]["$ref"])
            Draft7Validator.check_schema(schema)
            errors = list(Draft7Validator(schema).iter_errors(payload))
            assert not errors, f"{where}: {errors[0].message}"
    assert checked == set(MODELS), "every message model has an example"


def test_asyncapi_kafka_keys_and_webhook_headers_of_the_examples_validate(
    document: dict[str, Any],
) -> None:
    for message_id, name, message, example in _examples(document):
        kafka = message.get("bindings", {}).get("kafka")
        if kafka is not None:
            key = kafka["key"]
            assert Draft7Validator(key).is_valid(key["examples"][0]), message_id
        if "headers" in message:
            schema = _component(document, message["headers"]["$ref"])
            errors = list(Draft7Validator(schema).iter_errors(example["headers"]))
            assert not errors, f"{message_id}/{name}: {errors[0].message}"


def test_asyncapi_webhook_signatures_of_the_examples_verify(document: dict[str, Any]) -> None:
    signed = 0
    for *_, example in _examples(document):
        headers = example.get("headers", {})
        if "X-Newsstream-Signature" in headers:
            timestamp = headers["X-Newsstream-Timestamp"]
            body = orjson.dumps(example["payload"])
            assert verify(
                EXAMPLE_SECRET.encode(),
                timestamp,
                body,
                headers["X-Newsstream-Signature"],
                now=float(timestamp),
            )
            signed += 1
    assert signed >= 2


def test_asyncapi_every_topic_has_a_channel(document: dict[str, Any]) -> None:
    settings = default_settings()
    channels = document["channels"]
    addresses = {channel["address"]: channel for channel in channels.values()}
    names = {spec.name for spec in topic_specs(settings)} | {settings.topic_undelivered}
    assert names <= set(addresses)
    for spec in topic_specs(settings):
        binding = addresses[spec.name]["bindings"]["kafka"]
        assert (binding["topic"], binding["partitions"]) == (spec.name, spec.partitions)
    assert addresses["{topic}"]["parameters"]["topic"]
    for internal in (settings.stories_topic, settings.state_topic):
        assert addresses[internal]["x-internal"] is True


def test_asyncapi_every_local_reference_resolves(document: dict[str, Any]) -> None:
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                refs.append(ref)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    assert refs and all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        _component(document, ref)


def test_asyncapi_official_parser_finds_no_error() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"node is not on PATH: install Node.js, then `{INSTALL}`")
    if not (VALIDATOR.parent / "node_modules").is_dir():
        pytest.skip(f"the AsyncAPI parser is not installed: run `{INSTALL}`")
    result = subprocess.run(
        [node, str(VALIDATOR), str(ASYNCAPI_PATH.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 errors," in result.stdout
