"""Unit tests for the tense cue scan of streams.core.temporal.resolve."""

from __future__ import annotations

import pytest

from streams.core.temporal.resolve import _FUTURE, _PAST_VERB, _cue_matches

# Every alternative of _FUTURE and _PAST_VERB, in several cases, next to near misses, with
# apostrophes and words cut by the window edges.
TEXTS = [
    "Officials will meet; they won't sign. He shall, she should and they would go.",
    "We're going to vote. The plan to run; plans to sell, planned to act and planning to "
    "leave. It is scheduled and slated, expects to grow, expected to fall.",
    "Talks is to resume, are due to end, was to start and were due to close. Set to rise.",
    "The firm intends to list, intend to bid, intended to merge. The upcoming vote, next "
    "week, next to the river, a year from now. She hopes to win; aims to win, hope to run.",
    "We'll see. They'LL go. The coming days; coming from Kyiv, coming back, the Coming War.",
    "Prices to run through June, to last, to continue, to remain, to stay, to begin, to "
    "start, to end, to open, to close, to expire and to resume on Monday.",
    "The vote was postponed until Saturday, delayed by two more weeks to May, adjourned "
    "till noon, deferred to June, extended to July, rescheduled for a later date until "
    "then, pushed back to Friday, push back to March, put off until spring, moved back to "
    "June, move back to the autumn.",
    "He announced Friday, said on Monday, told reporters, was seen and were heard. They had, "
    "did, made, took, gave, came, went, began, won, lost, sold, bought, rose, fell, left, "
    "met, saw, became, got, held, paid, led, spent, sent, brought, found, built, chose, "
    "wrote, spoke, broke, flew, drove, grew, shut and quit.",
    "A hundred United sacred naked wicked kindred hatred; it will be held, has been closed, "
    "being moved. The Reed family worked; SAID, Announced, fixED, dyed, fled, need, seed.",
    "WILL, Will, wILL; İt ıs ſet to ſtart; 9/11 2pm_ed x_ed played_ up-ended co-opted.",
    "",
]


def _windows(size: int) -> list[tuple[int, int]]:
    step = 7
    return [(lo, hi) for lo in range(0, size + 1, step) for hi in range(lo, size + 1, step + 6)] + [
        (0, size)
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_tense_cue_scan_finds_what_finditer_finds(text: str) -> None:
    # the scan tries the patterns only at word starts and apostrophes: it must still find
    # exactly the matches a search from each window's start finds, edges included
    for lo, hi in _windows(len(text)):
        expected = sorted(
            [(m.start(), m.end(), 1) for m in _FUTURE.finditer(text, lo, hi)]
            + [(m.start(), m.end(), -1) for m in _PAST_VERB.finditer(text, lo, hi)]
        )
        found = sorted((m.start(), m.end(), sign) for m, sign in _cue_matches(text, lo, hi))
        assert found == expected, (lo, hi, text[lo:hi])


def test_tense_cue_scan_sees_both_kinds() -> None:
    text = "The talks, which collapsed in May, will resume and were expected to end."
    kinds = {(text[m.start() : m.end()], sign) for m, sign in _cue_matches(text, 0, len(text))}
    assert kinds == {
        ("collapsed", -1),
        ("will", 1),
        ("were", -1),
        ("expected to", 1),
        ("expected", -1),  # a past participle too: _nearest weighs both by distance
    }
