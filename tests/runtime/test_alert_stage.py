"""The alert stage without Faust: records per event, restoring only when the state is stale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from faust.types import TP

from streams.core.alerts.state import AlertState
from streams.core.pipeline import MessageContext
from streams.models import Alert, DeadLetter
from streams.runtime.alert_stage import AlertStage
from streams.runtime.publish import MemoryPublisher, Record
from streams.runtime.records import to_json
from streams.runtime.state_log import MemoryStateLog
from streams.settings import Settings, configured_rules
from tests.support.articles import (
    CALM_SPORT,
    CLEAN_ESCALATION,
    ESCALATION_REWRITE,
    MOLDOVA_STORIES,
    enriched,
)

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


def test_alert_stage_dead_letters_an_article_it_fails_on_and_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in placing one article costs that article a dead letter, not the stage: a crash
    would stop the agent on the same event at every restart."""
    stage, _, _ = _stage()
    ctx = MessageContext(key=b"esc-json-1", topic=SETTINGS.stories_topic, partition=0, offset=4)

    def broken(*args: object) -> None:
        raise KeyError("ghost")

    monkeypatch.setattr(stage.state, "place", broken)
    records, outcome = stage.handle(to_json(enriched(CLEAN_ESCALATION)), ctx, 4)
    assert isinstance(outcome, DeadLetter)
    assert (outcome.error.type, outcome.offset) == ("internal_error", 4)
    assert "KeyError" in outcome.error.message
    assert [(t, k) for t, k, _ in records] == [(SETTINGS.topic_deadletter, b"esc-json-1")]
    monkeypatch.undo()
    assert isinstance(stage.handle(to_json(enriched(CLEAN_ESCALATION)), ctx, 5)[1], Alert)


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


# --- event time: a producer's clock cannot move the windows ----------------------------------

#: A producer's clock gone wrong (the enrich stage accepts years up to 2199).
FUTURE = "2199-01-01T00:00:00Z"


def _handle_all(stage: AlertStage, articles: Sequence[Mapping[str, object]]) -> list[list[Record]]:
    """Each article through the stage, as records stamped by the broker now."""
    out = []
    for position, article in enumerate(articles, start=stage_offset(stage)):
        ctx = MessageContext(
            topic=SETTINGS.stories_topic, partition=0, offset=position, timestamp=datetime.now(UTC)
        )
        records, _ = stage.handle(to_json(enriched(article)), ctx, position)
        out.append(records)
    return out


def stage_offset(stage: AlertStage) -> int:
    """The next input position of a stage (one more than the last handled)."""
    return max((s.position for s in stage.state.spikes.values()), default=-1) + 1


def _spikes(records: list[list[Record]]) -> list[dict[str, object]]:
    return [
        orjson.loads(v)
        for batch in records
        for t, _, v in batch
        if t == SETTINGS.topic_alerts and v is not None and orjson.loads(v)["kind"] == "spike"
    ]


def _stage_with(**settings: object) -> AlertStage:
    custom = SETTINGS.model_copy(update=settings)
    published = MemoryPublisher()
    return AlertStage(custom, configured_rules(custom), MemoryStateLog(published, "state"))


def test_alert_stage_a_story_dated_in_the_far_future_does_not_end_the_dedup_window() -> None:
    stage, _, _ = _stage()
    _handle_all(stage, [CLEAN_ESCALATION, {**MOLDOVA_STORIES[0], "received_at": FUTURE}])
    stage.sweep()
    [records] = _handle_all(stage, [ESCALATION_REWRITE])
    article = orjson.loads(records[0][2] or b"")
    assert article["duplicate_of"] == "esc-json-1"
    assert [t for t, _, _ in records] == [SETTINGS.topic_enriched]  # no second alert


def test_alert_stage_a_story_dated_in_the_far_future_does_not_stop_spikes() -> None:
    stage = _stage_with(spike_min_count=3)
    first = {**MOLDOVA_STORIES[0], "received_at": FUTURE, "published_at": FUTURE}
    spikes = _spikes(_handle_all(stage, [first, *MOLDOVA_STORIES[1:]]))
    assert [s["entities"] for s in spikes] == [["Moldova"]]


async def test_alert_stage_drops_restored_records_dated_beyond_the_clock() -> None:
    published = MemoryPublisher()
    future = datetime(9000, 1, 1, tzinfo=UTC).timestamp()  # stored by an older version
    poisoned = {"window_start": future, "count": 1}
    await published.publish(SETTINGS.state_topic, b"spike/country:MD", orjson.dumps(poisoned))
    restorer = MemoryStateLog(published, SETTINGS.state_topic)
    stage = AlertStage(SETTINGS, configured_rules(SETTINGS), restorer)

    async def flush() -> None:
        await published.publish_many(stage.changes())

    await stage.make_current(flush)
    assert "country:MD" not in stage.state.spikes
    assert (SETTINGS.state_topic, b"spike/country:MD", None) in stage.changes()  # a tombstone


def test_alert_stage_spikes_count_by_publication_time_not_arrival() -> None:
    stage = _stage_with(spike_min_count=3)
    backlog = [
        {**story, "published_at": f"2026-02-{10 + 3 * i:02d}T08:00:00Z"}
        for i, story in enumerate(MOLDOVA_STORIES)
    ]
    assert _spikes(_handle_all(stage, backlog)) == []


def test_alert_stage_spikes_follow_the_subscriber_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - {name: caucasus, min_level: low, countries: [GE, AM, AZ]}\n"
        "  - {name: moldova, min_level: low, countries: [MD], topic: alerts.md}\n",
        encoding="utf-8",
    )
    stage = _stage_with(spike_min_count=3, rules_file=str(rules))
    records = _handle_all(stage, MOLDOVA_STORIES)
    spikes = [(t, orjson.loads(v or b"")) for b in records for t, _, v in b]
    spikes = [(t, v["entities"]) for t, v in spikes if v.get("kind") == "spike"]
    assert spikes == [(SETTINGS.topic_alerts, ["Moldova"]), ("alerts.md", ["Moldova"])]
    rules.with_name("c.yaml").write_text(
        "rules: [{name: caucasus, min_level: low, countries: [GE, AM, AZ]}]\n", encoding="utf-8"
    )
    caucasus = _stage_with(spike_min_count=3, rules_file=str(rules.with_name("c.yaml")))
    assert _spikes(_handle_all(caucasus, MOLDOVA_STORIES)) == []
