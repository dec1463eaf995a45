"""The alert stage's event time: producers' stamps, clamped to the broker's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.core.alerts.clock import event_times, moment_of
from streams.models import EnrichedArticle

BROKER = datetime(2026, 3, 2, 12, 0, tzinfo=UTC).timestamp()
TOLERANCE = 300.0


def _article(received_at: str, published_at: str | None = None) -> EnrichedArticle:
    return EnrichedArticle(
        article_id="a",
        text="x",
        received_at=received_at,
        published_at=published_at,
        processed_at="2026-03-02T12:00:00Z",
        fingerprint="0" * 16,
        pipeline_version="t",
    )


@pytest.mark.parametrize("stamp", ["9000-01-01T00:00:00Z", "2026-03-02T12:05:01Z"])
def test_clock_a_stamp_beyond_the_tolerance_is_replaced_by_the_broker_time(stamp: str) -> None:
    times = event_times(_article(stamp, stamp), BROKER, TOLERANCE)
    assert (times.received, times.published) == (BROKER, BROKER)


def test_clock_a_received_at_within_the_tolerance_is_kept() -> None:
    times = event_times(_article("2026-03-02T12:01:00Z"), BROKER, TOLERANCE)
    assert times.received == BROKER + 60 == times.published


def test_clock_published_is_never_after_received() -> None:
    times = event_times(
        _article("2026-03-02T11:00:00Z", "2026-03-02T11:30:00+00:00"), BROKER, TOLERANCE
    )
    assert times.published == times.received == BROKER - 3600


def test_clock_an_old_published_at_is_the_spike_clock() -> None:
    times = event_times(
        _article("2026-03-02T12:00:00Z", "2026-02-20T08:00:00+01:00"), BROKER, TOLERANCE
    )
    assert times.published == datetime(2026, 2, 20, 7, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize("published", [None, "2026-02-20", "2026-02-20T08:00:00", "garbage"])
def test_clock_a_published_at_without_a_zone_falls_back_to_received(published: str | None) -> None:
    times = event_times(_article("2026-03-02T12:00:00Z", published), BROKER, TOLERANCE)
    assert times.published == times.received == BROKER


def test_clock_moment_of_reads_offsets() -> None:
    assert moment_of("2026-03-02T13:00:00+01:00") == BROKER
    assert moment_of("2026-03-02") is None
