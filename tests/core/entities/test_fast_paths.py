"""The entity extractor's fast paths give exactly what the plain code they replace gives.

Each reference below is the straightforward code the fast path was written from: a
regex that is searched faster, sparse marks instead of one per token, the tagger's table
and Viterbi laid out for numpy, per-word facts kept once per word.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left
from typing import Any

import numpy as np
import pytest

from streams.core.entities import chunks
from streams.core.entities.chunks import MAX_NAME_TOKENS
from streams.core.entities.gazetteer import gazetteer, stopwords
from streams.core.entities.spans import Token, find_chunks
from streams.core.entities.tagged import _LONG_RUN, _TITLE_CASE, rule_spans
from streams.core.entities.tagger import NameTagger, _stretches, default_tagger, entity_spans
from streams.core.entities.tagger_features import (
    _TOKEN,
    BOS,
    EOS,
    WINDOW,
    TagTokens,
    context_features,
    gazetteer_mark_map,
    gazetteer_marks,
    span_mark_map,
    span_marks,
    tokenize,
)
from streams.core.text.sentences import Sentences

STORY = (
    "WASHINGTON, May 2 (Reuters) - U.S. President Joe Biden met NATO's chief in the "
    "White House on Tuesday, Mr. Stoltenberg's office said. Shares of AT&T and O'Neill Corp. "
    "rose 3.5%, to 1,000.25 at 15:30 ET; the F-16 deal (No. 2) is worth US$40 billion.\n\n"
    "OFFICIALS SAY TALKS WILL GO ON IN GENEVA\n\n"
    "The talks in Geneva, Switzerland, went on. Paris and paris, iPhone and WorldCom, "
    "Соцсети обсуждают. Chancellor Olaf Scholz of Germany said the Bank of England and "
    "the European Central Bank would act. rock 'n' roll isn't dead, Ma’am.   \n\t "
)

# The reading each pattern was written from: a search tried at every character.
_OLD_LONG_RUN = re.compile(
    rf"(?<![\w'’&-])(?:{_TITLE_CASE}[ \t]+){{{MAX_NAME_TOKENS},}}{_TITLE_CASE}"
)


def _fuzz(seed: int, count: int, alphabet: list[str]) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(count)]


def _old_tokenize(text: str) -> TagTokens:
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return TagTokens([s for s, _ in spans], [e for _, e in spans], [text[s:e] for s, e in spans])


@pytest.mark.parametrize(
    "text",
    [STORY, "", "   ", "a", "U.S.", "it's O’Neill's", "3.5,x", "A.B.c.", "x\u00a0y\u2003z  "],
)
def test_tokenize_gives_the_token_pattern_matches(text: str) -> None:
    assert tokenize(text) == _old_tokenize(text)


def test_tokenize_gives_the_token_pattern_matches_on_random_text() -> None:
    alphabet = list("aZ09 .,:;-&'’_sS\n\t\u00a0é日½$()\"") + ["Mr", "No", "U.S."]
    for text in _fuzz(1, 5000, alphabet):
        assert tokenize(text) == _old_tokenize(text), text


def _long_run_texts() -> list[str]:
    rng = random.Random(7)
    words = ["Alpha", "Beta", "Über", "Øre", "Ab-Cd", "O'Neil", "Élan", "A", "x", "AB", "Ab1"]
    out = []
    for _ in range(1500):
        text = rng.choice(["", "x", "'", "-", "a", " "])
        for _ in range(rng.randint(8, 25)):
            word = rng.choice(words[:7]) if rng.random() < 0.93 else rng.choice(words)
            text += word + (
                rng.choice([" ", "\t", "  ", ",", "\n", "-"]) if rng.random() < 0.2 else " "
            )
        out.append(text)
    return out


def test_long_run_pattern_finds_what_the_lookbehind_pattern_finds() -> None:
    texts = [STORY, *_long_run_texts()]
    found = 0
    for text in texts:
        want = [m.span() for m in _OLD_LONG_RUN.finditer(text)]
        assert [m.span() for m in _LONG_RUN.finditer(text)] == want, text
        found += len(want)
    assert found > 100  # the texts do hold long runs


def _old_context_features(
    words: list[str],
    bounds: list[tuple[int, int]],
    marks: list[str | None],
    lower_seen: frozenset[str],
    rules: list[str | None],
) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = [(a, "first") for a, _ in bounds]
    capitalised = [i for i, w in enumerate(words) if w[:1].isupper()]
    for a, b in bounds:
        caps = sum(1 for w in words[a:b] if len(w) > 1 and w.isupper())
        if caps > 1 and caps * 2 > sum(1 for w in words[a:b] if w[:1].isalpha()):
            out.extend((i, "headline") for i in range(a, b))
    ends = {b for _, b in bounds}
    starts = {a for a, _ in bounds}
    for i, mark in enumerate(marks):
        if mark is not None:
            out.append((i, "gz=" + mark))
            if i not in starts:
                out.append((i - 1, "+1:gz=" + mark))
            if i + 1 not in ends:
                out.append((i + 1, "-1:gz=" + mark))
    out.extend((i, "lowseen") for i in capitalised if words[i].lower() in lower_seen)
    out.extend((i, "rule=" + r) for i, r in enumerate(rules) if r is not None)
    return out


def _bounds(text: str, toks: TagTokens) -> list[tuple[int, int]]:
    bounds, first = [], 0
    for _, end in Sentences.of(text).spans:
        last = bisect_left(toks.starts, end, first)
        if last > first:
            bounds.append((first, last))
        first = last
    return bounds


def test_context_features_and_sparse_marks_match_the_per_token_reading() -> None:
    text = STORY
    toks = tokenize(text)
    hits = gazetteer().find(text)
    ruled = rule_spans(text, (), (), hits)
    marks, rules = gazetteer_marks(toks, hits), span_marks(toks, ruled)
    assert {i: m for i, m in enumerate(marks) if m} == gazetteer_mark_map(toks, hits)
    assert {i: m for i, m in enumerate(rules) if m} == span_mark_map(toks, ruled)
    bounds = _bounds(text, toks)
    lower_seen = frozenset(w for w in toks.words if w.islower())
    got = context_features(toks.words, bounds, marks, lower_seen, rules)
    assert got == _old_context_features(toks.words, bounds, marks, lower_seen, rules)
    assert {f for _, f in got} >= {"first", "headline", "lowseen", "gz=B-city", "rule=B-PERSON"}


def test_span_marks_let_a_later_span_overwrite() -> None:
    toks = tokenize("Bank of England staff")
    spans = [(0, 15, "ORG"), (8, 15, "LOC")]
    assert span_marks(toks, spans) == ["B-ORG", "I-ORG", "B-LOC", None]
    assert span_mark_map(toks, spans) == {0: "B-ORG", 1: "I-ORG", 2: "B-LOC"}


def _old_emissions(
    tagger: NameTagger,
    words: list[str],
    bounds: list[tuple[int, int]],
    context: list[tuple[int, str]],
) -> Any:
    rows = tagger._rows(words)
    padded: list[int] = []
    real: list[int] = []
    for a, b in bounds:
        padded += [tagger._ids[BOS]] * WINDOW
        real.extend(range(len(padded), len(padded) + b - a))
        padded += rows[a:b]
        padded += [tagger._ids[EOS]] * WINDOW
    ids = np.asarray(padded)
    span = len(padded) - 2 * WINDOW
    em = tagger._table[0][ids[:span]].copy()
    for j in range(1, 2 * WINDOW + 1):
        em += tagger._table[j][ids[j : j + span]]
    em = em[np.asarray(real) - WINDOW]
    pairs = [(i, k) for i, f in context if (k := tagger._index.get(f)) is not None]
    if pairs:
        rows_at, feats = zip(*pairs, strict=True)
        np.add.at(em, np.asarray(rows_at), tagger._weights[np.asarray(feats)])
    return em


def test_tagger_emissions_are_the_per_sentence_padded_sums_bit_for_bit() -> None:
    tagger = default_tagger()
    toks = tokenize(STORY)
    bounds = _bounds(STORY, toks)
    context = [*context_features(toks.words, bounds, [None] * len(toks.words), frozenset()),
               (3, "no such feature"), (4, "headline")]  # fmt: skip
    got = tagger.emissions(toks.words, bounds, context)
    assert got.dtype == np.float32
    assert np.array_equal(got, _old_emissions(tagger, toks.words, bounds, context))
    gapped = [bounds[0], bounds[2]]  # sentences need not follow one another
    want = _old_emissions(tagger, toks.words, gapped, [])
    assert np.array_equal(tagger.emissions(toks.words, gapped, []), want)


@pytest.mark.parametrize("seed", range(20))
def test_tagger_names_read_labels_as_entity_spans_per_stretch(seed: int) -> None:
    tagger = default_tagger()
    rng = np.random.default_rng(seed)
    found = np.full(60, tagger.labels.index("O"), dtype=np.int64)
    stretches = [(0, 4), (4, 9), (12, 20), (21, 22), (30, 41), (41, 60)]
    for a, b in stretches:
        found[a:b] = rng.integers(0, len(tagger.labels), b - a)
    labels = [tagger.labels[k] for k in found]
    want = [(a + x, a + y, kind) for a, b in stretches for x, y, kind in entity_spans(labels[a:b])]
    assert tagger._names(found, stretches) == want


def test_tagger_stretches_are_the_runs_around_cased_words() -> None:
    words = ["the", "Bank", "of", "England", "said", "on", "Monday", "x", "y", "z", "iPhone", "9"]
    assert _stretches(words, [(0, 5), (5, 12)]) == (
        [(0, 5), (5, 8), (9, 12)],
        [(False, False), (False, True), (True, False)],
    )


def _lone_chunks(text: str) -> list[Token]:
    return [toks[0] for toks in find_chunks(text) if len(toks) == 1]


def test_lone_word_facts_type_as_the_general_run_reading_does() -> None:
    text = (
        STORY + " chief executive Smith spoke. Heathrow airport and based in Tilbury. "
        "A380 jets, NATO, McDonald, MacLeod, WorldCom, Зеленский, President, Monday."
    )
    seen = 0
    for t in _lone_chunks(text):
        facts = chunks._word_facts(t.text)
        assert facts.stop == (t.text.lower().rstrip(".") in stopwords())
        assert facts.title == bool(chunks._title_at([t], 0))
        if facts.stop or facts.title:
            continue
        want = chunks._classify_run(text, [t], False)
        got = chunks._classify_lone(text, t, facts)
        assert (got is None) == (want is None), t
        if got is not None and want is not None:
            assert (got.start, got.end, got.text, got.type, got.initial, got.tokens) == (
                want.start, want.end, want.text, want.type, want.initial, want.tokens
            )  # fmt: skip
            seen += 1
    assert seen > 20
