"""Datelines ("27 January, 16:40", "MOSCOW, Jan 27 (Reuters) -", "Posted: 2025-02-17 06:20 UTC")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from streams.core.temporal.lexicon import DAY_RE, MONTH_RE, YEAR_RE, ZONE_RE, month_number, zone_of

__all__ = ["Dateline", "parse_dateline", "find_dateline", "to_utc_naive"]

# A naive (zone-less) dateline may be up to this far ahead of a UTC reference and still be
# "not in the future": the largest UTC offset in use is +14:00.
NAIVE_SLACK = timedelta(hours=14)
# An aware dateline may run ahead of the reference by clock skew only.
AWARE_SLACK = timedelta(minutes=5)
# Lines longer than this are prose, not metadata: a date inside them is only taken when a
# prefix ("Published", "Posted", ...) or a city dateline introduces it.
SHORT_LINE = 80
# US zones hint that an ambiguous "08/03/2024" is month/day; elsewhere day/month.
_US_ZONES = {"ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT"}

_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_PREFIX = (
    r"(?P<prefix>(?:(?:First\s+|Last\s+)?(?:Published|Posted|Updated|Modified)|Date(?:line)?)"
    r"(?:\s+(?:on|at))?\s*:?\s*)"
)
_CITY = r"(?P<city>[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}\s*(?:\([^)]{1,30}\)\s*)?,\s*)"
_TIME = (
    r"(?:\s*(?:,|\bat\b|-|–|—|\||T)?\s*"
    r"(?:(?P<h>2[0-3]|[01]?\d):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[aApP]\.?\s?[mM]\.?)(?![A-Za-z]))?"
    r"|(?P<h2>1[0-2]|0?[1-9])\s*(?P<ampm2>[aApP]\.?\s?[mM]\.?)(?![A-Za-z])))"
)
_ZONE = rf"(?:\s*\(?(?P<zone>{ZONE_RE}(?![A-Za-z])|(?<=\d)Z|[+-]\d\d:?\d\d)\)?)"
_DATE = (
    rf"(?:(?P<mon>{MONTH_RE})\s+(?P<day>{DAY_RE})(?![\d:])(?:,?\s+(?P<year>{YEAR_RE})(?!\d))?"
    rf"|(?P<day2>{DAY_RE})\s+(?:of\s+)?(?P<mon2>{MONTH_RE})(?:,?\s+(?P<year2>{YEAR_RE})(?!\d))?"
    rf"|(?P<iy>{YEAR_RE})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    rf"|(?P<yy>{YEAR_RE})/(?P<ym>[01]?\d)/(?P<yd>[0-3]?\d)"
    r"|(?P<n1>[0-3]?\d)(?P<sep>[./-])(?P<n2>[0-3]?\d)(?P=sep)(?P<n3>\d{4}|\d\d)(?!\d))"
)


@dataclass(frozen=True)
class Dateline:
    value: datetime
    date_only: bool
    start: int
    end: int


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(
        rf"{_PREFIX}?{_CITY}?(?:{_WEEKDAY},?\s+)?{_DATE}(?:{_TIME}{_ZONE}?)?"
        r"(?:\s*\((?:Reuters|AP|AFP|UPI|Bloomberg|dpa|Xinhua|IANS|PTI)\))?"
    )


def to_utc_naive(value: datetime) -> datetime:
    """A datetime as naive UTC (naive input is taken to be UTC already)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _not_future(value: datetime, reference: datetime | None) -> bool:
    if reference is None:
        return True
    ref = to_utc_naive(reference)
    if value.tzinfo is None:
        return value <= ref + NAIVE_SLACK
    return to_utc_naive(value) <= ref + AWARE_SLACK


def _year(n: str) -> int:
    y = int(n)
    return y if y >= 100 else (2000 + y if y < 70 else 1900 + y)


def _dates(m: re.Match[str], reference: datetime | None) -> list[tuple[int, int, int]]:
    """Candidate (year, month, day) readings in order of preference; year 0 = unknown."""
    g = m.groupdict()
    if g["mon"] or g["mon2"]:
        mon = month_number(g["mon"] or g["mon2"])
        day = int(re.sub(r"\D", "", g["day"] or g["day2"]))
        year = g["year"] or g["year2"]
        if year:
            return [(int(year), mon, day)]
        base = reference.year if reference else 0
        return [(base, mon, day), (base - 1, mon, day)] if base else [(0, mon, day)]
    if g["iy"]:
        return [(int(g["iy"]), int(g["im"]), int(g["id"]))]
    if g["yy"]:
        return [(int(g["yy"]), int(g["ym"]), int(g["yd"]))]
    a, b, y = int(g["n1"]), int(g["n2"]), _year(g["n3"])
    day_first = [(y, b, a), (y, a, b)]
    if g["sep"] == "/" and (g["zone"] or "").upper() in _US_ZONES:
        day_first.reverse()
    return day_first


def _zone(m: re.Match[str], source_tz: str | None) -> tzinfo | None:
    if m.group("zone"):
        return zone_of(m.group("zone"))
    if source_tz:
        try:
            return ZoneInfo(source_tz)
        except (ValueError, KeyError, OSError):
            return None
    return None


def _build(m: re.Match[str], reference: datetime | None, source_tz: str | None) -> Dateline | None:
    g = m.groupdict()
    hour = minute = second = 0
    has_time = bool(g["h"] or g["h2"])
    if has_time:
        hour = int(g["h"] or g["h2"])
        minute, second = int(g["mi"] or 0), int(g["s"] or 0)
        ampm = (g["ampm"] or g["ampm2"] or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    tz = _zone(m, source_tz) if has_time else None
    for year, month, day in _dates(m, reference):
        if year == 0:
            return None
        try:
            value = datetime(year, month, day, hour, minute, second, tzinfo=tz)
        except ValueError:
            continue
        if _not_future(value, reference):
            return Dateline(value, not has_time, m.start(), m.end())
    return None


def parse_dateline(
    line: str, reference: datetime | None = None, source_tz: str | None = None
) -> Dateline | None:
    """Parse a dateline at the start of a line (junk may follow); None if there is none."""
    stripped = line.strip()
    offset = len(line) - len(line.lstrip())
    m = _pattern().match(stripped)
    if m is not None:
        complete = bool(m.group("year") or m.group("year2") or m.group("h") or m.group("h2"))
        complete = complete or not (m.group("mon") or m.group("mon2"))
        if complete or m.group("prefix") or m.group("city") or len(stripped) <= SHORT_LINE:
            found = _build(m, reference, source_tz)
            if found is not None:
                return Dateline(
                    found.value, found.date_only, found.start + offset, found.end + offset
                )
    return None


def find_dateline(
    line: str,
    reference: datetime | None = None,
    source_tz: str | None = None,
    *,
    metadata: bool = True,
) -> Dateline | None:
    """A dateline at the line start, else one introduced by "Published ..." inside it.

    On a known metadata line (metadata=True) a full date with a year anywhere in a short line
    also counts; body lines (metadata=False) could be headlines naming an event's date.
    """
    found = parse_dateline(line, reference, source_tz)
    if found is not None:
        return found
    for m in _pattern().finditer(line):
        short = metadata and len(line.strip()) <= SHORT_LINE
        if m.group("prefix") or (short and (m.group("year") or m.group("year2"))):
            built = _build(m, reference, source_tz)
            if built is not None:
                return built
    return None
