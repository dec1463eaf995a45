"""The alert stage's event time: the producer's stamps, never ahead of the broker's clock.

The dedup and spike windows run on event time, so that a replay decides as the first run
did. But `received_at` and `published_at` come from producers, whose clocks may be wrong: a
story dated 9000-01-01 would move the windows' end seven thousand years ahead, so every
story would fall out of the dedup window at the next sweep and its entities' spike windows
would never close. So an event time is the producer's stamp only when it lies at most a small
tolerance for clock skew after the Kafka timestamp of the record (else the worker's clock);
a later stamp is replaced by that timestamp.
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


def event_times(article: EnrichedArticle, now: float, tolerance: float) -> EventTimes:
    """The article's event times; a stamp more than `tolerance` seconds after `now` (the
    broker's time) is not believed, and `now` stands in for it.

    Not `now + tolerance`: a story placed in the next window would make every on-time story
    after it late for that window, and uncounted. `published` is never later than `received`
    either: an article cannot be published after it arrived.
    """
    stamped = moment_of(article.received_at)
    received = now if stamped is None or stamped > now + tolerance else stamped
    published = moment_of(article.published_at)
    if published is None or published > now + tolerance:
        published = received
    return EventTimes(received, min(published, received))
