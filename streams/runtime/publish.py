"""Where agents send their outputs: a small interface, a Kafka producer and an in-memory one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from typing import Protocol

from aiokafka import AIOKafkaProducer

from streams.runtime.kafka import producer_kwargs
from streams.runtime.metrics import MESSAGES_OUT
from streams.settings import Settings

__all__ = ["Publisher", "KafkaPublisher", "MemoryPublisher", "Record", "backoff_delays"]

log = logging.getLogger(__name__)

#: First back-off between attempts to publish one output, doubled each time up to the cap.
PUBLISH_BACKOFF_S = 0.5
#: Longest back-off: a broker that comes back is used again within this many seconds.
PUBLISH_BACKOFF_MAX_S = 5.0


def backoff_delays(first: float, cap: float) -> Iterator[float]:
    """Seconds to wait before each retry: `first`, doubled each time, never above `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


#: One output: (topic, key, value); a value of None is a tombstone (compacted topics).
Record = tuple[str, bytes | None, bytes | None]


class Publisher(Protocol):
    """Sends records and returns once the broker has acknowledged them."""

    async def publish(self, topic: str, key: bytes | None, value: bytes | None) -> None: ...

    async def publish_many(self, records: Sequence[Record]) -> None: ...


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
            producer = AIOKafkaProducer(**producer_kwargs(self._settings))
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
        stored: a broker outage pauses the worker instead of losing data.
        """
        pending = list(records)
        delays = backoff_delays(PUBLISH_BACKOFF_S, PUBLISH_BACKOFF_MAX_S)
        attempt = 1
        while pending:
            failed, error = await self._send(pending)
            if failed:
                delay = next(delays)
                log.warning(
                    "publishing %d of %d records failed (attempt %d), retrying in %.1f s: %s",
                    len(failed),
                    len(pending),
                    attempt,
                    delay,
                    error,
                    extra={"topic": failed[0][0]},
                )
                await asyncio.sleep(delay)
                attempt += 1
            pending = failed

    async def _send(self, records: list[Record]) -> tuple[list[Record], BaseException | None]:
        """One attempt: the records the broker did not store, and the last error."""
        try:
            producer = await self._started()
            acks = [await producer.send(t, v, key=k) for t, k, v in records]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the broker is unreachable: all of them again
            return records, exc
        failed: list[Record] = []
        error: BaseException | None = None
        results = await asyncio.gather(*acks, return_exceptions=True)
        for record, result in zip(records, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                failed.append(record)
                error = result
            else:
                MESSAGES_OUT.labels(topic=record[0]).inc()
        return failed, error


class MemoryPublisher:
    """Keeps what was published in a list: for agent tests that run without a broker."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    async def publish(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        """Record the output."""
        self.records.append((topic, key, value))

    async def publish_many(self, records: Sequence[Record]) -> None:
        """Record the outputs, in order."""
        self.records.extend(records)

    def on(self, topic: str) -> list[tuple[bytes | None, bytes | None]]:
        """The (key, value) pairs published to one topic, in order."""
        return [(k, v) for t, k, v in self.records if t == topic]
