"""Running the live page: in-process (tests, a demo, a benchmark) or as `newsstream serve`.

`start_server` binds, starts the Kafka reader and returns a `RunningServer` that knows its
URL; `serve_app` runs one until cancelled or until reading the topics fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from streams.serve.app import KEEPALIVE_S, PathOnlyAccessLogger, build_app
from streams.serve.auth import check_exposure
from streams.serve.feed import AlertFeed
from streams.serve.reader import open_consumer, read_topics
from streams.serve.stories import StoryIndex

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["RunningServer", "start_server", "serve_app", "url_of"]

log = logging.getLogger(__name__)

#: Seconds open streams get to end when the server stops.
SHUTDOWN_TIMEOUT_S = 5.0


def url_of(host: str, port: int) -> str:
    """The address a browser opens for a server bound to host:port (a wildcard address is
    reached on loopback)."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - naming the wildcard, not binding it
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


@dataclass
class RunningServer:
    """A started server: its URL, its feed and story index, and what stops it."""

    url: str
    feed: AlertFeed
    stories: StoryIndex
    runner: web.AppRunner
    reader: asyncio.Task[None] | None

    async def wait(self) -> None:
        """Until the reader ends: never, unless reading fails (its error is raised)."""
        if self.reader is None:
            await asyncio.Event().wait()
        else:
            await asyncio.shield(self.reader)

    async def stop(self) -> None:
        """End every stream, stop listening and stop reading."""
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        await self.runner.cleanup()


async def start_server(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    read: bool = True,
    keepalive: float = KEEPALIVE_S,
    feed: AlertFeed | None = None,
) -> RunningServer:
    """Connect to the broker, bind host:port (default: the settings'; port 0 picks a free
    one), start reading the topics and return the server. With `read` false there is no
    broker: a test or a demo fills `feed` itself.

    ExposedWithoutTokenError when the host is beyond loopback and no token is set;
    BrokerUnavailableError when the broker cannot be reached; OSError when the address is
    taken.
    """
    host = settings.serve_host if host is None else host
    port = settings.serve_port if port is None else port
    check_exposure(host, settings.serve_token)
    feed = AlertFeed(settings.serve_history) if feed is None else feed
    stories = StoryIndex()
    app = build_app(feed, stories, token=settings.serve_token, keepalive=keepalive)
    runner = web.AppRunner(
        app,
        access_log_class=PathOnlyAccessLogger,
        handle_signals=False,
        shutdown_timeout=SHUTDOWN_TIMEOUT_S,
    )
    consumer = await open_consumer(settings) if read else None  # no broker: fail before binding
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        if consumer is not None:
            await consumer.stop()
        raise
    bound = _bound_port(runner, port)
    reader = (
        asyncio.create_task(read_topics(settings, feed, stories, consumer), name="serve-reader")
        if consumer is not None
        else None
    )
    server = RunningServer(url_of(host, bound), feed, stories, runner, reader)
    log.info("serving the live page at %s", server.url)
    return server


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


async def serve_app(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    on_ready: Callable[[str], Any] | None = None,
) -> None:
    """Serve the live page until cancelled; `on_ready` gets the URL once it listens.

    Raises what stops the reader (BrokerUnavailableError when the broker cannot be reached).
    """
    server = await start_server(settings, host, port)
    try:
        if on_ready is not None:
            on_ready(server.url)
        await server.wait()
    finally:
        await server.stop()
