"""The whole stream on a real broker over TCP: 500 mixed messages in, every one accounted for."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.commands.produce import (
    RawRecord,
    iter_file_messages,
    produce_records,
    sample_feed_path,
)
from streams.core.alerts.rules import default_rules, matching_rules
from streams.core.pipeline import CoreOptions, enrich
from streams.models import EnrichedArticle
from streams.settings import Settings
from tests.support.articles import BAD_MESSAGES
from tests.support.brokers import worker_env
from tests.support.kafka_io import newsstream_worker, read_topics

pytestmark = pytest.mark.integration

GOOD = 480
BAD = 20
FEED_SIZE = sum(1 for _ in iter_file_messages(sample_feed_path()))


def _good_messages(count: int) -> list[RawRecord]:
    """`count` distinct valid messages cycled from the sample feed (all three raw shapes),
    published now, as a live feed is: spikes count stories by their publication time."""
    feed = [orjson.loads(r.value) for r in iter_file_messages(sample_feed_path())]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    out = []
    for i in range(count):
        value = feed[i % len(feed)]
        if isinstance(value, dict):
            value = {**value, "id": f"{value.get('id', 'doc')}-{i}", "published_at": now}
            if "body" in value:
                value["body"] += f"\n\nStory reference {i}."
        elif "</body>" in value:
            value = value.replace("</body>", f"<p>Story reference {i}.</p></body>", 1)
        else:
            value = value + f"\n\nStory reference {i}."
        out.append(RawRecord(f"key-{i}".encode(), orjson.dumps(value)))
    return out


def _bad_messages(count: int, limit: int) -> list[tuple[RawRecord, str]]:
    bad = [(p, t) for p, t in BAD_MESSAGES if t != "too_large"]
    bad.append((orjson.dumps({"id": "too-big", "body": "x" * (limit + 10)}), "too_large"))
    return [
        (RawRecord(f"bad-{i}".encode(), bad[i % len(bad)][0]), bad[i % len(bad)][1])
        for i in range(count)
    ]


def test_stream_accounts_for_every_message(settings: Settings, tmp_path: Path) -> None:
    good = _good_messages(GOOD)
    bad = _bad_messages(BAD, settings.max_message_bytes)
    options = CoreOptions(max_message_bytes=settings.max_message_bytes)
    offline = [enrich(r.value, options=options) for r in good]
    articles = [a for a in offline if isinstance(a, EnrichedArticle)]
    assert len(articles) == GOOD
    expected_ids = Counter(a.article_id for a in articles)
    # the good messages are copies of the feed's stories: one story per feed line
    story_of = {a.article_id: i % FEED_SIZE for i, a in enumerate(articles)}
    rules = default_rules(settings.alert_min_level)
    alerting = {story_of[a.article_id] for a in articles if matching_rules(a, rules)}
    levels = {story_of[a.article_id]: a.escalation.level for a in articles}
    assert all(levels[story_of[a.article_id]] == a.escalation.level for a in articles)
    assert alerting, "the sample feed must hold escalating stories"

    records = [*good, *(r for r, _ in bad)]
    records = records[::2] + records[1::2]  # interleave good and bad
    with newsstream_worker(worker_env(settings, tmp_path), tmp_path / "worker.log") as worker:
        sent = asyncio.run(produce_records(settings, records))
        assert sent == GOOD + BAD

        def complete(seen: dict[str, list[tuple[bytes | None, dict[str, object]]]]) -> bool:
            return (
                len(seen[settings.topic_enriched]) >= GOOD
                and len(seen[settings.topic_deadletter]) >= BAD
                and len(seen[settings.topic_alerts]) >= len(alerting)
            )

        seen = asyncio.run(
            read_topics(
                settings,
                [settings.topic_enriched, settings.topic_deadletter, settings.topic_alerts],
                complete,
                timeout=120,
                settle=5.0,
            )
        )
        alive = worker.poll() is None
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert alive, f"the worker died:\n{log[-3000:]}"

    enriched = seen[settings.topic_enriched]
    dead = seen[settings.topic_deadletter]
    assert len(enriched) == GOOD, log[-3000:]
    assert len(dead) == BAD, log[-3000:]
    assert Counter(str(v["article_id"]) for _, v in enriched) == expected_ids
    assert all(k == str(v["article_id"]).encode() for k, v in enriched)
    errors: Counter[object] = Counter()
    for _, v in dead:
        error = v["error"]
        assert isinstance(error, dict), v
        errors[error["type"]] += 1
    assert errors == Counter(t for _, t in bad)
    assert {k for k, _ in dead} == {r.key for r, _ in bad}

    # near-duplicates: each story has one root, every other copy points to it
    roots = [v for _, v in enriched if v["duplicate_of"] is None]
    assert sorted(story_of[str(v["article_id"])] for v in roots) == list(range(FEED_SIZE))
    root_of_story = {story_of[str(v["article_id"])]: v["article_id"] for v in roots}
    for _, v in enriched:
        if v["duplicate_of"] is not None:
            assert v["duplicate_of"] == root_of_story[story_of[str(v["article_id"])]]

    # one escalation alert per escalating story, none for its duplicates at the same level
    alerts = [v for _, v in seen[settings.topic_alerts] if v["kind"] == "escalation"]
    assert sorted(story_of[str(a["article_id"])] for a in alerts) == sorted(alerting)
    spikes = [v for _, v in seen[settings.topic_alerts] if v["kind"] == "spike"]
    assert spikes, "hundreds of flagged copies of the same stories must spike"
