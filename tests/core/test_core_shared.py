"""Code shared inside the core: one city table, one stamp format, one entity ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from streams.core import pipeline
from streams.core.alerts.dedup import DedupParams
from streams.core.alerts.spikes import STALE_AFTER_WINDOWS, SpikeParams, SpikeState, observe, stale
from streams.core.alerts.state import epoch
from streams.core.entities import datelines as ner_dateline
from streams.core.entities import spans as ner_spans
from streams.core.entities.gazetteer import GEONAMES_MIN_POPULATION, city_rows
from streams.core.temporal import published as pubtime
from streams.core.temporal import relative as timex_relative
from streams.core.temporal.dates import PARTS_OF_DAY
from streams.core.text.fingerprint import DUPLICATE_MAX_DISTANCE

MOMENTS = [
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 3, 5, 14, 7, 9, 123456, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2024, 2, 29, 8, 0, 0, 500, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2025, 7, 1, 0, 0, 0, 1000, tzinfo=timezone(timedelta(hours=-7))),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_alert_state_epoch_reads_utc_iso_as_before(moment: datetime) -> None:
    stamp = pubtime.utc_iso(moment)
    old = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    assert epoch(stamp) == old
    assert abs(epoch(stamp) - moment.timestamp()) < 0.001


def test_pipeline_utc_iso_is_the_pubtime_one() -> None:
    assert pipeline.utc_iso is pubtime.utc_iso
    assert pipeline.utc_iso(MOMENTS[1]) == "2026-03-05T14:07:09.123Z"


def test_gazetteer_city_rows_are_read_once_and_shared_with_datelines() -> None:
    rows = city_rows()
    assert rows is city_rows()
    assert GEONAMES_MIN_POPULATION == 15_000
    assert len(rows) > 20_000
    shared = {id(r) for r in rows}
    by_name = ner_dateline._cities()
    assert all(id(r) in shared for group in by_name.values() for r in group)
    assert ner_dateline.city_geo("Pokrovsk", "UA") is not None


def test_ner_spans_chunk_pattern_is_built_from_the_particles() -> None:
    assert ner_spans._CONNECTORS == ner_spans._PARTICLES | {"of", "the"}
    assert ner_spans._CHUNK.pattern == (
        rf"(?<![\w&])(?:{ner_spans._CAP})(?:(?: | & | (?:of(?: the)?|de|da|del|der|van|von|den"
        rf"|la|le|du|al|el|bin|ibn) )(?:{ner_spans._CAP}))*"
    )
    words = [t.text for chunk in ner_spans.find_chunks("Omar al Bashir met them.")
             for t in chunk]  # fmt: skip
    assert words == ["Omar", "al", "Bashir"]


def test_dedup_default_distance_is_the_fingerprint_constant() -> None:
    assert DedupParams().max_distance == DUPLICATE_MAX_DISTANCE


def test_timex_relative_word_lists_follow_the_tables() -> None:
    assert timex_relative._POD_WORDS == ("morning", "afternoon", "evening", "night")
    assert set(timex_relative._POD_WORDS) == set(PARTS_OF_DAY)
    assert timex_relative._SEASON_WORDS == ("spring", "summer", "autumn", "fall", "winter")


@pytest.mark.parametrize("count", [0, 1, 3, 9, 40])
@pytest.mark.parametrize("later", [STALE_AFTER_WINDOWS, STALE_AFTER_WINDOWS + 3, 20, 400])
def test_spikes_stale_agrees_with_the_observed_baseline(count: int, later: int) -> None:
    params = SpikeParams()
    state = SpikeState(window_start=6000.0, count=count, baseline=2.5, windows=4)
    moment = state.window_start + later * params.window_s
    rolled, _ = observe(state, moment, params, "x", 99)
    assert stale(state, moment, params) == (rolled.baseline <= params.floor)
