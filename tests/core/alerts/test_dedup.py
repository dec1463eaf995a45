"""Near-duplicate stories: grouping, replays, expiry and the once-per-level alert rule."""

from __future__ import annotations

import pytest

from streams.core.alerts.dedup import DedupParams, Seen, decide, expired
from streams.core.alerts.stored import from_plain, to_plain

PARAMS = DedupParams(window_s=3600.0, max_distance=3)
BASE = 0b1011_0000_1111_0000
NOW = 10_000.0


def test_dedup_new_story_is_its_own_root_and_alerts() -> None:
    decision = decide("a", BASE, 2, True, {}, PARAMS, NOW)
    assert (decision.root, decision.duplicate_of, decision.alert) == ("a", None, True)


def test_dedup_close_fingerprint_joins_the_story_and_does_not_realert_same_level() -> None:
    state = {"a": Seen(BASE, NOW - 60, "a", alerted=2)}
    decision = decide("b", BASE ^ 0b101, 2, True, state, PARAMS, NOW)
    assert (decision.root, decision.duplicate_of, decision.alert) == ("a", "a", False)


def test_dedup_higher_level_duplicate_alerts_again() -> None:
    state = {"a": Seen(BASE, NOW - 60, "a", alerted=2)}
    assert decide("b", BASE ^ 0b1, 3, True, state, PARAMS, NOW).alert


def test_dedup_far_fingerprint_is_another_story() -> None:
    state = {"a": Seen(BASE, NOW - 60, "a", alerted=2)}
    decision = decide("b", BASE ^ 0b1111, 2, True, state, PARAMS, NOW)
    assert decision.duplicate_of is None and decision.alert


def test_dedup_chains_point_to_the_story_root() -> None:
    state = {"a": Seen(BASE, NOW - 90, "a", alerted=2), "b": Seen(BASE ^ 0b11, NOW - 30, "a")}
    assert decide("c", BASE ^ 0b11 ^ 0b1100, 1, True, state, PARAMS, NOW).duplicate_of == "a"


def test_dedup_outside_the_window_is_a_new_story() -> None:
    state = {"a": Seen(BASE, NOW - 7200, "a", alerted=2)}
    assert decide("b", BASE, 2, True, state, PARAMS, NOW).duplicate_of is None
    assert expired(state, PARAMS, NOW) == ["a"]


def test_dedup_replay_keeps_the_first_decision() -> None:
    state = {"a": Seen(BASE, NOW - 60, "a", alerted=2), "b": Seen(BASE ^ 1, NOW - 30, "a")}
    again = decide("b", BASE ^ 1, 2, True, state, PARAMS, NOW)
    assert again.duplicate_of == "a" and not again.alert


def test_dedup_replay_of_the_alerting_article_alerts_again() -> None:
    state = {"a": Seen(BASE, NOW - 60, "a", alerted=3, triggered=3)}
    again = decide("a", BASE, 3, True, state, PARAMS, NOW)
    assert again.duplicate_of is None and again.alert


def test_dedup_article_no_rule_wants_never_alerts() -> None:
    assert not decide("a", BASE, 4, False, {}, PARAMS, NOW).alert


def test_dedup_seen_round_trips_through_plain_data() -> None:
    item = Seen(BASE, NOW, "root-1", alerted=3)
    assert from_plain(Seen, to_plain(item)) == item


def test_dedup_stored_record_from_an_older_version_takes_defaults_and_ignores_extras() -> None:
    old = {"fingerprint": "7", "seen_at": 5, "root": "a-1", "retired_field": True}
    assert from_plain(Seen, old) == Seen(fingerprint=7, seen_at=5.0, root="a-1")


def test_dedup_stored_record_without_a_required_field_is_refused() -> None:
    with pytest.raises(KeyError, match="root"):
        from_plain(Seen, {"fingerprint": 7, "seen_at": 5.0})
