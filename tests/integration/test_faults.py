"""Fault injection: whatever fails mid-stream, every input ends on news.enriched or news.deadletter.

Each test prints its counted figures (produced, enriched, dead-lettered, duplicates, lost);
run them alone with `pytest -m fault -s`. The shared part (produce, read back, account,
assert 0 lost and the worker alive) is `tests.support.faults.FaultRun`.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker, ApacheKafkaCluster
from tests.support.brokers import make_settings
from tests.support.faults import FaultRun

pytestmark = [pytest.mark.integration, pytest.mark.fault]


def test_fault_worker_killed_mid_stream_loses_nothing(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = FaultRun.produce("kill -9 mid-stream", settings, tmp_path, capsys, 10_000)
    with run.worker() as worker:
        before_kill = run.wait_for_outputs(2_000)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    with run.worker() as worker:
        seen, alive = run.read_all_alive(worker, timeout=600)
    run.conclude(seen, alive, f"killed after {before_kill} outputs")


def test_fault_rebalance_both_ways_loses_nothing(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fault = "two workers, one stopped and restarted"
    run = FaultRun.produce(fault, settings, tmp_path, capsys, 6_000, log_name="a.log")
    with run.worker() as first:
        with run.worker("b.log"):
            run.wait_for_outputs(1_500)
        # the second worker stopped (SIGTERM): its partitions move to the first
        mid = run.wait_for_outputs(3_000)
        with run.worker("b2.log"):
            # and back: the restarted worker takes a share again
            seen = run.read_all(timeout=240)
        alive = first.poll() is None
    run.conclude(seen, alive, f"{mid} outputs when it came back")


@pytest.mark.needs_kafka(reason="stops and restarts the broker with its log on disk")
def test_fault_broker_down_30s_worker_recovers_by_itself(
    own_kafka: ApacheKafkaBroker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(own_kafka.bootstrap, "kafka")
    run = FaultRun.produce("broker down 30 s under load", settings, tmp_path, capsys, 5_000)
    with run.worker() as worker:
        before = run.wait_for_outputs(1_000)
        own_kafka.stop(keep_data=True)
        time.sleep(30)
        own_kafka.start()
        seen, alive = run.read_all_alive(worker, timeout=600)
    run.conclude(seen, alive, f"stopped after {before} outputs")


@pytest.mark.needs_kafka(reason="a 3-broker Apache Kafka cluster, one broker killed")
def test_fault_one_of_three_brokers_killed_loses_nothing(
    own_cluster: ApacheKafkaCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fault = "one of three brokers killed (RF 3, min ISR 2, acks=all, idempotent)"
    # replication=3 reaches the workers too: NEWSSTREAM_REPLICATION=3 in their environment
    settings = make_settings(own_cluster.bootstrap, "kafka", replication=3)
    run = FaultRun.produce(fault, settings, tmp_path, capsys, 5_000)
    with run.worker() as worker:
        before = run.wait_for_outputs(1_000)
        own_cluster.kill_node(0)
        seen, alive = run.read_all_alive(worker, timeout=600)
    run.conclude(seen, alive, f"killed after {before} outputs")
