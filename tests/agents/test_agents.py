"""Both agents under Faust's test_context(): no broker, outputs caught by a MemoryPublisher."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest

from streams.app import NewsApp, create_app, to_json
from streams.core.pipeline import enrich
from streams.models import EnrichedArticle
from streams.publish import MemoryPublisher
from streams.settings import Settings
from tests.articles import CALM_SPORT, CLEAN_ESCALATION, as_bytes

SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0, alert_min_level="medium")


@pytest.fixture
async def news() -> AsyncIterator[tuple[NewsApp, MemoryPublisher]]:
    publisher = MemoryPublisher()
    yield create_app(SETTINGS, publisher=publisher), publisher


async def test_agents_enrich_publishes_articles_keyed_by_id(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.enrich_agent.test_context() as agent:
        await agent.put(as_bytes(CLEAN_ESCALATION), key=b"wire")
        await agent.put(as_bytes(CALM_SPORT))
    out = published.on(SETTINGS.topic_enriched)
    assert [key for key, _ in out] == [b"esc-json-1", b"calm-sport-1"]
    first = orjson.loads(out[0][1])
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
    dead = published.on(SETTINGS.topic_deadletter)
    assert [orjson.loads(v)["error"]["type"] for _, v in dead] == ["decode_error", "invalid_schema"]
    assert dead[0][0] == b"k-bad"
    assert len(published.on(SETTINGS.topic_enriched)) == 1


async def test_agents_alert_fires_only_at_or_above_the_level(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    escalating = enrich(as_bytes(CLEAN_ESCALATION))
    calm = enrich(as_bytes(CALM_SPORT))
    assert isinstance(escalating, EnrichedArticle) and isinstance(calm, EnrichedArticle)
    async with app.alert_agent.test_context() as agent:
        await agent.put(to_json(escalating), key=b"esc-json-1")
        await agent.put(to_json(calm), key=b"calm-sport-1")
    alerts = [orjson.loads(v) for _, v in published.on(SETTINGS.topic_alerts)]
    assert [a["article_id"] for a in alerts] == ["esc-json-1"]
    assert alerts[0]["kind"] == "escalation"
    assert alerts[0]["level"] in ("high", "critical")


async def test_agents_alert_dead_letters_what_is_not_an_enriched_article(
    news: tuple[NewsApp, MemoryPublisher],
) -> None:
    app, published = news
    async with app.alert_agent.test_context() as agent:
        await agent.put(b'{"not": "an article"}', key=b"x")
    dead = [orjson.loads(v) for _, v in published.on(SETTINGS.topic_deadletter)]
    assert [d["error"]["type"] for d in dead] == ["invalid_schema"]
    assert published.on(SETTINGS.topic_alerts) == []
