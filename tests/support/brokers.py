"""Which broker the integration tests run against, launchers for it, and settings on it.

NEWSSTREAM_TEST_BROKER picks the broker: `embedded` (default, the bundled Tansu broker) or
`kafka` (Apache Kafka from the jars in NEWSSTREAM_KAFKA_LIB or tools/kafka/fetch-jars.sh's
default cache directory). The fixtures built on these helpers are in
tests/integration/conftest.py.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any, Literal

import pytest

from streams.runtime.topics import ensure_topics
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker, ApacheKafkaCluster, KafkaJarsMissingError

BrokerKind = Literal["kafka", "embedded"]


def selected_broker() -> BrokerKind:
    """The broker this session runs against, from NEWSSTREAM_TEST_BROKER."""
    kind = os.environ.get("NEWSSTREAM_TEST_BROKER", "embedded").strip().lower() or "embedded"
    if kind not in ("kafka", "embedded"):
        raise pytest.UsageError(
            f"NEWSSTREAM_TEST_BROKER={kind!r}: expected 'embedded' (default) or 'kafka'"
        )
    return "kafka" if kind == "kafka" else "embedded"


def skip_unless_kafka(node: pytest.Item | pytest.Collector) -> None:
    """Skip when `node` is marked `needs_kafka` and the broker is the embedded one."""
    marker = node.get_closest_marker("needs_kafka")
    if marker is not None and selected_broker() != "kafka":
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        pytest.skip(f"needs Apache Kafka (NEWSSTREAM_TEST_BROKER=kafka): {reason}")


def apache_kafka(sasl: bool = False, tls: bool = False) -> ApacheKafkaBroker:
    """An Apache Kafka launcher (not started); the test fails when the jars are missing.

    `sasl` adds a SASL_PLAINTEXT listener and a user with a fresh password; `tls` an SSL
    listener with a throwaway CA (and a SASL_SSL one with `sasl` too).
    """
    try:
        return ApacheKafkaBroker(sasl=sasl, tls=tls)
    except KafkaJarsMissingError as exc:
        pytest.fail(f"NEWSSTREAM_TEST_BROKER=kafka but {exc}", pytrace=False)


def kafka_cluster(size: int = 3) -> ApacheKafkaCluster:
    """An Apache Kafka cluster launcher (not started); fails the test when jars are missing."""
    try:
        return ApacheKafkaCluster(size)
    except KafkaJarsMissingError as exc:
        pytest.fail(f"NEWSSTREAM_TEST_BROKER=kafka but {exc}", pytrace=False)


def make_settings(
    bootstrap: str, kind: BrokerKind, create_topics: bool = True, **overrides: Any
) -> Settings:
    """Settings with topic names and a consumer group of their own, topics created.

    `overrides` sets further fields (security, replication); `create_topics=False` leaves the
    topics to the test.
    """
    made = Settings(
        broker=bootstrap,
        broker_kind=kind,
        partitions=3,
        metrics_port=0,
        max_message_bytes=200_000,
        **overrides,
    ).isolated(f"test-{uuid.uuid4().hex[:8]}")
    if create_topics:
        asyncio.run(ensure_topics(made))
    return made


def worker_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment that points a `newsstream worker` process at these settings."""
    return {
        **settings.as_env(),
        "NEWSSTREAM_DATA_DIR": str(data_dir),
        "NEWSSTREAM_SESSION_TIMEOUT_S": "10",
        "NEWSSTREAM_HEARTBEAT_INTERVAL_S": "1",
    }
