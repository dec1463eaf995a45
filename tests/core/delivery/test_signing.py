"""Signatures: what a receiver checks, and what it must refuse."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from streams.core.delivery.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    request_headers,
    signature,
    verify,
)

SECRET = b"s3cret"
BODY = b'{"alert_id":"abc"}'
NOW = 1_772_452_800


def test_signing_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, NOW, BODY) == f"sha256={expected}"


def test_signing_verify_accepts_a_fresh_signature() -> None:
    assert verify(SECRET, str(NOW), BODY, signature(SECRET, NOW, BODY), now=NOW + 10)


@pytest.mark.parametrize(
    ("secret", "timestamp", "body", "now"),
    [
        (b"other", str(NOW), BODY, NOW),  # wrong secret
        (SECRET, str(NOW + 1), BODY, NOW),  # timestamp changed
        (SECRET, str(NOW), BODY + b" ", NOW),  # body changed
        (SECRET, str(NOW), BODY, NOW + 301),  # too old: a replay
        (SECRET, "12a", BODY, NOW),  # not a number
    ],
)
def test_signing_verify_refuses_tampering_and_replays(
    secret: bytes, timestamp: str, body: bytes, now: int
) -> None:
    assert not verify(secret, timestamp, body, signature(SECRET, NOW, BODY), now=now)


def test_signing_headers_carry_the_signature_only_with_a_secret() -> None:
    signed = request_headers(BODY, "abc", SECRET, NOW)
    assert signed["Content-Type"] == "application/json"
    assert signed[TIMESTAMP_HEADER] == str(NOW)
    assert signed[IDEMPOTENCY_HEADER] == "abc"
    assert signed[SIGNATURE_HEADER] == signature(SECRET, NOW, BODY)
    assert SIGNATURE_HEADER not in request_headers(BODY, "abc", None, NOW)
