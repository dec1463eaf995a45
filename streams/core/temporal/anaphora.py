"""Times counted from the story's own time line: "the following year", "that day", a clock
time whose day an earlier "on Tuesday" gives.

TIMEX3 anchors such an expression on the time the text last named (its anchorTimeID), not
on the publication: "He was promoted in 1995, and the following year he left" means 1996.
A rule marks the value ("@+1:year"); once all expressions of a text are chosen, each marked
one is counted from the nearest calendar date before it, or from the anchor if there is none
or it is too coarse ("that day" after "in 1995").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import datetime

from streams.core.temporal.relative import unit_date
from streams.core.temporal.resolve import ANAPHOR, SAME_DAY, Anchor, sentence_bounds

__all__ = ["resolve_anaphors"]

_PERIOD = re.compile(r"(\d{4})((?:-(?:\d\d|Q\d|H\d|W\d\d|SP|SU|FA|WI))*)$")
_DAY = re.compile(r"\d{4}-\d\d-\d\d(?![\d-])")
_CALENDAR = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?![\d-]|-?[WQHS])")
# The finest part of a reference date each unit needs: a day needs the day, a month the month.
_NEEDS = {"day": 3, "week": 3, "weekend": 3, "month": 2, "quarter": 2}

Taken = tuple[int, int, str, str]  # start, end, TIMEX3 type, value


def resolve_anaphors(taken: list[Taken], anchor: Anchor, text: str) -> list[Taken]:
    """`taken` (in text order) with every marked value counted from the time named before
    it, and every clock time put on the day its sentence names."""
    days = _Days(taken)
    out: list[Taken] = []
    reference: tuple[datetime, int] | None = None
    named = ""  # the last calendar value as written ("2009-02", "1989-Q3")
    for start, end, kind, value in taken:
        if value.startswith(SAME_DAY):
            value = days.around(text, start, end, value[len(SAME_DAY) :])
        elif value.endswith(":same"):
            value = _same_period(value, named, anchor)
        elif value.startswith(ANAPHOR):
            value = _resolve(value, reference, anchor)
        reference = _calendar(value) or reference  # "the following year" may chain
        named = value if _PERIOD.match(value) else named
        out.append((start, end, kind, value))
    return out


class _Days:
    """The days the text names (start offsets in order, YYYY-MM-DD), for clock times."""

    def __init__(self, taken: list[Taken]) -> None:
        named = [(start, value[:10]) for start, _end, _kind, value in taken if _DAY.match(value)]
        self.starts = [start for start, _ in named]
        self.values = [value for _, value in named]

    def around(self, text: str, start: int, end: int, value: str) -> str:
        """`value` (a time on the anchor's day) moved to the nearest day named in its sentence
        ("Tuesday ... at 18:00 UTC"), else to the day the story last named before it."""
        if not _DAY.match(value) or not self.starts:
            return value
        left, right = sentence_bounds(text, start, end)
        at = bisect_left(self.starts, start)  # the first named day after the clock time
        near = [i for i in (at - 1, at) if 0 <= i < len(self.starts)]
        inside = [i for i in near if left <= self.starts[i] < right]
        if inside:
            best = min(inside, key=lambda i: abs(self.starts[i] - start))
        elif at > 0:
            best = at - 1
        else:
            return value
        return self.values[best] + value[10:]


def _same_period(marker: str, named: str, anchor: Anchor) -> str:
    """ "the same period last year" -> the last named period one year earlier (its year set
    when the marker gives one); without one, the anchor's year moved."""
    how, unit = marker[len(ANAPHOR) : -len(":same")].split(":")
    base = _PERIOD.match(named) or _PERIOD.match(f"{anchor.year:04d}" if anchor else "")
    if base is None:
        return "XXXX"
    year = int(how[1:]) if how.startswith("=") else int(base.group(1)) + int(how)
    rest = base.group(2)
    if unit == "month" and re.match(r"-\d\d", rest):
        rest = rest[:3]  # "the same month" after a day: the day's month
    return f"{year:04d}{rest}"


def _calendar(value: str) -> tuple[datetime, int] | None:
    """A calendar value as a datetime and how many of year, month, day it names."""
    m = _CALENDAR.match(value)
    if m is None:
        return None
    parts = [int(p) for p in m.groups() if p is not None]
    year, month, day = (*parts, 1, 1)[:3]
    try:
        return datetime(year, month, day), len(parts)
    except ValueError:
        return None


def _resolve(marker: str, reference: tuple[datetime, int] | None, anchor: Anchor) -> str:
    shift_text, unit, *part = marker[len(ANAPHOR) :].split(":")
    needs = _NEEDS.get(unit, 1)
    base = reference[0] if reference is not None and reference[1] >= needs else anchor
    return unit_date(base, unit, int(shift_text)) + "".join(part)
