"""Word tables shared by the dateline and time-expression rules: months, numbers, zones."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml

__all__ = [
    "ALL_MONTHS",
    "ALL_WEEKDAYS",
    "MONTHS",
    "MONTH_NAMES",
    "WEEKDAY_NAMES",
    "WEEKDAYS",
    "NUMBER_WORDS",
    "MONTH_RE",
    "FULL_MONTH_RE",
    "FULL_WEEKDAY_RE",
    "DAY_RE",
    "YEAR_RE",
    "NUMBER_RE",
    "SPELLED_YEAR_RE",
    "spelled_year",
    "ZONE_RE",
    "alternation",
    "calendar",
    "month_number",
    "number_value",
    "zone_abbreviations",
    "zone_of",
]


@cache
def calendar() -> dict[str, Any]:
    """The calendar words of data/calendar.yaml: months, weekdays and stamp prefixes."""
    raw = resources.files("streams.core.temporal").joinpath("data/calendar.yaml")
    data: dict[str, Any] = yaml.safe_load(raw.read_text("utf-8"))
    return data


def _numbered(kind: str, languages: tuple[str, ...] | None = None) -> dict[str, int]:
    """Every form of every month (1-12) or weekday (0-6) of `kind`, in the given languages."""
    first = 1 if kind == "months" else 0
    return {
        form: number
        for language, entries in calendar()[kind].items()
        if languages is None or language in languages
        for number, forms in enumerate(entries, start=first)
        for form in forms
    }


#: English month names and abbreviations -> month number ("sept" -> 9).
MONTHS: dict[str, int] = _numbered("months", ("en",))
#: English weekday names and abbreviations -> weekday number (Monday = 0).
WEEKDAYS: dict[str, int] = _numbered("weekdays", ("en",))
#: The full English names, in calendar order (January first, Monday first), lower case.
MONTH_NAMES: tuple[str, ...] = tuple(forms[0] for forms in calendar()["months"]["en"])
WEEKDAY_NAMES: tuple[str, ...] = tuple(forms[0] for forms in calendar()["weekdays"]["en"])
#: Month and weekday forms of every language the dateline parser reads.
ALL_MONTHS: dict[str, int] = _numbered("months")
ALL_WEEKDAYS: dict[str, int] = _numbered("weekdays")

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "half": 0.5, "a half": 0.5, "a couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first so prefixes never win early."""
    unique = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


def _capitalised(names: Iterable[str]) -> str:
    return "(?:" + "|".join(name.capitalize() for name in names) + ")"


def _english_months() -> str:
    entries = calendar()["months"]["en"]
    short = alternation(form.capitalize() for forms in entries for form in forms[1:])
    return rf"(?:{_capitalised(MONTH_NAMES)}|(?:{short})\.?)"


# Capitalised only: "may" and "march" in lower case are verbs far more often than months.
#: A month's full name ("January").
FULL_MONTH_RE = _capitalised(MONTH_NAMES)
#: A month's full name or abbreviation ("January", "Jan.", "Sept").
MONTH_RE = _english_months()
#: A weekday's full name ("Monday").
FULL_WEEKDAY_RE = _capitalised(WEEKDAY_NAMES)
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
_UNITS_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety"
)
NUMBER_RE = (
    rf"(?:\d+(?:\.\d+)?|(?:{_UNITS_WORDS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"(?: hundred)?|a (?:hundred|thousand)|a couple of|a dozen|an?)"
)
_ORD_SUFFIX = re.compile(r"(?:st|nd|rd|th)$")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
#: A year said in words, as broadcast transcripts write it: "nineteen ninety-six",
#: "nineteen o five", "eighteen twelve" (no groups; read it with spelled_year).
SPELLED_YEAR_RE = (
    rf"(?:(?:[Nn]ineteen|[Ee]ighteen)[\s-]+(?:hundred(?:[\s-]+and)?[\s-]+)?"
    rf"(?:(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_TEENS}|o[\s-]+(?:{_ONES}))\b)"
)


def month_number(word: str) -> int:
    """Month number of a month name or abbreviation ("Sept." -> 9); KeyError if unknown."""
    return ALL_MONTHS[word.rstrip(".").lower()]


def number_value(text: str) -> float | None:
    """Numeric value of digits or English number words ("twenty-five" -> 25), else None."""
    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    try:
        return float(_ORD_SUFFIX.sub("", t))
    except ValueError:
        pass
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    total = 0.0
    for part in re.split(r"[- ]+", t):
        if part in ("hundred", "thousand"):
            total = (total or 1) * (100 if part == "hundred" else 1000)
        elif part in NUMBER_WORDS:
            total += NUMBER_WORDS[part]
        else:
            return None
    return total


def spelled_year(text: str) -> int | None:
    """The year a SPELLED_YEAR_RE match says ("nineteen ninety-six" -> 1996)."""
    words = re.split(r"[\s-]+", text.lower())
    century = number_value(words[0])
    rest = [w for w in words[1:] if w not in ("hundred", "and", "o")]
    low = number_value(" ".join(rest)) if rest else 0
    if century is None or low is None:
        return None
    return int(century) * 100 + int(low)


@cache
def zone_abbreviations() -> dict[str, str]:
    """Zone abbreviation -> IANA zone name, from data/time_zones.yaml (loaded once)."""
    raw = (
        resources.files("streams.core.temporal").joinpath("data/time_zones.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(raw)
    return {str(k).upper(): str(v) for k, v in data.items()}


#: A zone after a clock time: an offset from UTC or GMT, or a name of data/time_zones.yaml
#: ("Z" alone is left to the callers: only a dateline reads it, right after the digits).
ZONE_RE = (
    r"(?:(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d\d)?|"
    + alternation(name for name in zone_abbreviations() if name != "Z")
    + ")"
)
_OFFSET = re.compile(r"(?:UTC|GMT)?\s?([+-])\s?(\d{1,2})(?::?(\d\d))?$")


@cache
def zone_of(name: str) -> tzinfo | None:
    """tzinfo for a zone abbreviation ("ET"), an offset ("GMT+8", "+03:00") or an IANA name."""
    key = name.strip()
    upper = key.upper()
    abbrs = zone_abbreviations()
    if upper in abbrs:
        return ZoneInfo(abbrs[upper]) if abbrs[upper] != "UTC" else UTC
    m = _OFFSET.match(upper)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        if minutes > 14 * 60:
            return None
        return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):
        return None
