"""Word tables shared by the dateline and time-expression rules: months, numbers, zones."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "NUMBER_WORDS",
    "MONTH_RE",
    "DAY_RE",
    "YEAR_RE",
    "NUMBER_RE",
    "ZONE_RE",
    "month_number",
    "number_value",
    "zone_abbreviations",
    "zone_of",
]

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "half": 0.5, "a half": 0.5, "a couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip

_FULL_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_ABBR_MONTHS = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
# Capitalised only: "may" and "march" in lower case are verbs far more often than months.
MONTH_RE = rf"(?:{_FULL_MONTHS}|{_ABBR_MONTHS})"
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
_UNITS_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety"
)
NUMBER_RE = (
    rf"(?:\d+(?:\.\d+)?|(?:{_UNITS_WORDS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"(?: hundred)?|a couple of|a dozen|an?)"
)
_ORD_SUFFIX = re.compile(r"(?:st|nd|rd|th)$")


def month_number(word: str) -> int:
    """Month number of a month name or abbreviation ("Sept." -> 9); KeyError if unknown."""
    return MONTHS[word.rstrip(".").lower()]


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
        if part == "hundred":
            total = (total or 1) * 100
        elif part in NUMBER_WORDS:
            total += NUMBER_WORDS[part]
        else:
            return None
    return total


@cache
def zone_abbreviations() -> dict[str, str]:
    """Zone abbreviation -> IANA zone name, from data/time_zones.yaml (loaded once)."""
    raw = (
        resources.files("streams.core.temporal").joinpath("data/time_zones.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(raw)
    return {str(k).upper(): str(v) for k, v in data.items()}


# Must list the abbreviations of data/time_zones.yaml (checked by a unit test).
ZONE_RE = (
    r"(?:(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d\d)?"
    r"|UTC|GMT|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|AKST|HST|BST|WET|WEST|CET|CEST"
    r"|EET|EEST|MSK|IST|PKT|HKT|SGT|JST|KST|AEST|AEDT|AWST|NZST|NZDT|SAST|EAT|WAT)"
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
