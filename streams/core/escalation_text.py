"""Word tokens, clause and sentence limits, quotations and modality cues for escalation matching."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from streams.core.escalation_lexicon import Lexicon
from streams.models import Modality

__all__ = ["Tokens", "tokenize", "modality_of"]

_WORD_RE = re.compile(r"[^\W_]+(?:['’]t\b)?")
# a clause ends at these marks between two words; a sentence ends at the stronger subset
_CLAUSE_RE = re.compile(r"[,;:()\[\]\n!?…–—]|\.[\"”’»)]*\s|\s-\s")
_SENTENCE_RE = re.compile(r"[\n!?…]|\.[\"”’»)]*\s")
_QUOTE_RE = re.compile(r"“[^”]{1,4000}”|\"[^\"\n]{1,4000}\"|«[^»]{1,4000}»")
# words before a full stop that does not end a sentence (U.S., Mr., Gen.)
_ABBREVIATIONS = frozenset(("mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "st", "no",
                            "vs", "prof", "rep", "sen", "gov", "capt", "maj", "adm", "cpl"))  # fmt: skip
_AFTER_WINDOW = 3  # words after a match searched for "were not", "never" (passive denials)


@dataclass(slots=True)
class Tokens:
    """Lowercased word tokens of a text with their character offsets."""

    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    _quotes: list[tuple[int, int]] | None = field(default=None)

    def _stop(self, index: int, pattern: re.Pattern[str]) -> bool:
        """True when `pattern` marks a limit between word index-1 and word index."""
        gap = self.text[self.ends[index - 1] : self.starts[index]]
        if not gap or pattern.search(gap) is None:
            return False
        if gap.strip() == ".":  # "U.S. troops", "Gen. Smith": initials and abbreviations
            previous = self.words[index - 1]
            return not (len(previous) == 1 or previous in _ABBREVIATIONS)
        return True

    def clause_break(self, index: int) -> bool:
        """True when a clause ends between word index-1 and word index."""
        return self._stop(index, _CLAUSE_RE)

    def sentence_of(self, first: int, last: int) -> tuple[int, int]:
        """Word indexes (inclusive) of the sentence around words first..last."""
        start = first
        while start > 0 and not self._stop(start, _SENTENCE_RE):
            start -= 1
        end = last
        while end + 1 < len(self.words) and not self._stop(end + 1, _SENTENCE_RE):
            end += 1
        return start, end

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

    def quoted(self, position: int) -> bool:
        """True when the character position lies inside quotation marks."""
        if self._quotes is None:
            self._quotes = [m.span() for m in _QUOTE_RE.finditer(self.text)]
        index = bisect_right(self._quotes, (position, len(self.text) + 1)) - 1
        return index >= 0 and self._quotes[index][0] < position < self._quotes[index][1]


def tokenize(text: str) -> Tokens:
    """Split text into lowercased words (apostrophes normalised) with offsets into text."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _WORD_RE.finditer(text):
        words.append(match.group().lower().replace("’", "'"))
        starts.append(match.start())
        ends.append(match.end())
    return Tokens(text, words, starts, ends)


def modality_of(
    tokens: Tokens, first: int, last: int, sentence: tuple[str, ...], lex: Lexicon
) -> Modality:
    """Modality of the match spanning words first..last, from cues in its clause and sentence."""
    before = tokens.clause_before(first, lex.window)
    cues = lex.cues
    if cues["live_threat"].found_in(before):
        return "hypothetical"
    if cues["negated"].found_in(before):
        return "negated"
    if cues["negated_after"].found_in(tokens.clause_after(last, _AFTER_WINDOW)):
        return "negated"
    if cues["hypothetical"].found_in(_drop_month(tokens, first, before)):
        return "hypothetical"
    if cues["future"].found_in(before):
        return "future"
    if cues["reported"].found_in(sentence) or tokens.quoted(tokens.starts[first]):
        return "reported"
    return "asserted"


def _drop_month(tokens: Tokens, first: int, before: tuple[str, ...]) -> tuple[str, ...]:
    """Hide a capitalised 'May' (the month) from the hedge cues."""
    if "may" not in before:
        return before
    start = first - len(before)
    return tuple(
        "" if word == "may" and tokens.text[tokens.starts[start + i]].isupper() else word
        for i, word in enumerate(before)
    )
