"""JSON Schema files for every message, generated from the pydantic models and shipped in the repo.

Regenerate after changing a model: ``python -m streams.commands.schema_export`` (it writes the
AsyncAPI document too, streams.commands.asyncapi_export); a test fails while the checked-in
files differ from what the models give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from streams.models import (
    Alert,
    AlertDigest,
    DeadLetter,
    EnrichedArticle,
    RawArticle,
    UndeliveredAlert,
)

__all__ = ["SCHEMA_DIR", "MESSAGE_MODELS", "schema_documents", "write_schemas"]

SCHEMA_DIR = Path(__file__).parents[1] / "schemas"

#: File stem -> model, one per message kind on the wire.
MESSAGE_MODELS: dict[str, type[BaseModel]] = {
    "raw-article": RawArticle,
    "enriched-article": EnrichedArticle,
    "alert": Alert,
    "dead-letter": DeadLetter,
    "undelivered-alert": UndeliveredAlert,
    "alert-digest": AlertDigest,
}


def schema_documents() -> dict[str, bytes]:
    """File name -> JSON Schema text (draft 2020-12) for each message model."""
    documents = {}
    for stem, model in MESSAGE_MODELS.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"urn:newsstream:schema:{stem}",
            **model.model_json_schema(by_alias=True, mode="serialization"),
        }
        documents[f"{stem}.json"] = (
            orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
        )
    return documents


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema file; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = directory / name
        path.write_bytes(text)
        written.append(path)
    return written


if __name__ == "__main__":
    from streams.commands.asyncapi_export import write_asyncapi

    for path in [*write_schemas(), write_asyncapi()]:
        print(path)
