"""Candidate name chunks: runs of capitalised words joined by spaces and name connectors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.core.entities.gazetteer import cues, first_names, stopwords

__all__ = ["Token", "find_chunks", "is_initial", "strip_stopwords"]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w&]*(?:(?:['’](?![sS]\b)|-|&)[\w&]+)*")
_ABBREV = frozenset(
    "Mr Mrs Ms Dr Prof St Jr Sr Inc Corp Ltd Co Gen Sen Rep Gov Lt Col Capt Mt Sgt Adm".split()
)
# Lower-case name particles ("Omar al Bashir"): they always join the capitalised words
# on either side into one chunk. The connectors are these, "of" and "the"; the last two join
# only after an of-head ("Bank of England").
_PARTICLE_WORDS = ("de", "da", "del", "der", "van", "von", "den", "la", "le", "du", "al", "el",
                   "bin", "ibn")  # fmt: skip
_PARTICLES = frozenset(_PARTICLE_WORDS)
_CAP = (
    r"(?:[A-Z]\.){2,}|(?:[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ]|[a-z](?=[A-Z]))"
    r"[\w&]*(?:(?:['’](?![sS]\b)|-|&)[\w&]+)*"
)
_CONNECTORS = frozenset({"of", "the"}) | _PARTICLES
_JOINERS = "|".join(["of(?: the)?", *_PARTICLE_WORDS])
_CHUNK = re.compile(rf"(?<![\w&])(?:{_CAP})(?:(?: | & | (?:{_JOINERS}) )(?:{_CAP}))*")
_LOWER_TAIL = re.compile(r"(?:-[a-z]+)+$")
_OPENERS = "\"“«'‘([—–-*• \t"
# Characters after which a capitalised word starts a sentence (and so proves nothing).
_SENTENCE_END = ".!?:;\n|"


@dataclass(slots=True)
class Token:
    """One word of a chunk, with its character span; conn marks a connector ("of", "van")."""

    start: int
    end: int
    text: str
    conn: bool = False


def find_chunks(text: str) -> list[list[Token]]:
    """Group runs of capitalised words, joined by single spaces and name connectors."""
    of_heads = cues().of_heads
    chunks: list[list[Token]] = []
    n = len(text)
    for cm in _CHUNK.finditer(text):
        whole = cm.group()
        if " " in whole or "-" in whole or "'" in whole or "’" in whole:
            _split_match(text, cm.start(), whole, of_heads, chunks)
            continue
        s, e = cm.span()  # one plain word: the common case, no inner tokenising
        if e < n and text[e] == "$":
            continue  # a currency code: "US$40"
        if e < n and text[e] == "." and whole in _ABBREV:
            chunks.append([Token(s, e + 1, whole + ".")])
        else:
            chunks.append([Token(s, e, whole)])
    return chunks


def _split_match(
    text: str, base: int, whole: str, of_heads: frozenset[str], chunks: list[list[Token]]
) -> None:
    """Tokenise a many-word match at `base` and cut it where its connectors join no name.

    A particle always joins ("Omar al Bashir"); "of" and "the" join only after an of-head
    ("Bank of England", not "Obama of Chicago"). Appends to `chunks`.
    """
    n = len(text)
    cur: list[Token] = []
    pending: list[Token] = []
    for m in _TOKEN.finditer(whole):
        s, e = base + m.start(), base + m.end()
        word = m.group()
        if word in _CONNECTORS:
            pending.append(Token(s, e, word, conn=True))
            continue
        if "-" in word:
            e = s + len(_LOWER_TAIL.sub("", word))  # "Kabul-based" names Kabul
            word = text[s:e]
        if e < n and text[e] == "." and word in _ABBREV:
            e += 1
            word += "."
        if pending and (pending[0].text in _PARTICLES or (cur and cur[-1].text in of_heads)):
            cur.extend(pending)
        elif pending:
            chunks.append(cur)
            cur = []
        pending = []
        if e < n and text[e] == "$":  # a currency code: "US$40"
            if cur:
                chunks.append(cur)
            cur = []
        else:
            cur.append(Token(s, e, word))
    if cur:
        chunks.append(cur)


def is_initial(text: str, pos: int) -> bool:
    """Whether the word at pos opens a sentence, where its capital proves nothing."""
    j = pos - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def strip_stopwords(toks: list[Token]) -> list[Token]:
    """Drop connectors and stopwords from both ends of a chunk, but not a given name."""
    stop = stopwords()
    lo, hi = 0, len(toks)
    while lo < hi and (toks[lo].conn or toks[lo].text.lower().rstrip(".") in stop):
        if hi - lo > 1 and not toks[lo + 1].conn and toks[lo].text in first_names():
            break  # "Jan Novak", "May Chen": a given name, not a month
        lo += 1
    while hi > lo and (toks[hi - 1].conn or toks[hi - 1].text.lower().rstrip(".") in stop):
        hi -= 1
    return toks if (lo, hi) == (0, len(toks)) else toks[lo:hi]
