"""Datelines, read by one grammar: "KYIV, March 5 (Reuters) -", "27 January, 16:40",
"Posted: 2025-02-17 06:20 UTC", "16:40, 27 января 2022".

A dateline is an optional stamp word ("Published", "Updated"), an optional place in capitals
with its region, an optional weekday, a date and/or a clock time with its zone, an optional
agency in parentheses and an optional dash. `match_dateline` reads one at a position and
returns every part it found; each user takes the parts it needs: the cleaner the stamp lines
under a headline (no place), the publication time the date and time, the entities the place
and the agency. The calendar words come from data/calendar.yaml, in several languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from streams.core.temporal.lexicon import (
    ALL_MONTHS,
    ALL_WEEKDAYS,
    DAY_RE,
    ZONE_RE,
    alternation,
    calendar,
    month_number,
    zone_of,
)

__all__ = [
    "Dateline",
    "match_dateline",
    "line_datelines",
    "parse_dateline",
    "find_dateline",
    "to_utc_naive",
    "is_updated_stamp",
]

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
# Lower-case letters a month or a clock's am/pm must not run on into ("Mar" in "March").
_LOWER = "a-zа-яёіїєґàâçéèêëîïôûùüÿñæœäöß"


@dataclass(frozen=True)
class Dateline:
    """What a dateline holds; offsets index the string it was read from.

    `value` is the date and time it names (aware when a zone is known, naive for a local
    wall-clock time), None when it names none or no reading is valid; `date_only` when it
    names no time of day.
    """

    start: int
    end: int
    value: datetime | None = None
    date_only: bool = False
    has_date: bool = False
    has_time: bool = False
    has_year: bool = False  # the date names its year (all-digit dates always do)
    stamp: str | None = None  # the stamp word, "Published", "Updated", ...
    place: tuple[int, int] | None = None  # the place in capitals ("KYIV")
    region: str | None = None  # its region or country ("Pakistan", "Calif.")
    agency: tuple[int, int] | None = None  # the agency in parentheses, without them
    dash: bool = False  # ends with a dash, as a wire dateline before its first sentence


def _year(suffix: str) -> str:
    return rf"(?P<year{suffix}>(?:1[6-9]\d\d|2\d\d\d)(?!\d)(?:[ \t]*(?:г\.|года|г|року|р\.))?)"


def _date(s: str) -> str:
    """The date forms; `s` suffixes the group names (a pattern may hold two dates)."""
    month = rf"(?:{alternation(ALL_MONTHS)})\.?(?-i:(?![{_LOWER}]))"
    day = rf"(?:{DAY_RE})"
    return (
        rf"(?:(?P<mon{s}>{month})[ \t]+(?P<day{s}>{day})(?![\d:])(?:,?[ \t]+{_year(s)})?"
        rf"|(?P<dday{s}>{day})[ \t]+(?:of[ \t]+)?(?P<dmon{s}>{month})(?:,?[ \t]+{_year('d' + s)})?"
        rf"|(?P<iy{s}>\d{{4}})-(?P<im{s}>[01]\d)-(?P<id{s}>[0-3]\d)(?!\d)"
        rf"|(?P<yy{s}>\d{{4}})/(?P<ym{s}>[01]?\d)/(?P<yd{s}>[0-3]?\d)(?!\d)"
        rf"|(?P<n1{s}>[0-3]?\d)(?P<sep{s}>[./-])(?P<n2{s}>[0-3]?\d)(?P=sep{s})"
        rf"(?P<n3{s}>\d{{4}}|\d\d)(?!\d))"
    )


def _clock(s: str) -> str:
    """A clock time with an optional zone; `s` suffixes the group names."""
    ampm = rf"[ap]\.?[ \t]?m\.?(?-i:(?![{_LOWER}A-Z]))"
    return (
        rf"(?:(?P<h{s}>2[0-3]|[01]?\d):(?P<mi{s}>[0-5]\d)(?::(?P<sec{s}>[0-5]\d)(?:\.\d+)?)?"
        rf"(?:[ \t]*(?P<ampm{s}>{ampm}))?"
        rf"|(?P<hh{s}>1[0-2]|0?[1-9])[ \t]*(?P<hampm{s}>{ampm}))"
        rf"(?:[ \t]*\(?(?P<zone{s}>(?-i:{ZONE_RE})(?![A-Za-z])|{_zone_words()}(?![\w])"
        rf"|(?<=\d)Z|[+-]\d\d:?\d\d)\)?)?"
    )


def _zone_words() -> str:
    """Zone names written in lower case too ("мск"); the abbreviations must be capitals."""
    return r"(?:по[ \t]+московскому[ \t]+времени|по[ \t]+мск|мск)"


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(_grammar(), re.IGNORECASE)


@cache
def _line_pattern() -> re.Pattern[str]:
    """The grammar at every line start, after quote marks or bullets."""
    return re.compile(rf"(?m)^[ \t\"“*•]*(?:{_grammar()})", re.IGNORECASE)


def _grammar() -> str:
    words = calendar()["stamp_prefixes"]
    stamps = alternation(w for group in words.values() for w in group)
    weekday = rf"(?:{alternation(ALL_WEEKDAYS)})\.?,?[ \t]+"
    caps = r"[A-Z][A-Z'’.-]*[A-Z.]"
    place = (
        rf"(?-i:(?P<place>{caps}(?:[ -]{caps}){{0,3}})"
        r"(?:,[ \t]+(?P<region>[A-Z][\w.'’]*(?:[ -][A-Z][\w.'’]*){0,3}))?)"
    )
    sep = r"(?:[ \t]*(?:,|\||/|·|•|-|–|—|\bat\b|\bв\b|T)?[ \t]*)"
    when = rf"(?:{_date('')}(?:{sep}{_clock('')})?|{_clock('c')}(?:{sep}{_date('c')})?)"
    return (
        rf"(?:(?P<stamp>{stamps})(?:[ \t]+(?:on|at))?[ \t]*:?[ \t]*)?"
        rf"(?:{place}(?:,[ \t]*|[ \t]+|(?=[ \t]*\()))?"
        rf"(?:{weekday})?"
        rf"(?:(?P<when>{when})|(?=[ \t]*\())"
        r"(?:[ \t]*\((?-i:(?P<agency>[A-Z][^()\n]{1,40}))\))?"
        r"(?P<dash>[ \t]*[-–—])?"
    )


def _group(match: re.Match[str], *names: str) -> str | None:
    """The first of the named groups (in both the date-first and the time-first branch)."""
    for name in names:
        for suffix in ("", "c"):
            value = match.group(name + suffix)
            if value is not None:
                return value
    return None


def match_dateline(
    text: str,
    pos: int = 0,
    reference: datetime | None = None,
    source_tz: str | None = None,
    *,
    search: bool = False,
) -> Dateline | None:
    """The dateline that starts at `pos` (or, with `search`, the first one after it).

    None when nothing there is a dateline: a dateline names a date or a time, or a place
    followed by an agency.
    """
    matches = _pattern().finditer(text, pos) if search else [_pattern().match(text, pos)]
    for m in matches:
        if m is not None and (m.group("when") or (m.group("place") and m.group("agency"))):
            return _read(m, reference, source_tz)
    return None


def line_datelines(
    text: str, reference: datetime | None = None, source_tz: str | None = None
) -> Iterator[Dateline]:
    """Every dateline that opens a line of text (after quote marks or bullets)."""
    for m in _line_pattern().finditer(text):
        if m.group("when") or (m.group("place") and m.group("agency")):
            yield _read(m, reference, source_tz)


def _read(m: re.Match[str], reference: datetime | None, source_tz: str | None) -> Dateline:
    has_date = bool(_group(m, "mon", "dday", "iy", "yy", "n1"))
    has_time = bool(_group(m, "h", "hh"))
    value = _value(m, reference, source_tz) if has_date else None
    agency = None
    if m.group("agency") is not None:
        start = m.start("agency")
        agency = (start, start + len(m.group("agency").rstrip()))
    return Dateline(
        start=m.start(),
        end=m.end(),
        value=value,
        date_only=not has_time,
        has_date=has_date,
        has_time=has_time,
        has_year=bool(_group(m, "year", "yeard", "iy", "yy", "n1")),
        stamp=m.group("stamp"),
        place=m.span("place") if m.group("place") else None,
        region=m.group("region"),
        agency=agency,
        dash=m.group("dash") is not None,
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


def _full_year(digits: str) -> int:
    y = int(digits)
    return y if y >= 100 else (2000 + y if y < 70 else 1900 + y)


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _dates(m: re.Match[str], reference: datetime | None) -> list[tuple[int, int, int]]:
    """Candidate (year, month, day) readings in order of preference; year 0 = unknown."""
    month = _group(m, "mon", "dmon")
    if month:
        day = _digits(_group(m, "day", "dday") or "")
        year = _group(m, "year", "yeard")
        if year:
            return [(int(year[:4]), month_number(month), day)]
        base = reference.year if reference else 0
        readings = [(base, month_number(month), day)]
        return readings + [(base - 1, month_number(month), day)] if base else readings
    if _group(m, "iy"):
        return [(int(_group(m, "iy") or 0), int(_group(m, "im") or 0), int(_group(m, "id") or 0))]
    if _group(m, "yy"):
        return [(int(_group(m, "yy") or 0), int(_group(m, "ym") or 0), int(_group(m, "yd") or 0))]
    a, b = int(_group(m, "n1") or 0), int(_group(m, "n2") or 0)
    y = _full_year(_group(m, "n3") or "0")
    day_first = [(y, b, a), (y, a, b)]
    zone = (_group(m, "zone") or "").upper()
    if _group(m, "sep") == "/" and zone in _US_ZONES:
        day_first.reverse()
    return day_first


def _clock_of(m: re.Match[str]) -> tuple[int, int, int]:
    """Hour, minute and second of the clock time (midnight when there is none)."""
    hour_text = _group(m, "h", "hh")
    if hour_text is None:
        return 0, 0, 0
    hour = int(hour_text)
    minute, second = int(_group(m, "mi") or 0), int(_group(m, "sec") or 0)
    ampm = (_group(m, "ampm", "hampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return hour, minute, second


def _zone(m: re.Match[str], source_tz: str | None) -> tzinfo | None:
    named = _group(m, "zone")
    if named:
        return zone_of(" ".join(named.split()))
    if source_tz:
        try:
            return ZoneInfo(source_tz)
        except (ValueError, KeyError, OSError):
            return None
    return None


def _value(m: re.Match[str], reference: datetime | None, source_tz: str | None) -> datetime | None:
    """The first valid, not-future reading of the date and time, or None."""
    hour, minute, second = _clock_of(m)
    tz = _zone(m, source_tz) if _group(m, "h", "hh") else None
    for year, month, day in _dates(m, reference):
        if year == 0:
            return None
        try:
            value = datetime(year, month, day, hour, minute, second, tzinfo=tz)
        except ValueError:
            continue
        if _not_future(value, reference):
            return value
    return None


def parse_dateline(
    line: str, reference: datetime | None = None, source_tz: str | None = None
) -> Dateline | None:
    """A dated dateline at the start of a line (junk may follow); None if there is none.

    A date without a year or a time counts only on a short line, or after a stamp word or a
    place: in a longer line it may be an event's date in a sentence.
    """
    offset = len(line) - len(line.lstrip())
    found = match_dateline(line, offset, reference, source_tz)
    if found is None or found.value is None:
        return None
    complete = found.has_time or found.has_year
    short = len(line.strip()) <= SHORT_LINE
    return found if complete or found.stamp or found.place or short else None


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
    short = metadata and len(line.strip()) <= SHORT_LINE
    for m in _pattern().finditer(line):
        if m.group("when") is None:
            continue
        later = _read(m, reference, source_tz)
        if later.value is not None and (later.stamp or (short and later.has_year)):
            return later
    return None


def is_updated_stamp(found: Dateline) -> bool:
    """Whether the dateline's stamp word says a later edit ("Updated", "Last modified")."""
    if not found.stamp:
        return False
    updated = calendar()["stamp_prefixes"]["updated"]
    return " ".join(found.stamp.split()).casefold() in {w.casefold() for w in updated}
