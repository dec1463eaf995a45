"""One queue and one task per destination, so a slow or dead endpoint holds back no other;
within a destination a few POSTs go in parallel, under its rate limit (alerts beyond it
leave as one digest when the window ends).

A dead endpoint still holds its alerts uncommitted while they are retried, and the consumer
pauses once too many are pending: so while an endpoint's last delivery failed, an alert
beyond MAX_WAITING_WHILE_FAILING waiting ones is parked at once, untried, and the others
keep flowing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from streams.core.delivery.destinations import Destination
from streams.core.delivery.payloads import Payload, digest_payload, single_payload
from streams.core.delivery.ratelimit import RateLimiter
from streams.models import Alert
from streams.runtime.notify.sender import Outcome, WebhookSender

__all__ = [
    "Job",
    "Park",
    "DestinationWorker",
    "IN_FLIGHT_PER_DESTINATION",
    "MAX_WAITING_WHILE_FAILING",
]

log = logging.getLogger("streams.notify")

#: POSTs of one destination in flight at once: enough to keep a healthy receiver busy over
#: keep-alive connections (the throughput benchmark), few enough to be polite to it.
IN_FLIGHT_PER_DESTINATION = 8
#: Alerts waiting for a free slot beyond which, while the endpoint's last delivery failed,
#: a new alert is parked untried: a dead endpoint holds at most this many (plus those in
#: flight) uncommitted, far below the consumer's pause bound (service.MAX_PENDING).
MAX_WAITING_WHILE_FAILING = 200


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Job:
    """One alert for one destination; `done` is called once it was delivered or parked.
    `wanted` turns false when its record's partition went to another consumer: a job not
    yet sent is then dropped (the new owner sends it) rather than sent twice."""

    alert: Alert
    done: Callable[[], None]
    wanted: Callable[[], bool] = _always


#: Parks a payload that could not be delivered (the undelivered topic); returns once stored.
Park = Callable[[Destination, Payload, Outcome], Awaitable[None]]


class DestinationWorker:
    """The queue of one destination and the task that empties it."""

    def __init__(
        self,
        destination: Destination,
        sender: WebhookSender,
        park: Park,
        *,
        in_flight: int = IN_FLIGHT_PER_DESTINATION,
        max_waiting: int = MAX_WAITING_WHILE_FAILING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.destination = destination
        self.delivered = 0
        self.parked = 0
        self._sender = sender
        self._park = park
        self._clock = clock
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._slots = asyncio.Semaphore(in_flight)
        self._sending: set[asyncio.Task[None]] = set()
        self._max_waiting = max_waiting
        self._last_failure: str | None = None  # the last delivery's error; None after a success
        limit = destination.rate_limit
        self._limiter: RateLimiter[Job] = RateLimiter(limit.count, limit.per_s, clock)

    def put(self, job: Job) -> None:
        """Queue an alert (never blocks: the consumer bounds what is pending overall); park it
        untried when the endpoint is failing and enough alerts already wait for it."""
        if self._last_failure is not None and self._queue.qsize() >= self._max_waiting:
            outcome = Outcome(
                delivered=False,
                attempts=0,
                last_error=f"not tried: {self._queue.qsize()} alerts wait for this endpoint, "
                f"whose last delivery failed ({self._last_failure})",
                first_attempt_at=datetime.now(UTC),
            )
            payload = single_payload(job.alert, self.destination.format)
            task = asyncio.create_task(self._park_untried(payload, job, outcome))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
            return
        self._queue.put_nowait(job)

    @property
    def backlog(self) -> int:
        """Alerts queued, held for a digest or being sent."""
        return self._queue.qsize() + self._limiter.held + len(self._sending)

    async def run(self) -> None:
        """Take queued alerts, send each now or hold it for the digest, until cancelled."""
        getter: asyncio.Task[Job] | None = None
        try:
            while True:
                if getter is None:
                    getter = asyncio.ensure_future(self._queue.get())
                due = self._limiter.due_at()
                timeout = None if due is None else max(0.0, due - self._clock())
                await asyncio.wait({getter}, timeout=timeout)
                held = self._limiter.release()
                if held:
                    await self._spawn(held, digest=True)
                if getter.done():
                    job, getter = getter.result(), None
                    if job.wanted() and self._limiter.offer(job):
                        await self._spawn([job], digest=False)
        finally:
            if getter is not None:
                getter.cancel()

    async def _spawn(self, jobs: Sequence[Job], *, digest: bool) -> None:
        """Send once a slot is free; jobs whose partition went elsewhere meanwhile are dropped."""
        await self._slots.acquire()
        jobs = [job for job in jobs if job.wanted()]
        if not jobs:
            self._slots.release()
            return
        dest = self.destination
        if digest:
            alerts = [job.alert for job in jobs]
            payload = digest_payload(dest.rule, alerts, dest.rate_limit.per_s, dest.format)
            log.info("%s: sending a digest of %d alerts", dest.name, len(jobs))
        else:
            payload = single_payload(jobs[0].alert, dest.format)
        task = asyncio.create_task(self._send(payload, jobs))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, payload: Payload, jobs: Sequence[Job]) -> None:
        try:
            outcome = await self._sender.deliver(self.destination, payload)
            if outcome.delivered:
                self._last_failure = None
                self.delivered += len(jobs)
                log.debug(
                    "%s: delivered %s",
                    self.destination.name,
                    payload.key,
                    extra={"alert_id": payload.key},
                )
                for job in jobs:
                    job.done()
            else:
                self._last_failure = outcome.last_error
                await self._give_up(payload, jobs, outcome)
        except Exception:  # a bug: the alerts stay uncommitted and come back after a restart
            log.exception("%s: delivery of %s failed", self.destination.name, payload.key)
        finally:
            self._slots.release()

    async def _park_untried(self, payload: Payload, job: Job, outcome: Outcome) -> None:
        try:
            await self._give_up(payload, [job], outcome)
        except Exception:  # a bug: the alert stays uncommitted and comes back after a restart
            log.exception("%s: parking %s failed", self.destination.name, payload.key)

    async def _give_up(self, payload: Payload, jobs: Sequence[Job], outcome: Outcome) -> None:
        """Park a payload's alerts on the undelivered topic; then they are done."""
        log.warning(
            "%s: gave up on %s after %d attempts (%s); parking %d alert(s)",
            self.destination.name,
            payload.key,
            outcome.attempts,
            outcome.last_error,
            len(jobs),
            extra={"alert_id": payload.key},
        )
        await self._park(self.destination, payload, outcome)
        self.parked += len(jobs)
        for job in jobs:
            job.done()

    async def cancel_sending(self) -> None:
        """Give up what is being sent (shutdown): those alerts stay uncommitted."""
        tasks = list(self._sending)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
