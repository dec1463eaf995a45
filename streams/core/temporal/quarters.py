"""Rules for quarters and reporting periods: "Q3 2022", "the 1988 second quarter", "this
year's third quarter", "the latest quarter", "the year-ago period".

Results stories compare a reporting quarter with the same quarter a year before; TIMEX3
gives such a comparison the quarter's granularity (1988-Q3), not the year's.
"""

from __future__ import annotations

import re
from functools import cache

from streams.core.temporal.dates import DIGITS, Found, TimexRule
from streams.core.temporal.lexicon import YEAR_RE
from streams.core.temporal.resolve import Anchor, quarter_value, tense, year_value

__all__ = ["quarter_rules", "context_quarter", "reported_quarter"]

_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4}  # fmt: skip
_ORDINAL_RE = "|".join(_ORDINAL)
# A quarter's or a half's position in its year; "the final quarter" is the fourth.
_POSITION = {**_ORDINAL, "final": 4, "last": 4}
# A quarter named in a sentence ("the third quarter", "third-quarter profit", "the quarter").
_QUARTER_WORD = re.compile(rf"\b(?:(?P<qo>{_ORDINAL_RE})[\s-]+)?quarter\b", re.IGNORECASE)
# How far back (characters) a quarter named earlier still sets the reporting period: about
# the sentence and the one before it (on the TBAQ tuning split 600 scored 0.001 lower; the
# shorter reach also keeps a story's other topics out).
CONTEXT_REACH = 300


def reported_quarter(anchor: Anchor) -> tuple[int, int] | None:
    """(year, quarter) of the last quarter completed before the anchor: the one a results
    story published then reports on."""
    if anchor is None:
        return None
    index = anchor.year * 4 + (anchor.month - 1) // 3 - 1
    return index // 4, index % 4 + 1


def context_quarter(text: str, start: int, anchor: Anchor) -> tuple[int, int] | None:
    """The reporting quarter when the text just before `start` speaks of a quarter, else None.

    A named quarter ("third-quarter results") gives its number, the last completed quarter
    its year.
    """
    reported = reported_quarter(anchor)
    if reported is None:
        return None
    lo = max(0, start - CONTEXT_REACH)
    named = list(_QUARTER_WORD.finditer(text, lo, start))
    if not named:
        return None
    found = named[-1]
    if not found.group("qo"):
        return reported
    # a fiscal quarter's number need not follow the calendar: it keeps the reported year
    return reported[0], _ORDINAL[found.group("qo").lower()]


def _quarter_of_year(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the 1988 second quarter", "this year's third quarter", "last year's quarter"."""
    if m.group("qyear"):
        year: int | None = int(m.group("qyear"))
    else:
        shift = {"this": 0, "last": -1, "next": 1}[m.group("qrel").lower()]
        year = anchor.year + shift if anchor is not None else None
    if m.group("qnum"):
        number: int | None = _ORDINAL[m.group("qnum").lower()]
    else:
        reported = reported_quarter(anchor)
        number = reported[1] if reported else None
    ys = f"{year:04d}" if year is not None else "XXXX"
    return m.start(), m.end(), "DATE", f"{ys}-Q{number or 'X'}"


def _reporting(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the latest quarter" -> the last completed one; "the current quarter" -> the
    anchor's; "the year-ago quarter" -> a year before the reported one; "year-earlier"
    alone -> that quarter when the story speaks of quarters, else the year before."""
    if m.group("latest") and m.group("latest").lower() == "current":
        if anchor is None:
            return None
        return m.start(), m.end(), "DATE", f"{anchor.year:04d}-Q{(anchor.month - 1) // 3 + 1}"
    start = m.start("the") if m.group("the") else m.start()
    named = None if m.group("latest") else context_quarter(text, start, anchor)
    reported = named or reported_quarter(anchor)
    if reported is None:
        return None
    year, number = reported
    if m.group("ago"):
        year -= 1
        if not m.group("unit2") and named is None:
            return start, m.end(), "DATE", f"{year:04d}"
    return start, m.end(), "DATE", f"{year:04d}-Q{number}"


def _quarter(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the third quarter of 2022", "Q3", "the first half" (a quarter without a year is
    placed by the tense)."""
    g = m.groupdict()
    if g["qn"]:
        q = int(g["qn"])
        year: int | None = int(g["qy2"]) if g["qy2"] else 2000 + int(g["qy3"]) if g["qy3"] else None
    else:
        q = _POSITION[g["qo"].lower()]
        year = int(g["qy"]) if g["qy"] else None
        if g["qrel"] and anchor is not None:
            year = anchor.year + {"last": -1, "next": 1}.get(g["qrel"].lower(), 0)
        if g["qh"].lower() == "half":
            if q > 2:
                return None
            ys = f"{year:04d}" if year else (year_value(anchor, 0))
            return m.start(), m.end(), "DATE", f"{ys}-H{q}"
    if year is None and anchor is None:
        return m.start(), m.end(), "DATE", f"XXXX-Q{q}"
    direction = tense(text, m.start(), m.end())
    return m.start(), m.end(), "DATE", quarter_value(anchor, q, year, direction)


@cache
def quarter_rules() -> list[TimexRule]:
    """Compiled (pattern, handler) pairs for quarters named by their year or their role."""
    i = re.IGNORECASE
    return [
        TimexRule(
            re.compile(
                r"\b(?:the\s+)?(?P<qo>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+"
                r"(?P<qh>quarter|half)\b(?:\s+(?:of\s+)?(?:(?P<qy>" + YEAR_RE + r")|(?P<qrel>this|"
                r"last|next|the)\s+(?:fiscal\s+|financial\s+)?year))?"
                r"|\bQ(?P<qn>[1-4])\b(?:\s*(?:of\s+)?(?P<qy2>" + YEAR_RE + r")|\s*'(?P<qy3>\d\d))?",
                i,
            ),
            _quarter,
            ("quarter", "half", *DIGITS),
            30,
            35,
        ),
        TimexRule(
            re.compile(
                rf"\b(?:the\s+)?(?:(?P<qyear>{YEAR_RE})\s+|(?P<qrel>this|last|next)\s+year['’]s\s+)"
                rf"(?:(?P<qnum>{_ORDINAL_RE})[\s-]+)?(?:fiscal\s+)?quarter\b",
                i,
            ),
            _quarter_of_year,
            ("quarter",),
            30,
            12,
        ),
        TimexRule(
            re.compile(
                r"\b(?:(?:in|for|during)\s+(?P<the>the\s+quarter)\b"
                r"|(?:(?:the|its)\s+)?(?:comparable\s+)?"
                r"(?:(?P<latest>latest|most\s+recent|just[-\s]ended|current)\s+(?:fiscal\s+)?"
                r"(?:quarter|period)"
                r"|(?P<ago>year[-\s](?:ago|earlier))(?:\s+(?:fiscal\s+)?(?P<unit2>quarter|period))?)\b)",
                i,
            ),
            _reporting,
            ("quarter", "latest", "recent", "ended", "current", "ago", "earlier"),
            30,
            40,
        ),
    ]
