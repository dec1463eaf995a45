"""`newsstream bench --delivery`: alert produced -> webhook received, through a real
`newsstream notify` process on an embedded broker, to a receiver on loopback.

Two runs: alerts sent one at a time at a steady rate give the latency (p50, p99, max), then a
burst sent as fast as the producer goes gives the throughput, with lost and duplicated alerts
counted. Other receivers of the same alerts (the live page's event stream, say) can be timed
in the paced run too: pass them as `watchers`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.commands.broker import EmbeddedBroker, command_process

if TYPE_CHECKING:
    from aiohttp import web

    from streams.models import Alert
    from streams.settings import Settings

__all__ = ["AlertWatcher", "TARGETS", "bench_delivery", "page_watcher"]

#: What delivery should achieve on a small machine: p50 and p99 in ms, alerts/s; the live
#: page's stream, p99 in ms.
TARGETS = {"p50_ms": 50.0, "p99_ms": 250.0, "alerts_per_s": 1000.0, "page_p99_ms": 250.0}
#: The paced run: this many alerts (at most), this many a second.
PACED_ALERTS = 300
PACED_RATE_PER_S = 50.0
#: Seconds the notify and serve processes get to stop on SIGTERM before they are killed.
NOTIFY_STOP_TIMEOUT_S = 20.0
#: Seconds the other receivers (watchers) get to see the paced alerts after the webhook did.
WATCHER_TIMEOUT_S = 30.0
#: Seconds to wait for the burst's alerts to arrive.
BURST_TIMEOUT_S = 300.0

#: A second receiver of the alerts: entered with the bench's settings before the paced run,
#: it yields a mapping that fills, while the run goes on, with when (time.time()) it saw each
#: alert id. Its latencies are reported as `<name>_p50_ms`, `<name>_p99_ms`, `<name>_max_ms`.
AlertWatcher = Callable[["Settings"], AbstractContextManager[Mapping[str, float]]]


class _Receiver:
    """A webhook receiver on loopback (aiohttp, in a thread): when each alert id first came,
    and how many times."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.count: Counter[str] = Counter()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        from aiohttp import web

        await request.read()
        key = request.headers.get("Idempotency-Key", "")
        self.first.setdefault(key, time.time())
        self.count[key] += 1
        return web.Response(status=204)

    def _serve(self, ready: threading.Event) -> None:
        from aiohttp import web

        loop = self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = runner.addresses[0][1]
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def __enter__(self) -> _Receiver:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def wait_for(self, ids: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ids <= self.first.keys():
                return True
            time.sleep(0.01)
        return False


def _alert(run: str, n: int) -> Alert:
    """The n-th alert of a run, for the bench rule's webhook."""
    from streams.serve.probe import probe_alert

    return probe_alert(n, tag=f"bench-{run}", rules=["bench"])


async def _produce(settings: Settings, alerts: list[Alert], rate: float | None) -> dict[str, float]:
    """Send alerts to the alerts topic, one at a time at `rate`/s or all at once (None); when
    each was handed to the producer, by id."""
    from aiokafka import AIOKafkaProducer

    from streams.core.fit import to_json
    from streams.runtime.kafka import producer_kwargs

    producer = AIOKafkaProducer(**producer_kwargs(settings))
    await producer.start()
    sent: dict[str, float] = {}
    try:
        pending = []
        for alert in alerts:
            started = time.time()
            sent[alert.alert_id] = started
            key = alert.alert_id.encode()
            if rate is None:
                pending.append(await producer.send(settings.topic_alerts, to_json(alert), key=key))
                continue
            await producer.send_and_wait(settings.topic_alerts, to_json(alert), key=key)
            await asyncio.sleep(max(0.0, 1 / rate - (time.time() - started)))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    at = ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0
    return round(at * 1000, 1)


def _latencies(name: str, sent: Mapping[str, float], seen: Mapping[str, float]) -> dict[str, Any]:
    gaps = [seen[i] - sent[i] for i in sent if i in seen]
    return {
        f"{name}_p50_ms": _ms(gaps, 0.5),
        f"{name}_p99_ms": _ms(gaps, 0.99),
        f"{name}_max_ms": round(max(gaps, default=0.0) * 1000, 1),
        f"{name}_missed": len(sent) - len(gaps),
    }


def _wait_healthy(url: str, timeout: float) -> None:
    """Wait until the server at `url` answers /healthz with 200 (it reads its topics)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the live page at {url} did not come up within {timeout:g} s")
        time.sleep(0.2)


@contextlib.contextmanager
def page_watcher(settings: Settings) -> Iterator[Mapping[str, float]]:
    """An AlertWatcher: a `newsstream serve` process with a token, and its event stream read
    in a thread, as the page reads it: when each alert's event arrived."""
    from streams.commands.broker import free_port
    from streams.serve.probe import watch_stream

    port, token = free_port(), uuid.uuid4().hex
    env = {**settings.as_env(), "NEWSSTREAM_SERVE_TOKEN": token, "NEWSSTREAM_LOG_FORMAT": "json"}
    seen: dict[str, float] = {}
    url = f"http://127.0.0.1:{port}/"
    with (
        tempfile.TemporaryDirectory(prefix="newsstream-bench-page-") as scratch,
        command_process(
            ["serve", "--port", str(port)], env, Path(scratch) / "serve.log", NOTIFY_STOP_TIMEOUT_S
        ),
    ):
        _wait_healthy(url, 60)
        loop = asyncio.new_event_loop()
        opened = threading.Event()
        task = loop.create_task(watch_stream(url, token, seen, opened.set))

        def run() -> None:
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(task)
            loop.close()

        thread = threading.Thread(target=run, name="page-stream", daemon=True)
        thread.start()
        try:
            if not opened.wait(60):
                raise RuntimeError("the live page's event stream did not open within 60 s")
            yield seen
        finally:
            loop.call_soon_threadsafe(task.cancel)
            thread.join(10)


def bench_delivery(
    alerts: int, watchers: Mapping[str, AlertWatcher] | None = None
) -> dict[str, Any]:
    """Produce alerts on an embedded broker and time their delivery to a webhook by a
    `newsstream notify` process: a paced run for latency, a burst of `alerts` for throughput.

    `watchers` time other receivers of the paced alerts (see AlertWatcher).
    """
    from streams.runtime.topics import ensure_topics
    from streams.settings import settings_from

    run = uuid.uuid4().hex[:8]
    with (
        tempfile.TemporaryDirectory(prefix="newsstream-bench-") as scratch,
        EmbeddedBroker() as broker,
        _Receiver() as receiver,
    ):
        rules = Path(scratch) / "rules.yaml"
        rules.write_text(
            "rules:\n  - name: bench\n    webhooks:\n"
            f"      - url: http://127.0.0.1:{receiver.port}/hook\n"
            "        secret_env: BENCH_HOOK_SECRET\n"
            "        rate_limit: {count: 100000, per_s: 1}\n",
            encoding="utf-8",
        )
        settings = settings_from(
            broker=broker.bootstrap, broker_kind="embedded", metrics_port=0, rules_file=str(rules)
        ).isolated(f"bench-{run}")  # its own topics, undelivered topic and notify group
        asyncio.run(ensure_topics(settings))
        env = {
            **settings.as_env(),
            "BENCH_HOOK_SECRET": uuid.uuid4().hex,
            "NEWSSTREAM_LOG_FORMAT": "json",
        }
        with command_process(
            ["notify"], env, Path(scratch) / "notify.log", NOTIFY_STOP_TIMEOUT_S
        ) as proc:
            warm = [_alert(run, n) for n in range(5)]
            asyncio.run(_produce(settings, warm, None))
            if not receiver.wait_for({a.alert_id for a in warm}, 120):
                raise RuntimeError("notify delivered nothing within 120 s: see its log")
            result = _measure(settings, receiver, alerts, run, watchers or {})
        result["notify_exit_code"] = proc.returncode
    result["load_average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return result


def _measure(
    settings: Settings,
    receiver: _Receiver,
    count: int,
    run: str,
    watchers: Mapping[str, AlertWatcher],
) -> dict[str, Any]:
    paced = [_alert(run, 1000 + n) for n in range(min(PACED_ALERTS, count))]
    with contextlib.ExitStack() as stack:
        seen = {name: stack.enter_context(w(settings)) for name, w in watchers.items()}
        sent = asyncio.run(_produce(settings, paced, PACED_RATE_PER_S))
        receiver.wait_for(set(sent), 60)
        deadline = time.monotonic() + WATCHER_TIMEOUT_S
        while time.monotonic() < deadline and any(set(sent) - set(t) for t in seen.values()):
            time.sleep(0.05)  # the other receivers may be slower than the webhook
        figures = _latencies("webhook", sent, receiver.first)
        for name, times in seen.items():
            figures |= _latencies(name, sent, times)
    burst = [_alert(run, 100_000 + n) for n in range(count)]
    ids = {a.alert_id for a in burst}
    started = time.time()
    asyncio.run(_produce(settings, burst, None))
    receiver.wait_for(ids, BURST_TIMEOUT_S)
    arrived = [receiver.first[i] for i in ids if i in receiver.first]
    elapsed = max(arrived, default=started) - started
    rate = len(arrived) / elapsed if elapsed > 0 else 0.0
    lost = len(ids) - len(arrived)
    met = (
        figures["webhook_p50_ms"] <= TARGETS["p50_ms"]
        and figures["webhook_p99_ms"] <= TARGETS["p99_ms"]
        and rate >= TARGETS["alerts_per_s"]
        and lost == 0
        and figures.get("page_p99_ms", 0.0) <= TARGETS["page_p99_ms"]
        and not any(v for k, v in figures.items() if k.endswith("_missed"))
    )
    return {
        "paced_alerts": len(sent),
        "paced_rate_per_s": PACED_RATE_PER_S,
        **figures,
        "burst_alerts": count,
        "alerts_per_s": round(rate, 1),
        "lost": lost,
        "duplicates": sum(receiver.count[i] - 1 for i in ids if receiver.count[i] > 1),
        "targets": "webhook p50 <= 50 ms, p99 <= 250 ms, >= 1000 alerts/s, 0 lost; "
        "page p99 <= 250 ms",
        "targets_met": met,
    }
