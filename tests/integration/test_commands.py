"""The commands a user runs against a broker: topics, produce, alerts, worker, and the demo."""

from __future__ import annotations

import os
import re
import urllib.request
from pathlib import Path

import orjson
import pytest

from streams.commands.broker import free_port
from streams.runtime.topics import topic_names
from streams.settings import Settings
from tests.support.articles import CALM_SPORT, CLEAN_ESCALATION, write_jsonl
from tests.support.brokers import worker_env
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
    proc = run_cli(["demo", "--exit-after-idle", "6"], {"TMPDIR": str(tmp_path)}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "first alert" in out
    assert re.search(r"^\[(MEDIUM|HIGH|CRITICAL)\] ", out, re.MULTILINE), out
    assert "entities:" in out and "categories:" in out
    pids = [int(p) for p in re.findall(r"\(pid (\d+)", out)]
    assert len(pids) == 2, out
    assert not any(_alive(pid) for pid in pids)
    assert not list(tmp_path.glob("newsstream-demo-*"))
