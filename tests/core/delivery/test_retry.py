"""Retry timing: full-jitter back-off, Retry-After, and what is worth another attempt."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from streams.core.delivery.retry import (
    RetryPolicy,
    backoff_delay,
    next_delay,
    parse_retry_after,
    retryable_status,
)

POLICY = RetryPolicy(max_attempts=6, backoff_s=0.5, backoff_max_s=4.0)


@pytest.mark.parametrize(
    ("status", "retried"),
    [
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (599, True),
        (400, False),
        (401, False),
        (404, False),
        (410, False),
        (413, False),
        (301, False),
    ],
)
def test_retry_retryable_status(status: int, retried: bool) -> None:
    assert retryable_status(status) is retried


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)])
def test_retry_backoff_doubles_up_to_the_cap(attempt: int, ceiling: float) -> None:
    assert backoff_delay(attempt, POLICY, lambda: 0.999999) == pytest.approx(ceiling, rel=1e-5)
    assert backoff_delay(attempt, POLICY, lambda: 0.0) == 0.0


def test_retry_backoff_is_full_jitter_from_the_injected_rng() -> None:
    assert backoff_delay(3, POLICY, lambda: 0.25) == pytest.approx(0.5)


def test_retry_backoff_of_a_huge_attempt_does_not_overflow() -> None:
    assert backoff_delay(10_000, POLICY, lambda: 0.5) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), (" 120 ", 120.0), (None, None), ("", None), ("soon", None), ("-5", None)],
)
def test_retry_after_seconds(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=1000.0) == seconds


def test_retry_after_http_date() -> None:
    now = 1_772_452_800.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now) == pytest.approx(30.0)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now) == 0.0


def test_retry_next_delay_honours_retry_after_but_caps_it() -> None:
    assert next_delay(1, POLICY, retry_after=2.0) == 2.0
    assert next_delay(1, POLICY, retry_after=3600.0) == POLICY.backoff_max_s
    assert next_delay(2, POLICY, None, lambda: 0.5) == pytest.approx(0.5)
