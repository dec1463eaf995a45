"""Fault injection: whatever fails mid-stream, every input ends on news.enriched or news.deadletter.

Each test prints its counted figures (produced, enriched, dead-lettered, duplicates, lost);
run them alone with `pytest -m fault -s`.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from streams.apache_kafka import ApacheKafkaBroker, ApacheKafkaCluster
from streams.client import produce_records
from streams.demo import worker_process
from streams.settings import Settings
from tests.integration.conftest import make_settings, worker_env
from tests.integration.faults import (
    account,
    elapsed_since,
    fault_inputs,
    read_all,
    report,
    wait_for_outputs,
)

pytestmark = [pytest.mark.integration, pytest.mark.fault]


def test_fault_worker_killed_mid_stream_loses_nothing(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = fault_inputs(10_000)
    env = worker_env(settings, tmp_path)
    log = tmp_path / "worker.log"
    started = time.monotonic()
    assert asyncio.run(produce_records(settings, inputs)) == len(inputs)
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=env) as worker:
        before_kill = wait_for_outputs(settings, 2_000)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=env) as worker:
        seen = read_all(settings, inputs, timeout=600)
        alive = worker.poll() is None
    figures = account(inputs, seen, settings)
    report(
        capsys,
        figures.line("kill -9 mid-stream")
        + f" (killed after {before_kill} outputs; {elapsed_since(started)})",
        log,
    )
    assert alive, log.read_text(errors="replace")[-3000:]
    assert figures.lost == 0, figures


def test_fault_rebalance_both_ways_loses_nothing(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = fault_inputs(6_000)
    env = worker_env(settings, tmp_path)
    started = time.monotonic()
    assert asyncio.run(produce_records(settings, inputs)) == len(inputs)
    with worker_process(
        settings.bootstrap_servers, log_path=tmp_path / "a.log", extra_env=env
    ) as first:
        with worker_process(settings.bootstrap_servers, log_path=tmp_path / "b.log", extra_env=env):
            wait_for_outputs(settings, 1_500)
        # the second worker stopped (SIGTERM): its partitions move to the first
        mid = wait_for_outputs(settings, 3_000)
        with worker_process(
            settings.bootstrap_servers, log_path=tmp_path / "b2.log", extra_env=env
        ):
            # and back: the restarted worker takes a share again
            seen = read_all(settings, inputs, timeout=240)
        alive = first.poll() is None
    figures = account(inputs, seen, settings)
    report(
        capsys,
        figures.line("two workers, one stopped and restarted")
        + f" ({mid} outputs when it came back; {elapsed_since(started)})",
        tmp_path / "a.log",
    )
    assert alive, (tmp_path / "a.log").read_text(errors="replace")[-3000:]
    assert figures.lost == 0, figures


@pytest.mark.needs_kafka(reason="stops and restarts the broker with its log on disk")
def test_fault_broker_down_30s_worker_recovers_by_itself(
    own_kafka: ApacheKafkaBroker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(own_kafka.bootstrap, "kafka")
    inputs = fault_inputs(5_000)
    env = worker_env(settings, tmp_path)
    log = tmp_path / "worker.log"
    started = time.monotonic()
    assert asyncio.run(produce_records(settings, inputs)) == len(inputs)
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=env) as worker:
        before = wait_for_outputs(settings, 1_000)
        own_kafka.stop(keep_data=True)
        time.sleep(30)
        own_kafka.start()
        seen = read_all(settings, inputs, timeout=600)
        alive = worker.poll() is None
    figures = account(inputs, seen, settings)
    report(
        capsys,
        figures.line("broker down 30 s under load")
        + f" (stopped after {before} outputs; {elapsed_since(started)})",
        log,
    )
    assert alive, log.read_text(errors="replace")[-3000:]
    assert figures.lost == 0, figures


@pytest.mark.needs_kafka(reason="a 3-broker Apache Kafka cluster, one broker killed")
def test_fault_one_of_three_brokers_killed_loses_nothing(
    own_cluster: ApacheKafkaCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(own_cluster.bootstrap, "kafka", replication=3)
    inputs = fault_inputs(5_000)
    env = {**worker_env(settings, tmp_path), "NEWSSTREAM_REPLICATION": "3"}
    log = tmp_path / "worker.log"
    started = time.monotonic()
    assert asyncio.run(produce_records(settings, inputs)) == len(inputs)
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=env) as worker:
        before = wait_for_outputs(settings, 1_000)
        own_cluster.kill_node(0)
        seen = read_all(settings, inputs, timeout=600)
        alive = worker.poll() is None
    figures = account(inputs, seen, settings)
    report(
        capsys,
        figures.line("one of three brokers killed (RF 3, min ISR 2, acks=all, idempotent)")
        + f" (killed after {before} outputs; {elapsed_since(started)})",
        log,
    )
    assert alive, log.read_text(errors="replace")[-3000:]
    assert figures.lost == 0, figures
