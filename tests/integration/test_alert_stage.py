"""The alert stage on a real broker: spikes across partitions, dedup state across a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from streams.runtime.kafka import producer_kwargs
from streams.settings import Settings
from tests.support.articles import CLEAN_ESCALATION, ESCALATION_REWRITE
from tests.support.brokers import worker_env
from tests.support.kafka_io import Record, newsstream_worker, read_topics

pytestmark = pytest.mark.integration

#: Distinct escalating stories that all name NATO (each its own story, not near-duplicates).
EVENTS = [
    "Russia moved two missile brigades to the border with Finland on Monday, officials said.",
    "A drone strike killed three soldiers at a base in Latvia overnight, the army said.",
    "Belarus ordered a general mobilisation of reservists on Tuesday after border clashes.",
    "Estonia expelled four Russian diplomats and closed its eastern crossings on Wednesday.",
    "Warships fired warning shots near the Polish coast, and jets violated Lithuanian airspace.",
    "Artillery shelling hit a border town in Moldova on Thursday, killing five civilians.",
]


def _spike_article(i: int, event: str) -> bytes:
    body = (
        f"BRUSSELS, March {i + 3} (Wire) - {event} NATO Secretary General Mark Rutte "
        "condemned the escalation and said the alliance was ready to defend every ally. "
        f"Story {i} of a series."
    )
    return orjson.dumps({"id": f"spike-{i}", "title": event, "body": body})


async def _send_to_partitions(settings: Settings, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    try:
        for i, value in enumerate(values):
            await producer.send_and_wait(settings.topic_raw, value, partition=i % 2)
    finally:
        await producer.stop()


def test_alert_stage_spike_counts_articles_from_two_partitions(
    settings: Settings, tmp_path: Path
) -> None:
    env = {**worker_env(settings, tmp_path), "NEWSSTREAM_SPIKE_MIN_COUNT": "4"}
    with newsstream_worker(env, tmp_path / "worker.log"):
        asyncio.run(
            _send_to_partitions(settings, [_spike_article(i, e) for i, e in enumerate(EVENTS)])
        )

        def spiked(seen: dict[str, list[Record]]) -> bool:
            return any(v["kind"] == "spike" for _, v in seen[settings.topic_alerts])

        seen = asyncio.run(read_topics(settings, [settings.topic_alerts], spiked, timeout=90))
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    spikes = [v for _, v in seen[settings.topic_alerts] if v["kind"] == "spike"]
    nato = [s for s in spikes if s["entities"] == ["NATO"]]
    assert len(nato) == 1, (spikes, log)
    assert "entity:NATO" in str(nato[0]["reason"])
    escalations = [v for _, v in seen[settings.topic_alerts] if v["kind"] == "escalation"]
    assert len({v["article_id"] for v in escalations}) >= 4, log


def test_alert_stage_dedup_state_survives_a_worker_restart(
    settings: Settings, tmp_path: Path
) -> None:
    first = orjson.dumps(CLEAN_ESCALATION)
    rewrite = orjson.dumps(ESCALATION_REWRITE)
    env = worker_env(settings, tmp_path)

    def run_until(value: bytes, enriched: int) -> dict[str, list[Record]]:
        with newsstream_worker(env, tmp_path / "worker.log"):
            asyncio.run(_send_to_partitions(settings, [value]))
            seen = asyncio.run(
                read_topics(
                    settings,
                    [settings.topic_enriched, settings.topic_alerts],
                    lambda s: len(s[settings.topic_enriched]) >= enriched,
                    timeout=90,
                    settle=3.0,
                )
            )
        return seen

    before = run_until(first, 1)
    assert len(before[settings.topic_alerts]) == 1
    after = run_until(rewrite, 2)
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    articles = {v["article_id"]: v for _, v in after[settings.topic_enriched]}
    assert articles[ESCALATION_REWRITE["id"]]["duplicate_of"] == "esc-json-1", log
    assert len(after[settings.topic_alerts]) == 1, log
