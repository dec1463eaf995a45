"""Signing webhook requests: an HMAC-SHA256 over the timestamp and the body, so a receiver
can tell our POSTs from forged ones and refuse a replay of an old one."""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = [
    "CONTENT_TYPE",
    "TIMESTAMP_HEADER",
    "SIGNATURE_HEADER",
    "IDEMPOTENCY_HEADER",
    "MAX_AGE_S",
    "signature",
    "verify",
    "request_headers",
]

CONTENT_TYPE = "application/json"
#: Unix seconds when the request was signed; part of the signed text.
TIMESTAMP_HEADER = "X-Newsstream-Timestamp"
#: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, only when the webhook has a secret.
SIGNATURE_HEADER = "X-Newsstream-Signature"
#: The same for every attempt and every webhook that gets one alert (or one digest).
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: How old a signed timestamp `verify` accepts by default: longer than the longest retry
#: delay is not needed (each attempt is signed afresh), five minutes absorbs clock skew.
MAX_AGE_S = 300


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` signed at `timestamp` (unix seconds)."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()


def verify(
    secret: bytes,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    max_age_s: float = MAX_AGE_S,
) -> bool:
    """True when `header` signs `body` at `timestamp` with `secret` and the timestamp is
    recent; compared in constant time, so the check leaks nothing about the secret."""
    if not timestamp.isdigit():
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)


def request_headers(
    body: bytes, idempotency_key: str, secret: bytes | None, timestamp: int
) -> dict[str, str]:
    """The headers of one POST: content type, timestamp, idempotency key, and the signature
    when the webhook has a secret."""
    headers = {
        "Content-Type": CONTENT_TYPE,
        TIMESTAMP_HEADER: str(timestamp),
        IDEMPOTENCY_HEADER: idempotency_key,
    }
    if secret is not None:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    return headers
