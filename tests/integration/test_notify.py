"""`newsstream notify` as a process on a real broker: every alert reaches a healthy webhook
across a kill -9 (exactly once after deduplication on Idempotency-Key), an endpoint that
never answers gets its alerts parked on the undelivered topic, and SIGTERM exits 0."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from streams.commands.broker import BrokerLauncher, command_process, free_port
from streams.core.delivery.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from streams.core.fit import to_json
from streams.models import Alert, UndeliveredAlert
from streams.runtime.kafka import client_kwargs, producer_kwargs
from streams.runtime.notify.destination import IN_FLIGHT_PER_DESTINATION
from streams.settings import Settings
from tests.support.brokers import make_settings, selected_broker
from tests.support.kafka_io import read_topics
from tests.support.webhooks import SECRET_PATH, Receiver, Reply, make_alert

pytestmark = pytest.mark.integration

SECRET = "integration-secret"


def _settings(broker: BrokerLauncher, **overrides: Any) -> Settings:
    """Settings of the test's own (isolated: its topics, undelivered topic and notify group)."""
    return make_settings(broker.bootstrap, selected_broker(), **overrides)


def _rules(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _env(settings: Settings, rules: Path, **extra: str) -> dict[str, str]:
    return {
        **settings.as_env(),
        "NEWSSTREAM_RULES_FILE": str(rules),
        "NEWSSTREAM_LOG_FORMAT": "json",
        "NEWSSTREAM_LOG_LEVEL": os.environ.get("NOTIFY_TEST_LOG_LEVEL", "INFO"),
        "NEWSSTREAM_SESSION_TIMEOUT_S": "6",
        **extra,
    }


def notify_process(
    env: dict[str, str], log_path: Path
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """`newsstream notify` in a process group of its own, stopped (SIGTERM) when the block ends."""
    return command_process(["notify", "--grace", "5"], env, log_path, 20)


async def _publish(settings: Settings, values: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    try:
        sends = [await producer.send(settings.topic_alerts, v, key=k) for k, v in values]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def _committed(settings: Settings) -> int:
    """Records below the group's committed offsets, over every partition (a fresh topic)."""
    consumer = AIOKafkaConsumer(
        **client_kwargs(settings), group_id=settings.notify_group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        total = 0
        for partition in range(settings.partitions):
            offset = await consumer.committed(TopicPartition(settings.topic_alerts, partition))
            total += offset or 0
        return total
    finally:
        await consumer.stop()


def _alerts(count: int, rules: list[str]) -> list[Alert]:
    return [make_alert(n, rules=rules) for n in range(count)]


def _records(alerts: list[Alert]) -> list[tuple[bytes, bytes]]:
    return [(a.alert_id.encode(), to_json(a)) for a in alerts]


def _published_run(
    broker: BrokerLauncher, tmp_path: Path, count: int, *, signed: bool
) -> tuple[Settings, Path, set[str]]:
    """Settings of a run of its own, a rules file with one webhook (`HOOK_URL`, signed with
    `HOOK_SECRET` when `signed`, no rate limit to speak of), and `count` alerts published for
    it; returns the settings, the rules file and the alert ids."""
    settings = _settings(broker)
    secret = "        secret_env: HOOK_SECRET\n" if signed else ""
    rules = _rules(
        tmp_path / "rules.yaml",
        "rules:\n  - name: desk\n    webhooks:\n      - url_env: HOOK_URL\n"
        f"{secret}        rate_limit: {{count: 100000, per_s: 1}}\n",
    )
    alerts = _alerts(count, ["desk"])
    asyncio.run(_publish(settings, _records(alerts)))
    return settings, rules, {a.alert_id for a in alerts}


@pytest.mark.slow
def test_notify_kill_9_and_restart_delivers_every_alert_once_after_dedup(
    broker: BrokerLauncher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = 1500
    settings, rules, ids = _published_run(broker, tmp_path, count, signed=True)
    # a receiver a little slow (20 ms per request), so that the kill lands mid-run
    with Receiver(default=Reply(200, delay_s=0.02)) as receiver:
        env = _env(settings, rules, HOOK_URL=receiver.url, HOOK_SECRET=SECRET)
        with notify_process(env, tmp_path / "first.log") as first:
            assert receiver.wait_for(lambda got: len(got) >= count // 4, 90), "no deliveries"
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        before = len(set(receiver.keys()))
        committed = asyncio.run(_committed(settings))
        with notify_process(env, tmp_path / "second.log") as second:
            delivered = receiver.wait_for(lambda _: ids <= set(receiver.keys()), 120)
            time.sleep(1.0)  # anything still coming would be a duplicate beyond the bound
        assert second.returncode == 0, (tmp_path / "second.log").read_text()[-2000:]
        keys = receiver.keys()
    assert delivered, f"{len(ids - set(keys))} alerts never arrived"
    duplicates = len(keys) - len(set(keys))
    in_flight = before - committed  # received before the kill, not yet committed
    with capsys.disabled():
        print(
            f"\nnotify kill -9: {count} alerts, {before} received before the kill, "
            f"{committed} committed; after restart {len(set(keys))} distinct, "
            f"{duplicates} duplicates (bound: {in_flight} delivered but uncommitted)"
        )
    assert set(keys) == ids
    assert committed <= before, "an offset was committed before its alert was delivered"
    assert duplicates <= in_flight
    for got in receiver.requests()[:20]:
        assert verify(
            SECRET.encode(),
            got.headers[TIMESTAMP_HEADER],
            got.body,
            got.headers[SIGNATURE_HEADER],
            max_age_s=3600,
        )
    assert asyncio.run(_committed(settings)) == count


def test_notify_dead_endpoint_parks_alerts_and_sigterm_exits_0(
    broker: BrokerLauncher, tmp_path: Path
) -> None:
    settings = _settings(
        broker, notify_max_attempts=3, notify_backoff_s=0.05, notify_backoff_max_s=0.1
    )
    dead_port = free_port()
    rules = _rules(
        tmp_path / "rules.yaml",
        "rules:\n"
        "  - name: desk\n    webhooks:\n      - {url_env: HOOK_URL, secret_env: HOOK_SECRET}\n"
        "  - name: dead\n    webhooks:\n"
        f"      - url: http://127.0.0.1:{dead_port}{SECRET_PATH}?sig=also-secret\n",
    )
    alerts = _alerts(5, ["desk", "dead"])
    gone = make_alert(99, rules=["renamed-rule"])  # a rule the file no longer has
    records = [*_records(alerts), (b"junk", b"not an alert"), *_records([gone])]
    asyncio.run(_publish(settings, records))
    with Receiver() as receiver:
        env = _env(settings, rules, HOOK_URL=receiver.url, HOOK_SECRET=SECRET)
        log_path = tmp_path / "notify.log"
        with notify_process(env, log_path) as proc:
            parked = asyncio.run(
                read_topics(
                    settings,
                    [settings.topic_undelivered],
                    lambda seen: len(seen[settings.topic_undelivered]) >= 5,
                    timeout=90,
                    settle=0.5,
                )
            )[settings.topic_undelivered]
            assert receiver.wait_for(lambda got: len(got) >= 5, 30)
            deadline = time.monotonic() + 30
            while asyncio.run(_committed(settings)) < len(records) and time.monotonic() < deadline:
                time.sleep(0.2)
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        assert proc.returncode == 0
    assert asyncio.run(_committed(settings)) == len(records)
    by_id = {a.alert_id: a for a in alerts}
    assert sorted(key or b"" for key, _ in parked) == sorted(a.encode() for a in by_id)
    for _, value in parked:
        item = UndeliveredAlert.model_validate(value)
        assert item.alert == by_id[item.alert.alert_id]
        assert item.rule == "dead" and item.format == "json"
        assert item.destination == f"http://127.0.0.1:{dead_port}"
        assert item.attempts == 3 and item.last_error.startswith("connection error")
    assert sorted(orjson.loads(r.body)["alert_id"] for r in receiver.requests()) == sorted(by_id)
    log = log_path.read_text()
    assert "renamed-rule" in log and "no longer has" in log
    assert "sekrit" not in log and "also-secret" not in log and SECRET not in log
    assert Counter(orjson.loads(line)["level"] for line in log.splitlines())["ERROR"] == 0


@pytest.mark.slow
def test_notify_sigterm_gives_up_stuck_deliveries_within_the_grace_and_exits_0(
    broker: BrokerLauncher, tmp_path: Path
) -> None:
    settings = _settings(broker, notify_timeout_s=60)
    rules = _rules(
        tmp_path / "rules.yaml",
        "rules:\n  - name: desk\n    webhooks:\n      - url_env: HOOK_URL\n",
    )
    alerts = _alerts(3, ["desk"])
    asyncio.run(_publish(settings, _records(alerts)))
    with Receiver(default=Reply(200, delay_s=120)) as stuck:  # takes the POST, never answers
        env = _env(settings, rules, HOOK_URL=stuck.url)
        with notify_process(env, tmp_path / "notify.log") as proc:
            assert stuck.wait_for(lambda got: len(got) >= 3, 60)
            signalled = time.monotonic()
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
            took = time.monotonic() - signalled
    assert proc.returncode == 0
    print(f"stopped {took:.1f} s after SIGTERM")
    assert took < 5 + 10  # --grace 5, and a generous margin for the stop itself
    assert asyncio.run(_committed(settings)) == 0  # nothing finished: all delivered again later
    assert "not finished at shutdown" in (tmp_path / "notify.log").read_text()


@pytest.mark.slow
def test_notify_two_processes_share_the_partitions_and_lose_nothing(
    broker: BrokerLauncher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = 1500
    settings, rules, ids = _published_run(broker, tmp_path, count, signed=False)
    with Receiver(default=Reply(200, delay_s=0.02)) as receiver:
        env = _env(settings, rules, HOOK_URL=receiver.url)
        with notify_process(env, tmp_path / "a.log") as first:
            assert receiver.wait_for(lambda got: len(got) >= count // 5, 90)
            # a second process joins mid-run: the first gives up partitions with work in flight
            with notify_process(env, tmp_path / "b.log") as second:
                delivered = receiver.wait_for(lambda _: ids <= set(receiver.keys()), 120)
                deadline = time.monotonic() + 60  # until the group has committed every record
                while asyncio.run(_committed(settings)) < count and time.monotonic() < deadline:
                    time.sleep(0.2)
            alive = first.poll() is None
        keys = receiver.keys()
    assert delivered, f"{len(ids - set(keys))} alerts never arrived"
    with capsys.disabled():
        print(
            f"\nnotify, two processes: {count} alerts, {len(set(keys))} distinct, "
            f"{len(keys) - len(set(keys))} duplicates (alerts in flight at the rebalance)"
        )
    assert alive and first.returncode == 0 and second.returncode == 0
    # one rebalance: what the first process had in flight for the partitions it gave up
    assert len(keys) - len(set(keys)) <= 2 * IN_FLIGHT_PER_DESTINATION
    assert "notify assigned" in (tmp_path / "b.log").read_text()
    assert asyncio.run(_committed(settings)) == count
