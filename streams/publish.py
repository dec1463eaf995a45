"""Where agents send their outputs: a small interface, with the Faust topic implementation."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import faust

from streams.metrics import MESSAGES_OUT

__all__ = ["Publisher", "FaustPublisher", "MemoryPublisher"]

log = logging.getLogger(__name__)

#: Attempts to publish one output before the agent gives up on it (and crashes loudly).
PUBLISH_ATTEMPTS = 5
#: First back-off between attempts, doubled each time.
PUBLISH_BACKOFF_S = 0.5


class Publisher(Protocol):
    """Sends one record and returns once the broker has acknowledged it."""

    async def publish(self, topic: str, key: bytes | None, value: bytes) -> None: ...


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
        """Send and wait for the acknowledgement, retrying with back-off."""
        delay = PUBLISH_BACKOFF_S
        for attempt in range(1, PUBLISH_ATTEMPTS + 1):
            try:
                pending = await self._topic(topic).send(key=key, value=value)
                await pending
            except Exception as exc:
                if attempt == PUBLISH_ATTEMPTS:
                    raise
                log.warning(
                    "publish to %s failed (attempt %d): %s",
                    topic,
                    attempt,
                    exc,
                    extra={"topic": topic},
                )
                await asyncio.sleep(delay)
                delay *= 2
            else:
                MESSAGES_OUT.labels(topic=topic).inc()
                return


class MemoryPublisher:
    """Keeps what was published in a list: for agent tests that run without a broker."""

    def __init__(self) -> None:
        self.records: list[tuple[str, bytes | None, bytes]] = []

    async def publish(self, topic: str, key: bytes | None, value: bytes) -> None:
        """Record the output."""
        self.records.append((topic, key, value))

    def on(self, topic: str) -> list[tuple[bytes | None, bytes]]:
        """The (key, value) pairs published to one topic, in order."""
        return [(k, v) for t, k, v in self.records if t == topic]
