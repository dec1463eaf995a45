"""The SSE latency probe against a served feed (alerts injected, no broker)."""

from __future__ import annotations

import pytest

from streams.serve.feed import AlertFeed
from streams.serve.probe import ProbeTimeoutError, probe_alert, sse_latency
from tests.serve.conftest import TOKEN, Served, put


async def test_probe_times_each_alert_to_its_event(served: Served) -> None:
    feed = AlertFeed(100)
    feed.start_partition(0, 0)

    async def produce(n: int) -> str:
        alert = probe_alert(n)
        put(feed, 0, n, alert)
        return alert.alert_id

    async with served(feed) as client:
        latencies = await sse_latency(str(client.make_url("/")), TOKEN, produce, count=5)
    assert len(latencies) == 5 and all(0 <= s < 5 for s in latencies)


async def test_probe_gives_up_when_the_event_never_comes(served: Served) -> None:
    feed = AlertFeed(100)
    feed.start_partition(0, 0)

    async def produce(n: int) -> str:
        return probe_alert(n).alert_id  # never published

    async with served(feed, keepalive=0.05) as client:
        with pytest.raises(ProbeTimeoutError, match="no event for alert"):
            await sse_latency(str(client.make_url("/")), TOKEN, produce, count=1, timeout=0.5)
