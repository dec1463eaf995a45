"""Reading topics back in integration tests, with a plain aiokafka consumer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import orjson
from aiokafka import AIOKafkaConsumer

from streams.kafka import client_kwargs
from streams.settings import Settings

Record = tuple[bytes | None, dict[str, object]]


async def read_topics(
    settings: Settings,
    topics: list[str],
    done: Callable[[dict[str, list[Record]]], bool],
    timeout: float,
    settle: float = 2.0,
) -> dict[str, list[Record]]:
    """Read `topics` from the beginning until `done` holds (then `settle` s more) or timeout."""
    consumer = AIOKafkaConsumer(
        *topics, **client_kwargs(settings), group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: dict[str, list[Record]] = {t: [] for t in topics}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    settle_until: float | None = None
    try:
        while loop.time() < deadline:
            if settle_until is not None and loop.time() >= settle_until:
                break
            batches = await consumer.getmany(timeout_ms=300)
            for tp, records in batches.items():
                for record in records:
                    seen[tp.topic].append((record.key, orjson.loads(record.value or b"null")))
            if settle_until is None and done(seen):
                settle_until = loop.time() + settle
    finally:
        await consumer.stop()
    return seen
