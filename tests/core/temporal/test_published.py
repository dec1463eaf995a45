"""Unit tests for publication-time resolution and dateline parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.core.temporal.published import (
    PublishedTime,
    format_published,
    parse_timestamp,
    resolve_published,
)

REF = datetime(2023, 3, 10, 9, 0, tzinfo=UTC)


def _resolve(text: str = "", header: list[str] | None = None, **kw: object) -> PublishedTime:
    args: dict[str, object] = {
        "field": None,
        "html_value": None,
        "header": header or [],
        "text": text,
        "reference": REF,
        "source_tz": None,
        "message_time": None,
    }
    args.update(kw)
    return resolve_published(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-09T14:05:00Z", datetime(2023, 3, 9, 14, 5, tzinfo=UTC)),
        ("2023-03-09T14:05:00+02:00", datetime(2023, 3, 9, 12, 5, tzinfo=UTC)),
        ("2023-03-09", datetime(2023, 3, 9)),
    ],
)
def test_pubtime_parse_timestamp_iso(value: str, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected


def test_pubtime_parse_timestamp_naive_in_default_zone() -> None:
    parsed = parse_timestamp("2023-07-01T12:00:00", "America/New_York")
    assert parsed.utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize("value", ["yesterday", "2023-13-01", ""])
def test_pubtime_parse_timestamp_rejects_garbage(value: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("9 March, 18:15WorldVideo: agency pool", "2023-03-09T18:15:00"),
        ("Mar. 9, 2023 6:15 p.m. ET", "2023-03-09T18:15:00-05:00"),
        ("2023-03-09T17:15Z", "2023-03-09T17:15:00+00:00"),
        ("KYIV, Mar 9 (Reuters) - Officials said on Thursday", "2023-03-09"),
        ("09.03.2023 18:15", "2023-03-09T18:15:00"),
        ("Published 09/03/2023 at 18:15 GMT", "2023-03-09T18:15:00+00:00"),
        ("Posted: 2023-03-09 18:15 UTC", "2023-03-09T18:15:00+00:00"),
        ("March 09, 2023", "2023-03-09"),
        ("Thursday, March 9, 2023", "2023-03-09"),
        ("09 March 2023 18:15 MSK", "2023-03-09T18:15:00+03:00"),
    ],
)
def test_pubtime_dateline_formats(line: str, expected: str) -> None:
    text = line + "\n\nThe ministry confirmed the figures in a statement."
    found = _resolve(text)
    assert found.source == "dateline"
    assert found.isoformat() == expected


def test_pubtime_dateline_daylight_saving_for_eastern_time() -> None:
    found = _resolve(
        "Jul. 14, 2022 9:30 a.m. ET\n\nStocks fell.",
        reference=datetime(2022, 8, 1, tzinfo=UTC),
    )
    assert found.isoformat() == "2022-07-14T09:30:00-04:00"


@pytest.mark.parametrize(
    ("reference", "year"),
    [
        (datetime(2023, 3, 10, 9, 0, tzinfo=UTC), 2023),
        (datetime(2023, 2, 20, 9, 0, tzinfo=UTC), 2022),
    ],
)
def test_pubtime_missing_year_never_in_reference_future(reference: datetime, year: int) -> None:
    found = _resolve("9 March, 18:15\n\nBody.", reference=reference)
    assert found.value is not None
    assert found.value.year == year


def test_pubtime_dateline_in_header_lines() -> None:
    found = _resolve("The council met.", header=["By Ann Lee | Updated March 8, 2023 10:02 EST"])
    assert found.source == "dateline"
    assert found.isoformat() == "2023-03-08T10:02:00-05:00"


def test_pubtime_dateline_without_zone_takes_source_zone() -> None:
    found = _resolve("9 March, 18:15\nBody.", source_tz="Europe/Berlin")
    assert found.isoformat() == "2023-03-09T18:15:00+01:00"


def test_pubtime_order_field_first() -> None:
    found = _resolve(
        "9 March, 18:15\nBody.",
        field="2023-03-09T10:00:00",
        html_value="2023-03-08T10:00:00Z",
        source_tz="Europe/Moscow",
    )
    assert found.source == "field"
    assert found.isoformat() == "2023-03-09T10:00:00+03:00"


def test_pubtime_field_naive_without_zone_is_utc() -> None:
    assert _resolve(field="2023-03-09T10:00:00").isoformat() == "2023-03-09T10:00:00+00:00"


def test_pubtime_html_before_dateline() -> None:
    found = _resolve("9 March, 18:15\nBody.", html_value="2023-03-08T07:00:00+01:00")
    assert found.source == "html"
    assert found.isoformat() == "2023-03-08T07:00:00+01:00"


def test_pubtime_bad_field_falls_through_to_message_time() -> None:
    stamp = datetime(2023, 3, 9, 8, 0, tzinfo=UTC)
    found = _resolve("No date here at all.", field="not a date", message_time=stamp)
    assert found == PublishedTime(stamp, "message_timestamp")


def test_pubtime_nothing_found() -> None:
    assert _resolve("Plain text with no date.") == PublishedTime(None, None)


def test_pubtime_headline_date_is_not_a_dateline() -> None:
    found = _resolve("Council to vote on budget on March 20, 2023\n\nThe council meets soon.")
    assert found.value is None


@pytest.mark.parametrize(
    ("value", "date_only", "expected"),
    [
        (datetime(2023, 3, 9, 18, 15), False, "2023-03-09T18:15:00"),
        (datetime(2023, 3, 9, 18, 15, tzinfo=UTC), False, "2023-03-09T18:15:00+00:00"),
        (datetime(2023, 3, 9), True, "2023-03-09"),
        (None, False, None),
    ],
)
def test_pubtime_format_published(value: datetime | None, date_only: bool, expected: str) -> None:
    assert format_published(value, date_only=date_only) == expected
