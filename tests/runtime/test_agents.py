"""The agents under Faust's test_context(): no broker, outputs caught by a MemoryPublisher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from streams.runtime.app import NewsApp, create_app, to_json
from streams.runtime.publish import MemoryPublisher
from streams.settings import Settings
from tests.support.articles import (
    CALM_SPORT,
    CLEAN_ESCALATION,
    ESCALATION_REWRITE,
    MOLDOVA_STORIES,
    as_bytes,
    enriched,
)

#: The core runs in place here (tests/runtime/test_core_pool.py runs it in its processes).
SETTINGS = Settings(
    broker="127.0.0.1:1",
    metrics_port=0,
    alert_min_level="medium",
    spike_min_count=3,
    core_processes=0,
)


def _json(published: MemoryPublisher, topic: str) -> list[Any]:
    """The values published to `topic`, decoded (none of these topics has tombstones)."""
    values = [value for _, value in published.on(topic)]
    assert None not in values
    return [orjson.loads(value) for value in values if value is not None]


@pytest.fixture
async def news() -> AsyncIterator[tuple[NewsApp, MemoryPublisher]]:
    publisher = MemoryPublisher()
    yield create_app(SETTINGS, publisher=publisher), publisher


async def test_agents_enrich_sends_articles_to_the_alert_stage_keyed_by_id(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.enrich_agent.test_context() as agent:
        await agent.put(as_bytes(CLEAN_ESCALATION), key=b"wire")
        await agent.put(as_bytes(CALM_SPORT))
    out = published.on(SETTINGS.stories_topic)
    assert [key for key, _ in out] == [b"esc-json-1", b"calm-sport-1"]
    first = _json(published, SETTINGS.stories_topic)[0]
    assert first["schema"] == "newsstream.enriched/1"
    assert first["escalation"]["flag"] is True
    assert published.on(SETTINGS.topic_deadletter) == []


async def test_agents_enrich_dead_letters_bad_input_and_keeps_going(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.enrich_agent.test_context() as agent:
        await agent.put(b"\xff\xfe broken", key=b"k-bad")
        await agent.put(b'{"id": "no-text"}')
        await agent.put(as_bytes(CALM_SPORT))
    errors = [d["error"]["type"] for d in _json(published, SETTINGS.topic_deadletter)]
    assert errors == ["decode_error", "invalid_schema"]
    assert published.on(SETTINGS.topic_deadletter)[0][0] == b"k-bad"
    assert len(published.on(SETTINGS.stories_topic)) == 1


async def test_agents_alert_publishes_articles_and_alerts_at_or_above_the_level(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.alert_agent.test_context() as agent:
        await agent.put(to_json(enriched(CLEAN_ESCALATION)), key=b"esc-json-1")
        await agent.put(to_json(enriched(CALM_SPORT)), key=b"calm-sport-1")
    out_articles = _json(published, SETTINGS.topic_enriched)
    assert [a["article_id"] for a in out_articles] == ["esc-json-1", "calm-sport-1"]
    assert all(a["duplicate_of"] is None for a in out_articles)
    alerts = _json(published, SETTINGS.topic_alerts)
    assert [a["article_id"] for a in alerts] == ["esc-json-1"]
    assert alerts[0]["kind"] == "escalation"
    assert alerts[0]["level"] in ("high", "critical")


async def test_agents_alert_marks_near_duplicates_and_alerts_a_story_once(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    original = enriched(CLEAN_ESCALATION)
    rewrite = enriched(ESCALATION_REWRITE)
    async with app.alert_agent.test_context() as agent:
        await agent.put(to_json(original), key=b"esc-json-1")
        await agent.put(to_json(rewrite), key=b"esc-json-2")
    out_articles = _json(published, SETTINGS.topic_enriched)
    assert [a["duplicate_of"] for a in out_articles] == [None, "esc-json-1"]
    assert len(published.on(SETTINGS.topic_alerts)) == 1


async def test_agents_alert_dead_letters_what_is_not_an_enriched_article(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.alert_agent.test_context() as agent:
        await agent.put(b'{"not": "an article"}', key=b"x")
    dead = _json(published, SETTINGS.topic_deadletter)
    assert [d["error"]["type"] for d in dead] == ["invalid_schema"]
    assert published.on(SETTINGS.topic_alerts) == []


async def test_agents_alert_spikes_once_when_an_entity_reaches_its_threshold(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.alert_agent.test_context() as agent:
        for story in MOLDOVA_STORIES:
            article = enriched(story)
            await agent.put(to_json(article), key=article.article_id.encode())
    alerts = _json(published, SETTINGS.topic_alerts)
    spikes = [a for a in alerts if a["kind"] == "spike"]
    assert [a["kind"] for a in alerts].count("escalation") == 3
    # Moldova is one country: one spike, under its country key, named as the stories name it
    assert [(s["reason"].split(":")[:2], s["entities"]) for s in spikes] == [
        (["spike on country", "MD"], ["Moldova"])
    ]


async def test_agents_alert_state_survives_a_restart_through_its_changelog(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    original = enriched(CLEAN_ESCALATION)
    async with app.alert_agent.test_context() as agent:
        await agent.put(to_json(original), key=b"esc-json-1")
    stored = [key for key, _ in published.on(SETTINGS.state_topic)]
    assert b"story/esc-json-1" in stored
    restarted = create_app(SETTINGS, publisher=published)  # a new worker, the same topics
    rewrite = enriched(ESCALATION_REWRITE)
    async with restarted.alert_agent.test_context() as agent:
        await agent.put(to_json(rewrite), key=b"esc-json-2")
    out_articles = _json(published, SETTINGS.topic_enriched)
    assert [a["duplicate_of"] for a in out_articles] == [None, "esc-json-1"]
    assert len(published.on(SETTINGS.topic_alerts)) == 1
    assert set(restarted.state.stories) == {"esc-json-1", "esc-json-2"}


async def test_agents_alert_state_restore_skips_unreadable_records() -> None:
    publisher = MemoryPublisher()
    await publisher.publish(SETTINGS.state_topic, b"story/broken", b"{not json")
    await publisher.publish(SETTINGS.state_topic, None, b"{}")
    await publisher.publish(SETTINGS.state_topic, b"story/gone", None)
    app = create_app(SETTINGS, publisher=publisher)
    async with app.alert_agent.test_context() as agent:
        await agent.put(to_json(enriched(CALM_SPORT)), key=b"calm-sport-1")
    assert [k for k, _ in publisher.on(SETTINGS.topic_enriched)] == [b"calm-sport-1"]
    assert set(app.state.stories) == {"calm-sport-1"}
