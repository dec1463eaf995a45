"""The alert stage's state: stories, spikes, the changes it records and its replay."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from streams.core.alerts.dedup import DedupParams
from streams.core.alerts.rules import default_rules
from streams.core.alerts.spikes import SpikeParams
from streams.core.alerts.state import SPIKE_PREFIX, STORY_PREFIX, AlertState, epoch
from streams.models import EnrichedArticle
from tests.support.articles import (
    CALM_SPORT,
    CLEAN_ESCALATION,
    ESCALATION_REWRITE,
    MOLDOVA_STORIES,
    enriched,
)

DEDUP = DedupParams(window_s=3600.0, max_distance=12)
SPIKES = SpikeParams(window_s=600.0, min_count=2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
RULES = default_rules("medium")


def _article(message: Mapping[str, object], **changes: object) -> EnrichedArticle:
    """`message` enriched as received at NOW (unless `changes` say otherwise)."""
    return enriched(message, **{"received_at": NOW.isoformat(), **changes})


def _replayed(state: AlertState, changes: list[tuple[str, dict[str, object] | None]]) -> AlertState:
    fresh = AlertState(state.dedup, state.spike_params)
    for key, value in changes:
        fresh.apply(key, value)
    fresh.restored()
    return fresh


def test_alert_state_marks_a_rewrite_as_duplicate_and_alerts_the_story_once() -> None:
    state = AlertState(DEDUP, SPIKES)
    first = _article(CLEAN_ESCALATION)
    rewrite = _article(ESCALATION_REWRITE)
    placed, alerts = state.place(first, True, epoch(first.received_at))
    again, alerts_again = state.place(rewrite, True, epoch(rewrite.received_at))
    assert (placed.duplicate_of, alerts) == (None, True)
    assert (again.duplicate_of, alerts_again) == ("esc-json-1", False)


def test_alert_state_records_the_last_value_of_each_changed_key() -> None:
    state = AlertState(DEDUP, SPIKES)
    article = _article(CLEAN_ESCALATION)
    state.place(article, True, epoch(article.received_at))
    changes = dict(state.take_changes())
    assert list(changes) == [STORY_PREFIX + "esc-json-1"]
    change = changes[STORY_PREFIX + "esc-json-1"]
    assert change is not None and change["alerted"] >= 0  # the alert is in the value
    assert state.take_changes() == []


def test_alert_state_replayed_changes_give_the_same_decisions() -> None:
    state = AlertState(DEDUP, SPIKES)
    first = _article(CLEAN_ESCALATION)
    state.place(first, True, epoch(first.received_at))
    state.spike_alerts(first, epoch(first.received_at), 0, NOW, RULES)
    fresh = _replayed(state, state.take_changes())
    assert fresh.stories == state.stories
    assert fresh.spikes == state.spikes
    rewrite = _article(ESCALATION_REWRITE)
    placed, alerts = fresh.place(rewrite, True, epoch(rewrite.received_at))
    assert (placed.duplicate_of, alerts) == ("esc-json-1", False)


def test_alert_state_replay_of_an_article_raises_its_alert_again() -> None:
    state = AlertState(DEDUP, SPIKES)
    first = _article(CLEAN_ESCALATION)
    state.place(first, True, epoch(first.received_at))
    fresh = _replayed(state, state.take_changes())
    placed, alerts = fresh.place(first, True, epoch(first.received_at))
    assert (placed.duplicate_of, alerts) == (None, True)  # same alert id: harmless duplicate


def test_alert_state_spikes_fire_once_and_are_stored() -> None:
    state = AlertState(DEDUP, SPIKES)
    fired = []
    for i, story in enumerate(MOLDOVA_STORIES):
        article = _article(story)
        fired += state.spike_alerts(article, epoch(article.received_at), i, NOW, RULES)
    # Moldova is one country: it spikes once, under its country key, by the name stories use
    assert [(a.reason.split(":")[:2], a.entities) for a, _ in fired] == [
        (["spike on country", "MD"], ["Moldova"])
    ]
    keys = [key for key, _ in state.take_changes()]
    assert SPIKE_PREFIX + "country:MD" in keys
    assert SPIKE_PREFIX + "entity:Moldova" not in keys
    spike, routed = fired[0]
    assert spike.rules == [rule.name for rule in routed] and spike.rules
    assert [(p.name, p.country) for p in spike.places] == [("Moldova", "MD")]


def test_alert_state_sweep_deletes_old_stories_and_quiet_spikes_with_tombstones() -> None:
    state = AlertState(DEDUP, SPIKES)
    first = _article(CLEAN_ESCALATION)
    state.place(first, True, epoch(first.received_at))
    state.spike_alerts(first, epoch(first.received_at), 0, NOW, RULES)
    spike_keys = {SPIKE_PREFIX + key for key in state.spikes}
    assert spike_keys
    state.take_changes()
    deleted = state.sweep(epoch(first.received_at) + 2 * 3600)
    changes = dict(state.take_changes())
    assert deleted == 1 + len(spike_keys)
    assert changes == dict.fromkeys({STORY_PREFIX + "esc-json-1", *spike_keys})
    assert state.stories == {} and state.spikes == {}
    later = _article(CLEAN_ESCALATION, id="esc-json-3", received_at="2026-03-02T14:00:00Z")
    placed, alerts = state.place(later, True, epoch(later.received_at))
    assert (placed.duplicate_of, alerts) == (None, True)  # a new story after the window


def test_alert_state_story_outlives_its_first_article() -> None:
    """A duplicate of a story whose first article left the window (a later one has not) stays
    in that story and alerts; the story's record is renewed (this once raised KeyError)."""
    state = AlertState(DEDUP, SPIKES)
    first = _article(CLEAN_ESCALATION)
    state.place(first, False, epoch(first.received_at))
    rewrite = _article(ESCALATION_REWRITE, received_at="2026-03-02T12:50:00Z")
    state.place(rewrite, False, epoch(rewrite.received_at))
    state.sweep(epoch(first.received_at) + 3700)  # the first is out, the rewrite is not
    assert "esc-json-1" not in state.stories and rewrite.article_id in state.stories
    later = _article(ESCALATION_REWRITE, id="esc-json-9", received_at="2026-03-02T13:05:00Z")
    placed, alerts = state.place(later, True, epoch(later.received_at))
    assert (placed.duplicate_of, alerts) == ("esc-json-1", True)
    assert state.stories["esc-json-1"].alerted >= 0
    again = _article(ESCALATION_REWRITE, id="esc-json-10", received_at="2026-03-02T13:06:00Z")
    assert state.place(again, True, epoch(again.received_at))[1] is False  # once per level


@pytest.mark.parametrize(
    ("key", "value"),
    [("unknown/x", {"a": 1}), ("story/ghost", None), ("spike/entity:Nobody", None)],
)
def test_alert_state_apply_ignores_unknown_keys_and_absent_deletes(
    key: str, value: dict[str, object] | None
) -> None:
    state = AlertState(DEDUP, SPIKES)
    calm = _article(CALM_SPORT)
    state.place(calm, False, epoch(calm.received_at))
    first = _article(CLEAN_ESCALATION)
    state.spike_alerts(first, epoch(first.received_at), 0, NOW, RULES)
    assert state.stories and state.spikes
    before = copy.deepcopy((state.stories, state.spikes))
    state.apply(key, value)
    assert (state.stories, state.spikes) == before
