"""Spike detection in tumbling windows against an EWMA baseline."""

from __future__ import annotations

import itertools

import pytest

from streams.core.alerts.spikes import SpikeParams, SpikeState, observe, spike_level, stale
from streams.core.alerts.stored import from_plain, to_plain

PARAMS = SpikeParams(window_s=600.0, alpha=0.5, factor=3.0, min_count=3, floor=1.0)
T0 = 1_700_000_400.0  # the start of a window (a multiple of 600)
POSITIONS = itertools.count()  # input offsets: every observation comes after the ones before


def _feed(times: list[float], state: SpikeState | None = None) -> tuple[SpikeState, list[bool]]:
    fired = []
    for moment in times:
        state, fires = observe(state, moment, PARAMS, f"article-{moment}", next(POSITIONS))
        fired.append(fires)
    assert state is not None
    return state, fired


def test_spikes_fire_once_when_the_window_reaches_min_count() -> None:
    state, fired = _feed([T0 + i for i in range(5)])
    assert fired == [False, False, True, False, False]
    assert state.count == 5 and state.fired


def test_spikes_baseline_follows_earlier_windows() -> None:
    state, _ = _feed([T0 + i for i in range(4)])  # 4 in the first window
    state, fired = _feed([T0 + 600 + i for i in range(7)], state)
    # baseline = 0.5 * 4 = 2.0, so the threshold is max(3, 3 * 2.0) = 6
    assert state.baseline == pytest.approx(2.0)
    assert fired.index(True) == 5


def test_spikes_empty_windows_decay_the_baseline() -> None:
    state, _ = _feed([T0 + i for i in range(8)])
    state, _ = _feed([T0 + 600 * 5], state)  # four empty windows in between
    assert state.baseline == pytest.approx(0.5 * 8 * 0.5**4)
    assert state.windows == 5


def test_spikes_late_articles_do_not_count() -> None:
    state, _ = _feed([T0 + 600])
    later, fires = observe(state, T0 + 10, PARAMS, "late", next(POSITIONS))
    assert later == state and not fires


def test_spikes_a_replayed_article_is_not_counted_twice_and_fires_again() -> None:
    state, fired = _feed([T0, T0 + 1, T0 + 2])
    assert fired == [False, False, True]
    again, fires = observe(state, T0 + 2, PARAMS, f"article-{T0 + 2}", state.position)
    assert again == state and fires
    once_more, fires = observe(state, T0, PARAMS, f"article-{T0}", state.position - 2)
    assert once_more.count == 3 and not fires


def test_spikes_state_stays_small_however_hot_the_key() -> None:
    state, _ = _feed([T0 + i * 0.01 for i in range(5000)])
    assert state.count == 5000
    assert len(str(to_plain(state))) < 300
    assert from_plain(SpikeState, to_plain(state)) == state


def test_spikes_level_is_high_at_twice_the_threshold() -> None:
    state, _ = _feed([T0 + i for i in range(6)])
    assert spike_level(state, PARAMS) == "high"
    assert spike_level(SpikeState(window_start=T0, count=3), PARAMS) == "medium"


def test_spikes_state_round_trips_through_plain_data() -> None:
    state, _ = _feed([T0, T0 + 1])
    assert from_plain(SpikeState, to_plain(state)) == state


def test_spikes_keys_are_named_entities_and_countries() -> None:
    from streams.core.alerts.spikes import spike_keys
    from streams.models import EnrichedArticle, Entity, Geo

    article = EnrichedArticle(
        article_id="a",
        text="x",
        received_at="2025-01-01T00:00:00Z",
        processed_at="2025-01-01T00:00:00Z",
        fingerprint="0" * 16,
        pipeline_version="t",
        entities=[
            Entity(
                text="Kyiv",
                type="LOC",
                canonical="Kyiv",
                start=0,
                end=4,
                count=2,
                geo=Geo(lat=50.4, lon=30.5, country="UA"),
            ),
            Entity(text="Wire", type="MISC", canonical="Wire", start=5, end=9),
            Entity(text="NATO", type="ORG", canonical="NATO", start=10, end=14),
        ],
    )
    assert spike_keys(article) == [
        ("entity:Kyiv", "Kyiv"),
        ("entity:NATO", "NATO"),
        ("country:UA", "Ukraine"),
    ]


def test_spikes_stale_once_old_and_back_at_the_floor() -> None:
    state, _ = _feed([T0 + i for i in range(3)])
    assert not stale(state, T0 + 600 * 2, PARAMS)  # too recent
    assert stale(state, T0 + 600 * 10, PARAMS)  # 0.5 * 3 decayed below the floor


def test_spikes_stale_keeps_a_key_with_a_baseline_of_its_own() -> None:
    state, _ = _feed([T0 + i for i in range(200)])
    assert not stale(state, T0 + 600 * 7, PARAMS)  # 100 * 0.5**6 is still above the floor
    assert stale(state, T0 + 600 * 20, PARAMS)


def test_spikes_a_country_counts_once_under_the_name_the_stories_use() -> None:
    from streams.core.alerts.spikes import spike_subjects
    from tests.support.articles import enriched

    article = enriched(
        {
            "id": "ru-us",
            "body": "Russia deployed troops near the border on Monday. The United States and "
            "Russia traded threats while tanks moved near Moscow and Washington.",
        }
    )
    subjects = {s.key: s for s in spike_subjects(article)}
    assert {"country:RU", "country:US"} <= set(subjects)
    assert not {"entity:Russia", "entity:United States"} & set(subjects)
    assert (subjects["country:RU"].name, subjects["country:US"].name) == (
        "Russia",
        "United States",
    )
    assert subjects["entity:Moscow"].country == "RU"


def test_spikes_a_country_only_placed_in_is_named_as_the_stories_name_it() -> None:
    from streams.core.alerts.spikes import spike_keys
    from tests.support.articles import enriched

    article = enriched({"id": "msk", "body": "Artillery shelling hit Moscow overnight."})
    assert ("country:RU", "Russia") in spike_keys(article)
