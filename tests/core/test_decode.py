"""Decoding raw payloads: every accepted shape, and a specific error for every bad one."""

from __future__ import annotations

import pytest

from streams.core.decode import decode_message
from streams.errors import BadMessageError

LIMIT = 1_000_000


@pytest.mark.parametrize(
    ("payload", "field", "expected"),
    [
        (b'{"id": "a1", "body": "Some text."}', "body", "Some text."),
        (b'"A JSON string holding text."', "body", "A JSON string holding text."),
        (b"Plain text that is not JSON.", "body", "Plain text that is not JSON."),
        (b'{"id": "a2", "html": "<p>x</p>"}', "html", "<p>x</p>"),
        (
            b"[Breaking] text starting with a bracket",
            "body",
            "[Breaking] text starting with a bracket",
        ),
        (
            b'"We will not retreat," the commander said on Monday.',
            "body",
            '"We will not retreat," the commander said on Monday.',
        ),
        (b'\xef\xbb\xbf \n {"id": "bom", "body": "x"}', "body", "x"),
    ],
)
def test_decode_accepts_every_raw_shape(payload: bytes, field: str, expected: str) -> None:
    article = decode_message(payload, LIMIT)
    assert getattr(article, field) == expected


def test_decode_turns_integer_ids_into_strings() -> None:
    assert decode_message(b'{"id": 17, "body": "x"}', LIMIT).id == "17"


def test_decode_ignores_unknown_fields() -> None:
    article = decode_message(b'{"id": "a", "body": "x", "extra": {"deep": [1]}}', LIMIT)
    assert article.id == "a"


@pytest.mark.parametrize(
    ("payload", "error_type", "words"),
    [
        (b"\xff\xfe", "decode_error", "UTF-8"),
        (b'{"body": ', "decode_error", "JSON"),
        (b"[1]", "invalid_schema", "list"),
        (b"true", "invalid_schema", "bool"),
        (b"123", "invalid_schema", "number"),
        (b"1e999", "invalid_schema", "number"),
        (b"Infinity", "invalid_schema", "number"),
        (b" -NaN ", "invalid_schema", "number"),
        (b'{"body": ["a"]}', "invalid_schema", "body"),
        (b'{"title": "t"}', "invalid_schema", "neither"),
        (b'{"body": ""}', "empty_article", "empty"),
        (b"  \n ", "empty_article", "empty"),
        (b"x" * (LIMIT + 1), "too_large", "limit"),
    ],
)
def test_decode_rejects_bad_payloads_with_a_reason(
    payload: bytes, error_type: str, words: str
) -> None:
    with pytest.raises(BadMessageError) as caught:
        decode_message(payload, LIMIT)
    assert caught.value.error_type == error_type
    assert words.lower() in str(caught.value).lower()


def test_decode_checks_size_before_decoding() -> None:
    with pytest.raises(BadMessageError) as caught:
        decode_message(b"\xff" * 2048, 1024)
    assert caught.value.error_type == "too_large"
