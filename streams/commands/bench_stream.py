"""`newsstream bench --stream`: the whole pipeline, worker processes on a broker.

One run measures every figure next to its reference, in this order:

1. the core alone in this process: the reference for the stream's throughput;
2. `workers` worker processes in one consumer group, warmed up until the group has settled;
3. a short probe burst, then articles sent one at a time at half its rate: ingest ->
   news.enriched and -> news.alerts latency at half of peak load;
4. the burst of `count` articles: wall throughput, and CPU seconds per article of the workers
   and of the embedded broker; then the paced latency again, with the topics full;
5. a fresh worker: seconds to its first output, with the alert state restored;
6. a bare aiokafka consume -> produce pipe over the same input: the floor.

A collector reads the outputs from the start of the run to its end. When outputs stop coming
before every article is out, the bench stops waiting, and says which articles are missing and
whether their output is on the topic (the collector missed it), dead-lettered, or nowhere (lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from streams.commands.bench import WARMUP_ARTICLES, bench_articles, percentile
from streams.commands.broker import EmbeddedBroker
from streams.commands.demo import worker_process

if TYPE_CHECKING:
    from aiokafka import AIOKafkaConsumer

    from streams.settings import BrokerKind, Settings

__all__ = [
    "STREAM_TARGETS",
    "bench_stream",
    "core_rate",
    "diagnose_missing",
    "missing_report",
    "settled",
]

#: What the stream should achieve: latency at half of peak load (ms), and its throughput as a
#: share of the core's in the same run.
STREAM_TARGETS = {"p50_ms": 20.0, "p99_ms": 100.0, "ratio_to_core": 0.8}
#: Articles sent one at a time for the latency figures, and again after the burst.
PACED_ARTICLES = 200
AFTER_BURST_ARTICLES = 100
#: Articles of the short burst that sets the paced rate (half of its throughput).
PROBE_ARTICLES = 300
#: Articles the core reference enriches (after its warm-up).
CORE_ARTICLES = 300
#: Warm-up articles per worker: each worker loads its models on its first articles.
WARMUP_PER_WORKER = 8
#: Seconds without a new output after which the bench stops waiting and reports what is missing.
STALL_S = 60.0
#: Seconds a worker group may take to start and settle.
SETTLE_TIMEOUT_S = 120.0

#: How long the collector's fetches wait at the broker for new records (ms).
COLLECTOR_FETCH_WAIT_MS = 500

#: What a worker logs when partitions are assigned to it (streams.runtime.app).
_ASSIGNED = re.compile(r'"msg":"partitions assigned: ([^"]*)"')
#: What a worker logs once it restored the alert state (streams.runtime.state_log).
_RESTORED = re.compile(r"alert state restored: (\d+) records, (\d+) stories.*? in ([\d.]+) s")


def _ms(values: list[float], q: float) -> float:
    return round(percentile(values, q) * 1000, 1)


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU seconds a live process has used (Linux /proc), 0.0 if unknown."""
    if pid is None:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int | None) -> list[int]:
    """`pid` and every process below it (a worker and its core processes), Linux /proc."""
    if pid is None:
        return []
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU seconds of a process and of every process below it now."""
    return sum(cpu_seconds(p) for p in process_tree(pid))


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a live process (Linux VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def settled(logs: Iterable[str], topic: str, partitions: int) -> bool:
    """True when the workers' latest assignments of `topic` split its partitions among them:
    every worker holds some, none twice, none left out (the group has finished rebalancing)."""
    held: list[set[int]] = []
    for text in logs:
        found = _ASSIGNED.findall(text)
        if not found:
            return False
        mine: set[int] = set()
        for part in found[-1].split():
            name, _, numbers = part.rpartition(":")
            if name == topic and numbers:
                mine.update(int(n) for n in numbers.split(","))
        held.append(mine)
    union = set().union(*held) if held else set()
    return all(held) and sum(map(len, held)) == len(union) and union == set(range(partitions))


def missing_report(
    missing: set[str], on_topic: set[str], dead_lettered: set[str]
) -> dict[str, Any]:
    """Where the outputs of `missing` articles are: read late, dead-lettered or lost."""
    unread = missing & on_topic
    letters = (missing - unread) & dead_lettered
    lost = missing - unread - letters
    return {
        "missing": len(missing),
        "missing_unread": len(unread),
        "missing_dead_lettered": len(letters),
        "missing_lost": len(lost),
        "missing_sample": sorted(missing)[:10],
    }


class _Collector:
    """Reads news.enriched, news.alerts and the internal stories topic from the start: when
    each article's output, its alert and its enrichment (the first hop) were published (the
    records' timestamps, set by the worker)."""

    def __init__(self, settings: Settings) -> None:
        self.enriched: dict[str, float] = {}
        self.alerted: dict[str, float] = {}
        self.stories: dict[str, float] = {}
        self._settings = settings
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> _Collector:
        from aiokafka import AIOKafkaConsumer

        from streams.runtime.kafka import client_kwargs

        settings = self._settings
        self._consumer = AIOKafkaConsumer(
            settings.topic_enriched,
            settings.topic_alerts,
            settings.stories_topic,
            **client_kwargs(settings),
            group_id=None,
            auto_offset_reset="earliest",
            # the latencies come from the records' timestamps, not from when they are read:
            # a long wait keeps the collector's fetches, which cost the embedded broker a
            # scan of each partition, few
            fetch_max_wait_ms=COLLECTOR_FETCH_WAIT_MS,
        )
        await self._consumer.start()
        self._task = asyncio.create_task(self._read(self._consumer))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _read(self, consumer: AIOKafkaConsumer) -> None:
        alerts, stories = self._settings.topic_alerts, self._settings.stories_topic
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for tp, records in batches.items():
                for record in records:
                    stored = record.timestamp / 1000
                    if tp.topic == alerts:  # keyed by alert id: the article is in the value
                        article = orjson.loads(record.value or b"{}").get("article_id")
                        if article:
                            self.alerted.setdefault(article, stored)
                    elif record.key:  # keyed by article id
                        seen = self.stories if tp.topic == stories else self.enriched
                        seen.setdefault(record.key.decode(), stored)

    async def wait_for(self, ids: set[str], stall_s: float = STALL_S) -> set[str]:
        """Wait until every id's output was read, or none came for `stall_s`: the ids missing."""
        loop = asyncio.get_running_loop()
        missing = ids - self.enriched.keys()
        changed = loop.time()
        while missing and loop.time() - changed < stall_s:
            await asyncio.sleep(0.05)
            still = {i for i in missing if i not in self.enriched}
            if len(still) < len(missing):
                missing, changed = still, loop.time()
        return missing


async def _keys_on(settings: Settings, topic: str) -> set[str]:
    """Every key on `topic` now, read by a consumer of its own from the start to the end."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from streams.runtime.kafka import client_kwargs
    from streams.runtime.topics import partition_counts

    counts = await partition_counts(settings, [topic])
    parts = [TopicPartition(topic, p) for p in range(counts.get(topic, 0))]
    consumer = AIOKafkaConsumer(
        **client_kwargs(settings), group_id=None, fetch_max_wait_ms=COLLECTOR_FETCH_WAIT_MS
    )
    await consumer.start()
    keys: set[str] = set()
    try:
        if not parts:
            return keys
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batches = await consumer.getmany(timeout_ms=500)
            keys.update(r.key.decode() for rs in batches.values() for r in rs if r.key)
    finally:
        await consumer.stop()
    return keys


async def diagnose_missing(settings: Settings, missing: set[str]) -> dict[str, Any]:
    """missing_report for `missing`, from fresh reads of the enriched and dead-letter topics."""
    if not missing:
        return missing_report(set(), set(), set())
    on_topic = await _keys_on(settings, settings.topic_enriched)
    letters = await _keys_on(settings, settings.topic_deadletter)
    return missing_report(missing, on_topic, letters)


async def _paced(settings: Settings, articles: list[bytes], rate: float) -> dict[str, float]:
    """Send articles one by one at `rate`/s: when each was sent, by id."""
    from aiokafka import AIOKafkaProducer

    from streams.runtime.kafka import producer_kwargs

    producer = AIOKafkaProducer(**producer_kwargs(settings, linger_ms=0))
    await producer.start()
    sent: dict[str, float] = {}
    try:
        for payload in articles:
            ident = orjson.loads(payload)["id"]
            started = time.time()
            await producer.send_and_wait(settings.topic_raw, payload, key=ident.encode())
            sent[ident] = started
            await asyncio.sleep(max(0.0, 1 / rate - (time.time() - started)))
    finally:
        await producer.stop()
    return sent


async def _burst(settings: Settings, articles: list[bytes]) -> None:
    """Send articles as fast as the producer goes, keyed by id."""
    from streams.commands.produce import RawRecord, produce_records

    records = [RawRecord(orjson.loads(a)["id"].encode(), a) for a in articles]
    await produce_records(settings, records)


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


def core_rate(articles: list[bytes]) -> float:
    """Articles/s of the core on this thread over `articles` (after a warm-up on the first)."""
    from streams.core.pipeline import enrich

    for payload in articles[:WARMUP_ARTICLES]:
        enrich(payload)
    started = time.perf_counter()
    for payload in articles:
        enrich(payload)
    return len(articles) / (time.perf_counter() - started)


@dataclass
class _Run:
    """One bench run: its settings, work folder, broker process and collector."""

    settings: Settings
    workdir: Path
    broker_pid: int | None
    collector: _Collector

    def logs(self, workers: int) -> list[Path]:
        return [self.workdir / f"worker-{n}.log" for n in range(workers)]

    async def wait_settled(self, workers: int) -> None:
        """Until the workers' group has split news.raw among all of them; TimeoutError if not."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT_S
        raw, parts = self.settings.topic_raw, self.settings.partitions
        while not settled(
            (p.read_text(errors="replace") if p.exists() else "" for p in self.logs(workers)),
            raw,
            parts,
        ):
            if loop.time() > deadline:
                raise TimeoutError(f"{workers} workers did not settle in {SETTLE_TIMEOUT_S} s")
            await asyncio.sleep(0.2)


def bench_stream(
    count: int,
    partitions: int = 4,
    size: int = 3000,
    broker: str | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """The whole pipeline on `workers` worker processes, on the embedded broker or `broker`
    (see the module's docstring). Near-duplicate suppression is off unless
    NEWSSTREAM_DEDUP_WINDOW_S is set, so that every escalating article alerts."""
    if broker is not None:
        return asyncio.run(_bench(broker, "kafka", None, count, partitions, size, workers))
    with EmbeddedBroker() as embedded:
        bootstrap, pid = embedded.bootstrap, embedded.pid
        return asyncio.run(_bench(bootstrap, "embedded", pid, count, partitions, size, workers))


def _bench_settings(broker: str, kind: BrokerKind, partitions: int, workdir: str) -> Settings:
    from streams.settings import settings_from

    return settings_from(
        {"partitions": "--partitions"},
        broker=broker,
        broker_kind=kind,
        partitions=partitions,
        metrics_port=0,
        data_dir=workdir,
        dedup_window_s=float(os.environ.get("NEWSSTREAM_DEDUP_WINDOW_S", "0.001")),
    ).isolated(f"bench-{uuid.uuid4().hex[:8]}")


async def _bench(
    broker: str,
    kind: BrokerKind,
    broker_pid: int | None,
    count: int,
    partitions: int,
    size: int,
    workers: int,
) -> dict[str, Any]:
    from streams.runtime.topics import ensure_topics

    articles = bench_articles(count, size)
    core = core_rate(articles[:CORE_ARTICLES])
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as workdir:
        settings = _bench_settings(broker, kind, partitions, workdir)
        await ensure_topics(settings)
        async with _Collector(settings) as collector:
            run = _Run(settings, Path(workdir), broker_pid, collector)
            result = await _with_workers(run, articles, workers)
            result |= await _restart(run)
        result["raw_pipe_msgs_per_s"] = round(await _raw_pipe(settings, count), 1)
    rate = result["articles_per_s"]
    result = {
        "broker": kind,
        "workers": workers,
        "articles": count,
        "core_articles_per_s": round(core, 1),
        "ratio_to_core": round(rate / core, 3) if core else None,
        **result,
        "ratio_to_raw_pipe": round(rate / result["raw_pipe_msgs_per_s"], 3),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    result["targets_met"] = targets_met(result)
    return result


def targets_met(result: dict[str, Any]) -> bool:
    """Whether a run met STREAM_TARGETS, with nothing missing."""
    return (
        result["missing"] == 0
        and max(result["p50_to_enriched_ms"], result["p50_to_alert_ms"]) <= STREAM_TARGETS["p50_ms"]
        and max(result["p99_to_enriched_ms"], result["p99_to_alert_ms"]) <= STREAM_TARGETS["p99_ms"]
        and (result["ratio_to_core"] or 0) >= STREAM_TARGETS["ratio_to_core"]
    )


@dataclass
class _Burst:
    """What one burst measured: articles out, seconds, CPU seconds of workers and broker."""

    done: int
    seconds: float
    worker_cpu_s: float
    broker_cpu_s: float
    missing: set[str]

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def _renamed(articles: list[bytes], prefix: str) -> list[bytes]:
    """The same articles under ids of their own (`prefix`-n)."""
    return [
        orjson.dumps({**orjson.loads(a), "id": f"{prefix}-{n}"}) for n, a in enumerate(articles)
    ]


async def _timed_burst(run: _Run, pids: list[int], articles: list[bytes]) -> _Burst:
    """Send `articles` at once; wait for their outputs (or a stall); measure the burst."""
    cpu_before = sum(tree_cpu_seconds(p) for p in pids)
    broker_before = cpu_seconds(run.broker_pid)
    started = time.time()
    await _burst(run.settings, articles)
    ids = {orjson.loads(a)["id"] for a in articles}
    missing = await run.collector.wait_for(ids)
    out = run.collector.enriched
    done = [out[i] for i in ids if i in out]
    return _Burst(
        len(done),
        max(done, default=started) - started,
        sum(tree_cpu_seconds(p) for p in pids) - cpu_before,
        cpu_seconds(run.broker_pid) - broker_before,
        missing,
    )


async def _paced_run(
    run: _Run, articles: list[bytes], rate: float
) -> tuple[dict[str, float], set[str]]:
    """Send `articles` one at a time at `rate`/s: when each was sent, and the ids not out."""
    sent = await _paced(run.settings, articles, rate)
    return sent, await run.collector.wait_for(set(sent))


async def _with_workers(run: _Run, articles: list[bytes], workers: int) -> dict[str, Any]:
    """Phases 2-4 of the module docstring on `workers` worker processes.

    The latency is measured before the full burst too, at half the rate of a short probe
    burst: the embedded broker answers more slowly the more its topics hold, so latency
    after a large burst says more about the broker than about the worker (both are reported).
    """
    settings = run.settings
    env = settings.as_env()
    with contextlib.ExitStack() as stack:
        procs = [
            stack.enter_context(
                worker_process(settings.bootstrap_servers, log_path=log, extra_env=env)
            )
            for log in run.logs(workers)
        ]
        pids = [p.pid for p in procs]
        await run.wait_settled(workers)
        warm = [
            orjson.dumps({"id": f"warm-up-{n}", "body": "Troops moved to the border today."})
            for n in range(WARMUP_PER_WORKER * workers)
        ]
        await _burst(settings, warm)
        missing = await run.collector.wait_for({orjson.loads(w)["id"] for w in warm})

        probe = await _timed_burst(run, pids, _renamed(articles[:PROBE_ARTICLES], "probe"))
        paced_rate = max(1.0, probe.rate / 2)
        paced = _renamed(articles[:PACED_ARTICLES], "paced")
        sent, lost = await _paced_run(run, paced, paced_rate)
        burst = await _timed_burst(run, pids, articles)
        after_rate = max(1.0, burst.rate / 2)
        later = _renamed(articles[:AFTER_BURST_ARTICLES], "after")
        sent_after, lost_after = await _paced_run(run, later, after_rate)
        peak = max(round(sum(peak_rss_mb(p) for p in process_tree(pid)), 1) for pid in pids)
    missing |= probe.missing | lost | burst.missing | lost_after
    report = await diagnose_missing(settings, missing)
    after = _latencies(sent_after, run.collector)
    return {
        "articles_per_s": round(burst.rate, 1),
        "worker_cpu_s_per_article": round(burst.worker_cpu_s / max(1, burst.done), 5),
        "broker_cpu_s_per_article": round(burst.broker_cpu_s / max(1, burst.done), 5)
        if run.broker_pid
        else None,
        "paced_articles": len(sent),
        "paced_rate_per_s": round(paced_rate, 1),
        **_latencies(sent, run.collector),
        "after_burst_rate_per_s": round(after_rate, 1),
        "after_burst_p50_to_enriched_ms": after["p50_to_enriched_ms"],
        "after_burst_p99_to_enriched_ms": after["p99_to_enriched_ms"],
        "worker_peak_rss_mb": peak,
        **report,
    }


def _latencies(sent: dict[str, float], collector: _Collector) -> dict[str, float]:
    """p50, p99 and max of ingest -> news.enriched and -> news.alerts, in ms; and p50 of the
    first hop (ingest -> enriched article published for the alert stage)."""
    to_enriched = [collector.enriched[i] - t for i, t in sent.items() if i in collector.enriched]
    to_alert = [collector.alerted[i] - t for i, t in sent.items() if i in collector.alerted]
    to_stories = [collector.stories[i] - t for i, t in sent.items() if i in collector.stories]
    return {
        "p50_to_stage_ms": _ms(to_stories, 0.5),
        "p50_to_enriched_ms": _ms(to_enriched, 0.5),
        "p99_to_enriched_ms": _ms(to_enriched, 0.99),
        "max_to_enriched_ms": _ms(to_enriched, 1.0),
        "alerted_articles": len(to_alert),
        "p50_to_alert_ms": _ms(to_alert, 0.5),
        "p99_to_alert_ms": _ms(to_alert, 0.99),
        "max_to_alert_ms": _ms(to_alert, 1.0),
    }


async def _restart(run: _Run) -> dict[str, Any]:
    """A fresh worker after the run: seconds to its first output, with the state restored."""
    settings = run.settings
    log = run.workdir / "restarted.log"
    started = time.time()
    with worker_process(settings.bootstrap_servers, log_path=log, extra_env=settings.as_env()):
        value = orjson.dumps({"id": "after-restart", "body": "Troops moved to the border."})
        await _burst(settings, [value])
        missing = await run.collector.wait_for({"after-restart"})
    out = run.collector.enriched.get("after-restart")
    found = _RESTORED.search(log.read_text(errors="replace"))
    return {
        "restart_to_output_s": round(out - started, 1) if out is not None and not missing else None,
        "state_records_restored": int(found.group(1)) if found else None,
        "state_restore_s": float(found.group(3)) if found else None,
    }


async def _raw_pipe(settings: Settings, count: int) -> float:
    """The floor: a bare consume -> produce pipe over news.raw, into a topic of its own."""
    from streams.runtime.topics import TopicSpec, create_topics

    pipe = f"{settings.app_id}.pipe"
    await create_topics(settings, [TopicSpec(pipe, settings.partitions)])
    return await _pipe_rate(settings, settings.topic_raw, pipe, count)
