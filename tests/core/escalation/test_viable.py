"""Unit tests for the pattern preselection of streams.core.escalation.assess (_viable)."""

from __future__ import annotations

import random

from streams.core.escalation.assess import _viable
from streams.core.escalation.lexicon import Lexicon, Pattern, lexicon
from streams.core.escalation.text import Tokens, lowercase, tokenize


def _viable_by_definition(tokens: Tokens, lex: Lexicon) -> dict[str, list[Pattern]]:
    """Per word of the sentence in a first slot: the patterns (in lexicon order) starting
    with it whose every slot some word of the sentence fills."""
    out: dict[str, list[Pattern]] = {}
    for word in tokens.wordset:
        kept = [
            p
            for p in lex.patterns
            if word in p.slots[0] and all(not s.isdisjoint(tokens.wordset) for s in p.slots)
        ]
        if kept:
            out[word] = kept
    return out


SENTENCES = [
    "Russian troops launched a missile strike on the city, killing four people.",
    "The army said it had deployed tanks near the border in March.",
    "Police fired tear gas at protesters; two men were shot dead.",
    "North Korea threatened a nuclear test and warned of war.",
    "The minister denied any plans to send troops.",
    "Rebels seized the town and took dozens of hostages.",
    "A football match ended in a draw.",
    "",
]


def test_viable_matches_its_definition() -> None:
    lex = lexicon()
    texts = list(SENTENCES)
    # sentences of lexicon words, so that long patterns find all their slots filled
    vocabulary = sorted({w for p in lex.patterns for s in p.slots for w in s})
    rng = random.Random(7)
    for pattern in rng.sample(list(lex.patterns), 300):
        words = [rng.choice(sorted(slot)) for slot in pattern.slots]
        words += rng.sample(vocabulary, rng.randrange(0, 6))
        rng.shuffle(words)
        texts.append(" ".join(words))
    for text in texts:
        tokens = tokenize(text, lowercase(text))
        assert _viable(tokens, lex) == _viable_by_definition(tokens, lex), text
