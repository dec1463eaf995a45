"""Unit tests for the casualty stem test of streams.core.escalation.casualties (_has_cue)."""

from __future__ import annotations

import re
import sys

import pytest

from streams.core.escalation.casualties import _CUE_RE, _UNUSUAL_RE, _has_cue


def test_casualty_cue_fast_path_reads_letters_as_the_case_blind_search() -> None:
    # every character the lowercased search may see lowercases to one character, which is a
    # letter of the stems exactly when the case-blind search reads it as that letter
    letters = set(re.findall(r"[a-z]", _CUE_RE.pattern))
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or _UNUSUAL_RE.match(char) is not None:
            continue
        assert len(char.lower()) == 1, char
        for letter in letters:
            assert (re.fullmatch(letter, char, re.IGNORECASE) is not None) == (
                char.lower() == letter
            ), (char, letter)


@pytest.mark.parametrize(
    "text",
    [
        "Four people were KILLED in the blast.",
        "He said “nobody was hurt” — officials…",
        "Two bodies were found; one Body was missing.",
        "The KİLLing fields",  # a dotted capital I: the case-blind search reads it as "i"
        "Shares ſlayed, prices fell",
        "The talks went well.",
        "",
    ],
)
def test_casualty_cue_matches_the_case_blind_search(text: str) -> None:
    for lo in range(len(text) + 1):
        for hi in range(lo, len(text) + 1):
            assert _has_cue(text, lo, hi) == (_CUE_RE.search(text, lo, hi) is not None)
