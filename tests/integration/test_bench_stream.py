"""`newsstream bench --stream` ends and accounts for every article: two workers in one group on
an embedded broker, and where missing outputs are when some are. Figures are printed, never
asserted on (machines differ)."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from streams.commands.bench_stream import diagnose_missing
from streams.commands.broker import BrokerLauncher
from streams.commands.produce import RawRecord, produce_records
from streams.runtime.topics import ensure_topics
from streams.settings import Settings
from tests.support.brokers import selected_broker
from tests.support.kafka_io import run_cli

pytestmark = [pytest.mark.integration]


@pytest.mark.slow
def test_bench_stream_two_workers_report_every_figure_without_loss(broker: BrokerLauncher) -> None:
    """On the embedded broker the bench starts its own (and times its CPU); on Apache Kafka it
    runs on the session's broker (--broker)."""
    args = ["bench", "--stream", "--articles", "300", "--workers", "2", "--json"]
    env: dict[str, str] = {}
    kind = selected_broker()
    if kind == "kafka":
        args.append("--broker")
        env = {"NEWSSTREAM_BROKER": broker.bootstrap, "NEWSSTREAM_BROKER_KIND": kind}
    proc = run_cli(args, env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    result = orjson.loads(proc.stdout.strip().splitlines()[-1])
    assert (result["workers"], result["articles"], result["missing"]) == (2, 300, 0)
    assert result["paced_articles"] == 200 and result["alerted_articles"] > 0
    for key in (
        "core_articles_per_s",
        "articles_per_s",
        "ratio_to_core",
        "worker_cpu_s_per_article",
        "p50_to_enriched_ms",
        "p99_to_alert_ms",
        "after_burst_p50_to_enriched_ms",
        "raw_pipe_msgs_per_s",
    ):
        assert result[key] > 0, key
    assert (result["broker_cpu_s_per_article"] is not None) is (kind == "embedded")
    assert result["restart_to_output_s"] is not None
    assert isinstance(result["targets_met"], bool)


def test_bench_stream_tells_unread_dead_lettered_and_lost_apart(settings: Settings) -> None:
    """An output on the topic was missed by the collector; a dead letter is not lost; an
    article with neither is lost."""
    asyncio.run(ensure_topics(settings))
    enriched = [RawRecord(b"unread-1", b"{}")]
    letters = [RawRecord(b"letter-1", b"{}")]
    asyncio.run(produce_records(settings, enriched, topic=settings.topic_enriched))
    asyncio.run(produce_records(settings, letters, topic=settings.topic_deadletter))
    report = asyncio.run(diagnose_missing(settings, {"unread-1", "letter-1", "gone-1"}))
    assert report == {
        "missing": 3,
        "missing_unread": 1,
        "missing_dead_lettered": 1,
        "missing_lost": 1,
        "missing_sample": ["gone-1", "letter-1", "unread-1"],
    }
