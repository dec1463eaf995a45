"""Rules for calendar dates and clock times: "January 27, 2022", "2008", "4:40 p.m. ET"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import NamedTuple

from streams.core.temporal.lexicon import (
    DAY_RE,
    FULL_MONTH_RE,
    FULL_WEEKDAY_RE,
    MONTH_NAMES,
    MONTH_RE,
    SPELLED_YEAR_RE,
    WEEKDAY_NAMES,
    WEEKDAYS,
    YEAR_RE,
    ZONE_RE,
    month_number,
    spelled_year,
    zone_of,
)
from streams.core.temporal.resolve import (
    SAME_DAY,
    Anchor,
    clause_tense,
    month_year,
    shift_days,
    tense,
    weekday_date,
)

__all__ = [
    "Found",
    "Handler",
    "TimexRule",
    "DIGITS",
    "WORD_NEXT",
    "date_rules",
    "clock_value",
    "PARTS_OF_DAY",
]

Found = tuple[int, int, str, str]  # start, end, TIMEX3 type, value
Handler = Callable[[re.Match[str], str, Anchor], Found | None]


class TimexRule(NamedTuple):
    """A pattern, its handler, the lower-case words one of which every match contains (a
    digit stands for any number), how many characters before such a word a match may start
    and how far after the word's start it may end."""

    pattern: re.Pattern[str]
    handler: Handler
    triggers: tuple[str, ...]
    back: int
    ahead: int


DIGITS = tuple("0123456789")
#: After the leading \b of a rule whose every match starts with a word character: a no-op for
#: what matches, but the scan then drops the boundaries at word ends at once instead of trying
#: every alternative there (the window scans of the longest rules take ~40% less time;
#: tests/core/temporal/test_timex_scan.py checks that the matches stay the same).
WORD_NEXT = r"(?=\w)"
_MONTH_WORDS = tuple(name[:3] for name in MONTH_NAMES)

PARTS_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
# "May" alone is a month only after one of these words ("in May", not "Theresa May").
_MAY_TRIGGER = re.compile(
    r"\b(?:in|since|until|by|from|through|during|of|last|next|this|early|late|mid|end)[\s-]+$"
)
# A plural noun right after a number counts things ("sold 1999 cars") unless a preposition
# makes it a year ("in 2015 sales rose"); verbs in -s that often follow a year are exempt.
_COUNTED_AFTER = re.compile(r"\s+(?!(?:marks|sees|brings|begins|ends|means|remains)\b)[a-z]{2,}s\b")
# A year outside 1900-2099 needs one of these words before it ("in 1776").
_YEAR_TRIGGER = re.compile(r"\b(?:in|since|until|by|of|during|from|year)\s+$", re.IGNORECASE)
_MOD = r"(?:(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)[\s-]+)"
# "p.m.", "pm", "PM", "P.M.", "p.m" (a sentence's full stop may have eaten the last dot).
_AMPM = r"[aApP]\.?[mM]\.?(?![A-Za-z])"
_CLOCK = (
    rf"(?:(?P<h>2[0-3]|[01]?\d):(?P<mi>[0-5]\d)(?::[0-5]\d)?(?:\s*(?P<ap>{_AMPM}))?"
    rf"|(?P<h2>1[0-2]|0?[1-9])(?:\.(?P<mi2>[0-5]\d))?\s*(?P<ap2>{_AMPM})"
    r"|(?P<h3>1[0-2]|0?[1-9])\s+(?:o'clock\s+)?in\s+the\s+(?P<pod3>morning|afternoon|evening)"
    r"|(?P<noon>noon|midnight|midday))"
    rf"(?:\s*\(?(?P<zone>{ZONE_RE}(?:\s?[+-]\s?\d{{1,2}})?)\b\)?)?"
)
# Words after a 4-digit number that show it is a quantity, not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per cent|million|billion|people|employees|jobs|units|cars|planes|"
    r"aircraft|km|kilometres|kilometers|miles|kg|tonnes|tons|feet|metres|meters|"
    r"passengers|seats|points|\d)",
    re.IGNORECASE,
)


def _hour_minute(m: re.Match[str]) -> tuple[int, int]:
    """The 24-hour clock of a _CLOCK match ("4:40 p.m." -> 16:40, "4 in the morning" -> 4:00)."""
    noon = m.group("noon")
    if noon:
        return (0, 0) if noon.lower() == "midnight" else (12, 0)
    if m.group("h3"):
        hour = int(m.group("h3"))
        late = m.group("pod3").lower() != "morning"
        return (hour + 12 if late and hour < 12 else hour % 12 if not late else hour), 0
    hour = int(m.group("h") or m.group("h2"))
    minute = int(m.group("mi") or m.group("mi2") or 0)
    ap = (m.group("ap") or m.group("ap2") or "").lower()
    if ap.startswith("p") and hour < 12:
        hour += 12
    elif ap.startswith("a") and hour == 12:
        hour = 0
    return hour, minute


def _has_clock(m: re.Match[str]) -> bool:
    """Whether a pattern built with _CLOCK matched a clock time."""
    return any(m.group(g) for g in ("h", "h2", "h3", "noon"))


def clock_value(m: re.Match[str], day: str) -> str | None:
    """TIMEX3 value of a clock time on `day` (YYYY-MM-DD), with Z or an offset for a zone."""
    hour, minute = _hour_minute(m)
    value = f"{day}T{hour:02d}:{minute:02d}"
    zone = m.group("zone")
    if zone and not day.startswith("X"):
        tz = zone_of(zone)
        if tz is UTC:
            return value + "Z"
        if tz is not None:
            offset = datetime.fromisoformat(value).replace(tzinfo=tz).utcoffset()
            if offset is not None:
                minutes = int(offset.total_seconds() // 60)
                sign = "-" if minutes < 0 else "+"
                value += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return value


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


def _day_text(m: re.Match[str], text: str, anchor: Anchor) -> tuple[str, bool] | None:
    """(value, has_day) of the date part of a month-name match."""
    g = m.groupdict()
    mon = month_number(g["mon"] or g["mon2"] or g["mon3"])
    raw_day = g["day"] or g["day2"]
    year_s = g["year"] or g["year2"] or g["year3"]
    if g["year3w"]:
        year_s = str(spelled_year(g["year3w"]) or "") or None
    at = m.start("mon3")
    if g["mon3"] == "May" and not year_s and not _MAY_TRIGGER.search(text, max(0, at - 12), at):
        return None
    if year_s:
        year: int | None = int(year_s)
    elif g["mrel"]:
        year = _named_month_year(anchor, mon, g["mrel"].lower())
    elif g["yrel"]:
        shift = {"this": 0, "last": -1, "next": 1}[g["yrel"]]
        year = anchor.year + shift if anchor is not None else None
    else:
        year = month_year(anchor, mon, clause_tense(text, m.start(), m.end()))
    ys = f"{year:04d}" if year is not None else "XXXX"
    if raw_day:
        day = int(re.sub(r"\D", "", raw_day))
        if year is not None and not _valid(year, mon, day):
            return None
        return f"{ys}-{mon:02d}-{day:02d}", True
    return f"{ys}-{mon:02d}", False


def _named_month_year(anchor: Anchor, month: int, rel: str) -> int | None:
    """Year of "last April" (the latest April before this month), "this April" (this
    year's) and "next April" (the first April after this month)."""
    if anchor is None:
        return None
    if rel in ("last", "past"):
        return anchor.year - 1 if month >= anchor.month else anchor.year
    if rel == "this":
        return anchor.year
    return anchor.year + 1 if month <= anchor.month else anchor.year


def _month_date(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    got = _day_text(m, text, anchor)
    if got is None:
        return None
    value, has_day = got
    if _has_clock(m):
        if not has_day:
            return None
        clock = clock_value(m, value)
        return (m.start(), m.end(), "TIME", clock) if clock else None
    return m.start(), m.end(), "DATE", value


def _iso(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    if not _valid(y, mo, d):
        return None
    value = f"{y:04d}-{mo:02d}-{d:02d}"
    if m.group("ih"):
        value += f"T{m.group('ih')}:{m.group('imi')}"
        if m.group("iz") in ("Z", "+00:00", "+0000"):
            value += "Z"
        elif m.group("iz"):
            value += m.group("iz")
        return m.start(), m.end(), "TIME", value
    return m.start(), m.end(), "DATE", value


def _numeric(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    a, b, raw_y = int(m.group("n1")), int(m.group("n2")), m.group("n3")
    y = int(raw_y)
    if len(raw_y) == 2:
        y += 2000 if y < 70 else 1900
    # US month/day first for slashes, day.month for dots and dashes; the other reading only
    # when the first is impossible.
    readings = [(a, b), (b, a)] if m.group("sep") == "/" else [(b, a), (a, b)]
    for mo, d in readings:
        if _valid(y, mo, d):
            return m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _year(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    if _NOT_YEAR_AFTER.match(text, m.end()):
        return None
    year = int(m.group("y"))
    before = max(0, m.start() - 12)
    introduced = _YEAR_TRIGGER.search(text, before, m.start())
    if not introduced and (not 1900 <= year <= 2099 or _COUNTED_AFTER.match(text, m.end())):
        return None
    start = m.start("ymod") if m.group("ymod") else m.start("y")
    return start, m.end(), "DATE", f"{year:04d}"


def _weekday(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    part = m.group("wpart")
    if m.group("wpl") or m.group("wpl2"):  # "on Mondays", "Tuesday nights": every one
        code = PARTS_OF_DAY[part.lower()] if part else ""
        number = WEEKDAYS[m.group("wd").lower()] + 1
        return m.start("wd"), m.end(), "SET", f"XXXX-WXX-{number}{code}"
    word = " ".join((m.group("wrel") or "").lower().split()).replace("this coming", "coming")
    explicit = word in ("last", "next", "past", "coming")
    direction = -1 if word in ("last", "past") else 1 if word in ("next", "coming") else 0
    if direction == 0:
        direction = tense(text, m.start(), m.end())
    day = weekday_date(anchor, WEEKDAYS[m.group("wd").lower()], direction, explicit)
    start = m.start("wmod") if m.group("wmod") else m.start("wrel") if explicit else m.start("wd")
    if part:
        return start, m.end(), "TIME", f"{day}{PARTS_OF_DAY[part.lower()]}"
    if _has_clock(m):
        clock = clock_value(m, day)
        return (start, m.end(), "TIME", clock) if clock else None
    return start, m.end(), "DATE", day


_REL_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _clock(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    bare = m.group("h") and not (m.group("ap") or m.group("zone"))
    if bare and len(m.group("h")) < 2 and text[m.end() : m.end() + 1] in ".,:":
        return None  # "3:16," is as likely a ratio or a score as a time; "HH:MM" is taken
    clock = clock_value(m, _clock_day(m, text, anchor))
    if clock and not (m.group("cwd") or m.group("cmon") or m.group("crel")):
        clock = SAME_DAY + clock  # the day the sentence names, once it is known
    return (m.start(), m.end(), "TIME", clock) if clock else None


def _clock_day(m: re.Match[str], text: str, anchor: Anchor) -> str:
    """The day a clock time falls on: the weekday or date after it ("15:00 GMT Saturday",
    "5 p.m. EST Nov. 9"), a relative day ("16:00 UTC today"), else the anchor's day."""
    if m.group("cwd"):
        direction = tense(text, m.start(), m.end())
        return weekday_date(anchor, WEEKDAYS[m.group("cwd").lower()], direction, False)
    if m.group("cmon"):
        mon, day = month_number(m.group("cmon")), int(re.sub(r"\D", "", m.group("cday")))
        year = month_year(anchor, mon, clause_tense(text, m.start(), m.end()))
        if year is None:
            return f"XXXX-{mon:02d}-{day:02d}"
        return (
            f"{year:04d}-{mon:02d}-{day:02d}" if _valid(year, mon, day) else shift_days(anchor, 0)
        )
    rel = (m.group("crel") or "").lower()
    return shift_days(anchor, _REL_DAYS.get(rel, 0))


@cache
def date_rules() -> list[TimexRule]:
    """Compiled (pattern, handler) pairs for calendar dates and clock times."""
    clock_tail = rf"(?:,?\s+(?:at\s+)?{_CLOCK})?"
    month_date = (
        rf"(?:{FULL_WEEKDAY_RE},?\s+)?(?:{_MOD})?"
        rf"(?:(?P<mon>{MONTH_RE})\s+(?P<day>{DAY_RE})(?!\d|:\d)(?:,?\s+(?P<year>{YEAR_RE})(?!\d))?"
        rf"|(?:the\s+)?(?P<day2>{DAY_RE})\s+(?:of\s+)?(?P<mon2>{MONTH_RE})(?:,?\s+(?P<year2>{YEAR_RE})(?!\d))?"
        rf"|(?:(?P<mrel>[Ll]ast|[Tt]his|[Nn]ext|[Cc]oming|[Pp]ast)\s+)?(?P<mon3>{FULL_MONTH_RE})"
        rf"(?:,?\s+(?P<year3>{YEAR_RE})(?!\d)|\s+(?P<year3w>{SPELLED_YEAR_RE})"
        rf"|\s+of\s+(?P<yrel>this|last|next)\s+year)?(?!\s*\d))"
    )
    return [
        TimexRule(
            re.compile(rf"\b{WORD_NEXT}{month_date}{clock_tail}"), _month_date, _MONTH_WORDS, 45, 60
        ),
        TimexRule(
            re.compile(
                r"\b(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
                r"(?:[T ](?P<ih>[0-2]\d):(?P<imi>[0-5]\d)(?::\d\d(?:\.\d+)?)?"
                r"(?P<iz>Z|[+-]\d\d:?\d\d)?)?(?![\d-])"
            ),
            _iso,
            DIGITS,
            2,
            32,
        ),
        TimexRule(
            re.compile(
                r"(?<![\d/.$-])(?P<n1>[0-3]?\d)(?P<sep>[/.-])(?P<n2>[0-3]?\d)(?P=sep)"
                r"(?P<n3>\d{4}|\d\d)(?![\d/-]|\.\d)"
            ),
            _numeric,
            DIGITS,
            2,
            12,
        ),
        TimexRule(
            re.compile(
                r"(?:(?<=\d{4}[-–])|(?<![\w$€£¥.,#/'–-]))(?P<ymod>(?:early|mid|late)[\s-]+|mid-)?"
                rf"(?P<y>{YEAR_RE})(?![\w%]|[.,]\d|[-–](?!(?:\d{{4}}|\d\d)(?![\w-])))"
            ),
            _year,
            DIGITS,
            12,
            8,
        ),
        TimexRule(
            re.compile(
                rf"\b{WORD_NEXT}(?:(?P<wmod>[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?"
                r"(?:(?P<wrel>this\s+coming|last|next|past|this|coming|on)\s+)?"
                rf"(?P<wd>{FULL_WEEKDAY_RE})(?P<wpl>s)?\b"
                r"(?:\s+(?P<wpart>morning|afternoon|evening|night)(?P<wpl2>s)?\b)?"
                rf"(?:,?\s+(?:at\s+)?{_CLOCK})?"
            ),
            _weekday,
            WEEKDAY_NAMES,
            20,
            50,
        ),
        TimexRule(
            re.compile(
                rf"(?<![\d:.$])\b{_CLOCK}(?:,?\s+(?:local\s+time\s+)?"
                r"(?:(?P<crel>today|yesterday|tomorrow|tonight)"
                rf"|(?:on\s+)?(?-i:(?P<cwd>{FULL_WEEKDAY_RE})\b"
                rf"|(?P<cmon>{MONTH_RE})\s+(?P<cday>{DAY_RE})(?!\d|:\d))))?",
                re.IGNORECASE,
            ),
            _clock,
            DIGITS + ("noon", "midnight", "midday"),
            2,
            60,
        ),
    ]
