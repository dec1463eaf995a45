"""The one Kafka consumer of `newsstream serve`: alerts into the feed, articles into stories.

It joins no consumer group (a viewer moves no group's offsets): it assigns itself every
partition of the alerts topic and of the enriched topic, seeks each to its end less the
history to keep, and then follows them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from streams.runtime.kafka import client_kwargs, describe_broker, start_client
from streams.serve.feed import AlertFeed
from streams.serve.stories import StoryIndex

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["open_consumer", "read_topics", "TOPIC_WAIT_S", "FETCH_WAIT_MS"]

log = logging.getLogger(__name__)

#: Seconds between two looks for an alerts topic that does not exist yet.
TOPIC_WAIT_S = 2.0
#: How long one poll waits for records, in milliseconds.
POLL_MS = 500
#: Longest a fetch waits at the broker for records, in milliseconds. Apache Kafka answers
#: as soon as a record comes; the embedded broker waits out the time, so it sets the page's
#: delivery latency there: sse_latency over 200 alerts, one at a time, gave a median of
#: 253 ms at aiokafka's default 500, 54 ms at 100 and 29 ms at 50. 100 keeps an idle
#: server at ten fetches a second.
FETCH_WAIT_MS = 100


async def _partitions(settings: Settings, topic: str) -> list[int]:
    from streams.runtime.topics import partition_counts

    return list(range((await partition_counts(settings, [topic]))[topic]))


async def _wait_for_topic(settings: Settings, topic: str) -> list[int]:
    """The topic's partitions, once it exists (the worker or `topics --create` makes it)."""
    partitions = await _partitions(settings, topic)
    if not partitions:
        log.warning("topic %s does not exist yet: waiting for it", topic)
    while not partitions:
        await asyncio.sleep(TOPIC_WAIT_S)
        partitions = await _partitions(settings, topic)
    return partitions


async def _assign(
    consumer: Any, settings: Settings, feed: AlertFeed, history: int
) -> dict[Any, int]:
    """Assign both topics, seek each partition to its end less `history`; the end offsets
    of the alerts topic (the feed is ready once it has read up to them)."""
    from aiokafka import TopicPartition

    alerts = [
        TopicPartition(settings.topic_alerts, p)
        for p in await _wait_for_topic(settings, settings.topic_alerts)
    ]
    enriched = [
        TopicPartition(settings.topic_enriched, p)
        for p in await _partitions(settings, settings.topic_enriched)
    ]
    if not enriched:
        log.warning(
            "topic %s does not exist: stories show their alerts only", settings.topic_enriched
        )
    every = alerts + enriched
    consumer.assign(every)
    begin = await consumer.beginning_offsets(every)
    end = await consumer.end_offsets(every)
    for tp in every:
        start = max(begin[tp], end[tp] - history)
        consumer.seek(tp, start)
        if tp.topic == settings.topic_alerts:
            feed.start_partition(tp.partition, start)
    return {tp: end[tp] for tp in alerts}


async def _caught_up(consumer: Any, ends: dict[Any, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True


async def open_consumer(settings: Settings) -> Any:
    """A started group-less consumer; BrokerUnavailableError saying why when it cannot be."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        **client_kwargs(settings),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=FETCH_WAIT_MS,
    )
    await start_client(consumer, settings)
    return consumer


async def read_topics(
    settings: Settings,
    feed: AlertFeed,
    stories: StoryIndex,
    consumer: Any = None,
    history: int | None = None,
) -> None:
    """Fill the feed and the story index from the broker until cancelled (with `consumer`
    from open_consumer, which it stops at the end, or one of its own)."""
    history = settings.serve_history if history is None else history
    consumer = await open_consumer(settings) if consumer is None else consumer
    log.info(
        "reading %s and %s at %s",
        settings.topic_alerts,
        settings.topic_enriched,
        describe_broker(settings),
    )
    try:
        ends = await _assign(consumer, settings, feed, history)
        while True:
            if not feed.ready.is_set() and await _caught_up(consumer, ends):
                feed.ready.set()
            batches = await consumer.getmany(timeout_ms=POLL_MS)
            for tp, records in batches.items():
                for record in records:
                    if tp.topic == settings.topic_alerts:
                        feed.add(tp.partition, record.offset, record.value)
                    else:
                        stories.add_record(record.value)
    finally:
        await consumer.stop()
