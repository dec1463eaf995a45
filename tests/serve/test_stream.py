"""The event stream: backlog, live alerts, resuming with Last-Event-ID, gaps, keep-alives,
and a slow client dropped without holding the others back."""

from __future__ import annotations

import asyncio

import aiohttp
import orjson
import pytest

from streams.serve.feed import AlertFeed
from tests.serve.conftest import BEARER, Served, filled_feed, put
from tests.serve.sse import alert_events, read_until
from tests.support.alerts import make_alert, realistic_alerts


def _titles(events: list) -> list[str]:  # type: ignore[type-arg]
    return [orjson.loads(e.data)["title"] for e in alert_events(events)]


async def test_stream_sends_the_backlog_oldest_first_then_the_cursor(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get("/alerts/stream", headers=BEARER)
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/event-stream"
        events = await read_until(
            response, lambda ev: any(e.id == "0:4,1:4" and not e.data for e in ev)
        )
        response.close()
    assert _titles(events) == [a.title for a in realistic_alerts()]
    assert alert_events(events)[-1].id == "0:4,1:4"


async def test_stream_filters_and_backlog_size(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get("/alerts/stream?level=high&backlog=2", headers=BEARER)
        events = await read_until(response, lambda ev: any(e.id and not e.data for e in ev))
        response.close()
    assert _titles(events) == [
        "Shelling hits residential district of Kharkiv",
        "Kharkiv shelling: regional governor says nine wounded",
    ]


async def test_stream_resumes_after_last_event_id_with_exactly_the_missed_alerts(
    served: Served,
) -> None:
    feed = AlertFeed(100)
    for partition in range(3):
        feed.start_partition(partition, 0)
    async with served(feed) as client:
        first = await client.get("/alerts/stream", headers=BEARER)
        await read_until(first, lambda ev: any(e.id is not None for e in ev))
        for n in range(4):
            put(feed, n % 3, n // 3, make_alert(f"before-{n}"))
        seen = await read_until(first, lambda ev: len(alert_events(ev)) == 4)
        first.close()
        last_id = alert_events(seen)[-1].id
        assert last_id == "0:2,1:1,2:1"
        for n in range(4, 9):  # while disconnected
            put(feed, n % 3, n // 3, make_alert(f"missed-{n}"))
        again = await client.get(
            "/alerts/stream", headers={**BEARER, "Last-Event-ID": last_id or ""}
        )
        resumed = await read_until(
            again, lambda ev: any(e.id == feed.position and not e.data for e in ev)
        )
        put(feed, 0, 3, make_alert("live"))
        live = await read_until(again, lambda ev: len(alert_events(ev)) == 1)
        again.close()
    missed = [orjson.loads(e.data)["article_id"] for e in alert_events(resumed)]
    assert missed == [f"art-missed-{n}" for n in range(4, 9)]
    assert not [e for e in resumed if e.event == "gap"]
    assert [orjson.loads(e.data)["article_id"] for e in alert_events(live)] == ["art-live"]


async def test_stream_says_when_the_cursor_is_older_than_what_is_kept(served: Served) -> None:
    feed = AlertFeed(2)
    feed.start_partition(0, 0)
    for offset in range(5):
        put(feed, 0, offset, make_alert(f"old-{offset}"))
    async with served(feed) as client:
        response = await client.get("/alerts/stream", headers={**BEARER, "Last-Event-ID": "0:1"})
        events = await read_until(
            response, lambda ev: any(e.id == "0:5" and not e.data for e in ev)
        )
        response.close()
    gap = [e for e in events if e.event == "gap"]
    assert len(gap) == 1 and orjson.loads(gap[0].data)["partitions"] == [0]
    assert len(alert_events(events)) == 2


async def test_stream_unknown_last_event_id_starts_afresh(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get("/alerts/stream", headers={**BEARER, "Last-Event-ID": "junk"})
        events = await read_until(response, lambda ev: any(e.id and not e.data for e in ev))
        response.close()
    assert any("starting afresh" in c for e in events for c in e.comments)
    assert len(alert_events(events)) == 8


async def test_stream_keep_alive_carries_the_cursor_past_filtered_alerts(served: Served) -> None:
    feed = AlertFeed(100)
    feed.start_partition(0, 0)
    async with served(feed, keepalive=0.2) as client:
        response = await client.get("/alerts/stream?level=critical", headers=BEARER)
        await read_until(response, lambda ev: any(e.id == "0:0" for e in ev))
        put(feed, 0, 0, make_alert("not-wanted", level="low"))
        events = await read_until(
            response, lambda ev: any("keep-alive" in e.comments and e.id == "0:1" for e in ev)
        )
        response.close()
    assert alert_events(events) == []


async def test_stream_drops_a_slow_client_and_serves_the_others(served: Served) -> None:
    feed = AlertFeed(1000, queue_size=32)
    feed.start_partition(0, 0)
    big = "x" * 20_000  # fills the socket buffers of a client that does not read
    async with served(feed) as client:
        slow = await client.get("/alerts/stream", headers=BEARER)
        fast = await client.get("/alerts/stream", headers=BEARER)
        await read_until(fast, lambda ev: any(e.id is not None for e in ev))
        got: list[str] = []

        async def follow() -> None:
            events = await read_until(fast, lambda ev: len(alert_events(ev)) >= 600, timeout=30)
            got.extend(e.id or "" for e in alert_events(events))

        reading = asyncio.create_task(follow())
        for offset in range(600):
            put(feed, 0, offset, make_alert(f"flood-{offset}", summary=big))
            if offset % 8 == 0:
                await asyncio.sleep(0.01)  # the fast client keeps up; the slow one never reads
        await asyncio.wait_for(reading, 30)
        assert len(got) == 600 and got[-1] == "0:600"
        assert feed.subscribers == 1
        with pytest.raises(aiohttp.ClientPayloadError):  # the server cut it off mid-stream
            await asyncio.wait_for(slow.content.read(), 10)
        fast.close()
