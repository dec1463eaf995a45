"""Integration fixtures: a real Kafka-protocol broker over TCP, and settings on it.

NEWSSTREAM_TEST_BROKER picks the broker (tests/support/brokers.py, where the helpers these
fixtures use live). A test that only Apache Kafka can serve says so with
`@pytest.mark.needs_kafka(reason="...")` and is skipped, with that reason, on the embedded one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.commands.broker import BrokerLauncher, EmbeddedBroker
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker, ApacheKafkaCluster
from tests.support.brokers import (
    apache_kafka,
    kafka_cluster,
    make_settings,
    selected_broker,
    skip_unless_kafka,
)

pytestmark = pytest.mark.integration


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "needs_kafka(reason): needs Apache Kafka (NEWSSTREAM_TEST_BROKER=kafka); "
        "skipped with `reason` on the embedded broker",
    )
    selected_broker()  # a misspelt NEWSSTREAM_TEST_BROKER stops the run before any test


@pytest.fixture(autouse=True)
def _skip_unless_broker_fits(request: pytest.FixtureRequest) -> None:
    """Skip a `needs_kafka` test on the embedded broker, giving the test's own reason."""
    skip_unless_kafka(request.node)


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
    skip_unless_kafka(request.node)
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
    skip_unless_kafka(request.node)
    launcher = apache_kafka(sasl=True, tls=True)
    launcher.start()
    yield launcher
    launcher.stop()


@pytest.fixture
def settings(broker: BrokerLauncher) -> Settings:
    """Settings of this test's own on the session broker; `broker_kind` says which one it is.

    broker_kind "kafka" turns the idempotent producer on, as in production.
    """
    return make_settings(broker.bootstrap, selected_broker())
