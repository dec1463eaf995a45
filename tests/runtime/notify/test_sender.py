"""The sender against a real receiver on loopback that misbehaves as each test asks."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from email.utils import formatdate

import pytest

from streams.commands.broker import free_port
from streams.core.alerts.rules import RateLimit
from streams.core.delivery.destinations import Destination
from streams.core.delivery.payloads import single_payload
from streams.core.delivery.retry import RetryPolicy
from streams.core.delivery.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify,
)
from streams.runtime.notify.sender import WebhookSender, new_session
from tests.support.webhooks import SECRET_PATH, Receiver, Reply, make_alert

SECRET = b"hook-secret"
FAST = RetryPolicy(max_attempts=3, backoff_s=0.05, backoff_max_s=0.1, timeout_s=2.0)


def destination(url: str, secret: bytes | None = SECRET) -> Destination:
    return Destination("desk", 0, url, secret, "json", RateLimit(count=1000, per_s=1))


@pytest.fixture
async def sender() -> AsyncIterator[WebhookSender]:
    session = new_session()
    yield WebhookSender(session, FAST)
    await session.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


async def test_sender_signed_post_is_verified_by_the_receiver(
    sender: WebhookSender, receiver: Receiver
) -> None:
    payload = single_payload(make_alert(1), "json")
    outcome = await sender.deliver(destination(receiver.url), payload)
    assert outcome.delivered and outcome.attempts == 1
    (got,) = receiver.requests()
    assert got.body == payload.body
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers[IDEMPOTENCY_HEADER] == make_alert(1).alert_id
    assert abs(int(got.headers[TIMESTAMP_HEADER]) - time.time()) < 60
    assert verify(SECRET, got.headers[TIMESTAMP_HEADER], got.body, got.headers[SIGNATURE_HEADER])
    assert not verify(
        b"wrong", got.headers[TIMESTAMP_HEADER], got.body, got.headers[SIGNATURE_HEADER]
    )


async def test_sender_without_secret_sends_no_signature(
    sender: WebhookSender, receiver: Receiver
) -> None:
    await sender.deliver(destination(receiver.url, None), single_payload(make_alert(1), "json"))
    assert SIGNATURE_HEADER not in receiver.requests()[0].headers


async def test_sender_retries_500_then_delivers(sender: WebhookSender) -> None:
    with Receiver(script=[Reply(500), Reply(503)]) as flaky:
        outcome = await sender.deliver(destination(flaky.url), single_payload(make_alert(), "json"))
    assert outcome.delivered and outcome.attempts == 3
    assert [r.status for r in flaky.requests()] == [500, 503, 200]
    keys = {r.headers[IDEMPOTENCY_HEADER] for r in flaky.requests()}
    assert keys == {make_alert().alert_id}  # every attempt carries the same key


@pytest.mark.parametrize("header", ["1", "http-date"])
async def test_sender_429_honours_retry_after(sender: WebhookSender, header: str) -> None:
    value = formatdate(time.time() + 2, usegmt=True) if header == "http-date" else header
    with Receiver(script=[Reply(429, {"Retry-After": value})]) as limited:
        outcome = await sender.deliver(
            destination(limited.url), single_payload(make_alert(), "json")
        )
    first, second = limited.requests()
    assert outcome.delivered and outcome.attempts == 2
    # the back-off alone would wait at most 0.05 s; Retry-After asks for about 1 s
    # (an HTTP-date has whole seconds: 1 to 2 s), capped at backoff_max_s (0.1 s) here
    assert second.at - first.at >= 0.09


async def test_sender_429_retry_after_within_the_cap_is_waited_for() -> None:
    session = new_session()
    policy = RetryPolicy(max_attempts=2, backoff_s=0.01, backoff_max_s=5.0, timeout_s=2.0)
    try:
        with Receiver(script=[Reply(429, {"Retry-After": "1"})]) as limited:
            payload = single_payload(make_alert(), "json")
            outcome = await WebhookSender(session, policy).deliver(
                destination(limited.url), payload
            )
    finally:
        await session.close()
    first, second = limited.requests()
    assert outcome.delivered and second.at - first.at >= 0.95


async def test_sender_timeout_is_retried_then_given_up(sender: WebhookSender) -> None:
    session = new_session()
    policy = RetryPolicy(max_attempts=2, backoff_s=0.01, backoff_max_s=0.01, timeout_s=0.3)
    try:
        with Receiver(default=Reply(200, delay_s=2.0)) as slow:
            payload = single_payload(make_alert(), "json")
            outcome = await WebhookSender(session, policy).deliver(destination(slow.url), payload)
            assert len(slow.requests()) == 2
    finally:
        await session.close()
    assert not outcome.delivered and outcome.attempts == 2
    assert outcome.last_error == "timeout after 0.3 s"


async def test_sender_dead_port_is_a_connection_error_after_every_attempt(
    sender: WebhookSender,
) -> None:
    url = f"http://127.0.0.1:{free_port()}{SECRET_PATH}?sig=also-secret"
    outcome = await sender.deliver(destination(url), single_payload(make_alert(), "json"))
    assert not outcome.delivered and outcome.attempts == FAST.max_attempts
    assert outcome.last_error.startswith("connection error")
    assert "sekrit" not in outcome.last_error and "also-secret" not in outcome.last_error


@pytest.mark.parametrize("status", [400, 404, 410])
async def test_sender_other_4xx_is_not_retried(sender: WebhookSender, status: int) -> None:
    with Receiver(default=Reply(status)) as refusing:
        outcome = await sender.deliver(
            destination(refusing.url), single_payload(make_alert(), "json")
        )
    assert not outcome.delivered and outcome.attempts == 1
    assert outcome.last_error.startswith(f"HTTP {status}")
    assert len(refusing.requests()) == 1
