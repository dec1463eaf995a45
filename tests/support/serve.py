"""Helpers of the live page's broker tests: a broker for the session, producing alerts, and
`newsstream serve` as a process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from aiokafka import AIOKafkaProducer

from streams.commands.broker import BrokerLauncher, EmbeddedBroker, stop_process_group
from streams.models import Alert
from streams.runtime.kafka import producer_kwargs
from streams.settings import Settings
from tests.support.brokers import apache_kafka, selected_broker

#: Seconds `newsstream serve` gets to say where it listens.
SERVE_START_S = 60.0


def launched_broker() -> Iterator[BrokerLauncher]:
    """The selected broker (NEWSSTREAM_TEST_BROKER) started for a fixture, stopped after."""
    launcher = apache_kafka() if selected_broker() == "kafka" else EmbeddedBroker()
    launcher.start()
    yield launcher
    launcher.stop()


async def produce_alerts(
    settings: Settings, alerts: Sequence[Alert], partitions: Sequence[int] | None = None
) -> None:
    """Publish alerts to the alerts topic (round-robin over `partitions` when given)."""
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    try:
        for index, alert in enumerate(alerts):
            partition = partitions[index % len(partitions)] if partitions else None
            await producer.send_and_wait(
                settings.topic_alerts,
                alert.model_dump_json(by_alias=True).encode(),
                key=alert.alert_id.encode(),
                partition=partition,
            )
    finally:
        await producer.stop()


async def produce_values(settings: Settings, topic: str, values: Sequence[bytes]) -> None:
    """Publish raw values to a topic."""
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value)
    finally:
        await producer.stop()


@contextmanager
def serve_process(settings: Settings, extra_env: dict[str, str]) -> Iterator[str]:
    """`newsstream serve --port 0` on these settings; yields the URL it prints."""
    env = {**os.environ, **settings.as_env(), **extra_env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams", "serve", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + SERVE_START_S
        line = proc.stdout.readline().decode()
        if not line.startswith("serving the live page at ") or time.monotonic() > deadline:
            stop_process_group(proc)
            _, err = proc.communicate(timeout=10)
            raise AssertionError(f"newsstream serve did not start: {line!r} {err.decode()}")
        yield line.removeprefix("serving the live page at ").strip()
    finally:
        stop_process_group(proc)
