"""`newsstream bench`: throughput, latency and memory of the core (`--core`) or the stream.

The core, the broker clients and the settings are imported where they are used, so that
building the command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from streams.commands.broker import EmbeddedBroker
from streams.commands.demo import worker_process
from streams.commands.produce import (
    RawRecord,
    iter_file_messages,
    produce_records,
    sample_feed_path,
)

if TYPE_CHECKING:
    from streams.settings import BrokerKind, Settings

__all__ = ["bench_articles", "bench_core", "bench_stream", "format_table", "cmd_bench"]

#: Articles enriched before timing starts, so lazily loaded resources are not counted.
WARMUP_ARTICLES = 20


def _plain_texts() -> list[str]:
    texts = []
    for record in iter_file_messages(sample_feed_path()):
        value = orjson.loads(record.value)
        if isinstance(value, dict) and isinstance(value.get("body"), str):
            texts.append(value["body"])
    return texts


def bench_articles(count: int, size: int = 3000) -> list[bytes]:
    """`count` raw JSON articles of about `size` bytes of English text, from the sample feed."""
    texts = _plain_texts()
    if not texts:
        raise ValueError("the sample feed has no plain-text articles")
    articles = []
    for i in range(count):
        body = texts[i % len(texts)]
        while len(body) < size:
            body += "\n\n" + texts[(i + len(body)) % len(texts)]
        cut = body.rfind(" ", 0, size)
        articles.append(
            orjson.dumps({"id": f"bench-{i}", "source": "bench", "body": body[: max(cut, 1)]})
        )
    return articles


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def bench_core(count: int, size: int = 3000) -> dict[str, Any]:
    """Enrich `count` articles through the core on this thread and measure it.

    Each article is enriched twice, in turn with and without the trained name tagger, so the
    tagger's share of the time is measured under the same load as the rest.
    """
    from streams.core.entities.tagger import MODEL_PATH, NameTagger
    from streams.core.pipeline import CoreOptions, enrich

    t0 = time.perf_counter()
    NameTagger.load(MODEL_PATH)
    load_s = time.perf_counter() - t0
    articles = bench_articles(count, size)
    rules_only = CoreOptions(ner_tagger=False)
    for payload in articles[:WARMUP_ARTICLES]:
        enrich(payload)
        enrich(payload, options=rules_only)
    timings: list[float] = []
    without: list[float] = []
    for payload in articles:
        t0 = time.perf_counter()
        enrich(payload)
        t1 = time.perf_counter()
        enrich(payload, options=rules_only)
        timings.append(t1 - t0)
        without.append(time.perf_counter() - t1)
    elapsed = sum(timings)
    return {
        "articles": count,
        "bytes_per_article": round(statistics.mean(len(a) for a in articles)),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(count / elapsed, 1),
        "p50_ms": round(_percentile(timings, 0.5) * 1000, 3),
        "p99_ms": round(_percentile(timings, 0.99) * 1000, 3),
        "max_ms": round(max(timings) * 1000, 3),
        "without_tagger_articles_per_s": round(count / sum(without), 1),
        "without_tagger_p50_ms": round(_percentile(without, 0.5) * 1000, 3),
        "tagger_share_of_time": round(1 - sum(without) / elapsed, 3),
        "tagger_load_ms": round(load_s * 1000, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def format_table(result: dict[str, Any]) -> str:
    """The benchmark result as a two-column table."""
    width = max(len(k) for k in result)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in result.items())


# --- the stream: a worker process on a broker --------------------------------------------------


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a live process (Linux VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def _pipe_rate(settings: Settings, source: str, target: str, count: int) -> float:
    """Messages/s of a bare aiokafka consume -> produce loop over the same input (the floor)."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    from streams.runtime.kafka import client_kwargs, producer_kwargs

    consumer = AIOKafkaConsumer(
        source, **client_kwargs(settings), group_id=None, auto_offset_reset="earliest"
    )
    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await consumer.start()
    await producer.start()
    copied = 0
    started = time.perf_counter()
    try:
        while copied < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            records = [r for rs in batches.values() for r in rs]
            acks = [await producer.send(target, r.value, key=r.key) for r in records]
            await asyncio.gather(*acks)
            copied += len(records)
    finally:
        elapsed = time.perf_counter() - started
        await consumer.stop()
        await producer.stop()
    return copied / elapsed


async def _collect(
    settings: Settings, expected: set[str], timeout: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Read outputs until every expected id is out: broker time of its article and alert."""
    from aiokafka import AIOKafkaConsumer

    from streams.runtime.kafka import client_kwargs

    consumer = AIOKafkaConsumer(
        settings.topic_enriched,
        settings.topic_alerts,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    enriched: dict[str, float] = {}
    alerted: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not expected <= enriched.keys() and loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                for record in records:
                    value = orjson.loads(record.value or b"{}")
                    target = alerted if tp.topic == settings.topic_alerts else enriched
                    if value.get("article_id"):
                        target.setdefault(value["article_id"], record.timestamp / 1000)
    finally:
        await consumer.stop()
    return enriched, alerted


def _one_article(settings: Settings, ident: str, timeout: float) -> float | None:
    """Send one short escalating article; the broker time its output was stored, if it was."""
    value = orjson.dumps({"id": ident, "body": "Troops moved to the border."})
    asyncio.run(produce_records(settings, [RawRecord(ident.encode(), value)]))
    enriched, _ = asyncio.run(_collect(settings, {ident}, timeout=timeout))
    return enriched.get(ident)


async def _paced(settings: Settings, articles: list[bytes], rate: float) -> dict[str, float]:
    """Send articles one by one at `rate`/s; the time each was acknowledged, by id."""
    from aiokafka import AIOKafkaProducer

    from streams.runtime.kafka import producer_kwargs

    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    sent: dict[str, float] = {}
    try:
        for i, payload in enumerate(articles):
            ident = f"paced-{i}"
            value = orjson.dumps({**orjson.loads(payload), "id": ident})
            started = time.time()
            await producer.send_and_wait(settings.topic_raw, value, key=ident.encode())
            sent[ident] = started
            await asyncio.sleep(max(0.0, 1 / rate - (time.time() - started)))
    finally:
        await producer.stop()
    return sent


def bench_stream(
    count: int, partitions: int = 4, size: int = 3000, broker: str | None = None
) -> dict[str, Any]:
    """The whole pipeline on one worker process, on the embedded broker or `broker`.

    A burst of `count` articles gives the throughput; then articles sent one at a time at
    half that rate give the ingest -> news.enriched and ingest -> news.alerts latencies; a bare
    aiokafka consume -> produce loop (batched) over the same input gives the floor to compare
    with. Near-duplicate suppression is off (unless NEWSSTREAM_DEDUP_WINDOW_S is set), so that
    every escalating article alerts.
    """
    if broker is not None:
        return _bench_stream(broker, "kafka", count, partitions, size)
    with EmbeddedBroker() as embedded:
        return _bench_stream(embedded.bootstrap, "embedded", count, partitions, size)


def _bench_stream(
    broker: str, kind: BrokerKind, count: int, partitions: int, size: int
) -> dict[str, Any]:
    from streams.runtime.topics import TopicSpec, create_topics, ensure_topics
    from streams.settings import settings_from

    articles = bench_articles(count, size)
    run = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as workdir:
        settings = settings_from(
            {"partitions": "--partitions"},
            broker=broker,
            broker_kind=kind,
            partitions=partitions,
            metrics_port=0,
            data_dir=workdir,
            # near-duplicates off unless asked for, so that every escalating article alerts
            dedup_window_s=float(os.environ.get("NEWSSTREAM_DEDUP_WINDOW_S", "0.001")),
        ).isolated(run)
        asyncio.run(ensure_topics(settings))
        env = settings.as_env()
        log = Path(workdir) / "worker.log"
        with worker_process(broker, log_path=log, extra_env=env) as worker:
            _one_article(settings, "warm-up", timeout=120)
            started = time.time()
            asyncio.run(produce_records(settings, [RawRecord(None, a) for a in articles]))
            ids = {orjson.loads(a)["id"] for a in articles}
            enriched, _ = asyncio.run(_collect(settings, ids | {"warm-up"}, timeout=1800))
            burst = max((enriched[i] for i in ids if i in enriched), default=started) - started
            rate = len(ids & enriched.keys()) / burst if burst > 0 else 0.0
            paced_count = min(200, count)
            sent = asyncio.run(_paced(settings, articles[:paced_count], max(1.0, rate / 2)))
            out, alerts = asyncio.run(_collect(settings, set(sent) | ids, timeout=600))
            peak = _peak_rss_mb(worker.pid)
        restart = _restart(settings, Path(workdir) / "restarted.log", env)
        to_enriched = [out[i] - sent[i] for i in sent if i in out]
        to_alert = [alerts[i] - sent[i] for i in sent if i in alerts]
        asyncio.run(create_topics(settings, [TopicSpec(f"{run}.pipe", partitions)]))
        pipe = asyncio.run(_pipe_rate(settings, settings.topic_raw, f"{run}.pipe", count))
    return {
        "broker": kind,
        "articles": count,
        "articles_per_s": round(rate, 1),
        "paced_articles": len(to_enriched),
        "p50_to_enriched_s": round(_percentile(to_enriched, 0.5), 3),
        "p99_to_enriched_s": round(_percentile(to_enriched, 0.99), 3),
        "p50_to_alert_s": round(_percentile(to_alert, 0.5), 3),
        "p99_to_alert_s": round(_percentile(to_alert, 0.99), 3),
        "raw_pipe_msgs_per_s": round(pipe, 1),
        "ratio_to_raw_pipe": round(rate / pipe, 3) if pipe else None,
        "worker_peak_rss_mb": peak,
        **restart,
    }


#: What a worker logs once it restored the alert state (streams.runtime.state_log).
_RESTORED = re.compile(r"alert state restored: (\d+) records, (\d+) stories.*? in ([\d.]+) s")


def _restart(settings: Settings, log: Path, env: dict[str, str]) -> dict[str, Any]:
    """A fresh worker after the run: seconds to its first output, with the state restored."""
    started = time.time()
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=env):
        out = _one_article(settings, "after-restart", timeout=600)
    found = _RESTORED.search(log.read_text(errors="replace"))
    return {
        "restart_to_output_s": round(out - started, 1) if out is not None else None,
        "state_records_restored": int(found.group(1)) if found else None,
        "state_restore_s": float(found.group(3)) if found else None,
    }


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure throughput, latency and memory of the core or the stream."""
    if args.mode == "stream":
        from streams.settings import load_settings, settings_from

        settings_from({"partitions": "--partitions"}, partitions=args.partitions)  # before a start
        broker = load_settings().bootstrap_servers if args.broker else None
        result = bench_stream(args.articles, args.partitions, args.size, broker)
    elif args.mode == "delivery":
        from streams.commands.bench_delivery import bench_delivery, page_watcher

        result = bench_delivery(args.articles, watchers={"page": page_watcher})
    else:
        result = bench_core(args.articles, size=args.size)
    print(orjson.dumps(result).decode() if args.json else format_table(result))
    return 0
