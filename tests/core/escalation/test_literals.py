"""Unit tests for streams.core.escalation.literals: strings a regex cannot match without."""

from __future__ import annotations

import re

import pytest

from streams.core.escalation.lexicon import lexicon
from streams.core.escalation.literals import may_match, required_strings


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\bbuilding (?:[a-z]+ ){0,6}collaps", ("building ",)),
        (r"\b(?:hostages?|captives?) freed\b", ("hostage", "captive")),
        (r"[a-z]+ years", (" years",)),
        (r"\b(?:in|of) (?:the )?1[0-9]{3}s?\b", ("1",)),  # a digit is rarer than "in"
        (r"\bwar\b|\bfought (?:[a-z]+ )?wars?", ("war", "fought ")),
        (r"(?:ab)+c?", ("ab",)),
    ],
)
def test_literals_required_strings(pattern: str, needs: tuple[str, ...]) -> None:
    assert required_strings(re.compile(pattern)) == needs


@pytest.mark.parametrize("pattern", [r"\bwar\b|[0-9]+", r"(?:peace)?", r"[a-z]+"])
def test_literals_nothing_to_look_for(pattern: str) -> None:
    # an alternative (or an optional part) that needs no string: nothing rules a text out
    assert required_strings(re.compile(pattern)) is None


def test_literals_ignorecase_is_not_read() -> None:
    assert required_strings(re.compile("war", re.IGNORECASE)) is None
    assert may_match(None, "anything")


SENTENCES = [
    "the school building partly collapsed after the blast",
    "the us lifted some sanctions on the regime",
    "rebels released two hostages on monday",
    "hostages were freed and returned home",
    "russia will withdraw its troops from the border",
    "troops pulled back from the town",
    "in 1994 the genocide killed many",
    "during the 20th century wars were fought",
    "since 2014 fighting has killed thousands",
    "crowds marked the 30th anniversary of the war",
    "10 years since the invasion",
    "the 2008 war in georgia",
    "they fought two wars",
    "scored in the 89th minute to win 2 1",
    "a strike by bus drivers closed the city",
    "the ceasefire appears to be holding",
    "the first world war ended in 1918",
    "a plain sentence with no context at all",
]


def test_literals_never_rule_out_a_lexicon_match() -> None:
    # the strings are necessary: wherever a context regex matches, its needs are there
    checked = 0
    for context in lexicon().contexts:
        for pattern, needs in (
            (context.patterns, context.needs),
            (context.story_patterns, context.story_needs),
        ):
            if pattern is None:
                continue
            for sentence in SENTENCES:
                words = sentence.split()
                for start in range(len(words)):
                    for end in range(start + 1, len(words) + 1):
                        text = " ".join(words[start:end])
                        if pattern.search(text) is not None:
                            checked += 1
                            assert may_match(needs, text), (context.name, text)
    assert checked > 50
