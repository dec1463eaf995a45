"""Destination workers: a dead or slow endpoint does not hold back a healthy one; the rate
limit sends the excess as one digest; what cannot be delivered is parked, then done."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import orjson
import pytest

from streams.commands.broker import free_port
from streams.core.alerts.rules import RateLimit
from streams.core.delivery.destinations import Destination
from streams.core.delivery.payloads import Payload
from streams.core.delivery.retry import RetryPolicy
from streams.models import AlertDigest, WebhookFormat
from streams.runtime.notify.destination import DestinationWorker, Job
from streams.runtime.notify.sender import Outcome, WebhookSender, new_session
from tests.support.webhooks import SECRET_PATH, Receiver, Reply, make_alert

#: One retry interval: every back-off is drawn from [0, RETRY_S].
RETRY_S = 1.0
POLICY = RetryPolicy(max_attempts=4, backoff_s=RETRY_S, backoff_max_s=RETRY_S, timeout_s=5.0)
ALERTS = 30


def _destination(
    url: str,
    rule: str = "desk",
    fmt: WebhookFormat = "json",
    limit: int = 10_000,
    per_s: float = 1.0,
) -> Destination:
    return Destination(rule, 0, url, None, fmt, RateLimit(count=limit, per_s=per_s))


class Parked:
    """The park callback: what would go to the undelivered topic."""

    def __init__(self) -> None:
        self.items: list[tuple[Destination, Payload, Outcome]] = []

    async def __call__(self, destination: Destination, payload: Payload, outcome: Outcome) -> None:
        self.items.append((destination, payload, outcome))


async def _run(
    workers: Sequence[DestinationWorker], count: int, until: asyncio.Event | None = None
) -> list[int]:
    """Queue `count` alerts on every worker; run them until `until` (or all are done)."""
    done = [0] * len(workers)
    finished = until or asyncio.Event()

    def mark(i: int) -> None:
        done[i] += 1
        if until is None and all(d == count for d in done):
            finished.set()

    tasks = [asyncio.create_task(w.run()) for w in workers]
    for n in range(count):
        for i, worker in enumerate(workers):
            worker.put(Job(make_alert(n), lambda i=i: mark(i)))  # type: ignore[misc]
    try:
        await asyncio.wait_for(finished.wait(), 30)
    finally:
        for task in tasks:
            task.cancel()
        for worker in workers:
            await worker.cancel_sending()
        await asyncio.gather(*tasks, return_exceptions=True)
    return done


async def _healthy_span(troubled: list[str]) -> float:
    """Seconds from queueing to the healthy receiver's last alert, with `troubled` endpoints
    queued the same alerts alongside."""
    session = new_session()
    sender = WebhookSender(session, POLICY)
    parked = Parked()
    try:
        with Receiver() as healthy:
            done = asyncio.Event()
            workers = [DestinationWorker(_destination(healthy.url), sender, parked)]
            workers += [DestinationWorker(_destination(url), sender, parked) for url in troubled]
            started = time.time()
            watcher = asyncio.create_task(_watch(healthy, done))
            await _run(workers, ALERTS, until=done)
            await watcher
            return max(r.at for r in healthy.requests()) - started
    finally:
        await session.close()


async def _watch(receiver: Receiver, done: asyncio.Event) -> None:
    while len(receiver.requests()) < ALERTS:
        await asyncio.sleep(0.01)
    done.set()


async def test_destination_dead_and_slow_endpoints_do_not_delay_a_healthy_one() -> None:
    alone = await _healthy_span([])
    dead = f"http://127.0.0.1:{free_port()}{SECRET_PATH}"
    with Receiver(default=Reply(200, delay_s=4.0)) as slow:
        beside = await _healthy_span([dead, slow.url])
    print(
        f"healthy endpoint: {ALERTS} alerts in {alone:.3f} s alone, {beside:.3f} s beside a "
        f"dead and a slow one (one retry interval: {RETRY_S} s)"
    )
    assert beside - alone < RETRY_S


async def test_destination_rate_limit_sends_the_rest_as_one_json_digest() -> None:
    session = new_session()
    try:
        with Receiver() as receiver:
            worker = DestinationWorker(
                _destination(receiver.url, limit=3, per_s=1.0),
                WebhookSender(session, POLICY),
                Parked(),
            )
            started = time.time()
            assert await _run([worker], 10) == [10]
    finally:
        await session.close()
    got = receiver.requests()
    assert len(got) == 4
    singles, digest = got[:3], got[3]
    assert [orjson.loads(r.body)["alert_id"] for r in singles] == [
        make_alert(n).alert_id for n in range(3)
    ]
    held = AlertDigest.model_validate_json(digest.body)
    assert held.count == 7 and [a.alert_id for a in held.alerts] == [
        make_alert(n).alert_id for n in range(3, 10)
    ]
    assert digest.headers["Idempotency-Key"].startswith("digest-")
    assert digest.at - started >= 0.9  # at the window's end


async def test_destination_rate_limit_slack_digest_is_one_message() -> None:
    session = new_session()
    try:
        with Receiver() as receiver:
            dest = _destination(receiver.url, fmt="slack", limit=2, per_s=0.5)
            worker = DestinationWorker(dest, WebhookSender(session, POLICY), Parked())
            assert await _run([worker], 6) == [6]
    finally:
        await session.close()
    got = [orjson.loads(r.body) for r in receiver.requests()]
    assert len(got) == 3
    assert got[2]["text"].startswith("4 alerts for desk")


@pytest.mark.parametrize("status", [400, 500])
async def test_destination_undeliverable_is_parked_then_done(status: int) -> None:
    session = new_session()
    policy = RetryPolicy(max_attempts=2, backoff_s=0.01, backoff_max_s=0.01, timeout_s=2.0)
    parked = Parked()
    try:
        with Receiver(default=Reply(status)) as receiver:
            worker = DestinationWorker(
                _destination(receiver.url), WebhookSender(session, policy), parked
            )
            assert await _run([worker], 3) == [3]
    finally:
        await session.close()
    assert len(parked.items) == 3 and worker.parked == 3 and worker.delivered == 0
    attempts = {outcome.attempts for _, _, outcome in parked.items}
    assert attempts == ({1} if status == 400 else {2})


async def test_destination_drops_jobs_of_a_partition_given_up() -> None:
    session = new_session()
    done: list[int] = []
    try:
        with Receiver() as receiver:
            worker = DestinationWorker(
                _destination(receiver.url), WebhookSender(session, POLICY), Parked()
            )
            task = asyncio.create_task(worker.run())
            worker.put(Job(make_alert(1), lambda: done.append(1), wanted=lambda: False))
            worker.put(Job(make_alert(2), lambda: done.append(2)))
            assert await asyncio.to_thread(receiver.wait_for, lambda got: len(got) == 1, 10)
            await asyncio.sleep(0.1)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await session.close()
    assert done == [2]
    assert [orjson.loads(r.body)["alert_id"] for r in receiver.requests()] == [
        make_alert(2).alert_id
    ]


async def test_destination_failing_endpoint_parks_alerts_beyond_its_waiting_bound() -> None:
    """While a dead endpoint's last delivery failed, alerts beyond `max_waiting` waiting ones
    are parked untried, so it cannot hold an unbounded number uncommitted."""
    session = new_session()
    policy = RetryPolicy(max_attempts=2, backoff_s=0.2, backoff_max_s=0.2, timeout_s=2.0)
    parked = Parked()
    done: list[int] = []
    dead = f"http://127.0.0.1:{free_port()}/hook"
    worker = DestinationWorker(
        _destination(dead), WebhookSender(session, policy), parked, in_flight=2, max_waiting=5
    )
    task = asyncio.create_task(worker.run())
    try:
        worker.put(Job(make_alert(0), lambda: done.append(0)))
        while not parked.items:  # the first failure is known
            await asyncio.sleep(0.02)
        for n in range(1, 31):
            worker.put(Job(make_alert(n), lambda n=n: done.append(n)))  # type: ignore[misc]
        deadline = time.monotonic() + 30
        while len(done) < 31 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await worker.cancel_sending()
        await asyncio.gather(task, return_exceptions=True)
        await session.close()
    assert sorted(done) == list(range(31))  # each alert finished once: delivered or parked
    untried = [o for _, _, o in parked.items if o.attempts == 0]
    assert len(untried) >= 30 - 5 - 2  # beyond the 5 waiting and the 2 in flight
    assert all(o.last_error.startswith("not tried: ") for o in untried)
    assert "connection" in untried[0].last_error.lower() or "refused" in untried[0].last_error
    assert worker.parked == 31 and worker.delivered == 0
