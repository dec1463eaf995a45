"""Where agents send their outputs: a small interface, a Kafka producer and an in-memory one.

The Kafka publisher retries what the broker did not store (an outage pauses the worker, it
loses nothing), except a record the broker refuses for good: that one is replaced by a dead
letter, or, when even that is refused, logged and dropped, so that one record can never stop
a worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
    InvalidTopicError,
    MessageSizeTooLargeError,
    OutOfOrderSequenceNumber,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
    UnknownProducerId,
)

from streams.core.fit import to_json
from streams.core.pipeline import MessageContext, dead_letter
from streams.errors import BadMessageError, PublishRefusedError, TooLargeError
from streams.runtime.kafka import producer_kwargs
from streams.runtime.metrics import DEAD_LETTERS, MESSAGES_OUT, PUBLISH_RETRIES
from streams.settings import Settings

__all__ = [
    "Publisher",
    "KafkaPublisher",
    "MemoryPublisher",
    "Record",
    "backoff_delays",
    "refused_for_good",
    "refusal_letter",
    "count_stored",
]

log = logging.getLogger(__name__)

#: First back-off between attempts to publish one output, doubled each time up to the cap.
PUBLISH_BACKOFF_S = 0.5
#: Longest back-off: a broker that comes back is used again within this many seconds.
PUBLISH_BACKOFF_MAX_S = 5.0

#: The broker refuses the record because of its size: sending it again fails again.
TOO_LARGE_ERRORS: tuple[type[Exception], ...] = (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
#: The broker refuses the record, or its topic, for good for another reason. aiokafka's
#: `retriable` flag cannot decide this: a broker outage ends a send with KafkaTimeoutError or
#: BrokerNotAvailableError, which are not flagged retriable either, and must be retried.
REFUSED_ERRORS: tuple[type[Exception], ...] = (
    InvalidTopicError,
    TopicAuthorizationFailedError,
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
)
#: The idempotent producer's sequence state no longer matches the broker's (after a broker
#: restart, say): that producer fails every later send, so a new one sends the records again.
PRODUCER_STATE_ERRORS: tuple[type[Exception], ...] = (OutOfOrderSequenceNumber, UnknownProducerId)
#: How every dead letter's JSON starts (to_json writes `schema` first): counted when stored.
DEAD_LETTER_START = b'{"schema":"newsstream.deadletter/1"'


def backoff_delays(first: float, cap: float) -> Iterator[float]:
    """Seconds to wait before each retry: `first`, doubled each time, never above `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


#: One output: (topic, key, value); a value of None is a tombstone (compacted topics).
Record = tuple[str, bytes | None, bytes | None]


def refused_for_good(error: BaseException) -> bool:
    """True when the broker will never store the record as it is (see REFUSED_ERRORS)."""
    return isinstance(error, TOO_LARGE_ERRORS + REFUSED_ERRORS)


def refusal_letter(
    record: Record, error: BaseException, deadletter_topic: str, max_bytes: int
) -> Record | None:
    """The dead-letter record that replaces an output refused for good; None for a tombstone.

    The letter carries (an excerpt of) the refused output under its key, as too_large or
    publish_refused; the input's coordinates are not known here, the output's topic is named
    in the message.
    """
    topic, key, value = record
    if value is None:
        return None
    reason = f"{topic} refused the output for good: {type(error).__name__}: {error}"
    problem: BadMessageError = (
        TooLargeError(reason)
        if isinstance(error, TOO_LARGE_ERRORS)
        else PublishRefusedError(reason)
    )
    letter = dead_letter(value, MessageContext(key=key), problem, max_bytes)
    return (deadletter_topic, key, to_json(letter))


def count_stored(record: Record) -> None:
    """Count a record the broker stored: by topic, and a dead letter by its error type."""
    topic, _, value = record
    MESSAGES_OUT.labels(topic=topic).inc()
    if value is not None and value.startswith(DEAD_LETTER_START):
        DEAD_LETTERS.labels(error_type=orjson.loads(value)["error"]["type"]).inc()


def _where(record: Record) -> dict[str, Any]:
    """Log context of a record: a dead letter's input coordinates, else its own topic."""
    topic, _, value = record
    if value is not None and value.startswith(DEAD_LETTER_START):
        letter = orjson.loads(value)
        return {k: letter.get(k) for k in ("topic", "partition", "offset")}
    return {"topic": topic}


class Publisher(Protocol):
    """Sends records and returns once the broker has acknowledged them."""

    async def publish(self, topic: str, key: bytes | None, value: bytes | None) -> None: ...

    async def publish_many(self, records: Sequence[Record]) -> None: ...


@dataclass(frozen=True)
class _Output:
    """A record to send; `replaces` is the refused record a dead letter stands for."""

    record: Record
    replaces: Record | None = None


class KafkaPublisher:
    """Publishes through an aiokafka producer of its own and waits until the broker stored it.

    The producer asks for acknowledgement from all in-sync replicas and, on Apache Kafka, is
    idempotent, so its own retries never write a record twice (see `producer_kwargs`).
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            # no linger: a batch's records are handed over together and then awaited, so
            # waiting for more would only add to every hop's latency
            producer = AIOKafkaProducer(**producer_kwargs(self._settings, linger_ms=0))
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def stop(self) -> None:
        """Close the producer (everything it sent was acknowledged already)."""
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def publish(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        """Send one record and wait for its acknowledgement (see publish_many)."""
        await self.publish_many([(topic, key, value)])

    async def publish_many(self, records: Sequence[Record]) -> None:
        """Send records together and wait until the broker has stored every one.

        What failed is sent again, with back-off, until it is stored. The agent does not take
        its next messages meanwhile, so no offset is committed past an output that was not
        stored: a broker outage pauses the worker instead of losing data. A record refused for
        good (too large, an invalid or forbidden topic) is not sent again: a dead letter is
        sent in its place, and a dead letter refused for good is logged and dropped.
        """
        pending = [_Output(record) for record in records]
        delays = backoff_delays(PUBLISH_BACKOFF_S, PUBLISH_BACKOFF_MAX_S)
        attempt = 1
        while pending:
            failed = await self._send(pending)
            again = [(out, error) for out, error in failed if not refused_for_good(error)]
            instead = [
                self._instead(out, error) for out, error in failed if refused_for_good(error)
            ]
            if again:
                if any(isinstance(error, PRODUCER_STATE_ERRORS) for _, error in again):
                    await self.stop()  # the next attempt starts a producer with a new id
                await self._back_off(again, len(pending), attempt, next(delays))
                attempt += 1
            pending = [out for out, _ in again] + [out for out in instead if out is not None]

    async def _back_off(
        self, again: list[tuple[_Output, BaseException]], tried: int, attempt: int, delay: float
    ) -> None:
        """Count and log the records to send again, then wait before the next attempt."""
        for out, error in again:
            PUBLISH_RETRIES.labels(topic=out.record[0], error=type(error).__name__).inc()
        log.warning(
            "publishing %d of %d records failed (attempt %d), retrying in %.1f s: %s",
            len(again),
            tried,
            attempt,
            delay,
            again[-1][1],
            extra={"topic": again[0][0].record[0]},
        )
        await asyncio.sleep(delay)

    def _instead(self, out: _Output, error: BaseException) -> _Output | None:
        """What to send in place of a record refused for good: its dead letter, or nothing."""
        topic = out.record[0]
        settings = self._settings
        letter = None
        if out.replaces is None and topic != settings.topic_deadletter:
            letter = refusal_letter(
                out.record, error, settings.topic_deadletter, settings.max_output_bytes
            )
        if letter is None:
            log.error(
                "dropped a record for %s that the broker refused for good: %s: %s",
                topic,
                type(error).__name__,
                error,
                extra=_where(out.replaces or out.record),
            )
            return None
        log.error(
            "the broker refused a record for %s for good, dead-lettered instead: %s: %s",
            topic,
            type(error).__name__,
            error,
            extra={"topic": topic},
        )
        return _Output(letter, replaces=out.record)

    async def _send(self, outputs: list[_Output]) -> list[tuple[_Output, BaseException]]:
        """One attempt: the outputs the broker did not store, each with its error."""
        try:
            producer = await self._started()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the broker is unreachable: all of them again
            return [(out, exc) for out in outputs]
        sent, failed = await self._enqueue(producer, outputs)
        results = await asyncio.gather(*(ack for _, ack in sent), return_exceptions=True)
        for (out, _), result in zip(sent, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                failed.append((out, result))
            else:
                count_stored(out.record)
        return failed

    async def _enqueue(
        self, producer: AIOKafkaProducer, outputs: list[_Output]
    ) -> tuple[list[tuple[_Output, asyncio.Future[Any]]], list[tuple[_Output, BaseException]]]:
        """Hand the outputs to the producer: their acknowledgements, and those it refused.

        The producer refuses a record over its request size at once; any other error means
        it cannot send now, and the outputs not handed over yet are failed with it.
        """
        sent: list[tuple[_Output, asyncio.Future[Any]]] = []
        failed: list[tuple[_Output, BaseException]] = []
        for n, out in enumerate(outputs):
            topic, key, value = out.record
            try:
                sent.append((out, await producer.send(topic, value, key=key)))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failed.append((out, exc))
                if not refused_for_good(exc):
                    failed += [(rest, exc) for rest in outputs[n + 1 :]]
                    break
        return sent, failed


class MemoryPublisher:
    """Keeps what was published in a list: for agent tests that run without a broker."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    async def publish(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        """Record the output."""
        await self.publish_many([(topic, key, value)])

    async def publish_many(self, records: Sequence[Record]) -> None:
        """Record the outputs, in order, counted as the Kafka publisher counts stored ones."""
        for record in records:
            self.records.append(record)
            count_stored(record)

    def on(self, topic: str) -> list[tuple[bytes | None, bytes | None]]:
        """The (key, value) pairs published to one topic, in order."""
        return [(k, v) for t, k, v in self.records if t == topic]
