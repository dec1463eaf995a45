"""The commands a user runs against a broker: topics, produce, alerts, worker, and the demo."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from streams.commands.broker import BrokerLauncher, free_port, stop_process_group
from streams.runtime.kafka import idempotence_supported
from streams.runtime.topics import topic_names
from streams.settings import Settings
from tests.support.articles import CALM_SPORT, CLEAN_ESCALATION, write_jsonl
from tests.support.brokers import selected_broker, worker_env
from tests.support.kafka_io import newsstream_worker, run_cli

pytestmark = pytest.mark.integration


def test_commands_topics_produce_worker_alerts(settings: Settings, tmp_path: Path) -> None:
    env = {
        **worker_env(settings, tmp_path),
        "NEWSSTREAM_METRICS_PORT": str(free_port()),
    }
    topics = run_cli(["topics", "--json"], env)
    assert topics.returncode == 0, topics.stderr
    partitions = {t["name"]: t["partitions"] for t in orjson.loads(topics.stdout)}
    assert [partitions[name] for name in topic_names(settings)] == [3, 3, 3, 3]
    assert partitions[settings.stories_topic] == 1

    feed = write_jsonl(tmp_path / "two.jsonl", CLEAN_ESCALATION, CALM_SPORT)
    produced = run_cli(["produce", str(feed), "--json"], env)
    assert produced.returncode == 0, produced.stderr
    assert orjson.loads(produced.stdout)["sent"] == 2

    with newsstream_worker(env, tmp_path / "worker.log") as worker:
        alerts = run_cli(
            [
                "alerts",
                "--from-beginning",
                "--json",
                "--level",
                "high",
                "--max",
                "1",
                "--idle-timeout",
                "60",
            ],
            env,
            timeout=90,
        )
        url = f"http://127.0.0.1:{env['NEWSSTREAM_METRICS_PORT']}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            metrics = response.read().decode()
    assert re.search(r'newsstream_messages_in_total\{agent="enrich",topic="[^"]+"\} 2\.0', metrics)
    assert "newsstream_processing_seconds_bucket" in metrics
    assert re.search(r'newsstream_messages_out_total\{topic="[^"]+alerts"\} 1\.0', metrics)
    assert alerts.returncode == 0, alerts.stderr
    lines = [orjson.loads(line) for line in alerts.stdout.splitlines()]
    assert [a["article_id"] for a in lines] == ["esc-json-1"]
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-2000:]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_commands_demo_shows_alerts_and_leaves_no_process_nor_folder(tmp_path: Path) -> None:
    port = free_port()
    proc = run_cli(
        ["demo", "--exit-after-idle", "6", "--port", str(port)],
        {"TMPDIR": str(tmp_path)},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert f"\nexport NEWSSTREAM_BROKER=127.0.0.1:{port}\n" in out, out
    assert "first alert" in out
    assert re.search(r"^\[(MEDIUM|HIGH|CRITICAL)\] ", out, re.MULTILINE), out
    assert "entities:" in out and "categories:" in out
    assert re.search(r"^-- live page: http://127\.0\.0\.1:\d+/ ", out, re.MULTILINE), out
    pids = [int(p) for p in re.findall(r"\(pid (\d+)", out)]
    assert len(pids) == 3, out  # broker, worker, page
    assert not any(_alive(pid) for pid in pids)
    assert not list(tmp_path.glob("newsstream-demo-*"))


def test_commands_auto_broker_kind_asks_the_broker(broker: BrokerLauncher) -> None:
    """The embedded broker grants no producer id, Apache Kafka does: no second variable."""
    auto = Settings(broker=broker.bootstrap, broker_kind="auto")
    assert idempotence_supported(auto) is (selected_broker() == "kafka")


@pytest.fixture
def broker_command() -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """`newsstream broker --port <free port>` running, and the lines it printed at start."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams", "broker", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(3)]
    try:
        yield proc, lines
    finally:
        stop_process_group(proc)  # type: ignore[arg-type]


def test_commands_broker_serves_produce_with_only_the_exported_address(
    broker_command: tuple[subprocess.Popen[str], list[str]], tmp_path: Path
) -> None:
    proc, started = broker_command
    assert started[0].startswith("-- embedded broker listening on 127.0.0.1:"), started
    exported = started[2].rstrip("\n")
    address = re.fullmatch(r"export NEWSSTREAM_BROKER=(127\.0\.0\.1:\d+)", exported)
    assert address is not None, started
    assert proc.args[-1] == address.group(1).rpartition(":")[2]  # type: ignore[index]
    env = {"NEWSSTREAM_BROKER": address.group(1), "NEWSSTREAM_BROKER_KIND": "auto"}

    created = run_cli(["topics", "--create"], env)
    assert created.returncode == 0, created.stderr
    feed = write_jsonl(tmp_path / "two.jsonl", CLEAN_ESCALATION, CALM_SPORT)
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>word</p>" * 500_000)  # 5.5 MB, over the default limit
    produced = run_cli(["produce", str(feed), str(big), "--json"], env)
    assert "Traceback" not in produced.stderr
    assert f"{big}: 5,500,000 bytes, over NEWSSTREAM_MAX_MESSAGE_BYTES" in produced.stderr
    assert produced.returncode == 1, produced.stderr
    assert orjson.loads(produced.stdout) == {
        "topic": "news.raw",
        "sent": 2,
        "files": 2,
        "skipped": 1,
    }

    second = run_cli(["broker", "--port", address.group(1).rpartition(":")[2]], {})
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"newsstream broker: cannot start the embedded broker: a Kafka broker already "
        f"listens on {address.group(1)}"
    )

    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "embedded broker stopped" in out
    tansu = int(re.findall(r"\(pid (\d+)\)", started[0])[0])
    assert not _alive(tansu)
