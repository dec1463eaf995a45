"""The selected broker itself: topics as configured, a round trip, and a restart that keeps data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from streams.commands.broker import BrokerLauncher, EmbeddedBroker, kafka_answers
from streams.commands.produce import produce_records
from streams.runtime.topics import describe_topics, topic_specs
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker, KafkaJarsMissingError, find_kafka_lib
from tests.support.brokers import make_settings, selected_broker
from tests.support.kafka_io import keyed_ids, numbered_records, round_trip

pytestmark = pytest.mark.integration


def test_brokers_session_broker_is_the_selected_one(broker: BrokerLauncher) -> None:
    host, _, port = broker.bootstrap.rpartition(":")
    assert kafka_answers(host, int(port))
    want = ApacheKafkaBroker if selected_broker() == "kafka" else EmbeddedBroker
    assert isinstance(broker, want)


def test_brokers_topics_have_configured_partitions(settings: Settings) -> None:
    specs = topic_specs(settings)
    infos = asyncio.run(describe_topics(settings))
    assert [(i.name, i.exists, i.partitions) for i in infos] == [
        (s.name, True, s.partitions) for s in specs
    ]
    assert [i.partitions for i in infos[:4]] == [settings.partitions] * 4


@pytest.mark.parametrize("count", [1, 50])
def test_brokers_produce_then_consume_back(settings: Settings, count: int) -> None:
    records = numbered_records(count)
    assert asyncio.run(produce_records(settings, records)) == count
    assert round_trip(settings, records) == keyed_ids(records)


@pytest.mark.needs_kafka(reason="the embedded broker keeps its log in memory only")
def test_brokers_restart_keeps_messages(own_kafka: ApacheKafkaBroker) -> None:
    settings = make_settings(own_kafka.bootstrap, "kafka")
    records = numbered_records(20)
    assert asyncio.run(produce_records(settings, records)) == len(records)
    workdir, pid = own_kafka.workdir, own_kafka.pid

    own_kafka.stop(keep_data=True)
    host, _, port = own_kafka.bootstrap.rpartition(":")
    assert not own_kafka.running and not kafka_answers(host, int(port))
    assert own_kafka.start() == settings.bootstrap_servers

    assert own_kafka.workdir == workdir and own_kafka.pid != pid
    assert round_trip(settings, records) == keyed_ids(records)
    more = numbered_records(25)[20:]
    assert asyncio.run(produce_records(settings, more)) == len(more)


def test_brokers_missing_jars_say_how_to_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSSTREAM_KAFKA_LIB", str(tmp_path))
    with pytest.raises(KafkaJarsMissingError, match=r"tools/kafka/fetch-jars\.sh"):
        ApacheKafkaBroker()
    (tmp_path / "kafka_2.13-4.1.1.jar").touch()
    assert find_kafka_lib() == tmp_path
