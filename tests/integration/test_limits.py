"""Outputs a topic cannot take: a real worker bounds them and goes on with later messages.

On Apache Kafka the broker enforces `max.message.bytes`, so an output over it would be refused
for ever; the embedded broker takes any size, so there these tests check the bounding only.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.commands.produce import RawRecord, produce_records
from streams.runtime.kafka import client_kwargs, max_record_bytes
from streams.runtime.publish import KafkaPublisher
from streams.settings import Settings
from tests.support.brokers import worker_env
from tests.support.kafka_io import newsstream_worker, numbered_records, read_topics

pytestmark = pytest.mark.integration

#: The worker's output limit here: well under what the escalation-heavy article enriches to.
OUTPUT_LIMIT = 100_000
#: Messages produced after the oversized ones: all must come out (the worker is not wedged).
LATER = 10


def test_limits_oversized_outputs_are_bounded_and_later_messages_still_come_out(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"max_output_bytes": OUTPUT_LIMIT})
    # over NEWSSTREAM_MAX_MESSAGE_BYTES: its whole payload in base64 would be 1.33 MB, more
    # than Apache Kafka's default topic limit
    huge = orjson.dumps({"id": "huge", "body": "word " * 199_000})
    # under the input limit, but its escalation matches make an output of about 0.5 MB
    heavy = orjson.dumps({"id": "heavy", "body": "deploy troops " * 14_000})
    assert len(heavy) < settings.max_message_bytes < len(huge) < max_record_bytes(settings)
    records = [RawRecord(b"huge", huge), RawRecord(b"heavy", heavy), *numbered_records(LATER)]
    with newsstream_worker(worker_env(settings, tmp_path), tmp_path / "worker.log") as worker:
        assert asyncio.run(produce_records(settings, records)) == len(records)
        seen = asyncio.run(
            read_topics(
                settings,
                [settings.topic_enriched, settings.topic_deadletter],
                lambda got: (
                    len(got[settings.topic_enriched]) >= LATER + 1
                    and len(got[settings.topic_deadletter]) >= 1
                ),
                timeout=180,
            )
        )
        alive = worker.poll() is None
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert alive, log
    enriched = {str(v["article_id"]): v for _, v in seen[settings.topic_enriched]}
    assert set(enriched) == {"heavy", *(f"doc-{i}" for i in range(LATER))}, log
    assert enriched["heavy"]["truncated"], "the heavy article must have been cut"
    assert all(enriched[f"doc-{i}"]["truncated"] is None for i in range(LATER))
    [(key, letter)] = seen[settings.topic_deadletter]
    assert key == b"huge"
    assert isinstance(letter["error"], dict) and letter["error"]["type"] == "too_large"
    assert letter["payload_excerpt"] is True
    assert letter["payload_size"] == len(huge)
    assert letter["payload_sha256"] == hashlib.sha256(huge).hexdigest()
    assert huge.startswith(base64.b64decode(str(letter["payload_b64"])))
    for _, value in [*seen[settings.topic_enriched], *seen[settings.topic_deadletter]]:
        assert len(orjson.dumps(value)) <= OUTPUT_LIMIT


async def _topic_limit(settings: Settings, topic: str) -> str:
    admin = AIOKafkaAdminClient(**client_kwargs(settings))
    await admin.start()
    try:
        resource = ConfigResource(ConfigResourceType.TOPIC, topic, {"max.message.bytes": None})
        [response] = await admin.describe_configs([resource])
    finally:
        await admin.close()
    [(_, _, _, _, entries)] = response.resources  # error code, message, type, name, entries
    return str({e[0]: e[1] for e in entries}["max.message.bytes"])


@pytest.mark.needs_kafka(reason="only Apache Kafka enforces a topic's max.message.bytes")
def test_limits_a_record_the_broker_refuses_is_dead_lettered_not_retried_for_ever(
    settings: Settings,
) -> None:
    limit = max_record_bytes(settings)
    assert asyncio.run(_topic_limit(settings, settings.topic_enriched)) == str(limit)
    over = b'{"too": "big"}' + b" " * limit

    async def publish() -> None:
        publisher = KafkaPublisher(settings)
        try:
            records = [
                (settings.topic_enriched, b"over", over),
                (settings.topic_enriched, b"fine", b'{"fine": true}'),
            ]
            # a guard against a publisher that retries for ever, not a measure of speed
            await asyncio.wait_for(publisher.publish_many(records), timeout=120)
        finally:
            await publisher.stop()

    asyncio.run(publish())
    seen = asyncio.run(
        read_topics(
            settings,
            [settings.topic_enriched, settings.topic_deadletter],
            lambda got: bool(got[settings.topic_enriched] and got[settings.topic_deadletter]),
            timeout=60,
        )
    )
    assert seen[settings.topic_enriched] == [(b"fine", {"fine": True})]
    [(key, letter)] = seen[settings.topic_deadletter]
    assert key == b"over"
    assert isinstance(letter["error"], dict) and letter["error"]["type"] == "too_large"
    assert str(letter["error"]["message"]).startswith(f"{settings.topic_enriched} refused")
    assert letter["payload_size"] == len(over)
    assert letter["payload_sha256"] == hashlib.sha256(over).hexdigest()
    assert letter["payload_excerpt"] is True
