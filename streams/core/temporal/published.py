"""Publication time from the message field, the HTML metadata or a dateline in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from streams.core.temporal.dateline import find_dateline
from streams.models import PublishedSource

__all__ = [
    "PLAUSIBLE_YEARS",
    "PublishedTime",
    "plausible",
    "parse_timestamp",
    "resolve_published",
    "format_published",
    "utc_iso",
    "zone_of",
    "MAX_ZONE_CHARS",
]

#: Longest IANA zone name accepted ("America/Argentina/ComodRivadavia" is 32 characters).
MAX_ZONE_CHARS = 64

# Where a dateline is looked for in the body: the first lines, up to this many characters.
# Datelines sit above or at the start of the first paragraph; deeper dates are event dates.
DATELINE_LINES = 5
DATELINE_CHARS = 400

_DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")

#: Years a message's own time stamps may name: outside them a stamp is a mistake, and the
#: relative times resolved against it would leave the calendar ("yesterday" of 0001-01-01).
PLAUSIBLE_YEARS = range(1900, 2200)


def plausible(moment: datetime) -> bool:
    """Whether a stamp's year is in PLAUSIBLE_YEARS."""
    return moment.year in PLAUSIBLE_YEARS


@dataclass(frozen=True)
class PublishedTime:
    value: datetime | None  # aware, or naive for a local wall-clock time with no known zone
    source: PublishedSource | None
    date_only: bool = False  # only the day is known; value is then at 00:00

    def isoformat(self) -> str | None:
        """ISO 8601 text of this publication time ("YYYY-MM-DD" when only the date is known)."""
        return format_published(self.value, date_only=self.date_only)


def zone_of(name: str | None) -> tzinfo | None:
    """The time zone a name gives (an IANA name, or UTC/Z/GMT); None for no name or no zone
    (unknown, too long, or a folder of the zone database such as "Europe")."""
    if not name or len(name) > MAX_ZONE_CHARS:
        return None
    if name.upper() in {"UTC", "Z", "GMT"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def parse_timestamp(value: str, default_tz: str | None = None) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one goes in default_tz if given. ValueError if bad."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None and default_tz:
        zone = zone_of(default_tz)
        if zone is None:
            raise ValueError(f"unknown time zone {default_tz!r}")
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def utc_iso(moment: datetime) -> str:
    """ISO 8601 text of a moment in UTC, to the millisecond, with a Z suffix: the one form
    of the stamps the pipeline and the alerts write (parse_timestamp reads it back)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _from_field(value: str, source_tz: str | None) -> tuple[datetime, bool] | None:
    """An ISO field value, naive -> source zone or UTC; (value, date_only) or None if bad."""
    try:
        parsed = parse_timestamp(value, source_tz if zone_of(source_tz) else None)
    except ValueError:
        return None
    if not plausible(parsed):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed, bool(_DATE_ONLY.match(value.strip()))


def _candidate_lines(header: Sequence[str], text: str) -> Iterator[tuple[str, bool]]:
    """Header lines (searched whole), then the first body lines (dateline at line start)."""
    for line in header:
        yield line, True
    budget = DATELINE_CHARS
    for count, line in enumerate(text.splitlines()):
        if count >= DATELINE_LINES or budget <= 0:
            break
        yield line[:budget], False
        budget -= len(line) + 1


def resolve_published(
    *,
    field: str | None,
    html_value: str | None,
    header: Sequence[str],
    text: str,
    reference: datetime,
    source_tz: str | None,
    message_time: datetime | None,
) -> PublishedTime:
    """Find the publication time, in order: field, HTML, dateline, message timestamp."""
    if field:
        got = _from_field(field, source_tz)
        if got is not None:
            return PublishedTime(got[0], "field", got[1])
    if html_value:
        got = _from_field(html_value, source_tz)
        if got is not None:
            return PublishedTime(got[0], "html", got[1])
        line = find_dateline(html_value, reference, source_tz)
        if line is not None:
            return PublishedTime(line.value, "html", line.date_only)
    for line_text, whole in _candidate_lines(header, text):
        found = find_dateline(line_text, reference, source_tz, metadata=whole)
        if found is not None:
            return PublishedTime(found.value, "dateline", found.date_only)
    if message_time is not None:
        value = message_time if message_time.tzinfo else message_time.replace(tzinfo=UTC)
        return PublishedTime(value, "message_timestamp")
    return PublishedTime(None, None)


def format_published(value: datetime | None, *, date_only: bool = False) -> str | None:
    """ISO 8601 text of a publication time (with offset when aware; "YYYY-MM-DD" if date_only)."""
    if value is None:
        return None
    if date_only:
        return value.date().isoformat()
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.isoformat(timespec="seconds")
    return value.isoformat(timespec="seconds")
