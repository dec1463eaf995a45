"""A 3-node Apache Kafka cluster: acks=all writes survive one node killed, which then rejoins."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.commands.produce import produce_records
from streams.runtime.kafka import client_kwargs
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaCluster, registered_brokers
from tests.support.brokers import make_settings
from tests.support.kafka_io import keyed_ids, numbered_records, round_trip

pytestmark = [
    pytest.mark.integration,
    pytest.mark.needs_kafka(reason="the embedded broker is a single node"),
]


async def _describe(settings: Settings, topic: str) -> tuple[list[dict[str, Any]], str | None]:
    """The topic's partitions (leader, replicas, isr) and its effective min.insync.replicas."""
    admin = AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=10000)
    await admin.start()
    try:
        [meta] = await admin.describe_topics([topic])
        resource = ConfigResource(ConfigResourceType.TOPIC, topic)
        [response] = await admin.describe_configs([resource])
    finally:
        await admin.close()
    [(_code, _message, _kind, _name, entries)] = response.resources
    min_isr = next((str(e[1]) for e in entries if e[0] == "min.insync.replicas"), None)
    return sorted(meta["partitions"], key=lambda p: p["partition"]), min_isr


def _described(settings: Settings, timeout: float) -> tuple[list[dict[str, Any]], str | None]:
    """The raw topic described once every node knows it: just after its creation, a node the
    config request reaches may not have it yet and answers with no configs."""
    deadline = time.monotonic() + timeout
    while True:
        partitions, min_isr = asyncio.run(_describe(settings, settings.topic_raw))
        if min_isr is not None or time.monotonic() > deadline:
            return partitions, min_isr
        time.sleep(0.5)


def _wait_isr(settings: Settings, want: set[int], timeout: float) -> list[dict[str, Any]]:
    """Poll the raw topic until every partition's in-sync replicas are exactly `want`."""
    deadline = time.monotonic() + timeout
    while True:
        partitions, _ = asyncio.run(_describe(settings, settings.topic_raw))
        if all(set(p["isr"]) == want for p in partitions) or time.monotonic() > deadline:
            return partitions
        time.sleep(0.5)


def test_cluster_survives_one_node_killed_and_rejoins(own_cluster: ApacheKafkaCluster) -> None:
    everyone = {node.node_id for node in own_cluster.nodes}
    assert own_cluster.size == 3 and everyone == {1, 2, 3}
    assert len(own_cluster.bootstrap.split(",")) == 3
    settings = make_settings(own_cluster.bootstrap, "kafka", replication=3)

    records = numbered_records(50)
    partitions, min_isr = _described(settings, timeout=30.0)
    assert min_isr == "2"
    assert [sorted(p["replicas"]) for p in partitions] == [[1, 2, 3]] * settings.partitions
    assert asyncio.run(produce_records(settings, records[:20])) == 20

    victim = partitions[0]["leader"]
    index = victim - 1
    own_cluster.kill_node(index)
    assert not own_cluster.nodes[index].running and not own_cluster.running

    started = time.monotonic()
    assert asyncio.run(produce_records(settings, records[20:40])) == 20
    failover_s = time.monotonic() - started
    survivors = everyone - {victim}
    shrunk = _wait_isr(settings, survivors, timeout=30)
    assert all(set(p["isr"]) == survivors for p in shrunk), shrunk
    assert shrunk[0]["leader"] in survivors
    assert round_trip(settings, records[:40]) == keyed_ids(records[:40])
    assert failover_s < 40, failover_s

    own_cluster.start_node(index)
    assert own_cluster.running
    node = own_cluster.nodes[index]
    assert registered_brokers(node.host, node.port) == 3
    rejoined = _wait_isr(settings, everyone, timeout=60)
    assert all(set(p["isr"]) == everyone for p in rejoined), rejoined
    assert asyncio.run(produce_records(settings, records[40:])) == 10
    assert round_trip(settings, records) == keyed_ids(records)
