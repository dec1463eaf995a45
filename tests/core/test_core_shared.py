"""What several parts of the core must agree on, checked through their public functions.

One stamp format (the pipeline writes it, the alerts write it, the alert state reads it back),
one city table (a dateline city and the same city named in the text get the same place), one
entity ranking (spikes count and alerts list entities in the same order), one name-particle
list, one near-duplicate distance, one spike baseline.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from streams.core.alerts.compose import MAX_ALERT_ENTITIES, escalation_alert
from streams.core.alerts.dedup import DedupParams, Seen, decide
from streams.core.alerts.rules import default_rules, matching_rules
from streams.core.alerts.spikes import (
    STALE_AFTER_WINDOWS,
    SpikeParams,
    SpikeState,
    observe,
    spike_keys,
    stale,
)
from streams.core.alerts.state import epoch
from streams.core.entities.gazetteer import city_rows
from streams.core.entities.spans import find_chunks
from streams.core.pipeline import MessageContext, enrich
from streams.core.temporal.published import parse_timestamp, utc_iso
from streams.core.temporal.timexes import extract_timexes
from streams.core.text.fingerprint import DUPLICATE_MAX_DISTANCE, hamming
from streams.models import Alert, DeadLetter, EnrichedArticle, Entity, EntityType, Geo
from tests.support.articles import CLEAN_ESCALATION, as_bytes

MOMENTS = [
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 3, 5, 14, 7, 9, 123456, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2024, 2, 29, 8, 0, 0, 500, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2025, 7, 1, 0, 0, 0, 1000, tzinfo=timezone(timedelta(hours=-7))),
]
#: The one stamp format: UTC, to the millisecond, with a Z.
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
FILLER = "Shelling hit the town overnight, officials said."


def _article(message: object, ctx: MessageContext | None = None) -> EnrichedArticle:
    result = enrich(as_bytes(message), ctx)
    assert isinstance(result, EnrichedArticle), result
    return result


def _alert(article: EnrichedArticle, now: datetime) -> Alert:
    """The escalation alert the default rule (medium and up) gives `article`."""
    matched = matching_rules(article, default_rules("medium"))
    assert matched, f"{article.article_id} must alert"
    return escalation_alert(article, matched, now)


def _places(body: str) -> dict[str, Geo | None]:
    """canonical name -> geo of the LOC entities enrich() finds in `body`."""
    return {e.canonical: e.geo for e in _article({"body": body}).entities if e.type == "LOC"}


def _largest_city(name: str, country: str) -> dict[str, Any]:
    rows = [r for r in city_rows() if r["name"] == name and r["countrycode"] == country]
    assert rows, f"{name}, {country} is not in the city table"
    return max(rows, key=lambda r: int(r["population"]))


# --- one stamp format --------------------------------------------------------------------


@pytest.mark.parametrize("moment", MOMENTS)
def test_core_stamps_of_the_pipeline_and_the_alerts_read_back_as_the_same_moment(
    moment: datetime,
) -> None:
    article = _article(CLEAN_ESCALATION, MessageContext(timestamp=moment))
    alert = _alert(article, moment)

    assert article.received_at == alert.created_at == utc_iso(moment)
    for stamp in (article.received_at, article.processed_at, alert.created_at):
        assert STAMP.fullmatch(stamp), stamp
    assert abs(epoch(article.received_at) - moment.timestamp()) < 0.001
    assert abs(parse_timestamp(alert.created_at).timestamp() - moment.timestamp()) < 0.001
    assert epoch(alert.created_at) == parse_timestamp(alert.created_at).timestamp()


def test_core_dead_letter_stamp_has_the_same_format() -> None:
    dead = enrich(b"\xff\xfe not UTF-8")
    assert isinstance(dead, DeadLetter), dead
    assert STAMP.fullmatch(dead.received_at), dead.received_at


# --- one city table ----------------------------------------------------------------------


@pytest.mark.parametrize("city", ["Kyiv", "Kramatorsk", "Paris", "Springfield"])
def test_core_dateline_city_is_placed_as_the_same_city_in_the_text(city: str) -> None:
    in_dateline = _places(f"{city.upper()}, March 3 (Reuters) - {FILLER}")
    in_text = _places(f"Shelling hit {city} overnight, officials said.")
    assert in_text[city] is not None
    assert in_dateline[city] == in_text[city]


@pytest.mark.parametrize(
    ("dateline", "city", "country"),
    [
        ("POKROVSK, March 3 (Reuters) -", "Pokrovsk", "UA"),  # too small for the gazetteer
        ("PARIS, Texas (Reuters) -", "Paris", "US"),  # the region picks the namesake
    ],
)
def test_core_dateline_city_comes_from_the_gazetteer_city_table(
    dateline: str, city: str, country: str
) -> None:
    row = _largest_city(city, country)
    geo = _places(f"{dateline} {FILLER}")[city]
    assert geo is not None
    assert (geo.lat, geo.lon, geo.country) == (row["latitude"], row["longitude"], country)


# --- one entity ranking ------------------------------------------------------------------


def _entity(name: str, kind: EntityType, start: int, count: int) -> Entity:
    return Entity(
        text=name, type=kind, canonical=name, start=start, end=start + len(name), count=count
    )


def test_core_alerts_list_entities_in_the_order_spikes_count_them() -> None:
    article = _article(CLEAN_ESCALATION)
    # counts that disagree with the text order, ties and a type neither ranks
    article = article.model_copy(
        update={
            "entities": [
                _entity("Alpha", "PERSON", 0, 1),
                _entity("Bravo", "ORG", 10, 5),
                _entity("Charlie", "LOC", 20, 5),
                _entity("Delta", "MISC", 30, 9),
                _entity("Echo", "PERSON", 40, 2),
            ]
        }
    )
    alert = _alert(article, datetime.now(UTC))
    counted = [name for key, name in spike_keys(article) if key.startswith("entity:")]
    assert alert.entities == ["Bravo", "Charlie", "Echo", "Alpha"][:MAX_ALERT_ENTITIES]
    assert counted[: len(alert.entities)] == alert.entities


# --- one particle list -------------------------------------------------------------------

PARTICLES = "de da del der van von den la le du al el bin ibn".split()


@pytest.mark.parametrize("particle", PARTICLES)
def test_core_name_particle_joins_the_words_around_it(particle: str) -> None:
    chunks = find_chunks(f"Omar {particle} Bashir met them.")
    words = [[(t.text, t.conn) for t in chunk] for chunk in chunks]
    assert words == [[("Omar", False), (particle, True), ("Bashir", False)]]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Omar and Bashir met.", [["Omar"], ["Bashir"]]),  # not a particle
        ("Bank of England said.", [["Bank", "of", "England"]]),  # "of" after an of-head
        ("Bank of the Netherlands said.", [["Bank", "of", "the", "Netherlands"]]),
        ("Paris of the East", [["Paris"], ["East"]]),  # "of the" after no of-head
    ],
)
def test_core_connectors_other_than_particles_join_only_after_an_of_head(
    text: str, names: list[list[str]]
) -> None:
    assert [[t.text for t in chunk] for chunk in find_chunks(text)] == names


# --- one near-duplicate distance ---------------------------------------------------------


@pytest.mark.parametrize(
    "distance",
    [0, 1, DUPLICATE_MAX_DISTANCE - 1, DUPLICATE_MAX_DISTANCE, DUPLICATE_MAX_DISTANCE + 1, 64],
)
def test_core_dedup_and_the_fingerprint_agree_on_near_duplicates(distance: int) -> None:
    first = 0x0123_4567_89AB_CDEF
    second = first ^ ((1 << distance) - 1)  # the lowest `distance` bits flipped
    state = {"first": Seen(fingerprint=first, seen_at=1000.0, root="first")}
    decision = decide("second", second, 2, True, state, DedupParams(), now=1001.0)
    assert hamming(f"{first:016x}", f"{second:016x}") == distance
    assert (decision.duplicate_of == "first") == (distance <= DUPLICATE_MAX_DISTANCE)


# --- the relative-time word lists and their tables ----------------------------------------

ANCHOR = datetime(2026, 3, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("They met yesterday morning.", "2026-03-04TMO"),
        ("They meet tomorrow afternoon.", "2026-03-06TAF"),
        ("They met on Monday evening.", "2026-03-02TEV"),
        ("It happened last night.", "2026-03-04TNI"),
        ("It fell last spring.", "2025-SP"),
        ("It rose last summer.", "2025-SU"),
        ("It fell last autumn.", "2025-FA"),
        ("It ended last fall.", "2025-FA"),
        ("It came last winter.", "2025-WI"),
    ],
)
def test_core_every_part_of_day_and_season_is_a_relative_time(text: str, value: str) -> None:
    assert [t.value for t in extract_timexes(text, ANCHOR)] == [value]


# --- one spike baseline ------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 3, 9, 40])
@pytest.mark.parametrize("later", [STALE_AFTER_WINDOWS, STALE_AFTER_WINDOWS + 3, 20, 400])
def test_spikes_stale_agrees_with_the_observed_baseline(count: int, later: int) -> None:
    params = SpikeParams()
    state = SpikeState(window_start=6000.0, count=count, baseline=2.5, windows=4)
    moment = state.window_start + later * params.window_s
    rolled, _ = observe(state, moment, params, "x", 99)
    assert stale(state, moment, params) == (rolled.baseline <= params.floor)
