"""Fixtures of the live page's tests: a feed filled with invented alerts, a served app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from streams.commands.broker import BrokerLauncher
from streams.models import Alert
from streams.serve.app import PathOnlyAccessLogger, build_app
from streams.serve.feed import AlertFeed, KeptAlert
from streams.serve.stories import StoryIndex
from streams.settings import Settings
from tests.support.alerts import realistic_alerts
from tests.support.brokers import make_settings, selected_broker
from tests.support.serve import launched_broker

TOKEN = "test-token-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {TOKEN}"}

Served = Callable[..., AbstractAsyncContextManager[TestClient[web.Request, web.Application]]]


def put(feed: AlertFeed, partition: int, offset: int, alert: Alert) -> KeptAlert:
    """Add an alert to the feed as the reader would, at partition/offset."""
    kept = feed.add(partition, offset, alert.model_dump_json(by_alias=True).encode())
    assert kept is not None
    return kept


def filled_feed(history: int = 100, partitions: int = 2) -> AlertFeed:
    """A feed with the realistic alerts spread round-robin over `partitions` partitions."""
    feed = AlertFeed(history)
    for partition in range(partitions):
        feed.start_partition(partition, 0)
    for index, alert in enumerate(realistic_alerts()):
        put(feed, index % partitions, index // partitions, alert)
    feed.ready.set()
    return feed


@pytest.fixture
def served() -> Served:
    """`async with served(feed, token=...) as client`: the app on a loopback test server."""

    @asynccontextmanager
    async def serve(
        feed: AlertFeed,
        stories: StoryIndex | None = None,
        token: str | None = TOKEN,
        keepalive: float = 15.0,
    ) -> AsyncIterator[TestClient[web.Request, web.Application]]:
        app = build_app(
            feed,
            stories or StoryIndex(),
            token=SecretStr(token) if token is not None else None,
            keepalive=keepalive,
        )
        server = TestServer(app, host="127.0.0.1")
        # as `newsstream serve` runs it: access lines without the query string
        await server.start_server(access_log_class=PathOnlyAccessLogger)
        async with TestClient(server) as client:
            yield client

    return serve


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerLauncher]:
    """The selected broker on free loopback ports, for the live page's integration tests."""
    yield from launched_broker()


@pytest.fixture
def broker_settings(broker: BrokerLauncher) -> Settings:
    """Settings of this test's own on the session broker, its topics created."""
    return make_settings(broker.bootstrap, selected_broker())
