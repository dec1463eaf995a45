"""The alert stage's event time: the producer's stamps, never ahead of the broker's clock.

The dedup and spike windows run on event time, so that a replay decides as the first run
did. But `received_at` and `published_at` come from producers, whose clocks may be wrong: a
story dated 9000-01-01 would move the windows' end seven thousand years ahead, so every
story would fall out of the dedup window at the next sweep and its entities' spike windows
would never close. So an event time is the producer's stamp only up to a bound: the Kafka
timestamp of the record (else the worker's clock) plus a small tolerance for clock skew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from streams.core.temporal.published import parse_timestamp
from streams.models import EnrichedArticle

__all__ = ["EventTimes", "event_times", "moment_of"]


@dataclass(frozen=True)
class EventTimes:
    """An article's two clocks, in epoch seconds, both clamped to the broker's clock."""

    received: float  # when it arrived: the dedup window's clock
    published: float  # when it was published (else `received`): the spike windows' clock


def moment_of(stamp: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 stamp with a UTC offset; None for a stamp without one.

    A date without a time, or a dateline's wall-clock time in no known zone, says too little
    to place an article in a ten-minute window: the caller falls back to `received`.
    """
    if not stamp:
        return None
    try:
        parsed = parse_timestamp(stamp)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC).timestamp()


def event_times(article: EnrichedArticle, bound: float) -> EventTimes:
    """The article's event times, none later than `bound` (broker time plus tolerance).

    `published` is never later than `received` either: an article cannot be published after
    it arrived, and a future `published_at` must not open a spike window ahead of the rest.
    """
    stamped = moment_of(article.received_at)
    received = bound if stamped is None else min(stamped, bound)
    published = moment_of(article.published_at)
    return EventTimes(received, received if published is None else min(published, received))
