"""Producing raw articles to news.raw and following news.alerts, with plain aiokafka clients."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.errors import NewsstreamError
from streams.models import LEVELS, Alert, Level
from streams.runtime.kafka import client_kwargs, producer_kwargs, start_client
from streams.settings import Settings

__all__ = [
    "RawRecord",
    "iter_file_messages",
    "produce_records",
    "AlertFilter",
    "follow_alerts",
    "sample_feed_path",
]

HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class RawRecord:
    key: bytes | None
    value: bytes


def sample_feed_path() -> Path:
    """The bundled sample feed (JSONL)."""
    return Path(__file__).parents[1] / "samples" / "feed.jsonl"


def _key_of(line: bytes) -> bytes | None:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, dict):
        ident = value.get("id") or value.get("source")
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            return str(ident).encode("utf-8")
    return None


def iter_file_messages(path: Path) -> Iterator[RawRecord]:
    """Raw messages of a file: one per non-blank line of JSONL, else the whole file as one."""
    if not path.is_file():
        raise NewsstreamError(f"{path}: no such file")
    if path.suffix.lower() in JSONL_SUFFIXES:
        with path.open("rb") as handle:
            for line in handle:
                line = line.rstrip(b"\r\n")
                if line.strip():
                    yield RawRecord(_key_of(line), line)
        return
    yield RawRecord(path.name.encode("utf-8"), path.read_bytes())


async def _producer(settings: Settings) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await start_client(producer, settings)
    return producer


async def produce_records(
    settings: Settings,
    records: Sequence[RawRecord] | Iterator[RawRecord],
    *,
    topic: str | None = None,
    on_sent: Callable[[int], None] | None = None,
    batch: int = 500,
) -> int:
    """Publish records to news.raw (or `topic`) and wait for every acknowledgement."""
    producer = await _producer(settings)
    sent = 0
    pending: list[Awaitable[object]] = []
    try:
        for record in records:
            pending.append(
                await producer.send(topic or settings.topic_raw, record.value, key=record.key)
            )
            if len(pending) >= batch:
                await asyncio.gather(*pending)
                sent += len(pending)
                pending.clear()
                if on_sent:
                    on_sent(sent)
        await asyncio.gather(*pending)
        sent += len(pending)
        if on_sent:
            on_sent(sent)
    finally:
        await producer.stop()
    return sent


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts a subscriber wants: minimum level, categories, an entity substring."""

    min_level: Level = "none"
    categories: frozenset[str] = frozenset()
    entity: str | None = None

    def accepts(self, alert: Alert) -> bool:
        """True when the alert passes every condition."""
        if LEVELS.index(alert.level) < LEVELS.index(self.min_level):
            return False
        if self.categories and not self.categories & set(alert.categories):
            return False
        if self.entity:
            wanted = self.entity.casefold()
            return any(wanted in name.casefold() for name in alert.entities)
        return True


async def follow_alerts(
    settings: Settings,
    on_alert: Callable[[Alert], None],
    *,
    wanted: AlertFilter = AlertFilter(),
    from_beginning: bool = False,
    max_alerts: int | None = None,
    idle_timeout: float | None = None,
    first_timeout: float | None = None,
) -> int:
    """Pass matching alerts to `on_alert`; returns how many.

    Stops after `max_alerts`, or `idle_timeout` s without a new record; `first_timeout`, when
    given, replaces the idle limit until the first record arrives (a worker is starting).
    """
    consumer = AIOKafkaConsumer(
        settings.topic_alerts,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
    )
    await start_client(consumer, settings)
    seen = 0
    got_any = False
    loop = asyncio.get_running_loop()
    last = loop.time()
    try:
        while max_alerts is None or seen < max_alerts:
            batches = await consumer.getmany(timeout_ms=500)
            if not batches:
                limit = first_timeout if first_timeout is not None and not got_any else idle_timeout
                if limit is not None and loop.time() - last > limit:
                    break
                continue
            got_any = True
            last = loop.time()
            for records in batches.values():
                for record in records:
                    try:
                        alert = Alert.model_validate_json(record.value or b"")
                    except ValueError:
                        continue
                    if wanted.accepts(alert):
                        on_alert(alert)
                        seen += 1
    finally:
        await consumer.stop()
    return seen
