"""Sentence boundaries of the cleaned text, found once and shared by every later step.

A sentence ends at a line break, or at . ! ? … (closing quotes and brackets included) before
white space, except after an initial or a common abbreviation ("U.S. troops", "Gen. Smith",
"3 a.m. as"). Escalation matching, quote attribution and alert summaries all read these.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["ABBREVIATIONS", "Sentences", "last_sentence_end", "sentence_spans"]

#: Words before a full stop that does not end a sentence (Mr., Gen.); initials never do.
ABBREVIATIONS = frozenset(("mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "st", "no", "vs",
                           "prof", "rep", "sen", "gov", "capt", "maj", "adm", "cpl"))  # fmt: skip

# The pattern starts with a character class so the scan skips ahead quickly.
_SENTENCE_END_RE = re.compile(r"[.!?…\n][\"”’»)]*(?:\s|(?<=\n)|$)")
_TAIL_WORD_RE = re.compile(r"[^\W_]+$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of text (a line break always ends one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if _abbreviation(text, match.start()) and "\n" not in match.group():
            continue
        if match.end() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def last_sentence_end(text: str, low: int, high: int) -> int | None:
    """The last sentence end in text[low:high] (as a cut position), None when there is none.

    The text after `high` is looked at too, so that a full stop just before `high` counts only
    when the whole text has a sentence end there.
    """
    last = None
    for match in _SENTENCE_END_RE.finditer(text, low, min(len(text), high + 1)):
        if match.end() > high:
            break
        if not (_abbreviation(text, match.start()) and "\n" not in match.group()):
            last = match.end()
    return last


def _abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at `stop` follows an initial or an abbreviation (U.S., Gen.)."""
    if text[stop] != ".":
        return False
    tail = _TAIL_WORD_RE.search(text, max(0, stop - 6), stop)
    if tail is None:
        return False
    word = tail.group()
    return (len(word) == 1 and word.isalpha()) or word.lower() in ABBREVIATIONS


class Sentences:
    """The sentence spans of one text, with the sentence around any position."""

    __slots__ = ("spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [start for start, _ in spans]

    @classmethod
    def of(cls, text: str) -> Sentences:
        """Split text into sentences."""
        return cls(sentence_spans(text))

    def around(self, pos: int) -> tuple[int, int]:
        """The span of the sentence that holds character `pos` ((pos, pos) in an empty text)."""
        index = bisect_right(self._starts, pos) - 1
        return self.spans[index] if index >= 0 else (pos, pos)
