"""Integration fixtures: a real Kafka-protocol broker over TCP, and worker processes against it.

NEWSSTREAM_TEST_BROKER picks the broker: `embedded` (default, the bundled Tansu broker) or
`kafka` (Apache Kafka from the jars in NEWSSTREAM_KAFKA_LIB or tools/kafka/fetch-jars.sh's
default cache directory). A test that only Apache Kafka can serve says so with
`@pytest.mark.needs_kafka(reason="...")` and is skipped, with that reason, on the embedded one.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from streams.commands.broker import BrokerLauncher, EmbeddedBroker
from streams.runtime.topics import ensure_topics
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker, ApacheKafkaCluster, KafkaJarsMissingError

pytestmark = pytest.mark.integration

BrokerKind = Literal["kafka", "embedded"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "needs_kafka(reason): needs Apache Kafka (NEWSSTREAM_TEST_BROKER=kafka); "
        "skipped with `reason` on the embedded broker",
    )
    selected_broker()  # a misspelt NEWSSTREAM_TEST_BROKER stops the run before any test


def selected_broker() -> BrokerKind:
    """The broker this session runs against, from NEWSSTREAM_TEST_BROKER."""
    kind = os.environ.get("NEWSSTREAM_TEST_BROKER", "embedded").strip().lower() or "embedded"
    if kind not in ("kafka", "embedded"):
        raise pytest.UsageError(
            f"NEWSSTREAM_TEST_BROKER={kind!r}: expected 'embedded' (default) or 'kafka'"
        )
    return "kafka" if kind == "kafka" else "embedded"


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


def _skip_unless_kafka(node: pytest.Item | pytest.Collector) -> None:
    """Skip when `node` is marked `needs_kafka` and the broker is the embedded one."""
    marker = node.get_closest_marker("needs_kafka")
    if marker is not None and selected_broker() != "kafka":
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        pytest.skip(f"needs Apache Kafka (NEWSSTREAM_TEST_BROKER=kafka): {reason}")


@pytest.fixture(autouse=True)
def _skip_unless_broker_fits(request: pytest.FixtureRequest) -> None:
    """Skip a `needs_kafka` test on the embedded broker, giving the test's own reason."""
    _skip_unless_kafka(request.node)


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerLauncher]:
    """The selected broker on free loopback ports, for the whole session."""
    launcher: EmbeddedBroker | ApacheKafkaBroker = (
        apache_kafka() if selected_broker() == "kafka" else EmbeddedBroker()
    )
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture
def own_kafka() -> Iterator[ApacheKafkaBroker]:
    """A started Apache Kafka of this test's own, free to stop and restart (needs_kafka tests)."""
    launcher = apache_kafka()
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture
def own_cluster() -> Iterator[ApacheKafkaCluster]:
    """A started 3-node Apache Kafka cluster of this test's own, free to kill nodes of."""
    launcher = kafka_cluster(3)
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture(scope="module")
def sasl_kafka(request: pytest.FixtureRequest) -> Iterator[ApacheKafkaBroker]:
    """A started single Apache Kafka with a SASL_PLAINTEXT listener, shared by a module.

    Module-scoped fixtures are set up before the per-test skip, so this one skips by itself
    (the module must be marked `needs_kafka`).
    """
    _skip_unless_kafka(request.node)
    launcher = apache_kafka(sasl=True)
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture(scope="module")
def tls_kafka(request: pytest.FixtureRequest) -> Iterator[ApacheKafkaBroker]:
    """A started single Apache Kafka with SSL and SASL_SSL listeners, shared by a module.

    Its certificate, for 127.0.0.1 and localhost, comes from a CA made at start
    (`tls_kafka.ca_file`). Like `sasl_kafka`, it skips by itself on the embedded broker.
    """
    _skip_unless_kafka(request.node)
    launcher = apache_kafka(sasl=True, tls=True)
    launcher.start()
    yield launcher
    launcher.stop()


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


@pytest.fixture
def settings(broker: BrokerLauncher) -> Settings:
    """Settings of this test's own on the session broker; `broker_kind` says which one it is.

    broker_kind "kafka" turns the idempotent producer on, as in production.
    """
    return make_settings(broker.bootstrap, selected_broker())


def worker_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment that points a `newsstream worker` process at these settings."""
    return {
        **settings.as_env(),
        "NEWSSTREAM_DATA_DIR": str(data_dir),
        "NEWSSTREAM_SESSION_TIMEOUT_S": "10",
        "NEWSSTREAM_HEARTBEAT_INTERVAL_S": "1",
    }
