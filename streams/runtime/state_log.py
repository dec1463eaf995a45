"""The alert stage's changelog: a compacted topic its state is stored in and restored from.

Why not Faust tables: their recovery runs inside Faust's rebalance and flow control, and a
recovery that stops short (a changelog producer buffer that is full, end offsets a broker
reports wrongly) leaves the agent paused for good. Here the agent itself restores: it
writes a marker record, reads the changelog from the start until it meets that marker,
and only then takes its next event. The changes of a batch are published in the same
acknowledged batch as the outputs they produced, so the state never runs ahead of what a
restarted worker will replay.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Protocol

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from streams.core.alerts.state import AlertState, Change
from streams.errors import NewsstreamError
from streams.runtime.kafka import client_kwargs, start_client
from streams.runtime.publish import MemoryPublisher, Publisher, Record, backoff_delays
from streams.settings import Settings

__all__ = ["StateLog", "KafkaStateLog", "MemoryStateLog", "state_records", "MARKER_KEY"]

log = logging.getLogger(__name__)

#: Key of the marker records a restoring worker writes; compaction keeps only the last one.
MARKER_KEY = b"restore-marker"
#: Wait between attempts when the broker cannot be read (doubled up to the cap).
RESTORE_BACKOFF_S = 1.0
RESTORE_BACKOFF_MAX_S = 10.0
#: A restore that takes longer says how far it got this often.
RESTORE_PROGRESS_S = 10.0


def state_records(topic: str, changes: Sequence[Change]) -> list[Record]:
    """The changelog records of some state changes (None: a tombstone, the key is deleted)."""
    return [
        (topic, key.encode("utf-8"), None if value is None else orjson.dumps(value))
        for key, value in changes
    ]


def _apply(state: AlertState, key: bytes | None, value: bytes | None) -> bool:
    """Replay one record; False (and a warning) for one that cannot be read."""
    if key is None:
        return False
    try:
        state.apply(key.decode("utf-8"), None if value is None else orjson.loads(value))
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("skipped an unreadable state record %r: %s", key[:80], exc)
        return False
    return True


class StateLog(Protocol):
    """Restores the alert stage's state from wherever its changes were published."""

    async def restore(self, state: AlertState) -> int: ...


class MemoryStateLog:
    """Replays the state records a MemoryPublisher caught: for agent tests without a broker."""

    def __init__(self, publisher: MemoryPublisher, topic: str) -> None:
        self._publisher = publisher
        self._topic = topic

    async def restore(self, state: AlertState) -> int:
        """Rebuild `state` from the records published so far; how many were applied."""
        state.clear()
        applied = sum(_apply(state, k, v) for k, v in self._publisher.on(self._topic))
        state.restored()
        return applied


class KafkaStateLog:
    """Restores the state from the changelog topic, up to a marker written just before."""

    def __init__(self, settings: Settings, publisher: Publisher) -> None:
        self._settings = settings
        self._publisher = publisher
        self._topic = settings.state_topic

    async def restore(self, state: AlertState) -> int:
        """Rebuild `state` from the whole changelog; retried until the broker answers."""
        delays = backoff_delays(RESTORE_BACKOFF_S, RESTORE_BACKOFF_MAX_S)
        while True:
            try:
                return await self._restore_once(state)
            except (KafkaError, NewsstreamError, OSError) as exc:
                delay = next(delays)
                log.warning("restoring the alert state failed, retrying in %.0f s: %s", delay, exc)
                await asyncio.sleep(delay)

    async def _restore_once(self, state: AlertState) -> int:
        marker = uuid.uuid4().hex.encode("ascii")
        await self._publisher.publish(self._topic, MARKER_KEY, marker)
        consumer = AIOKafkaConsumer(
            **client_kwargs(self._settings),
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await start_client(consumer, self._settings)
        started = last_report = time.monotonic()
        applied = 0
        try:
            partition = TopicPartition(self._topic, 0)
            consumer.assign([partition])
            await consumer.seek_to_beginning(partition)
            state.clear()
            while True:
                fetched = await consumer.getmany(partition, timeout_ms=1000, max_records=5000)
                for record in fetched.get(partition, []):
                    if record.key == MARKER_KEY:
                        if record.value == marker:
                            state.restored()
                            log.info(
                                "alert state restored: %d records, %d stories, %d spike keys"
                                " in %.1f s",
                                applied,
                                len(state.stories),
                                len(state.spikes),
                                time.monotonic() - started,
                            )
                            return applied
                        continue
                    applied += _apply(state, record.key, record.value)
                if time.monotonic() - last_report > RESTORE_PROGRESS_S:
                    last_report = time.monotonic()
                    log.info("restoring the alert state: %d records so far", applied)
        finally:
            await consumer.stop()
