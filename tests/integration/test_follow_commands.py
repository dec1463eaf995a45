"""`newsstream tail` and `newsstream alerts` against a real broker, and without one."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from streams.commands.broker import EmbeddedBroker
from streams.core.pipeline import MessageContext, dead_letter
from streams.errors import DecodeError
from streams.runtime.kafka import producer_kwargs
from streams.settings import Settings
from tests.support.brokers import make_settings
from tests.support.kafka_io import run_cli

pytestmark = pytest.mark.integration


async def _publish(settings: Settings, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=b"k", partition=0)
    finally:
        await producer.stop()


def _letter() -> bytes:
    ctx = MessageContext(key=b"k", topic="news.raw", partition=1, offset=12)
    letter = dead_letter(b"\xff\xfe broken bytes", ctx, DecodeError("not UTF-8"))
    return letter.model_dump_json(by_alias=True).encode()


def test_follow_tail_shows_dead_letters_decoded_and_as_json(settings: Settings) -> None:
    asyncio.run(_publish(settings, settings.topic_deadletter, [_letter(), b"not json at all"]))
    env = settings.as_env()
    common = ["--from-beginning", "--max", "2", "--idle-timeout", "30"]
    pretty = run_cli(["tail", settings.topic_deadletter, *common], env)
    assert pretty.returncode == 0, pretty.stderr
    assert "decode_error: not UTF-8" in pretty.stdout
    assert "news.raw[1]@12" in pretty.stdout and "broken bytes" in pretty.stdout
    assert "not json at all" in pretty.stdout
    assert f"following {settings.topic_deadletter}" in pretty.stderr
    raw = run_cli(["tail", settings.topic_deadletter, "--json", *common], env)
    assert raw.returncode == 0, raw.stderr
    first, second = (orjson.loads(line) for line in raw.stdout.splitlines())
    assert first["error"]["type"] == "decode_error" and second == "not json at all"


def test_follow_alerts_reads_a_rules_topic(settings: Settings) -> None:
    alert = {
        "schema": "newsstream.alert/1",
        "alert_id": "b" * 24,
        "kind": "spike",
        "level": "medium",
        "title": "Spike: 5 escalating articles on Moldova within 10 min",
        "summary": "5 articles",
        "article_id": None,
        "created_at": "2026-03-02T12:00:00.000Z",
        "reason": "spike on country:MD",
    }
    asyncio.run(_publish(settings, settings.topic_enriched, [orjson.dumps(alert)]))
    env = settings.as_env()
    args = ["alerts", "--topic", settings.topic_enriched, "--from-beginning", "--json"]
    proc = run_cli([*args, "--max", "1", "--idle-timeout", "30"], env)
    assert proc.returncode == 0, proc.stderr
    assert orjson.loads(proc.stdout)["alert_id"] == "b" * 24


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    """An embedded broker of this test's own, free to stop."""
    launcher = EmbeddedBroker()
    launcher.start()
    yield launcher
    launcher.stop()


def test_follow_alerts_without_the_broker_says_so_once_and_gives_up(
    own_broker: EmbeddedBroker,
) -> None:
    settings = make_settings(own_broker.bootstrap, "embedded")
    command = [sys.executable, "-m", "streams", "alerts", "--max-wait", "5"]
    env = {**os.environ, **settings.as_env()}
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline().decode()
        assert first.startswith(f"following {settings.topic_alerts} at"), first
        own_broker.stop()
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = err.decode().splitlines()
    assert proc.returncode == 1, lines
    assert lines[0].startswith("lost the connection to the broker at"), lines
    assert lines[-1].startswith("newsstream alerts: no broker at") and "--max-wait" in lines[-1]
    assert len(lines) == 2, lines
