"""Where agents send their outputs: a small interface, with the Faust topic implementation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol

import faust

from streams.metrics import MESSAGES_OUT

__all__ = ["Publisher", "FaustPublisher", "MemoryPublisher"]

log = logging.getLogger(__name__)

#: First back-off between attempts to publish one output, doubled each time up to the cap.
PUBLISH_BACKOFF_S = 0.5
#: Longest back-off: a broker that comes back is used again within this many seconds.
PUBLISH_BACKOFF_MAX_S = 5.0


#: One output: (topic, key, value).
Record = tuple[str, bytes | None, bytes]


class Publisher(Protocol):
    """Sends records and returns once the broker has acknowledged them."""

    async def publish(self, topic: str, key: bytes | None, value: bytes) -> None: ...

    async def publish_many(self, records: Sequence[Record]) -> None: ...


class FaustPublisher:
    """Publishes through the Faust app's producer and waits for the broker's acknowledgement.

    Waiting before the agent takes the next event is what makes delivery at-least-once: the
    input offset is committed only once its outputs are acknowledged.
    """

    def __init__(self, app: faust.App) -> None:
        self._app = app
        self._topics: dict[str, Any] = {}

    def _topic(self, name: str) -> Any:
        if name not in self._topics:
            self._topics[name] = self._app.topic(
                name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
            )
        return self._topics[name]

    async def publish(self, topic: str, key: bytes | None, value: bytes) -> None:
        """Send one record and wait for its acknowledgement (see publish_many)."""
        await self.publish_many([(topic, key, value)])

    async def publish_many(self, records: Sequence[Record]) -> None:
        """Send records together and wait until the broker has stored every one.

        What failed is sent again, with back-off, until it is stored. The agent does not take
        its next messages meanwhile, so no offset is committed past an output that was not
        stored: a broker outage pauses the worker instead of losing data.
        """
        pending = list(records)
        delay = PUBLISH_BACKOFF_S
        attempt = 1
        while pending:
            sends = [self._topic(t).send(key=k, value=v) for t, k, v in pending]
            outcomes = await asyncio.gather(*sends, return_exceptions=True)
            acks = [o for o in outcomes if not isinstance(o, BaseException)]
            results = await asyncio.gather(*acks, return_exceptions=True)
            failed: list[Record] = []
            acked = iter(results)
            for record, outcome in zip(pending, outcomes, strict=True):
                result = outcome if isinstance(outcome, BaseException) else next(acked)
                if isinstance(result, asyncio.CancelledError):
                    raise result
                if isinstance(result, BaseException):
                    failed.append(record)
                    error = result
                else:
                    MESSAGES_OUT.labels(topic=record[0]).inc()
            if failed:
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
                delay = min(delay * 2, PUBLISH_BACKOFF_MAX_S)
                attempt += 1
            pending = failed


class MemoryPublisher:
    """Keeps what was published in a list: for agent tests that run without a broker."""

    def __init__(self) -> None:
        self.records: list[tuple[str, bytes | None, bytes]] = []

    async def publish(self, topic: str, key: bytes | None, value: bytes) -> None:
        """Record the output."""
        self.records.append((topic, key, value))

    async def publish_many(self, records: Sequence[Record]) -> None:
        """Record the outputs, in order."""
        self.records.extend(records)

    def on(self, topic: str) -> list[tuple[bytes | None, bytes]]:
        """The (key, value) pairs published to one topic, in order."""
        return [(k, v) for t, k, v in self.records if t == topic]
