"""The trained name tagger: decoding, the shipped model, and the failure classes it fixes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from streams.core.entities.extract import extract_entities
from streams.core.entities.tagger import MODEL_PATH, NameTagger, default_tagger, entity_spans
from streams.core.entities.tagger_features import tokenize


def test_tagger_entity_spans_reads_bio_and_stray_inside_labels() -> None:
    labels = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "B-ORG", "I-MISC"]
    assert entity_spans(labels) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "ORG"),
                                    (7, 8, "MISC")]  # fmt: skip


def _brute_force(tagger: NameTagger, em: np.ndarray, after_o: bool, before_o: bool) -> list[str]:
    trans = tagger._trans
    out = tagger.labels.index("O")
    best: tuple[float, tuple[int, ...]] = (-np.inf, ())
    for path in itertools.product(range(len(tagger.labels)), repeat=len(em)):
        score = sum(float(em[i, y]) for i, y in enumerate(path))
        score += sum(float(trans[a, b]) for a, b in itertools.pairwise(path))
        score += float(trans[out, path[0]]) if after_o else 0.0
        score += float(trans[path[-1], out]) if before_o else 0.0
        best = max(best, (score, path))
    return [tagger.labels[y] for y in best[1]]


@pytest.mark.parametrize("seed", range(6))
def test_tagger_decode_is_exact_viterbi_on_every_stretch(seed: int) -> None:
    tagger = default_tagger()
    rng = np.random.default_rng(seed)
    em = rng.normal(0, 3, size=(9, len(tagger.labels))).astype(np.float32)
    bounds = [(0, 3), (4, 6), (6, 9)]  # token 3 is outside every stretch
    edges = [(False, True), (True, False), (False, False)]
    got = tagger.decode(em, bounds, edges)
    want = ["O"] * 9
    for (a, b), (after_o, before_o) in zip(bounds, edges, strict=True):
        want[a:b] = _brute_force(tagger, em[a:b], after_o, before_o)
    assert got == want


def test_tagger_shipped_model_is_small_and_complete() -> None:
    assert MODEL_PATH.stat().st_size <= 25 * 1024 * 1024
    tagger = NameTagger.load(MODEL_PATH)
    assert set(tagger.labels) == {"O"} | {
        f"{p}-{t}" for p in "BI" for t in ("PER", "ORG", "LOC", "MISC")
    }


def test_tagger_tokens_follow_conll_and_keep_offsets() -> None:
    text = "Mr. Lee of Acme Corp. said U.S. sales at Germany's F-16 plant rose 3.5% (No. 2)."
    toks = tokenize(text)
    assert toks.words[:8] == ["Mr.", "Lee", "of", "Acme", "Corp.", "said", "U.S.", "sales"]
    assert "'s" in toks.words and "F-16" in toks.words and "3.5" in toks.words
    assert all(text[s:e] == w for s, e, w in zip(toks.starts, toks.ends, toks.words, strict=True))


def _typed(text: str) -> dict[str, str]:
    return {e.text: e.type for e in extract_entities(text, "en")}


@pytest.mark.parametrize(
    ("text", "want", "absent"),
    [
        # a dateline city in capitals is a place, not an organisation or a person
        ("OSLO 2024-05-02\n\nThe central bank held rates.", {"OSLO": "LOC"}, []),
        # a title before a name is no part of it, and a first name alone is no place
        ("Russian President Vladimir Putin spoke to reporters.",
         {"Vladimir Putin": "PERSON"}, ["Vladimir", "President Vladimir Putin"]),
        ("Chancellor of the Exchequer Kenneth Clarke cut the rate.",
         {"Kenneth Clarke": "PERSON"}, ["Exchequer Kenneth Clarke"]),
        # a name joined by "and" inside a company's name is one company
        ("Shares in Nippon Telegraph and Telephone Corp fell.",
         {"Nippon Telegraph and Telephone Corp": "ORG"}, ["Nippon Telegraph"]),
        # time-zone abbreviations are no organisations
        ("The vote closed at 6:20 p.m. AMT and results came at 4:40 p.m. ET on Friday.",
         {}, ["AMT", "ET"]),
        # an outlet's name is one name
        ("The Caucasus Ledger reported the talks had stalled.", {"Caucasus Ledger": "ORG"},
         ["Caucasus"]),
        # stock indexes are named but are no organisations
        ("The Dow Jones fell 2% while the FTSE and the Nikkei rose.",
         {"Dow Jones": "MISC", "FTSE": "MISC", "Nikkei": "MISC"}, []),
        # a club named after a city is an organisation
        ("Manchester United beat Liverpool 2-1 at Old Trafford on Sunday.",
         {"Manchester United": "ORG", "Liverpool": "ORG"}, []),
        # a name ending in an organisation's head word is one organisation, but a leading
        # nationality stays apart, as CoNLL-2003 marks it
        ("China Eastern Airlines cancelled 40 flights on Monday.",
         {"China Eastern Airlines": "ORG"}, ["China", "Eastern Airlines"]),
        ("The Russian Foreign Ministry summoned the envoy.",
         {"Russian": "LOC", "Foreign Ministry": "ORG"}, ["Russian Foreign Ministry"]),
        # a currency is no place
        ("The deal is worth US$40 billion, about 37 billion EUR.", {}, ["US", "EUR"]),
    ],
)  # fmt: skip
def test_tagger_known_failure_classes_are_read_right(
    text: str, want: dict[str, str], absent: list[str]
) -> None:
    found = _typed(text)
    for name, etype in want.items():
        assert found.get(name) == etype, found
    for name in absent:
        assert name not in found, found


def test_tagger_can_be_switched_off_for_the_rules_alone() -> None:
    text = "Russian Foreign Minister Sergey Lavrov met envoys in Geneva."
    ruled = {e.canonical for e in extract_entities(text, "en", tagger=False)}
    tagged = {e.canonical for e in extract_entities(text, "en")}
    assert {"Sergey Lavrov", "Geneva"} <= ruled & tagged


def test_tagger_a_name_is_a_name_throughout_the_story() -> None:
    text = "Okonjo: talks will go on\n\nFinance Minister Amara Okonjo said the talks would go on."
    person = next(e for e in extract_entities(text, "en") if e.canonical == "Amara Okonjo")
    assert person.count == 2 and person.start == 0
