"""Holidays named without a date ("on Thanksgiving Day", "last Christmas"), from
data/holidays.yaml, resolved to their day in the year the clause points to."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from streams.core.temporal.dates import Found, TimexRule
from streams.core.temporal.lexicon import YEAR_RE, alternation
from streams.core.temporal.resolve import Anchor, tense

__all__ = ["holiday_rules", "holiday_date"]

# A holiday's name before one of these nouns names a season or a thing ("Christmas sales",
# "the Halloween film"), and before a capitalised word a place or an event ("Christmas
# Island", "the Easter Rising"), not the day.
_NOT_THE_DAY = (
    r"(?!\s+(?:sales|season|shopping|period|holidays?|trees?|cards?|gifts?|market|spirit|"
    r"lights|break|quarter|rush|truce|messages?|address|film|movie|songs?|decorations)\b"
    r"|\s+[A-Z][a-z])"
)


@cache
def _table() -> dict[str, Any]:
    raw = resources.files("streams.core.temporal").joinpath("data/holidays.yaml")
    data: dict[str, Any] = yaml.safe_load(raw.read_text("utf-8"))
    return data


@cache
def _names() -> dict[str, tuple[str, Any]]:
    """Holiday name (lower case, straight apostrophe) -> (kind, rule)."""
    return {
        name.lower(): (kind, rule) for kind in _table() for name, rule in _table()[kind].items()
    }


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_date(name: str, year: int) -> date:
    """The day of the named holiday (a key of data/holidays.yaml, any case) in `year`."""
    kind, rule = _names()[name.lower().replace("’", "'")]
    if kind == "fixed":
        return date(year, rule[0], rule[1])
    if kind == "easter":
        return _easter(year) + timedelta(days=int(rule))
    month, weekday, n, earliest = rule
    if n < 0:
        last = date(year, month, monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, earliest)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _holiday(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    name = m.group("hname")
    if m.group("hyear"):
        return m.start(), m.end(), "DATE", holiday_date(name, int(m.group("hyear"))).isoformat()
    if anchor is None:
        return m.start(), m.end(), "DATE", "XXXX-XX-XX"
    rel = (m.group("hrel") or "").lower()
    ahead = rel in ("next", "this coming") or (not rel and tense(text, m.start(), m.end()) > 0)
    today = anchor.date()
    this_year = holiday_date(name, today.year)
    if ahead:
        day = this_year if this_year >= today else holiday_date(name, today.year + 1)
    else:
        day = this_year if this_year <= today else holiday_date(name, today.year - 1)
    return m.start(), m.end(), "DATE", day.isoformat()


@cache
def holiday_rules() -> list[TimexRule]:
    """The holiday rule: a capitalised holiday name, an optional "last"/"next" and year."""
    names = alternation(n.replace("'", "['’]") for n in _table_names())
    names = names.replace("\\['’\\]", "['’]")
    pattern = re.compile(
        r"\b(?:(?P<hrel>[Ll]ast|[Nn]ext|[Tt]his\s+coming)\s+)?"
        rf"(?P<hname>{names})(?![\w'’]){_NOT_THE_DAY}"
        rf"(?:,?\s+(?:of\s+)?(?P<hyear>{YEAR_RE})(?!\d))?"
    )
    triggers = tuple(sorted({name.split()[0].lower() for name in _table_names()}))
    return [TimexRule(pattern, _holiday, triggers, 14, 40)]


def _table_names() -> list[str]:
    return [name for kind in _table() for name in _table()[kind]]
