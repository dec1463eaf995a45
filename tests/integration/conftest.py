"""Integration fixtures: a real Kafka-protocol broker over TCP, and worker processes against it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.broker import BrokerLauncher, EmbeddedBroker
from streams.settings import Settings
from streams.topics import ensure_topics

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerLauncher]:
    """The embedded broker on a free loopback port, for the whole session."""
    launcher = EmbeddedBroker()
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture
def settings(broker: BrokerLauncher) -> Settings:
    """Settings with topic names and a consumer group of this test's own, topics created."""
    suffix = uuid.uuid4().hex[:8]
    made = Settings(
        broker=broker.bootstrap,
        broker_kind="embedded",
        app_id=f"newsstream-test-{suffix}",
        topic_raw=f"t{suffix}.raw",
        topic_enriched=f"t{suffix}.enriched",
        topic_alerts=f"t{suffix}.alerts",
        topic_deadletter=f"t{suffix}.deadletter",
        partitions=3,
        metrics_port=0,
        max_message_bytes=200_000,
    )
    asyncio.run(ensure_topics(made))
    return made


def worker_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment that points a `newsstream worker` process at these settings."""
    return {
        "NEWSSTREAM_APP_ID": settings.app_id,
        "NEWSSTREAM_TOPIC_RAW": settings.topic_raw,
        "NEWSSTREAM_TOPIC_ENRICHED": settings.topic_enriched,
        "NEWSSTREAM_TOPIC_ALERTS": settings.topic_alerts,
        "NEWSSTREAM_TOPIC_DEADLETTER": settings.topic_deadletter,
        "NEWSSTREAM_PARTITIONS": str(settings.partitions),
        "NEWSSTREAM_MAX_MESSAGE_BYTES": str(settings.max_message_bytes),
        "NEWSSTREAM_ALERT_MIN_LEVEL": settings.alert_min_level,
        "NEWSSTREAM_DATA_DIR": str(data_dir),
        "NEWSSTREAM_SESSION_TIMEOUT_S": "10",
        "NEWSSTREAM_HEARTBEAT_INTERVAL_S": "1",
    }
