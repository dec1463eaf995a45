"""The notify process: a consumer of news.alerts in its own group, a destination worker per
webhook, a producer for the undelivered topic, and commits that never pass an unfinished
record. Several processes in the group share the partitions, as workers do."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener
from aiokafka.errors import KafkaError
from aiokafka.structs import OffsetAndMetadata, TopicPartition
from pydantic import ValidationError

from streams.core.alerts.rules import Rule
from streams.core.delivery.destinations import Destination, by_rule
from streams.core.delivery.offsets import OffsetTracker, Token
from streams.core.delivery.payloads import Payload
from streams.core.delivery.retry import RetryPolicy
from streams.core.fit import to_json
from streams.core.temporal.published import utc_iso
from streams.models import Alert, UndeliveredAlert
from streams.runtime.kafka import client_kwargs, producer_kwargs, start_client
from streams.runtime.notify.destination import DestinationWorker, Job
from streams.runtime.notify.sender import MAX_ERROR_CHARS, Outcome, WebhookSender, new_session
from streams.runtime.publish import PUBLISH_BACKOFF_MAX_S, PUBLISH_BACKOFF_S, backoff_delays
from streams.runtime.topics import ensure_topics
from streams.settings import Settings

__all__ = ["NotifyOptions", "NotifyStats", "retry_policy", "run_notify", "undelivered"]

log = logging.getLogger("streams.notify")

#: Records read but not finished beyond which fetching pauses (back-pressure): bounds the
#: memory a dead endpoint can take, and the duplicates a crash can cause.
MAX_PENDING = 2000
#: How long one poll waits for records; also the longest a finished record waits for its
#: commit while nothing new comes.
POLL_MS = 100
#: Records taken per poll.
MAX_RECORDS = 500
#: How long the broker may hold a fetch while it has nothing new. A broker that answers as
#: soon as a record comes makes this the idle poll rate only; one that waits it out (the
#: embedded broker does) adds up to this much to every alert's delivery.
FETCH_MAX_WAIT_MS = 20


@dataclass(frozen=True)
class NotifyOptions:
    """How the loop runs: back-pressure bound and the shutdown bound."""

    max_pending: int = MAX_PENDING
    grace_s: float = 10.0  # after a stop, how long in-flight deliveries may still finish


@dataclass
class NotifyStats:
    """What one run did, logged at its end."""

    records: int = 0
    delivered: int = 0
    parked: int = 0


def retry_policy(settings: Settings) -> RetryPolicy:
    """The retry policy the `notify_*` settings give."""
    return RetryPolicy(
        max_attempts=settings.notify_max_attempts,
        backoff_s=settings.notify_backoff_s,
        backoff_max_s=settings.notify_backoff_max_s,
        timeout_s=settings.notify_timeout_s,
    )


def undelivered(destination: Destination, alert: Alert, outcome: Outcome) -> UndeliveredAlert:
    """The parked record of one alert: which rule and endpoint (never its path), the error."""
    return UndeliveredAlert(
        alert=alert,
        rule=destination.rule,
        destination=destination.endpoint,
        format=destination.format,
        attempts=outcome.attempts,
        last_error=outcome.last_error[:MAX_ERROR_CHARS],
        first_attempt_at=utc_iso(outcome.first_attempt_at),
        parked_at=utc_iso(datetime.now(UTC)),
    )


class _Fanout:
    """One record's deliveries: the record finishes when the last of them does."""

    def __init__(self, tracker: OffsetTracker[TopicPartition], token: Token[TopicPartition]):
        self._tracker = tracker
        self._token = token
        self.remaining = 0

    def done(self) -> None:
        self.remaining -= 1
        if self.remaining == 0:
            self._tracker.finish(self._token)


class _Notifier(ConsumerRebalanceListener):  # type: ignore[misc]
    """The loop's state: consumer, producer, tracker and destination workers."""

    def __init__(
        self,
        settings: Settings,
        rules: Sequence[Rule],
        destinations: Sequence[Destination],
        options: NotifyOptions,
    ) -> None:
        self.settings = settings
        self.options = options
        self.stats = NotifyStats()
        self.tracker: OffsetTracker[TopicPartition] = OffsetTracker()
        self.rule_names = {rule.name for rule in rules}
        self.targets = by_rule(destinations)
        self.consumer = AIOKafkaConsumer(
            **client_kwargs(settings),
            group_id=settings.notify_group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=FETCH_MAX_WAIT_MS,
            session_timeout_ms=int(settings.session_timeout_s * 1000),
            heartbeat_interval_ms=int(settings.heartbeat_interval_s * 1000),
        )
        self.producer = AIOKafkaProducer(**producer_kwargs(settings))
        self.workers: dict[Destination, DestinationWorker] = {}
        self._paused = False
        self._skipped_rules: set[str] = set()

    # --- rebalances -----------------------------------------------------------------------

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        """Commit what finished, then forget the partitions: what is still in flight will be
        delivered again by their next owner (at least once)."""
        await self.commit()
        for tp in revoked:
            self.tracker.forget(tp)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        """Log the partitions this process now delivers."""
        names = ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(assigned))
        log.info("notify assigned %s", names or "no partitions")

    # --- the loop -------------------------------------------------------------------------

    async def park(self, destination: Destination, payload: Payload, outcome: Outcome) -> None:
        """Store each alert of a payload that was not delivered on the undelivered topic,
        retrying while the broker does not take it (an alert is never dropped)."""
        for alert in payload.alerts:
            value = to_json(undelivered(destination, alert, outcome))
            for delay in backoff_delays(PUBLISH_BACKOFF_S, PUBLISH_BACKOFF_MAX_S):
                try:
                    await self.producer.send_and_wait(
                        self.settings.topic_undelivered, value, key=alert.alert_id.encode()
                    )
                    break
                except KafkaError as exc:
                    log.warning("cannot park alert %s yet (%s); retrying", alert.alert_id, exc)
                    await asyncio.sleep(delay)

    def dispatch(self, record: Any) -> None:
        """Queue a record's alert for each webhook of each rule it names."""
        tp = TopicPartition(record.topic, record.partition)
        token = self.tracker.take(tp, record.offset)
        self.stats.records += 1
        fanout = _Fanout(self.tracker, token)
        try:
            alert = Alert.model_validate_json(record.value or b"")
        except ValidationError:
            where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
            log.warning("skipped a record that is not an alert", extra=where)
            self.tracker.finish(token)
            return
        targets = [d for name in dict.fromkeys(alert.rules) for d in self._targets(name)]
        if not targets:
            self.tracker.finish(token)
            return
        fanout.remaining = len(targets)
        wanted = partial(self.tracker.current, token)
        for destination in targets:
            self.workers[destination].put(Job(alert, fanout.done, wanted))

    def _targets(self, rule: str) -> list[Destination]:
        if rule not in self.rule_names and rule not in self._skipped_rules:
            self._skipped_rules.add(rule)
            log.info("alerts name the rule %r, which the rules file no longer has: skipped", rule)
        return self.targets.get(rule, [])

    async def commit(self) -> None:
        """Commit, per partition, the end of the run of finished records."""
        positions = self.tracker.committable()
        if not positions:
            return
        try:
            await self.consumer.commit(
                {tp: OffsetAndMetadata(offset, "") for tp, offset in positions.items()}
            )
        except KafkaError as exc:  # a rebalance under way: the next owner sends them again
            log.info("commit deferred: %s", type(exc).__name__)
            return
        self.tracker.committed(positions)
        log.debug("committed %s", {f"{tp.topic}[{tp.partition}]": o for tp, o in positions.items()})

    def _back_pressure(self) -> None:
        pending = self.tracker.pending
        if pending >= self.options.max_pending:
            if not self._paused:
                log.info("%d alerts pending: fetching paused", pending)
            self._paused = True
            self.consumer.pause(*self.consumer.assignment())
        elif self._paused and pending <= self.options.max_pending // 2:
            self._paused = False
            self.consumer.resume(*self.consumer.assignment())
            log.info("fetching resumed")

    async def consume(self, stop: asyncio.Event) -> None:
        """Read, dispatch and commit until `stop` is set."""
        while not stop.is_set():
            self._back_pressure()
            batches = await self.consumer.getmany(timeout_ms=POLL_MS, max_records=MAX_RECORDS)
            for records in batches.values():
                for record in records:
                    self.dispatch(record)
            await self.commit()

    async def drain(self, grace_s: float) -> None:
        """Let in-flight deliveries finish for up to `grace_s`, then give up the rest."""
        deadline = time.monotonic() + grace_s
        while self.tracker.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        given_up = self.tracker.pending
        if given_up:
            log.warning("%d alerts not finished at shutdown: delivered again next start", given_up)
        await self.commit()


async def run_notify(
    settings: Settings,
    rules: Sequence[Rule],
    destinations: Sequence[Destination],
    stop: asyncio.Event,
    options: NotifyOptions = NotifyOptions(),
) -> NotifyStats:
    """Deliver alerts until `stop` is set; then finish in-flight work within the grace,
    commit and return what was done."""
    await ensure_topics(settings)
    notifier = _Notifier(settings, rules, destinations, options)
    await start_client(notifier.producer, settings)
    session = new_session()
    sender = WebhookSender(session, retry_policy(settings))
    tasks: list[asyncio.Task[None]] = []
    try:
        await start_client(notifier.consumer, settings)
        notifier.consumer.subscribe([settings.topic_alerts], listener=notifier)
        for destination in destinations:
            worker = DestinationWorker(destination, sender, notifier.park)
            notifier.workers[destination] = worker
            tasks.append(asyncio.create_task(worker.run()))
        await notifier.consume(stop)
        await notifier.drain(options.grace_s)
    finally:
        for task in tasks:
            task.cancel()
        for worker in notifier.workers.values():
            await worker.cancel_sending()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        notifier.stats.delivered = sum(w.delivered for w in notifier.workers.values())
        notifier.stats.parked = sum(w.parked for w in notifier.workers.values())
        await session.close()
        with contextlib.suppress(Exception):
            await notifier.consumer.stop()
        await notifier.producer.stop()
    return notifier.stats
