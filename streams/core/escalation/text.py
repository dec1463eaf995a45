"""Word tokens, clause limits, quotations and modality cues for escalation matching."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from streams.core.escalation.lexicon import Lexicon
from streams.core.text.sentences import ABBREVIATIONS
from streams.models import Modality

__all__ = [
    "Tokens",
    "lowercase",
    "modality_of",
    "quote_spans",
    "tokenize",
]

_WORD_RE = re.compile(r"[^\W_]+(?:'t\b)?")  # over lowercase(text): apostrophes are ASCII
# a clause ends at these marks between two words (a spaced dash too, not a hyphen)
_CLAUSE_RE = re.compile(r"[,;:()\[\]\n!?…–—]|\.[\"”’»)]*\s|\s-\s")
_QUOTE_RE = re.compile(r"“[^”]{1,4000}”|\"[^\"\n]{1,4000}\"|«[^»]{1,4000}»")
_QUOTE_MAX = 4000  # longest quotation, in characters (as in _QUOTE_RE)
_QUOTE_OPEN_RE = re.compile(r"[“\"«]")
_QUOTE_CLOSE = {"“": "”", '"': '"', "«": "»"}
_QUOTE_STOP = {"“": re.compile("”"), '"': re.compile('["\n]'), "«": re.compile("»")}
_AFTER_WINDOW = 3  # words after a match searched for "were not", "never" (passive denials)


@dataclass(slots=True)
class Tokens:
    """Lowercased word tokens of one sentence with their character offsets in the text."""

    text: str
    words: tuple[str, ...]
    starts: list[int]
    ends: list[int]
    wordset: frozenset[str]
    reported: bool | None = None  # whether the sentence holds a reporting cue, once known
    factors: dict[str, float] | None = None  # its context factors per category, once known
    near: tuple[Any, ...] | None = None  # its near contexts (lexicon.Context), once known

    def clause_break(self, index: int) -> bool:
        """True when a clause ends between word index-1 and word index."""
        gap = self.text[self.ends[index - 1] : self.starts[index]]
        if gap == " " or not gap or _CLAUSE_RE.search(gap) is None:
            return False
        if gap.strip() == ".":  # "U.S. troops", "Gen. Smith": initials and abbreviations
            previous = self.words[index - 1]
            return not (len(previous) == 1 or previous in ABBREVIATIONS)
        return True

    def clause_before(self, first: int, size: int) -> tuple[str, ...]:
        """Up to `size` words before word `first`, stopping at the clause limit."""
        out: list[str] = []
        index = first
        while index > 0 and len(out) < size and not self.clause_break(index):
            index -= 1
            word = self.words[index]
            out.append("n't" if word.endswith("n't") else word)
        out.reverse()
        return tuple(out)

    def clause_after(self, last: int, size: int) -> tuple[str, ...]:
        """Up to `size` words after word `last`, stopping at the clause limit."""
        out: list[str] = []
        index = last + 1
        while index < len(self.words) and len(out) < size and not self.clause_break(index):
            word = self.words[index]
            out.append("n't" if word.endswith("n't") else word)
            index += 1
        return tuple(out)


def tokenize(text: str, lowered: str, start: int = 0, end: int | None = None) -> Tokens:
    """Words of lowered[start:end] (text lowercased, same length) with offsets into text."""
    words: list[str] = _WORD_RE.findall(lowered, start, len(lowered) if end is None else end)
    starts: list[int] = []
    ends: list[int] = []
    position = start
    find = lowered.find
    for word in words:
        position = find(word, position)
        starts.append(position)
        position += len(word)
        ends.append(position)
    return Tokens(text, tuple(words), starts, ends, frozenset(words))


def lowercase(text: str) -> str:
    """Lowercase text without moving any character, apostrophes normalised, offsets kept."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.replace("’", "'")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations (curly, straight or guillemet quotation marks).

    The spans _QUOTE_RE.finditer gives, found in linear time: the regex would scan up to
    _QUOTE_MAX characters after every unmatched opening mark.
    """
    spans: list[tuple[int, int]] = []
    closes: dict[str, int] = {}  # per opening mark: the next place that ends its quotation
    size = len(text)
    position = 0
    while (found := _QUOTE_OPEN_RE.search(text, position)) is not None:
        start = found.start()
        mark = text[start]
        stop = closes.get(mark, -1)
        if stop <= start:  # the cached stop lies behind: look again from here
            ahead = _QUOTE_STOP[mark].search(text, start + 1)
            stop = ahead.start() if ahead is not None else size
            closes[mark] = stop
        inner = stop - start - 1
        if stop < size and text[stop] == _QUOTE_CLOSE[mark] and 1 <= inner <= _QUOTE_MAX:
            spans.append((start, stop + 1))
            position = stop + 1
        else:
            position = start + 1
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    index = bisect_right(spans, (position, 1 << 62)) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


def _hedge(
    tokens: Tokens, first: int, before: tuple[str, ...], inner: tuple[str, ...], lex: Lexicon
) -> Modality | None:
    """Hypothetical or future from the clause before the match, else from inside it (a
    subject-verb match: "rebels threatened to attack", "rebels could attack")."""
    cues = lex.cues
    if cues["hypothetical"].found_in(_drop_month(tokens, first, before)):
        return "hypothetical"
    if cues["future"].found_in(before):
        return "future"
    if inner and cues["hypothetical"].found_in(inner):
        return "hypothetical"
    if inner and cues["future"].found_in(inner):
        return "future"
    return None


def modality_of(
    tokens: Tokens, first: int, last: int, quotes: list[tuple[int, int]], lex: Lexicon
) -> Modality:
    """Modality of the match at words first..last (of its sentence), from cues around it."""
    before = tokens.clause_before(first, lex.window)
    cues = lex.cues
    if cues["live_threat"].found_in(before):
        return "hypothetical"
    if cues["negated"].found_in(before):
        return "negated"
    if lex.denial.found_in(tokens.clause_before(first, lex.denial_window)):
        return "negated"
    if cues["negated_after"].found_in(tokens.clause_after(last, _AFTER_WINDOW)):
        return "negated"
    inner = _marked(tokens.words[first + 1 : last]) if last > first + 1 else ()
    if inner and cues["negated_after"].found_in(inner):
        return "negated"  # inside a gapped match: "missiles were not moved"
    hedged = _hedge(tokens, first, before, inner, lex)
    if hedged is not None:
        return hedged
    if tokens.reported is None:  # a sentence-wide test: once per sentence, not per match
        tokens.reported = cues["reported"].found_in(tokens.words, tokens.wordset)
    if tokens.reported or _inside(quotes, tokens.starts[first]):
        return "reported"
    return "asserted"


def _marked(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("n't" if word.endswith("n't") else word for word in words)


def _drop_month(tokens: Tokens, first: int, before: tuple[str, ...]) -> tuple[str, ...]:
    """Hide a capitalised 'May' (the month) from the hedge cues."""
    if "may" not in before:
        return before
    start = first - len(before)
    return tuple(
        "" if word == "may" and tokens.text[tokens.starts[start + i]].isupper() else word
        for i, word in enumerate(before)
    )
