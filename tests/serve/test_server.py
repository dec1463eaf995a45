"""Running the server in-process: its URL, its streams ended when it stops."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from pydantic import SecretStr

from streams.serve import ExposedWithoutTokenError, start_server, url_of
from streams.settings import Settings
from tests.serve.conftest import BEARER, TOKEN, filled_feed
from tests.serve.sse import read_until

SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0, serve_token=SecretStr(TOKEN))


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080/"),
        ("localhost", 81, "http://localhost:81/"),
        ("::1", 8080, "http://[::1]:8080/"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000/"),  # noqa: S104 - named, not bound
        ("::", 9000, "http://[::1]:9000/"),
    ],
)
def test_server_url_of(host: str, port: int, url: str) -> None:
    assert url_of(host, port) == url


async def test_server_in_process_reports_its_url_and_ends_streams_when_stopped() -> None:
    server = await start_server(SETTINGS, "127.0.0.1", 0, read=False, feed=filled_feed())
    try:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":0/")
        async with aiohttp.ClientSession() as session:
            health = await session.get(server.url + "healthz")
            assert health.status == 200
            stream = await session.get(server.url + "alerts/stream", headers=BEARER)
            await read_until(stream, lambda ev: any(e.id and not e.data for e in ev))
            assert server.feed.subscribers == 1
            stopping = asyncio.create_task(server.stop())
            with pytest.raises(aiohttp.ClientPayloadError):
                await asyncio.wait_for(stream.content.read(), 10)
            await asyncio.wait_for(stopping, 10)
    finally:
        await server.stop()
    assert server.feed.subscribers == 0


async def test_server_refuses_a_public_host_without_a_token() -> None:
    settings = SETTINGS.model_copy(update={"serve_token": None})
    with pytest.raises(ExposedWithoutTokenError):
        await start_server(settings, "192.0.2.10", 0, read=False)
