"""Calendar arithmetic for TIMEX3 values: shifts from the anchor, weeks, quarters, tense."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

import ahocorasick_rs

__all__ = [
    "Anchor",
    "UNIT_CODES",
    "tense",
    "shift_days",
    "shift_months",
    "week_value",
    "year_value",
    "quarter_value",
    "weekday_date",
    "month_year",
    "duration_value",
    "future_point",
]

# TIMEX3 duration letters for each unit; time units go after "T" (PT48H).
UNIT_CODES: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "fortnight": ("W", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False),
    "decade": ("Y", False), "century": ("Y", False),
}  # fmt: skip
_UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100}

# Words that put a clause in the future; without one, news text is read as past tense.
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|should|going to|plans? to|planning to|scheduled|expects? to|"
    r"expected to|(?:is|are) due to|set to|intends? to|upcoming|next|coming|from now|"
    r"hopes? to|aims? to)\b|'ll\b",
    re.IGNORECASE,
)
# A past-tense verb right next to the expression ("announced Friday", "said on Monday").
_PAST_VERB = re.compile(
    r"\b(?:[a-z]+[^e\W]ed|said|told|was|were|had|did|made|took|gave|came|went|began|won|lost|"
    r"sold|bought|rose|fell|left|met|saw|became|got|held|paid|led|spent|sent|brought|found|"
    r"built|chose|wrote|spoke|broke|flew|drove|grew|shut|quit)\b",
    re.IGNORECASE,
)
# Words one of which every match of _FUTURE (of _PAST_VERB) contains, in lower case: a window
# holding none cannot match, and the regex is skipped (tests/core/temporal/test_timexes.py
# checks them).
_FUTURE_HINTS = ("will", "won't", "shall", "should", "going to", "plan", "scheduled", "expect",
                 "due to", "set to", "intend", "coming", "next", "from now", "hope", "aim",
                 "'ll")  # fmt: skip
_PAST_HINTS = ("ed", "said", "told", "was", "were", "had", "did", "made", "took", "gave", "came",
               "went", "began", "won", "lost", "sold", "bought", "rose", "fell", "left", "met",
               "saw", "got", "held", "paid", "spent", "sent", "brought", "found", "built", "chose",
               "wrote", "spoke", "broke", "flew", "drove", "grew", "shut", "quit")  # fmt: skip
# How far around an expression its own verb is looked for (characters), chosen on news text:
# about five words before and three after.
LOCAL_BEFORE = 45
LOCAL_AFTER = 25
# Tolerances for months named without a year (tense cues are imperfect): a past-tense
# sentence may still name next month, a future-tense one last month. Chosen by hand.
PAST_AHEAD_MONTHS = 1
FUTURE_BEHIND_MONTHS = 1
QUARTER_TOLERANCE = 1
_SENTENCE_END = re.compile(r"[.!?\n]\s")
# How far (in characters) either side of an expression its sentence is searched for a
# future cue when no sentence end comes sooner.
SENTENCE_REACH = 200


Anchor = datetime | None


def tense(text: str, start: int, end: int) -> int:
    """+1 when the clause around text[start:end] speaks of the future, else -1 (past).

    A verb right next to the expression decides first; then any future cue in the sentence.
    """
    near_start, near_end = max(0, start - LOCAL_BEFORE), min(len(text), end + LOCAL_AFTER)
    near = _fold(text, near_start, near_end)  # folded once for both checks
    if _found(_FUTURE, _FUTURE_HINTS, text, near_start, near_end, near):
        return 1
    if _found(_PAST_VERB, _PAST_HINTS, text, near_start, near_end, near):
        return -1
    # The clause is at most SENTENCE_REACH characters either side, so only that is scanned.
    low = max(0, start - SENTENCE_REACH)
    left = max(text.rfind(". ", low, start), text.rfind("\n", low, start), start - SENTENCE_REACH)
    m = _SENTENCE_END.search(text, end, end + SENTENCE_REACH + 2)  # a match is 2 characters
    right = min(m.start() if m else len(text), end + SENTENCE_REACH)
    return 1 if _found(_FUTURE, _FUTURE_HINTS, text, max(left, 0), right) else -1


@cache
def _hints(words: tuple[str, ...]) -> ahocorasick_rs.AhoCorasick:
    return ahocorasick_rs.AhoCorasick(words)


def _fold(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] case-folded as re.IGNORECASE compares it, for the hint-word scan."""
    return text[lo:hi].replace("İ", "i").replace("ı", "i").casefold()


def _found(
    pattern: re.Pattern[str],
    hints: tuple[str, ...],
    text: str,
    lo: int,
    hi: int,
    window: str | None = None,
) -> bool:
    """Whether pattern.search(text, lo, hi) matches; the slow regex runs only when the window
    holds one of the hint words that every match contains (compared as re.IGNORECASE does).

    `window` is _fold(text, lo, hi) when the caller has it already."""
    if window is None:
        window = _fold(text, lo, hi)
    if not _hints(hints).find_matches_as_indexes(window):
        return False
    return pattern.search(text, lo, hi) is not None


def shift_days(anchor: Anchor, days: int) -> str:
    """The anchor's date moved by `days`, or XXXX-XX-XX without an anchor."""
    if anchor is None:
        return "XXXX-XX-XX"
    return (anchor.date() + timedelta(days=days)).isoformat()


def shift_months(anchor: Anchor, months: int) -> str:
    """The anchor's month moved by `months` (YYYY-MM)."""
    if anchor is None:
        return "XXXX-XX"
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def week_value(anchor: Anchor, weeks: int, weekend: bool = False) -> str:
    """ISO week of the anchor moved by `weeks` (YYYY-Www, or YYYY-Www-WE for a weekend)."""
    if anchor is None:
        return "XXXX-WXX" + ("-WE" if weekend else "")
    year, week, _ = (anchor.date() + timedelta(weeks=weeks)).isocalendar()
    return f"{year:04d}-W{week:02d}" + ("-WE" if weekend else "")


def year_value(anchor: Anchor, years: int) -> str:
    """The anchor's year moved by `years`."""
    return "XXXX" if anchor is None else f"{anchor.year + years:04d}"


def quarter_value(anchor: Anchor, quarter: int | None, year: int | None, direction: int) -> str:
    """YYYY-Qn: a quarter with no year is placed in the tense's direction from the anchor."""
    if anchor is None and year is None:
        return f"XXXX-Q{quarter}" if quarter else "XXXX-QX"
    if anchor is not None and quarter is None:  # "the last quarter", shift relative
        index = anchor.year * 4 + (anchor.month - 1) // 3 + direction
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if quarter is None:
        return "XXXX-QX"
    if year is None and anchor is not None:
        current = (anchor.month - 1) // 3 + 1
        year = anchor.year
        if direction < 0 and quarter - current > QUARTER_TOLERANCE:
            year -= 1
        elif direction > 0 and current - quarter > QUARTER_TOLERANCE:
            year += 1
    return f"{year:04d}-Q{quarter}"


def weekday_date(anchor: Anchor, weekday: int, direction: int, explicit: bool) -> str:
    """Date of the named weekday: the anchor's own day, else the nearest one in `direction`.

    `explicit` marks "last"/"next": then the anchor's own weekday means a week away.
    """
    if anchor is None:
        return f"XXXX-WXX-{weekday + 1}"
    d = anchor.date()
    delta = (weekday - d.weekday()) % 7
    if delta == 0:
        return (d + timedelta(days=7 * direction)).isoformat() if explicit else d.isoformat()
    if direction < 0:
        delta -= 7
    return (d + timedelta(days=delta)).isoformat()


def month_year(anchor: Anchor, month: int, direction: int) -> int | None:
    """Year of a month named without one: the anchor's year, or the one before/after.

    A past-tense mention more than PAST_AHEAD_MONTHS after the anchor's month is last year's;
    a future-tense one more than FUTURE_BEHIND_MONTHS before it is next year's.
    """
    if anchor is None:
        return None
    if direction < 0 and month - anchor.month > PAST_AHEAD_MONTHS:
        return anchor.year - 1
    if direction > 0 and anchor.month - month > FUTURE_BEHIND_MONTHS:
        return anchor.year + 1
    return anchor.year


def duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration (P3D, PT48H, P2.5Y; PXD when the amount is vague)."""
    code, is_time = UNIT_CODES[unit]
    if amount is None:
        qty = "X"
    else:
        amount *= _UNIT_FACTOR.get(unit, 1)
        qty = str(int(amount)) if amount == int(amount) else f"{amount:g}"
    return ("PT" if is_time else "P") + qty + code


def future_point(anchor: Anchor, amount: float, unit: str) -> str:
    """The anchor moved forward by a duration, at the duration's granularity ("in two weeks")."""
    if anchor is None:
        return "FUTURE_REF"
    n = int(amount * _UNIT_FACTOR.get(unit, 1))
    if unit in ("year", "decade", "century"):
        return year_value(anchor, n)
    if unit in ("month", "quarter"):
        return shift_months(anchor, n * (3 if unit == "quarter" else 1))
    if unit in ("hour", "minute", "second"):
        seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * amount
        moved = anchor + timedelta(seconds=seconds)
        has_clock = (anchor.hour, anchor.minute) != (0, 0)
        return moved.strftime("%Y-%m-%dT%H:%M") if has_clock else moved.date().isoformat()
    days = n * {"day": 1, "night": 1, "week": 7, "fortnight": 7}[unit]
    return shift_days(anchor, days)
