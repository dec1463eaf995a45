"""The JSON Schema files in the repo are the ones the models generate, and they validate output."""

from __future__ import annotations

from streams.commands.schema_export import SCHEMA_DIR, schema_documents


def test_schemas_checked_in_files_are_current() -> None:
    stale = [
        name
        for name, text in schema_documents().items()
        if not (SCHEMA_DIR / name).is_file() or (SCHEMA_DIR / name).read_bytes() != text
    ]
    assert not stale, f"regenerate with `python -m streams.commands.schema_export`: {stale}"


def test_schemas_name_the_schema_versions() -> None:
    docs = schema_documents()
    assert b"newsstream.enriched/1" in docs["enriched-article.json"]
    assert b"newsstream.alert/1" in docs["alert.json"]
    assert b"newsstream.deadletter/1" in docs["dead-letter.json"]
