"""The one dateline grammar: what each part of a dateline reads as, in several forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from streams.core.temporal.dateline import (
    find_dateline,
    is_updated_stamp,
    line_datelines,
    match_dateline,
    parse_dateline,
)

REFERENCE = datetime(2026, 1, 15, 12, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("27 January, 16:40", datetime(2025, 1, 27, 16, 40)),
        ("16:40, 27 January 2022", datetime(2022, 1, 27, 16, 40)),
        ("27 января 2022, 16:40 МСК", datetime(2022, 1, 27, 16, 40, tzinfo=MOSCOW)),
        (
            "27 января 2022 в 16:40 по московскому времени",
            datetime(2022, 1, 27, 16, 40, tzinfo=MOSCOW),
        ),
        ("Posted: 2025-02-17 06:20 UTC", datetime(2025, 2, 17, 6, 20, tzinfo=UTC)),
        (
            "Monday, March 2, 2025 at 5 p.m. EST",
            datetime(2025, 3, 2, 17, tzinfo=ZoneInfo("America/New_York")),
        ),
        (
            "2025-03-02T14:05:00+02:00",
            datetime(2025, 3, 2, 14, 5, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("05/03/2025 10:00", datetime(2025, 3, 5, 10)),
        ("03/05/2025 10:00 ET", datetime(2025, 3, 5, 10, tzinfo=ZoneInfo("America/New_York"))),
    ],
)
def test_dateline_reads_the_time_of_stamps_in_many_forms(line: str, value: datetime) -> None:
    found = parse_dateline(line, REFERENCE)
    assert found is not None
    assert found.value == value


def test_dateline_wire_form_gives_place_region_agency_and_where_the_body_starts() -> None:
    line = "KYIV, Ukraine, March 5 (Reuters) - Troops moved east."
    found = match_dateline(line, 0, REFERENCE)
    assert found is not None and found.place is not None and found.agency is not None
    assert line[slice(*found.place)] == "KYIV"
    assert found.region == "Ukraine"
    assert line[slice(*found.agency)] == "Reuters"
    assert found.dash and line[found.end :].strip() == "Troops moved east."
    assert found.value == datetime(2025, 3, 5)  # no year: the latest date not in the future
    assert found.date_only


def test_dateline_place_and_agency_without_a_date_is_a_dateline_without_a_time() -> None:
    found = match_dateline("WASHINGTON (AP) — The Senate voted.", 0, REFERENCE)
    assert found is not None and found.place == (0, 10) and found.value is None


@pytest.mark.parametrize(
    "line",
    [
        "The army said on March 5 that troops had moved.",
        "By John Smith",
        "Published 3 hours ago",
        "US, EU agree new deal",
    ],
)
def test_dateline_sentences_and_bylines_are_not_datelines(line: str) -> None:
    assert parse_dateline(line, REFERENCE) is None


def test_dateline_a_date_in_a_long_sentence_needs_a_stamp_word() -> None:
    prose = (
        "Officials met again in Geneva on Friday and agreed to resume talks on 4 March 2025 after"
    )
    assert find_dateline(prose, REFERENCE, metadata=False) is None
    stamped = "Officials met again in Geneva. Published: 4 March 2025"
    found = find_dateline(stamped, REFERENCE, metadata=False)
    assert found is not None and found.value == datetime(2025, 3, 4)


def test_dateline_in_the_future_of_the_reference_is_not_a_publication_time() -> None:
    assert parse_dateline("Posted: 2027-02-17 06:20 UTC", REFERENCE) is None


def test_dateline_updated_stamps_are_told_apart_from_published_ones() -> None:
    updated = match_dateline("Last updated: 27 January 2025, 16:40")
    published = match_dateline("Published on 27 January 2025")
    assert updated is not None and is_updated_stamp(updated)
    assert published is not None and not is_updated_stamp(published)


def test_dateline_line_scan_finds_only_datelines_that_open_a_line() -> None:
    text = "Headline here\n\n“ODESA, March 4 - Drones hit the port.\nIn ODESA, March 4 - not one."
    found = list(line_datelines(text, REFERENCE))
    assert [text[slice(*d.place)] for d in found if d.place] == ["ODESA"]
