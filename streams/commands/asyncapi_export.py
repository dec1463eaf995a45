"""The AsyncAPI 3.0 document of newsstream's event API, generated from the models.

Every topic with its key, its message schema and examples, who sends and who receives it,
and the webhook POSTs of `newsstream notify`. The payload schemas are the JSON Schemas of
streams/schemas/*.json (schema_export generates both), their `$defs` moved to
`components.schemas`. Regenerate with ``python -m streams.commands.asyncapi_export`` (or
``make schemas``); a test fails while the checked-in file differs from what this gives, and
``make asyncapi`` validates it with the official AsyncAPI parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import yaml

from streams import __version__
from streams.commands.asyncapi.catalogue import (
    DESCRIPTION,
    GROUPS,
    HTTP_BINDING,
    KAFKA_BINDING,
    OPERATIONS,
    SCHEMAS,
    TOPICS,
    messages,
    ref,
)
from streams.commands.schema_export import MESSAGE_MODELS, SCHEMA_DIR, schema_documents
from streams.runtime.kafka import max_record_bytes
from streams.runtime.topics import topic_specs
from streams.settings import Settings

__all__ = [
    "ASYNCAPI_PATH",
    "default_settings",
    "component_schemas",
    "asyncapi_document",
    "asyncapi_text",
    "write_asyncapi",
]

ASYNCAPI_PATH = SCHEMA_DIR / "asyncapi.yaml"

HEADER = (
    "# Generated from streams/models.py by `python -m streams.commands.asyncapi_export` (also\n"
    "# run by `make schemas`): do not edit. tests/commands/test_asyncapi.py fails while this\n"
    "# file is stale; `make asyncapi` validates it with the official AsyncAPI parser.\n"
)


def default_settings() -> Settings:
    """The settings' defaults alone, without the environment: the document names defaults."""
    return Settings.model_construct()


def _local_refs(node: Any) -> Any:
    """A JSON Schema with its `#/$defs/X` references pointing at `#/components/schemas/X`."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _local_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    return node


def component_schemas() -> dict[str, Any]:
    """Every message model's JSON Schema and those of the models it nests, by model name,
    as schema_export writes them; and the payloads no model describes."""
    schemas: dict[str, Any] = {}
    documents = schema_documents()
    for stem, model in MESSAGE_MODELS.items():
        document = orjson.loads(documents[f"{stem}.json"])
        nested = document.pop("$defs", {})
        for key in ("$schema", "$id"):
            document.pop(key)
        for name, schema in [(model.__name__, document), *nested.items()]:
            schema = _local_refs(schema)
            if schemas.setdefault(name, schema) != schema:
                raise ValueError(f"two different JSON Schemas are named {name}")
    schemas.update(SCHEMAS)
    return dict(sorted(schemas.items()))


def _kafka_channels(settings: Settings) -> dict[str, Any]:
    """A channel per topic of topic_specs, and one for the topics subscriber rules name."""
    specs = {spec.name: spec for spec in topic_specs(settings)}
    config = {"max.message.bytes": max_record_bytes(settings)}
    channels: dict[str, Any] = {}
    for channel, (field, title, names, description) in TOPICS.items():
        name = str(getattr(settings, field))
        spec = specs[name]
        internal = field in {"stories_topic", "state_topic"}
        channels[channel] = {
            "address": name,
            "title": title,
            "description": description,
            "servers": [{"$ref": "#/servers/kafka"}],
            "messages": {message: ref("messages", message) for message in names},
            "bindings": {
                "kafka": {
                    "topic": name,
                    "partitions": spec.partitions,
                    "replicas": settings.replication,
                    "topicConfiguration": (
                        {"cleanup.policy": ["compact"], **config} if spec.compact else config
                    ),
                    "bindingVersion": KAFKA_BINDING,
                }
            },
            **({"tags": [{"name": "internal"}], "x-internal": True} if internal else {}),
        }
    channels["ruleTopic"] = {
        "address": "{topic}",
        "title": "A rule's topic",
        "description": "The `topic` a subscriber rule names (NEWSSTREAM_RULES_FILE): every "
        "alert the rule matches is published there too, as on news.alerts.",
        "servers": [{"$ref": "#/servers/kafka"}],
        "parameters": {
            "topic": {
                "description": "The rule's `topic`.",
                "examples": ["alerts.baltic"],
            }
        },
        "messages": {"alert": ref("messages", "alert")},
        "bindings": {
            "kafka": {
                "partitions": settings.partitions,
                "replicas": settings.replication,
                "topicConfiguration": config,
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }
    return channels


def _webhook_channel() -> dict[str, Any]:
    """The webhooks `newsstream notify` POSTs to, with the three payloads they may get."""
    return {
        "address": None,
        "title": "Webhooks",
        "description": "The URL of each webhook of the subscriber rules an alert matched "
        "(`url`, or `url_env` for a URL that is a secret): `newsstream notify` POSTs the "
        "alert there in the webhook's `format`, retries connection errors, timeouts, 429 and "
        "5xx with back-off and jitter, then parks the alert on news.alerts.undelivered. A "
        "2xx answer is a delivery.",
        "servers": [{"$ref": "#/servers/webhooks"}],
        "messages": {
            "alert": ref("messages", "webhookAlert"),
            "digest": ref("messages", "webhookDigest"),
            "slack": ref("messages", "webhookSlack"),
        },
    }


def _operations(settings: Settings) -> dict[str, Any]:
    """Who sends and who receives each channel, from newsstream's point of view."""
    groups = {op: str(getattr(settings, field)) for op, field in GROUPS.items()}
    operations: dict[str, Any] = {}
    for operation, (role, action, channel, names, summary) in OPERATIONS.items():
        bindings: dict[str, Any] = {}
        if channel == "webhook":
            bindings = {"http": {"method": "POST", "bindingVersion": HTTP_BINDING}}
        elif operation in groups:
            group = {"type": "string", "const": groups[operation], "description": "Consumer group."}
            bindings = {"kafka": {"groupId": group, "bindingVersion": KAFKA_BINDING}}
        operations[operation] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": summary,
            "tags": [{"name": role}],
            "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in names],
            **({"bindings": bindings} if bindings else {}),
        }
    return operations


def asyncapi_document(settings: Settings | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document as plain data (the settings' defaults unless given)."""
    settings = settings or default_settings()
    return {
        "asyncapi": "3.0.0",
        "id": "urn:newsstream:event-api",
        "info": {
            "title": "newsstream event API",
            "version": __version__,
            "description": DESCRIPTION,
            "license": {
                "name": "Apache-2.0",
                "url": "https://www.apache.org/licenses/LICENSE-2.0",
            },
            "tags": [
                {"name": "worker", "description": "`newsstream worker`: enrich and alert."},
                {"name": "notify", "description": "`newsstream notify`: webhook delivery."},
                {"name": "serve", "description": "`newsstream serve`: live page and API."},
                {"name": "cli", "description": "The other commands."},
                {"name": "internal", "description": "The worker's own topics: not a contract."},
            ],
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": "{broker}",
                "protocol": "kafka",
                "title": "Kafka",
                "description": "Apache Kafka 4.x or a Kafka-protocol broker (the embedded one "
                "of `newsstream demo`). PLAINTEXT by default; TLS and SASL with "
                "NEWSSTREAM_SECURITY_PROTOCOL.",
                "variables": {
                    "broker": {
                        "default": settings.broker,
                        "description": "A bootstrap server, `host:port` (NEWSSTREAM_BROKER).",
                    }
                },
            },
            "webhooks": {
                "host": "{host}",
                "protocol": "https",
                "title": "Webhook receivers",
                "description": "A subscriber's HTTP endpoint, as a rule's webhook names it "
                "(`https://` or `http://`).",
                "variables": {
                    "host": {
                        "default": "hooks.example.org",
                        "description": "Host (and port) of the webhook's URL.",
                    }
                },
            },
        },
        "channels": {**_kafka_channels(settings), "webhook": _webhook_channel()},
        "operations": _operations(settings),
        "components": {"schemas": component_schemas(), "messages": messages()},
    }


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes a shared object out again instead of an alias to it, and a
    text of several lines as a literal block."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never an alias: the document reads the same in every YAML tool."""
        return True


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """A string, as a literal block when it has several lines (PyYAML falls back to a quoted
    style when a block cannot hold it)."""
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def asyncapi_text(settings: Settings | None = None) -> str:
    """The document as YAML, with its generated-file header: what asyncapi.yaml holds."""
    body = yaml.dump(
        asyncapi_document(settings),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body


def write_asyncapi(path: Path = ASYNCAPI_PATH) -> Path:
    """Write the document; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(asyncapi_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_asyncapi())
