"""The live page on a real broker: alerts produced to news.alerts reach the event stream,
and a stream that reconnects with Last-Event-ID gets exactly the alerts it missed."""

from __future__ import annotations

import asyncio

import aiohttp
import orjson
import pytest
from pydantic import SecretStr

from streams.serve import start_server
from streams.settings import Settings
from tests.serve.sse import alert_events, read_until
from tests.support.alerts import enriched_record, make_alert
from tests.support.serve import produce_alerts, produce_values

pytestmark = pytest.mark.integration

TOKEN = "broker-test-token-abcdef0123456789"


async def test_broker_stream_resumes_with_exactly_the_missed_alerts(
    broker_settings: Settings,
) -> None:
    settings = broker_settings.model_copy(
        update={"serve_token": SecretStr(TOKEN), "serve_history": 50}
    )
    early = [make_alert(f"early-{n}") for n in range(2)]
    await produce_alerts(settings, early, partitions=[0, 1])  # read back at start
    server = await start_server(settings, "127.0.0.1", 0)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        await asyncio.wait_for(server.feed.ready.wait(), 30)
        async with aiohttp.ClientSession() as session:
            first = await session.get(server.url + "alerts/stream", headers=headers)
            assert first.status == 200
            backlog = await read_until(first, lambda ev: len(alert_events(ev)) == 2, 30)
            live = [make_alert(f"live-{n}") for n in range(3)]
            await produce_alerts(settings, live, partitions=[0, 1, 2])
            seen = await read_until(first, lambda ev: len(alert_events(ev)) == 3, 30)
            first.close()
            last_id = alert_events(seen)[-1].id
            assert last_id is not None

            missed = [make_alert(f"missed-{n}") for n in range(4)]
            await produce_alerts(settings, missed, partitions=[2, 1, 0, 2])
            await asyncio.wait_for(_until(lambda: len(server.feed.kept()) == 9), 30)
            again = await session.get(
                server.url + "alerts/stream", headers={**headers, "Last-Event-ID": last_id}
            )
            resumed = await read_until(
                again, lambda ev: any(e.id == server.feed.position and not e.data for e in ev), 30
            )
            again.close()
            unauthorised = await session.get(server.url + "alerts/stream")
            assert unauthorised.status == 401
    finally:
        await server.stop()

    def ids(events: list) -> list[str]:  # type: ignore[type-arg]
        return [orjson.loads(e.data)["article_id"] for e in alert_events(events)]

    assert sorted(ids(backlog)) == ["art-early-0", "art-early-1"]
    assert sorted(ids(seen)) == [f"art-live-{n}" for n in range(3)]  # partitions interleave
    assert sorted(ids(resumed)) == sorted(f"art-missed-{n}" for n in range(4))
    assert not [e for e in resumed if e.event == "gap"]


async def test_broker_story_view_reads_the_enriched_topic(broker_settings: Settings) -> None:
    first = enriched_record("art-quake", "Strong earthquake shakes southern Peru")
    repeat = enriched_record(
        "art-quake-2", "Peru quake: dozens of homes damaged", duplicate_of="art-quake"
    )
    await produce_values(
        broker_settings, broker_settings.topic_enriched, [orjson.dumps(first), orjson.dumps(repeat)]
    )
    await produce_alerts(broker_settings, [make_alert("quake", story_id="art-quake")])
    server = await start_server(broker_settings, "127.0.0.1", 0)
    try:
        await asyncio.wait_for(server.feed.ready.wait(), 30)
        await asyncio.wait_for(_until(lambda: len(server.stories.members("art-quake")) == 2), 30)
        async with aiohttp.ClientSession() as session:
            response = await session.get(server.url + "api/stories/art-quake")
            body = await response.json()
    finally:
        await server.stop()
    assert [a["article_id"] for a in body["articles"]] == ["art-quake", "art-quake-2"]
    assert [a["article_id"] for a in body["alerts"]] == ["art-quake"]


async def _until(condition: object) -> None:
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0.05)
