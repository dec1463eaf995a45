"""The trained name tagger: a linear-chain CRF over CoNLL-style tokens, run with numpy.

Trained by ``training/train_ner.py`` (``make train-ner``) and shipped as arrays in
``data/ner_tagger.npz``; its model card is ``data/ner_tagger.md``. Word features depend on one
word each, so their summed weights are kept per word and offset in one table: a document's
scores are five array lookups and a sum, and Viterbi decodes all its sentences at once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from streams.core.entities.gazetteer import GazEntry, gazetteer
from streams.core.entities.tagger_features import (
    BOS,
    EOS,
    WINDOW,
    context_features,
    gazetteer_marks,
    offset_prefix,
    span_marks,
    tokenize,
)
from streams.core.text.sentences import Sentences

__all__ = ["MODEL_PATH", "NameTagger", "TaggedSpan", "default_tagger", "entity_spans"]

MODEL_PATH = Path(str(resources.files("streams.core.entities.data").joinpath("ner_tagger.npz")))
#: Words whose summed weights are kept; the table starts afresh when it grows past this.
_CACHE_WORDS = 200_000
_OFFSETS = 2 * WINDOW + 1
#: Words on each side of a cased word that are decoded with it (see _stretches).
_REACH = 1
#: (start, end, type) of a name in characters, or in tokens for entity_spans.
TaggedSpan = tuple[int, int, str]


def entity_spans(labels: Sequence[str]) -> list[TaggedSpan]:
    """(first token, end token, type) of each name in a BIO label sequence."""
    out: list[TaggedSpan] = []
    start, kind = -1, ""
    for k, lab in enumerate([*labels, "O"]):
        if lab.startswith("I-") and lab[2:] == kind and start >= 0:
            continue
        if start >= 0:
            out.append((start, k, kind))
            start, kind = -1, ""
        if lab != "O":
            start, kind = k, lab[2:]
    return out


class NameTagger:
    """A CRF's weights, with a table of each seen word's summed feature weights."""

    def __init__(self, labels: list[str], attrs: list[str], weights: Any, transitions: Any):
        self.labels = labels
        self.attrs = attrs
        self._index = {a: k for k, a in enumerate(attrs)}
        self._weights = np.asarray(weights, dtype=np.float32)
        trans = np.asarray(transitions, dtype=np.float32)
        self._trans = trans
        self._outside = labels.index("O")
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        self._table = np.zeros((1024, _OFFSETS, len(self.labels)), dtype=np.float32)
        for pad in (BOS, EOS):
            self._id(pad)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NameTagger:
        """Read a model written by training/train_ner.py."""
        with np.load(path) as npz:
            attrs = str(npz["attrs"]).split("\n")
            return cls([str(x) for x in npz["labels"]], attrs, npz["weights"], npz["transitions"])

    def _id(self, word: str) -> int:
        """The word's row in the table, its summed weights at each offset filled on first use."""
        k = self._ids.get(word)
        if k is not None:
            return k
        if len(self._ids) >= _CACHE_WORDS:
            self._reset()
        k = len(self._ids)
        if k == len(self._table):
            grown = np.zeros((2 * k, _OFFSETS, len(self.labels)), dtype=np.float32)
            grown[:k] = self._table
            self._table = grown
        index, weights = self._index, self._weights
        for o in range(-WINDOW, WINDOW + 1):
            ids = [i for f in offset_prefix(word, o) if (i := index.get(f)) is not None]
            if ids:
                self._table[k, o + WINDOW] = weights[ids].sum(axis=0)
        self._ids[word] = k
        return k

    def emissions(
        self,
        words: Sequence[str],
        bounds: Sequence[tuple[int, int]],
        context: Sequence[tuple[int, str]],
    ) -> Any:
        """Per token and label, the sum of its feature weights: shape (tokens, labels).

        bounds are the sentences' [first, end) token ranges: a word sees no neighbour across
        them (the padding words stand there, as in training).
        """
        get = self._ids.get
        known = [get(w) for w in words]
        ids_of = [self._id(w) if k is None else k for w, k in zip(words, known, strict=True)]
        pad_before, pad_after = [self._ids[BOS]] * WINDOW, [self._ids[EOS]] * WINDOW
        padded: list[int] = []
        real: list[int] = []
        for a, b in bounds:
            padded += pad_before
            real.extend(range(len(padded), len(padded) + b - a))
            padded += ids_of[a:b]
            padded += pad_after
        ids = np.asarray(padded)
        span = len(padded) - 2 * WINDOW
        table = self._table
        em = table[ids[:span], 0].copy()
        for j in range(1, _OFFSETS):
            em += table[ids[j : j + span], j]
        em = em[np.asarray(real, dtype=np.int64) - WINDOW]
        index = self._index
        pairs = [(i, k) for i, f in context if (k := index.get(f)) is not None]
        if pairs:
            rows, feats = zip(*pairs, strict=True)
            np.add.at(em, np.asarray(rows), self._weights[np.asarray(feats)])
        return em

    def decode(
        self,
        em: Any,
        bounds: Sequence[tuple[int, int]] | None = None,
        edges: Sequence[tuple[bool, bool]] | None = None,
    ) -> list[str]:
        """The best label sequence of each stretch of tokens (Viterbi), all at once.

        bounds are the stretches' [first, end) token ranges in em (default: all of em, one
        sentence); edges say, per stretch, whether an O token stands right before and right
        after it (its transitions count). Tokens outside every stretch are O. Stretches are
        taken longest first, so step t works on the first k rows that reach t.
        """
        n = len(em)
        found = np.full(n, self._outside, dtype=np.int64)
        if bounds is None:
            bounds = [(0, n)] if n else []
        if edges is None:
            edges = [(False, False)] * len(bounds)
        if bounds:
            order = sorted(range(len(bounds)), key=lambda k: bounds[k][0] - bounds[k][1])
            self._viterbi(em, [bounds[k] for k in order], [edges[k] for k in order], found)
        names = self.labels
        return [names[k] for k in found.tolist()]

    def _viterbi(
        self,
        em: Any,
        bounds: list[tuple[int, int]],
        edges: list[tuple[bool, bool]],
        found: Any,
    ) -> None:
        """Fill found with the best labels of each stretch, bounds sorted longest first."""
        starts = np.asarray([a for a, _ in bounds])
        lengths = np.asarray([b - a for a, b in bounds])
        longest = int(lengths[0])
        # active[t]: how many stretches reach step t (they are sorted longest first)
        active = (lengths[None, :] > np.arange(longest)[:, None]).sum(axis=1).tolist()
        cells = np.minimum(starts[:, None] + np.arange(longest), len(em) - 1)
        scores = em[cells]  # (stretches, steps, labels); steps past a stretch's end unused
        trans, out = self._trans, self._outside
        after_o = np.asarray([a for a, _ in edges], dtype=np.float32)[:, None]
        before_o = np.asarray([b for _, b in edges], dtype=np.float32)[:, None]
        score = scores[:, 0] + after_o * trans[out]
        back = np.zeros((len(bounds), longest, len(self.labels)), dtype=np.int64)
        for t in range(1, longest):
            k = active[t]
            cand = score[:k, :, None] + trans
            back[:k, t] = cand.argmax(axis=1)
            score[:k] = cand.max(axis=1) + scores[:k, t]
        cur = (score + before_o * trans[:, out]).argmax(axis=1)
        path = np.zeros((len(bounds), longest), dtype=np.int64)
        rows = np.arange(len(bounds))
        for t in range(longest - 1, 0, -1):
            k = active[t]
            path[:k, t] = cur[:k]
            cur[:k] = back[rows[:k], t, cur[:k]]
        path[:, 0] = cur
        inside = np.arange(longest)[None, :] < lengths[:, None]
        found[cells[inside]] = path[inside]

    def label_tokens(
        self,
        words: Sequence[str],
        bounds: Sequence[tuple[int, int]],
        context: Sequence[tuple[int, str]],
    ) -> list[str]:
        """The label of every token (bounds: the sentences' token ranges)."""
        stretches, edges = _stretches(words, bounds)
        return self.decode(self.emissions(words, bounds, context), stretches, edges)

    def tag(
        self,
        text: str,
        hits: Sequence[tuple[int, int, GazEntry]] | None = None,
        rules: Sequence[TaggedSpan] = (),
        sentences: Sentences | None = None,
    ) -> list[TaggedSpan]:
        """The names in text as (start, end, type) character spans, type PER/ORG/LOC/MISC.

        hits are the gazetteer's matches in text (found here when not given) and rules the
        spans the rules typed ("PERSON", ..., "none" where no cue decided): both are features.
        sentences are the text's, when the caller has split it already.
        """
        toks = tokenize(text)
        words = toks.words
        if not words:
            return []
        marks = gazetteer_marks(toks, gazetteer().find(text) if hits is None else hits)
        lower_seen = frozenset(filter(str.islower, words))
        bounds = []
        first = 0
        for _, end in (sentences or Sentences.of(text)).spans:
            last = bisect_left(toks.starts, end, first)
            if last > first:
                bounds.append((first, last))
            first = last
        context = context_features(words, bounds, marks, lower_seen, span_marks(toks, rules))
        stretches, edges = _stretches(words, bounds)
        labels = self.decode(self.emissions(words, bounds, context), stretches, edges)
        return [
            (toks.starts[a + x], toks.ends[a + y - 1], kind)
            for a, b in stretches
            for x, y, kind in entity_spans(labels[a:b])
        ]


def _stretches(
    words: Sequence[str], bounds: Sequence[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[bool, bool]]]:
    """The stretches of tokens worth decoding, with whether an O token stands on each side.

    Only the stretches around cased words are decoded ("Obama", "iPhone", "of" in "Bank of
    England"): a run of lower-case words and numbers is outside any name, so a sentence's
    Viterbi pass covers a few short stretches instead of every word. No stretch crosses a
    sentence's bounds.
    """
    stretches: list[tuple[int, int]] = []
    edges: list[tuple[bool, bool]] = []
    for lo, hi in bounds:
        cased = [i for i in range(lo, hi) if words[i] != words[i].lower()]
        k = 0
        while k < len(cased):
            a = max(cased[k] - _REACH, lo)
            b = min(cased[k] + _REACH + 1, hi)
            k += 1
            while k < len(cased) and cased[k] - _REACH <= b:
                b = min(cased[k] + _REACH + 1, hi)
                k += 1
            stretches.append((a, b))
            edges.append((a > lo, b < hi))
    return stretches, edges


@cache
def default_tagger() -> NameTagger:
    """The tagger shipped in the package, loaded once per process."""
    return NameTagger.load(MODEL_PATH)
