"""Publishing helpers that need no broker: the retry back-off and the in-memory publisher."""

from __future__ import annotations

import itertools

from streams.runtime.publish import MemoryPublisher, backoff_delays


def test_publish_backoff_doubles_up_to_the_cap() -> None:
    assert list(itertools.islice(backoff_delays(0.5, 5.0), 6)) == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


async def test_publish_memory_publisher_keeps_order_and_tombstones() -> None:
    published = MemoryPublisher()
    await published.publish_many([("a", b"1", b"x"), ("b", b"2", b"y"), ("a", b"3", None)])
    assert published.on("a") == [(b"1", b"x"), (b"3", None)]
