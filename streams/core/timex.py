"""Time expressions (TIMEX3) found in text and resolved against the publication time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache

from streams.core.timex_dates import Found, date_rules
from streams.core.timex_relative import relative_rules
from streams.core.timex_resolve import Anchor
from streams.models import Timex

__all__ = ["extract_timexes"]

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], str, Anchor], Found | None]]


@cache
def _rules() -> list[_Rule]:
    rules: list[_Rule] = []
    for pattern, handler in date_rules():
        rules.append((pattern, handler))  # type: ignore[arg-type]
    rules.extend(relative_rules())
    return rules


def _wall_clock(anchor: datetime | None) -> Anchor:
    """The anchor as local wall-clock time: relative days count in the writer's zone."""
    if anchor is None:
        return None
    return anchor.replace(tzinfo=None)


def extract_timexes(text: str, anchor: datetime | None) -> list[Timex]:
    """Return every time expression in text with its TIMEX3 value anchored on `anchor`."""
    if not text:
        return []
    local = _wall_clock(anchor)
    found: list[tuple[int, int, int, str, str]] = []
    for priority, (pattern, handler) in enumerate(_rules()):
        for m in pattern.finditer(text):
            hit = handler(m, text, local)
            if hit is not None and hit[1] > hit[0]:
                found.append((hit[0], hit[1], priority, hit[2], hit[3]))
    # Longest expression wins an overlap; on equal length the earlier rule (dates first).
    found.sort(key=lambda h: (h[0] - h[1], h[2], h[0]))
    taken: list[tuple[int, int, str, str]] = []
    for start, end, _prio, kind, value in found:
        if all(end <= s or start >= e for s, e, _k, _v in taken):
            taken.append((start, end, kind, value))
    taken.sort()
    return [
        Timex(text=text[s:e], type=kind, value=value, start=s, end=e)  # type: ignore[arg-type]
        for s, e, kind, value in taken
    ]
