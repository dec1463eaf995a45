"""Rules whose value the rest of the story completes: "later in the day" (the day the story
names), "the same period last year" (the period it last named, a year before).

Their handlers give a marked value; `anaphora.resolve_anaphors` completes it once every
expression of the text is chosen.
"""

from __future__ import annotations

import re
from functools import cache

from streams.core.temporal.dates import PARTS_OF_DAY, Found, TimexRule
from streams.core.temporal.lexicon import YEAR_RE
from streams.core.temporal.resolve import ANAPHOR, SAME_DAY, Anchor, shift_days

__all__ = ["discourse_rules"]


def _part_of_the_day(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "in the morning", "by mid-afternoon", "later in the day": that part of the day the
    sentence names (else the day the story last named, else the anchor's)."""
    part = PARTS_OF_DAY.get((m.group("dpart") or m.group("dpart2")).lower(), "")
    rel = (m.group("drel") or "").lower()
    if rel:  # "mid-afternoon yesterday"
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[rel]
        return m.start("dp2"), m.end(), "TIME", shift_days(anchor, shift) + part
    value = SAME_DAY + shift_days(anchor, 0) + part
    start = m.start("dp") if m.group("dp") else m.start("dp2")
    return start, m.end(), "TIME" if part else "DATE", value


def _same_period(m: re.Match[str], text: str, anchor: Anchor) -> Found | None:
    """ "the same period last year": the period the story last named, a year before (or in
    the year given: "the same month of 2008")."""
    year = m.group("spy")
    marker = f"={year}" if year else "-1"
    unit = m.group("spu").lower()
    return m.start(), m.end(), "DATE", f"{ANAPHOR}{marker}:{unit}:same"


@cache
def discourse_rules() -> list[TimexRule]:
    """Compiled (pattern, handler) pairs for expressions the story's context completes."""
    i = re.IGNORECASE
    return [
        TimexRule(
            re.compile(
                r"\b(?:in|during)\s+(?P<dp>the\s+(?:early\s+|late\s+)?"
                r"(?P<dpart>morning|afternoon|evening|night|day))\b(?!['’-])"
                r"|\b(?:by|at|in|until|since)\s+(?P<dp2>(?:early|late|mid)[\s-]?"
                r"(?P<dpart2>morning|afternoon|evening)(?:\s+(?P<drel>yesterday|today|tomorrow))?)"
                r"\b(?!['’-])",
                i,
            ),
            _part_of_the_day,
            ("morning", "afternoon", "evening", "night", "day"),
            20,
            24,
        ),
        TimexRule(
            re.compile(
                r"\bthe\s+(?:same|comparable|corresponding|year-ago)\s+"
                r"(?P<spu>period|month|quarter|week|day|time|season|date)\s+"
                r"(?:(?:a|one)\s+year\s+(?:ago|earlier|before)|last\s+year"
                r"|(?:of|in)\s+(?:the\s+)?(?:last|previous|prior|preceding)\s+year"
                r"|(?:the\s+)?(?:previous|prior|preceding)\s+year"
                r"|(?:of|in)\s+(?P<spy>" + YEAR_RE + r"))\b",
                i,
            ),
            _same_period,
            ("same", "comparable", "corresponding", "year-ago"),
            4,
            70,
        ),
    ]
