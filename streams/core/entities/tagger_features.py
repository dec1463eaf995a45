"""Tokens and features of the trained name tagger, shared by its training and its use.

The tagger reads CoNLL-2003-style tokens (punctuation and the possessive "'s" apart, "U.S."
whole), so the text is tokenised that way here. Each token's features are of two kinds:

- word features, which depend on one word only (its form, shape, affixes, whether it is a
  known given name), taken from the token itself and from its neighbours up to
  ``WINDOW`` words away; their weights can be summed once per word and cached;
- context features, computed per document: the gazetteer's reading of the token (the
  rules' evidence, as a feature rather than the answer), the sentence's casing and whether
  the word is seen in lower case elsewhere in the document.

Training (``training/train_ner.py``) and tagging (``tagger.py``) both build features here, so
the two can never drift apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter

from lemminflect import getAllLemmas

from streams.core.entities.gazetteer import GazEntry, first_names

__all__ = [
    "BOS",
    "EOS",
    "WINDOW",
    "TagTokens",
    "context_features",
    "gazetteer_marks",
    "offset_prefix",
    "span_marks",
    "tokenize",
    "word_features",
]

#: Neighbours on each side whose word features a token sees.
WINDOW = 2
#: Padding words before the first and after the last token of a sentence.
BOS, EOS = "<s>", "</s>"

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}(?![A-Za-z])"  # U.S., U.N., a.m.
    r"|(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Co|Ltd|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|No)\.(?!\w)"
    r"|\d+(?:[.,:]\d+)+"  # 3.5, 1,000, 15:00
    r"|[^\W_]+(?:[-&][^\W_]+)*(?:['’](?![sS]\b)[^\W_]+)*"  # words, F-16, O'Neill, AT&T
    r"|['’][sS]\b"  # the possessive, a token of its own
    r"|\S"
)
# The common token first: a run of letters and digits that no other alternative claims or
# extends (no ". , : & ' ’ -" follows it), so the slower alternatives are not tried for it.
# Each match is also the whitespace before its token: a token holds no whitespace and every
# other character lies in one, so the offsets are running sums of the lengths.
_SPACED_TOKEN = re.compile(rf"(\s*)((?>[^\W_]+)(?![.,:&'’-])|{_TOKEN.pattern})")
_FIRST_CHAR = itemgetter(slice(0, 1))  # w[:1]
_SECOND = itemgetter(1)
_SHAPE_RUNS = re.compile(r"(.)\1+")
# Which gazetteer readings are told apart: the kinds the gazetteer has.
_GAZ_KINDS = frozenset({"org", "region", "country", "demonym", "state", "city", "province"})


@dataclass(slots=True)
class TagTokens:
    """A text's tokens as three parallel lists: start and end offsets, and the words."""

    starts: list[int]
    ends: list[int]
    words: list[str]


def tokenize(text: str) -> TagTokens:
    """CoNLL-style tokens of text, with their offsets (the matches of _TOKEN)."""
    # Trailing whitespace is no token's, and left in it would cost a failed match per space.
    pairs = _SPACED_TOKEN.findall(text.rstrip())
    offsets = list(accumulate(map(len, chain.from_iterable(pairs))))
    return TagTokens(offsets[0::2], offsets[1::2], list(map(_SECOND, pairs)))


def _shape(word: str) -> str:
    """The word's shape with runs collapsed: "Xx" (Paris), "X" (NATO), "d-d", "X.X."."""
    out = []
    for ch in word:
        if ch.isupper():
            out.append("X")
        elif ch.islower():
            out.append("x")
        elif ch.isdigit():
            out.append("d")
        else:
            out.append(ch)
    return _SHAPE_RUNS.sub(r"\1", "".join(out))


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[str, ...]:
    """The features of one word (without an offset prefix)."""
    if word in (BOS, EOS):
        return ("w=" + word,)
    lower = word.lower()
    if len(lower) > 2 and lower[-1] == "." and "." not in lower[:-1]:
        lower = lower[:-1]  # "Corp." reads as "Corp", as Reuters writes it
    feats = ["w=" + word, "lw=" + lower, "sh=" + _shape(word)]
    if len(lower) > 2:
        feats += ["p3=" + lower[:3], "s3=" + lower[-3:], "s2=" + lower[-2:]]
    if len(lower) > 4:
        feats.append("s4=" + lower[-4:])
    if word[:1].isupper() and word[1:].islower() and word in first_names():
        feats.append("given")
    if word.isupper() and len(word) > 1:
        feats.append("upper")
    feats.extend(_lexicon_classes(lower))
    return tuple(feats)


def _lexicon_classes(lower: str) -> list[str]:
    """The word classes English gives the lower-case word ("lex=NOUN" for "engine"), if any.

    lemminflect's lexicon of common English words: a capitalised word it knows ("Engine",
    "Chapter") is less often a name than one it does not ("Airbus", "Putin"), and this holds
    in news of any year, where the word's own weight was learnt from 1996 Reuters alone.
    """
    if not lower.isalpha():
        return []
    classes = getAllLemmas(lower)
    return [f"lex={c}" for c in sorted(classes)] if classes else ["lex=none"]


#: The word features a neighbour contributes: fewer than the token's own.
_NEIGHBOUR_KEYS = ("w=", "lw=", "sh=", "given", "upper", "s3=", "lex=")


@lru_cache(maxsize=131072)
def offset_prefix(word: str, offset: int) -> tuple[str, ...]:
    """The word's features as seen from `offset` words away ("-1:lw=the")."""
    feats = word_features(word)
    if offset == 0:
        return feats
    kept = [f for f in feats if f.startswith(_NEIGHBOUR_KEYS)]
    if abs(offset) > 1:
        kept = [f for f in kept if f.startswith(("lw=", "sh=", "w=<"))]
    return tuple(f"{offset:+d}:{f}" for f in kept)


def gazetteer_marks(
    tokens: TagTokens, hits: Iterable[tuple[int, int, GazEntry]]
) -> list[str | None]:
    """Per token, the gazetteer reading it lies in: "B-city", "I-org", ... or None."""
    return span_marks(
        tokens, ((s, e, entry.kind) for s, e, entry in hits if entry.kind in _GAZ_KINDS)
    )


def span_marks(tokens: TagTokens, spans: Iterable[tuple[int, int, str]]) -> list[str | None]:
    """Per token, the typed span it lies in ("B-PERSON", "I-ORG"), or None."""
    marks: list[str | None] = [None] * len(tokens.starts)
    for k, mark in span_mark_map(tokens, spans).items():
        marks[k] = mark
    return marks


def span_mark_map(tokens: TagTokens, spans: Iterable[tuple[int, int, str]]) -> dict[int, str]:
    """span_marks without the None entries, as token -> mark: a story has few names, and its
    features are then found without a pass over every token. A later span overwrites."""
    starts, ends = tokens.starts, tokens.ends
    n = len(starts)
    marks: dict[int, str] = {}
    for s, e, kind in spans:
        k = bisect_left(starts, s)
        if k == n or starts[k] != s:
            continue
        marks[k] = "B-" + kind
        j = k + 1
        while j < n and ends[j] <= e:
            marks[j] = "I-" + kind
            j += 1
    return marks


def gazetteer_mark_map(
    tokens: TagTokens, hits: Iterable[tuple[int, int, GazEntry]]
) -> dict[int, str]:
    """gazetteer_marks without the None entries, as token -> mark (see span_mark_map)."""
    return span_mark_map(
        tokens, ((s, e, entry.kind) for s, e, entry in hits if entry.kind in _GAZ_KINDS)
    )


def context_features(
    words: Sequence[str],
    bounds: Sequence[tuple[int, int]],
    marks: Sequence[str | None],
    lower_seen: frozenset[str],
    rules: Sequence[str | None] | None = None,
) -> list[tuple[int, str]]:
    """The document-dependent features of the tokens, as (token index, feature) pairs.

    bounds are the sentences' [first, end) token ranges. Sparse, because most tokens have
    none: only a sentence's first token, the tokens of a headline in capitals, gazetteer names
    and their neighbours, the rules' spans, and capitalised words seen in lower case
    elsewhere carry one.
    """
    return sparse_context_features(
        words, bounds, _present(marks), lower_seen, None if rules is None else _present(rules)
    )


def sparse_context_features(
    words: Sequence[str],
    bounds: Sequence[tuple[int, int]],
    marks: Mapping[int, str],
    lower_seen: frozenset[str],
    rules: Mapping[int, str] | None = None,
) -> list[tuple[int, str]]:
    """context_features with the marks and rules as token -> mark maps (span_mark_map)."""
    out: list[tuple[int, str]] = [(a, "first") for a, _ in bounds]
    # isupper words before each token: a sentence with fewer than two is no headline
    upper = list(accumulate(map(str.isupper, words), initial=0))
    for a, b in bounds:
        if upper[b] - upper[a] > 1 and _headline(words[a:b], upper[b] - upper[a]):
            out.extend(zip(range(a, b), repeat("headline")))
    ends = {b for _, b in bounds}
    starts = {a for a, _ in bounds}
    for i, mark in sorted(marks.items()):
        out.append((i, "gz=" + mark))
        if i not in starts:
            out.append((i - 1, "+1:gz=" + mark))
        if i + 1 not in ends:
            out.append((i + 1, "-1:gz=" + mark))
    capitalised = compress(range(len(words)), map(str.isupper, map(_FIRST_CHAR, words)))
    out.extend((i, "lowseen") for i in capitalised if words[i].lower() in lower_seen)
    if rules is not None:
        out.extend((i, "rule=" + r) for i, r in sorted(rules.items()))
    return out


def _present(marks: Sequence[str | None]) -> dict[int, str]:
    """The tokens that have a mark, with it."""
    return {i: m for i, m in enumerate(marks) if m is not None}


def _headline(words: Sequence[str], upper: int) -> bool:
    """Whether a sentence is a headline in capitals: most of its words are in capitals.

    upper is how many of its words are isupper, a bound on those counted in capitals.
    """
    alpha = sum(map(str.isalpha, map(_FIRST_CHAR, words)))
    if upper * 2 <= alpha:
        return False
    caps = sum(1 for w in words if len(w) > 1 and w.isupper())
    return caps > 1 and caps * 2 > alpha
