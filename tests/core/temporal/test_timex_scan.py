"""Unit tests for the word-start lookahead of the time-expression rules (dates.WORD_NEXT)."""

from __future__ import annotations

import re

import pytest

from streams.core.temporal.dates import WORD_NEXT
from streams.core.temporal.timexes import _rules

TEXTS = [
    "Over the past three years, in the last few months and during the next 2 weeks, about "
    "a dozen days, nearly 48 hours, more than a decade, at least two-year terms, up to 5.5 "
    "years, roughly a week, approximately ten days, less than a minute and fewer than 30 "
    "seconds. Just a few hours; only several days; many years; some weeks; numerous decades.",
    "A 10-day truce, twenty-one days, a hundred years, a couple of weeks, an hour, one "
    "fortnight, eighteen months, ninety minutes and a half, 3 years ago, two days later, "
    "a year from now, the first 100 days, the final two weeks, five-year-old, 7 years old.",
    "Earlier this week, later that day, early next month, the start of the year, the end of "
    "last quarter, the rest of the decade, the remainder of this century, the past week, "
    "the previous month, the following year, the coming winter, this spring, current year, "
    "the same day, that day, the whole year, the full fiscal year, the week before.",
    "On Monday, March 3, 2024 at 4:40 p.m. ET; Tuesday morning; last Friday's vote; Sept. "
    "12; the 4th of July, 2019; early March; mid-April 2020; next January; May 2021; 3 Dec "
    "at 18:00 UTC; Wednesdays; earlier on Thursday, Jan. 5 (noon).",
    "THE PAST THREE YEARS, Over The Last Few Months; ſeveral days; İn the past week; "
    "snake_case 3_days x3 days 1,000 days 4.5-hour talks 2020s years; -Monday, (March 3).",
    "",
]


def _windows(size: int) -> list[tuple[int, int]]:
    return [(lo, hi) for lo in range(0, size + 1, 9) for hi in range(lo, size + 1, 23)] + [
        (0, size)
    ]


def _found(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> list[object]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text, lo, hi)]


@pytest.mark.parametrize("text", TEXTS)
def test_timex_word_start_lookahead_changes_no_match(text: str) -> None:
    # every match of these rules starts with a word character, so the lookahead after their
    # leading \b only spares the scan the boundaries at word ends
    rules = [rule for rule in _rules() if rule.pattern.pattern.startswith(rf"\b{WORD_NEXT}")]
    assert len(rules) == 4
    for rule in rules:
        plain = re.compile(rule.pattern.pattern.replace(WORD_NEXT, "", 1), rule.pattern.flags)
        for lo, hi in _windows(len(text)):
            assert _found(rule.pattern, text, lo, hi) == _found(plain, text, lo, hi)
