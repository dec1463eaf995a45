"""The worker's consumer waits for a fetch as long as the settings say, not Faust's 1.5 s."""

from __future__ import annotations

import pytest

from streams.runtime.app import create_app, describe_partitions
from streams.runtime.kafka import HELD_FETCH_WAIT_MS, KAFKA_FETCH_WAIT_MS, fetch_wait_ms
from streams.runtime.publish import MemoryPublisher
from streams.settings import Settings


@pytest.mark.parametrize(
    ("kind", "wait", "expected"),
    [
        ("embedded", None, HELD_FETCH_WAIT_MS),
        ("kafka", None, KAFKA_FETCH_WAIT_MS),
        ("kafka", 25, 25),
        ("embedded", 3, 3),
    ],
)
def test_driver_fetch_wait_follows_the_broker_unless_set(
    kind: str, wait: int | None, expected: int
) -> None:
    settings = Settings.model_validate({"broker_kind": kind, "fetch_wait_ms": wait})
    assert fetch_wait_ms(settings) == expected


async def test_driver_worker_consumer_gets_the_fetch_wait() -> None:
    settings = Settings(broker="127.0.0.1:1", broker_kind="embedded", metrics_port=0)
    news = create_app(settings, publisher=MemoryPublisher())
    thread = news.app.consumer._thread  # type: ignore[attr-defined]
    consumer = thread._create_worker_consumer(news.app.transport)
    assert consumer._fetch_max_wait_ms == HELD_FETCH_WAIT_MS
    assert consumer._group_id == settings.app_id  # the rest is Faust's own consumer
    # Faust's services keep logging under Faust's loggers (quiet unless asked for)
    assert {thread.logger.name, news.app.logger.name} == {
        "faust.transport.drivers.aiokafka",
        "faust.app.base",
    }


def test_driver_assignments_are_logged_by_topic() -> None:
    from faust.types import TP

    parts = [TP("news.raw", 2), TP("news.raw", 0), TP("stories", 0)]
    assert describe_partitions(parts) == "news.raw:0,2 stories:0"
    assert describe_partitions([]) == ""
