"""Batches of input events whose outputs are published together, then acknowledged.

Acknowledging an input only after its outputs are stored keeps delivery at-least-once;
publishing many at once keeps a worker to one broker round trip per batch. `Batches` also
settles every open batch when partitions move or the worker stops, so that what was done is
committed and the next owner repeats as little as possible.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from streams.runtime.metrics import PROCESSING_SECONDS
from streams.runtime.publish import Publisher, Record

__all__ = ["Batch", "Batches", "BATCH_MAX", "BATCH_MAX_WAIT_S", "SETTLE_TIMEOUT_S"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Agents publish the outputs of up to this many inputs together (one broker round trip).
BATCH_MAX = 50
#: A batch not yet due is flushed this long after its first input anyway.
BATCH_MAX_WAIT_S = 0.5
#: Longest wait for open batches when partitions move: a rebalance must not wait on a broker
#: that is down (the flush goes on; what it has not acknowledged is simply done again).
SETTLE_TIMEOUT_S = 5.0


class Batch:
    """Input events whose outputs are published together; the inputs are acknowledged after.

    A batch is due when it is full or no further input is waiting, so under load a worker
    pays one broker round trip per batch, and when idle it adds no delay. A batch that is
    still open BATCH_MAX_WAIT_S after its first event is flushed by a timer, so events never
    wait on input that does not come (a paused or rebalancing stream).

    A due batch is sent in the background while the agent goes on with the next events: the
    worker computes instead of idling through the broker's round trip. One batch is in flight
    at most, so batches reach the broker in order (the alert state's changes must), and the
    next flush waits for the one before. Acknowledging inputs only once their outputs are
    stored keeps delivery at-least-once.
    """

    def __init__(
        self,
        stream: Any,
        publisher: Publisher,
        agent: str,
        trailer: Callable[[], list[Record]] | None = None,
    ) -> None:
        self.stream = stream.noack()
        self._publisher = publisher
        self._agent = agent
        self._trailer = trailer  # records added at flush time (the state changes)
        self._events: list[Any] = []
        self._records: list[Record] = []
        self._started = 0.0
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self._sending: asyncio.Future[None] | None = None  # the batch in flight

    def add(self, event: Any, records: list[Record]) -> None:
        """Take one input event and its outputs."""
        if not self._events:
            self._started = time.perf_counter()
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(BATCH_MAX_WAIT_S, self._flush_late)
        self._events.append(event)
        self._records.extend(records)

    def due(self) -> bool:
        """True when the batch is full or nothing else is waiting."""
        return len(self._events) >= BATCH_MAX or self.stream.channel.empty()

    async def flush_due(self, pending: list[T]) -> list[T]:
        """When the batch is due, send it and hand over the agent's `pending` outcomes (the
        list is emptied), now that their outputs are on their way; else nothing."""
        if not self.due():
            return []
        await self._dispatch()
        done = pending.copy()
        pending.clear()
        return done

    def _flush_late(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self.flush())
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def flush(self) -> None:
        """Send what is held and wait until every batch sent is stored and acknowledged."""
        await self._dispatch()
        sending = self._sending
        if sending is not None:
            await asyncio.shield(sending)

    async def _dispatch(self) -> None:
        """Start sending the batch, once the batch in flight before it is stored."""
        async with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._sending is not None:
                await asyncio.shield(self._sending)
            events, records, started = self._events, self._records, self._started
            if not events:
                return
            self._events, self._records = [], []
            if self._trailer is not None:
                records += self._trailer()
            self._sending = asyncio.ensure_future(self._store(events, records, started))

    async def _store(self, events: list[Any], records: list[Record], started: float) -> None:
        """Publish the outputs, wait for the broker, then acknowledge the inputs."""
        await self._publisher.publish_many(records)
        for event in events:
            await self.stream.ack(event)
        elapsed = time.perf_counter() - started
        for _ in events:
            PROCESSING_SECONDS.labels(agent=self._agent).observe(elapsed)


class Batches:
    """The open batches of this worker's agents, settled together."""

    def __init__(self) -> None:
        self._open: weakref.WeakSet[Batch] = weakref.WeakSet()

    def open(
        self,
        stream: Any,
        publisher: Publisher,
        agent: str,
        trailer: Callable[[], list[Record]] | None = None,
    ) -> Batch:
        """A new batch over an agent's stream (see Batch)."""
        batch = Batch(stream, publisher, agent, trailer)
        self._open.add(batch)
        return batch

    async def settle(self, commit: Callable[[], Awaitable[Any]]) -> None:
        """Flush every open batch (for up to SETTLE_TIMEOUT_S), then commit what is acked.

        Without this the offsets acknowledged in the last commit interval, and the inputs a
        batch still holds, would be processed again by the partition's next owner.
        """
        flushes = [asyncio.ensure_future(batch.flush()) for batch in list(self._open)]
        if flushes:
            _, late = await asyncio.wait(flushes, timeout=SETTLE_TIMEOUT_S)
            if late:
                log.warning("%d batches still publishing; their inputs will be redone", len(late))
        try:
            await asyncio.wait_for(commit(), SETTLE_TIMEOUT_S)
        except Exception as exc:  # a failed commit costs duplicates, not data
            log.warning("committing before the rebalance failed: %s", exc)
