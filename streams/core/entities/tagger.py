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
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any

import numpy as np

from streams.core.entities.gazetteer import GazEntry, gazetteer
from streams.core.entities.tagger_features import (
    BOS,
    EOS,
    WINDOW,
    gazetteer_mark_map,
    offset_prefix,
    span_mark_map,
    sparse_context_features,
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
        self._trans_t = np.ascontiguousarray(trans.T)  # [to, from]
        self._outside = labels.index("O")
        # Per label: the type it names ("" for O) and whether it continues a name (I-).
        self._kinds = [lab[2:] for lab in labels]
        self._inside = [lab.startswith("I-") for lab in labels]
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        # (offset, row, label): each offset's rows contiguous, for np.take
        self._table = np.zeros((_OFFSETS, 1024, len(self.labels)), dtype=np.float32)
        for pad in (BOS, EOS):
            self._id(pad)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NameTagger:
        """Read a model written by training/train_ner.py."""
        with np.load(path) as npz:
            attrs = str(npz["attrs"]).split("\n")
            return cls([str(x) for x in npz["labels"]], attrs, npz["weights"], npz["transitions"])

    def _rows(self, words: Sequence[str]) -> list[int]:
        """The words' rows in the table, new words' filled in.

        The table starts afresh before a document that could take it past _CACHE_WORDS, not
        in the middle of one, where the rows already looked up would go stale.
        """
        rows = list(map(self._ids.get, words))
        if None not in rows:
            return rows  # type: ignore[return-value]  # no None left
        if len(self._ids) + len(words) > _CACHE_WORDS:
            self._reset()
            rows = list(map(self._ids.get, words))
        return [self._id(w) if k is None else k for w, k in zip(words, rows, strict=True)]

    def _id(self, word: str) -> int:
        """The word's row in the table, its summed weights at each offset filled on first use."""
        k = self._ids.get(word)
        if k is not None:
            return k
        k = len(self._ids)
        if k == self._table.shape[1]:
            grown = np.zeros((_OFFSETS, 2 * k, len(self.labels)), dtype=np.float32)
            grown[:, :k] = self._table
            self._table = grown
        index, weights = self._index, self._weights
        for o in range(-WINDOW, WINDOW + 1):
            ids = [i for f in offset_prefix(word, o) if (i := index.get(f)) is not None]
            if ids:
                self._table[o + WINDOW, k] = weights[ids].sum(axis=0)
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
        ids, real = self._padded(np.array(self._rows(words), dtype=np.intp), bounds)
        span = len(ids) - 2 * WINDOW
        table = self._table
        em = table[0].take(ids[:span], axis=0)
        for j in range(1, _OFFSETS):
            em += table[j].take(ids[j : j + span], axis=0)
        em = em[real - WINDOW]
        if context:
            rows, names = zip(*context, strict=True)
            feats = list(map(self._index.get, names))
            if None in feats:  # features the model never learnt
                known = [k is not None for k in feats]
                rows, feats = tuple(compress(rows, known)), list(compress(feats, known))
            at = np.array(rows, dtype=np.intp)
            np.add.at(em, at, self._weights.take(np.array(feats, dtype=np.intp), axis=0))
        return em

    def _padded(self, rows: Any, bounds: Sequence[tuple[int, int]]) -> tuple[Any, Any]:
        """The rows of each sentence's words between WINDOW padding words on either side, one
        sentence after another, and where the words stand in that array."""
        lengths = np.array([b - a for a, b in bounds], dtype=np.intp)
        firsts = np.array([a for a, _ in bounds], dtype=np.intp)
        before = np.cumsum(lengths) - lengths  # the sentence's first word among all kept
        sentence = np.repeat(np.arange(len(bounds)), lengths)
        kept = rows[np.arange(len(sentence)) + (firsts - before)[sentence]]
        real = np.arange(len(sentence)) + WINDOW + 2 * WINDOW * sentence
        ids = np.full(len(kept) + 2 * WINDOW * len(bounds), self._ids[EOS], dtype=np.intp)
        ids[real] = kept
        opening = before + 2 * WINDOW * np.arange(len(bounds))
        for w in range(WINDOW):
            ids[opening + w] = self._ids[BOS]
        return ids, real

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
        if bounds is None:
            bounds = [(0, len(em))] if len(em) else []
        names = self.labels
        return [names[k] for k in self._decode(em, bounds, edges).tolist()]

    def _decode(
        self,
        em: Any,
        bounds: Sequence[tuple[int, int]],
        edges: Sequence[tuple[bool, bool]] | None = None,
    ) -> Any:
        """decode's labels as the labels' indices."""
        found = np.full(len(em), self._outside, dtype=np.int64)
        if edges is None:
            edges = [(False, False)] * len(bounds)
        if bounds:
            order = sorted(range(len(bounds)), key=lambda k: bounds[k][0] - bounds[k][1])
            self._viterbi(em, [bounds[k] for k in order], [edges[k] for k in order], found)
        return found

    def _viterbi(
        self,
        em: Any,
        bounds: list[tuple[int, int]],
        edges: list[tuple[bool, bool]],
        found: Any,
    ) -> None:
        """Fill found with the best labels of each stretch, bounds sorted longest first."""
        starts = np.array([a for a, _ in bounds], dtype=np.intp)
        lengths = np.array([b - a for a, b in bounds], dtype=np.intp)
        longest, count, labels = int(lengths[0]), len(bounds), len(self.labels)
        steps = np.arange(longest)
        # active[t]: how many stretches reach step t (they are sorted longest first)
        active = (lengths[None, :] > steps[:, None]).sum(axis=1).tolist()
        cells = np.minimum(steps[:, None] + starts, len(em) - 1)
        scores = em[cells]  # (steps, stretches, labels); steps past a stretch's end unused
        trans, out = self._trans, self._outside
        after_o = np.array([a for a, _ in edges], dtype=np.float32)[:, None]
        before_o = np.array([b for _, b in edges], dtype=np.float32)[:, None]
        score = scores[0] + after_o * trans[out]
        back = np.zeros((longest, count, labels), dtype=np.intp)
        # cand[s, j, i]: stretch s at label j coming from label i, reduced along its last
        # (contiguous) axis; the best value is read at the argmax, which costs less than max
        cand = np.empty((count, labels, labels), dtype=np.float32)
        flat_cand = cand.reshape(-1)
        cells_of = np.arange(count * labels).reshape(count, labels) * labels
        into = self._trans_t
        for t in range(1, longest):
            k = active[t]
            np.add(score[:k, None, :], into, out=cand[:k])
            best = cand[:k].argmax(axis=2, out=back[t, :k])
            np.add(flat_cand.take(cells_of[:k] + best), scores[t, :k], out=score[:k])
        cur = (score + before_o * trans[:, out]).argmax(axis=1)
        path = np.zeros((longest, count), dtype=np.intp)
        flat = back.reshape(-1)
        base = np.arange(count) * labels  # where each stretch's labels start in a step
        for t in range(longest - 1, 0, -1):
            k = active[t]
            path[t, :k] = cur[:k]
            cur[:k] = flat.take(t * count * labels + base[:k] + cur[:k])
        path[0] = cur
        inside = steps[:, None] < lengths
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
        marks = gazetteer_mark_map(toks, gazetteer().find(text) if hits is None else hits)
        lower_seen = frozenset(filter(str.islower, words))
        bounds = []
        first = 0
        for _, end in (sentences or Sentences.of(text)).spans:
            last = bisect_left(toks.starts, end, first)
            if last > first:
                bounds.append((first, last))
            first = last
        ruled = span_mark_map(toks, rules)
        context = sparse_context_features(words, bounds, marks, lower_seen, ruled)
        stretches, edges = _stretches(words, bounds)
        found = self._decode(self.emissions(words, bounds, context), stretches, edges)
        starts, ends = toks.starts, toks.ends
        return [(starts[a], ends[b - 1], kind) for a, b, kind in self._names(found, stretches)]

    def _names(self, found: Any, stretches: Sequence[tuple[int, int]]) -> list[TaggedSpan]:
        """entity_spans of each stretch's labels (found: label indices), in token indices.

        Only the tokens not labelled O are read: a name ends at an O token, at a label that
        does not continue it, and at its stretch's end.
        """
        kinds, inside = self._kinds, self._inside
        limits = [b for _, b in stretches]  # stretches are in text order and apart
        named = np.flatnonzero(found != self._outside).tolist()
        labels = found[named].tolist()
        out: list[TaggedSpan] = []
        start, last, limit, kind, k = -1, -1, 0, "", 0
        for i, lab in zip(named, labels, strict=True):
            if inside[lab] and kinds[lab] == kind and i == last + 1 and i < limit:
                last = i
                continue
            if start >= 0:
                out.append((start, last + 1, kind))
            while limits[k] <= i:
                k += 1
            start, last, limit, kind = i, i, limits[k], kinds[lab]
        if start >= 0:
            out.append((start, last + 1, kind))
        return out


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
    everywhere = list(compress(range(len(words)), map(ne, words, map(str.lower, words))))
    for lo, hi in bounds:
        cased = everywhere[bisect_left(everywhere, lo) : bisect_left(everywhere, hi)]
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
