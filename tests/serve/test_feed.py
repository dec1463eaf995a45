"""The kept alerts, cursors, resumption and the fan-out; the story index."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from streams.serve.feed import AlertFeed, format_cursor, parse_cursor
from streams.serve.stories import StoryIndex, member_of
from tests.serve.conftest import put
from tests.support.alerts import enriched_record, make_alert


@pytest.mark.parametrize(
    ("text", "cursor"),
    [
        ("0:15", {0: 15}),
        ("0:15,1:7,2:0", {0: 15, 1: 7, 2: 0}),
        (" 3:1,0:2 ", {3: 1, 0: 2}),
        ("", None),
        ("0:15,", None),
        ("a:1", None),
        ("0=15", None),
        ("2026-03-02T12:00:00Z", None),
    ],
)
def test_feed_parse_cursor(text: str, cursor: dict[int, int] | None) -> None:
    assert parse_cursor(text) == cursor
    if cursor is not None:
        assert parse_cursor(format_cursor(cursor)) == cursor


def test_feed_event_id_is_the_cursor_after_the_alert() -> None:
    feed = AlertFeed(10)
    feed.start_partition(0, 100)
    feed.start_partition(1, 40)
    first = put(feed, 1, 40, make_alert("a"))
    second = put(feed, 0, 100, make_alert("b"))
    assert first.event_id == "0:100,1:41"
    assert second.event_id == "0:101,1:41"
    assert feed.position == "0:101,1:41"


def test_feed_beyond_a_cursor_is_every_later_alert_on_every_partition() -> None:
    feed = AlertFeed(10)
    for partition in range(3):
        feed.start_partition(partition, 0)
    kept = [put(feed, i % 3, i // 3, make_alert(f"k{i}")) for i in range(9)]
    cursor = parse_cursor(kept[4].event_id)
    assert cursor is not None
    after, gaps = feed.beyond(cursor)
    assert [k.alert.alert_id for k in after] == [k.alert.alert_id for k in kept[5:]]
    assert gaps == []


def test_feed_keeps_the_last_history_per_partition_and_reports_a_gap() -> None:
    feed = AlertFeed(3)
    feed.start_partition(0, 0)
    feed.start_partition(1, 0)
    for offset in range(5):
        put(feed, 0, offset, make_alert(f"p0-{offset}"))
    put(feed, 1, 0, make_alert("p1-0"))
    assert [k.offset for k in feed.kept() if k.partition == 0] == [2, 3, 4]
    after, gaps = feed.beyond({0: 1, 1: 0})
    assert gaps == [0]
    assert [(k.partition, k.offset) for k in after] == [(0, 2), (0, 3), (0, 4), (1, 0)]
    _, gaps = feed.beyond({0: 2, 1: 1})
    assert gaps == []


def test_feed_skips_records_that_are_no_alerts_but_moves_the_cursor() -> None:
    feed = AlertFeed(3)
    feed.start_partition(0, 0)
    assert feed.add(0, 0, b"not json") is None
    assert feed.add(0, 1, orjson.dumps({"schema": "newsstream.alert/1"})) is None
    assert feed.position == "0:2"
    assert feed.kept() == []


async def test_feed_fan_out_drops_a_slow_subscriber_and_not_the_others() -> None:
    feed = AlertFeed(100, queue_size=4)
    feed.start_partition(0, 0)

    async def never_reads() -> None:
        await asyncio.Event().wait()

    slow_task = asyncio.create_task(never_reads())
    slow = feed.subscribe(lambda alert: True)
    slow.task = slow_task
    fast = feed.subscribe(lambda alert: True)
    fast.task = None
    received = []
    for offset in range(10):
        put(feed, 0, offset, make_alert(f"burst-{offset}"))
        received.append(await fast.queue.get())
    assert len(received) == 10
    assert slow.dropped and not fast.dropped
    await asyncio.sleep(0)
    assert slow_task.cancelled()
    assert feed.subscribers == 1


async def test_feed_subscriber_skips_what_it_does_not_want_and_remembers_where() -> None:
    feed = AlertFeed(100)
    feed.start_partition(0, 0)
    sub = feed.subscribe(lambda alert: alert.level == "critical")
    put(feed, 0, 0, make_alert("high"))
    wanted = put(feed, 0, 1, make_alert("crit", level="critical"))
    skipped = put(feed, 0, 2, make_alert("low", level="low"))
    assert sub.queue.qsize() == 1 and sub.queue.get_nowait() is wanted
    assert sub.skipped == (skipped.seq, "0:3")


def test_stories_index_groups_near_duplicates_and_stays_bounded() -> None:
    index = StoryIndex(max_stories=2, max_members=3)
    first = orjson.dumps(enriched_record("a1", "Shelling hits Kharkiv"))
    assert index.add_record(first) == "a1"
    for n in range(2, 6):
        record = enriched_record(f"a{n}", f"Retold {n}", duplicate_of="a1", source="Other Wire")
        assert index.add_record(orjson.dumps(record)) == "a1"
    members = index.members("a1")
    assert [m["article_id"] for m in members] == ["a1", "a4", "a5"]  # first and latest
    assert members[0] == {
        "article_id": "a1",
        "title": "Shelling hits Kharkiv",
        "source": "Eastern Europe Wire",
        "url": "https://news.example.org/a1",
        "published_at": "2026-03-02T11:40:00+00:00",
        "level": "high",
    }
    index.add_record(orjson.dumps(enriched_record("b1", "Other story")))
    index.add_record(orjson.dumps(enriched_record("c1", "Third story")))
    assert len(index) == 2 and index.members("a1") == []


@pytest.mark.parametrize("value", [b"", b"[]", b'"text"', b"{}", b'{"article_id": 5}', b"\xff"])
def test_stories_member_of_ignores_what_is_no_article(value: bytes) -> None:
    assert member_of(value) is None
