"""The alert stage without Faust: records per event, restoring only when the state is stale."""

from __future__ import annotations

import orjson
from faust.types import TP

from streams.core.alerts.state import AlertState
from streams.core.pipeline import MessageContext
from streams.models import Alert, DeadLetter
from streams.runtime.alert_stage import AlertStage
from streams.runtime.publish import MemoryPublisher
from streams.runtime.records import to_json
from streams.runtime.state_log import MemoryStateLog
from streams.settings import Settings, configured_rules
from tests.support.articles import CALM_SPORT, CLEAN_ESCALATION, enriched

SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0, alert_min_level="medium")


class CountingLog(MemoryStateLog):
    """A MemoryStateLog that counts its restores."""

    restores = 0

    async def restore(self, state: AlertState) -> int:
        self.restores += 1
        return await super().restore(state)


def _stage() -> tuple[AlertStage, CountingLog, MemoryPublisher]:
    published = MemoryPublisher()
    restorer = CountingLog(published, SETTINGS.state_topic)
    return AlertStage(SETTINGS, configured_rules(SETTINGS), restorer), restorer, published


def test_alert_stage_publishes_the_article_and_its_alert() -> None:
    stage, _, _ = _stage()
    ctx = MessageContext(key=b"esc-json-1", topic=SETTINGS.stories_topic, partition=0, offset=4)
    records, outcome = stage.handle(to_json(enriched(CLEAN_ESCALATION)), ctx, 4)
    assert isinstance(outcome, Alert)
    assert [(t, k) for t, k, _ in records][:2] == [
        (SETTINGS.topic_enriched, b"esc-json-1"),
        (SETTINGS.topic_alerts, outcome.alert_id.encode()),
    ]
    changes = stage.changes()
    assert {t for t, _, _ in changes} == {SETTINGS.state_topic}
    assert b"story/esc-json-1" in [k for _, k, _ in changes]
    assert stage.changes() == []  # taken once


def test_alert_stage_dead_letters_what_is_not_an_article() -> None:
    stage, _, _ = _stage()
    ctx = MessageContext(key=b"x", topic=SETTINGS.stories_topic, partition=0, offset=0)
    records, outcome = stage.handle(b'{"not": "an article"}', ctx, 0)
    assert isinstance(outcome, DeadLetter)
    [(topic, key, value)] = records
    assert (topic, key) == (SETTINGS.topic_deadletter, b"x")
    assert value is not None and orjson.loads(value)["error"]["type"] == "invalid_schema"


async def test_alert_stage_restores_after_flushing_and_only_when_stale() -> None:
    stage, restorer, published = _stage()
    calls: list[str] = []

    async def flush() -> None:
        calls.append(f"flush after {restorer.restores} restores")
        await published.publish_many(stage.changes())

    await stage.make_current(flush)
    ctx = MessageContext(topic=SETTINGS.stories_topic, partition=0, offset=0)
    stage.handle(to_json(enriched(CALM_SPORT)), ctx, 0)
    stage.partitions_assigned({TP(SETTINGS.stories_topic, 0)})
    await stage.make_current(flush)  # kept the partition: nothing to do
    assert restorer.restores == 1
    stage.partitions_assigned({TP(SETTINGS.topic_raw, 0)})
    await stage.make_current(flush)  # the pending change is published, then read back
    assert calls == ["flush after 0 restores", "flush after 1 restores"]
    assert restorer.restores == 2 and stage.current
    assert set(stage.state.stories) == {"calm-sport-1"}
