"""When to try a webhook again, and after how long: exponential back-off with full jitter
(so many destinations failing together do not retry in step), a 429's Retry-After honoured
but capped, and which failures are worth another attempt at all."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

__all__ = ["RetryPolicy", "retryable_status", "parse_retry_after", "backoff_delay", "next_delay"]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one delivery (from the `notify_*` settings)."""

    max_attempts: int = 6
    backoff_s: float = 0.5
    backoff_max_s: float = 30.0
    timeout_s: float = 10.0


def retryable_status(status: int) -> bool:
    """429 (slow down) and 5xx (the receiver's trouble) may pass; any other 4xx says the
    request itself is wrong and would fail the same way again."""
    return status == 429 or 500 <= status <= 599


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds or an HTTP-date (`now` is unix
    time); None when absent or unreadable, never negative."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now)


def backoff_delay(attempt: int, policy: RetryPolicy, uniform: Callable[[], float]) -> float:
    """The wait after failed attempt number `attempt` (1-based): full jitter, a uniform draw
    from 0 to min(cap, first * 2^(attempt-1)); `uniform` returns a float in [0, 1)."""
    ceiling = min(policy.backoff_max_s, policy.backoff_s * 2 ** min(attempt - 1, 60))
    return float(ceiling * uniform())


def next_delay(
    attempt: int,
    policy: RetryPolicy,
    retry_after: float | None = None,
    uniform: Callable[[], float] = random.random,
) -> float:
    """The wait before the next attempt: a Retry-After (capped at the longest back-off)
    when the receiver gave one, else the jittered back-off."""
    if retry_after is not None:
        return min(retry_after, policy.backoff_max_s)
    return backoff_delay(attempt, policy, uniform)
