"""Train the name tagger on CoNLL-2003 and write the model the package ships.

    python -m training.train_ner                 # train on eng.train, report eng.testa, write
    python -m training.train_ner --c1 0.1 --c2 0.01 --iterations 150 --out /tmp/model.npz

A linear-chain CRF (CRFsuite, L-BFGS with L1 and L2 penalties) over the features of
``streams.core.entities.tagger_features``. It reads ``eng.train`` to learn and ``eng.testa``
(the official development split) to report entity P/R/F1 per type; both stay in the shared
evaluation folder (NEWSSTREAM_EVAL_DIR, else ../shared/eval). The model is exported as plain
arrays (feature names, a weight per feature and label, label transitions) so the package
tags with numpy alone; CRFsuite is needed only here (the `train` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from streams.core.entities.gazetteer import gazetteer
from streams.core.entities.tagged import rule_spans
from streams.core.entities.tagger import MODEL_PATH, NameTagger, entity_spans
from streams.core.entities.tagger_features import (
    BOS,
    EOS,
    WINDOW,
    TagTokens,
    context_features,
    gazetteer_marks,
    offset_prefix,
    span_marks,
    tokenize,
)
from streams.core.text.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
#: The project's own labelled modern news (training/data/README.md).
MODERN = ROOT / "training" / "data" / "modern_news_ner.jsonl"

Sentence = list[tuple[str, str]]


def conll_dir() -> Path:
    """The folder holding eng.train and eng.testa."""
    configured = os.environ.get("NEWSSTREAM_EVAL_DIR")
    base = Path(configured) if configured else ROOT.parent / "shared" / "eval"
    return base / "conll2003"


def read_conll(path: Path) -> list[list[Sentence]]:
    """Documents of sentences of (word, BIO tag); the file's IOB1 tags become BIO."""
    docs: list[list[Sentence]] = []
    sent: Sentence = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sent and docs:
                docs[-1].append(sent)
            elif sent:
                docs.append([sent])
            sent = []
            continue
        if parts[0] == "-DOCSTART-":
            docs.append([])
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        docs[-1].append(sent)
    for doc in docs:
        for s in doc:
            _iob1_to_bio(s)
    return [d for d in docs if d]


def read_modern(path: Path) -> tuple[list[list[Sentence]], list[list[Sentence]]]:
    """The project's own labelled modern news, tokenised and split like the tagger's input.

    Returns (training part, held-out part): a text whose sha256(id) is 0 mod 5 is held out.
    """
    train_part: list[list[Sentence]] = []
    held_out: list[list[Sentence]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = rec["text"]
        toks = tokenize(text)
        tags = ["O"] * len(toks.words)
        for ent in rec["entities"]:
            inside = [k for k, s in enumerate(toks.starts) if ent["start"] <= s < ent["end"]]
            for j, k in enumerate(inside):
                tags[k] = ("B-" if j == 0 else "I-") + ent["type"]
        doc: list[Sentence] = []
        for start, end in sentence_spans(text):
            sent = [
                (w, t)
                for w, t, s in zip(toks.words, tags, toks.starts, strict=True)
                if start <= s < end
            ]
            if sent:
                doc.append(sent)
        digest = int(hashlib.sha256(rec["id"].encode()).hexdigest(), 16)
        (held_out if digest % 5 == 0 else train_part).append(doc)
    return train_part, held_out


def _tabular(sent: Sentence) -> bool:
    """A line of a results table: numbers for a third of its tokens, or no prose word."""
    numbers = sum(1 for w, _ in sent if any(ch.isdigit() for ch in w))
    prose = any(len(w) > 2 and w.islower() for w, _ in sent)
    return numbers * 3 >= len(sent) or not prose


def prose_documents(docs: list[list[Sentence]]) -> list[list[Sentence]]:
    """The documents that are mostly prose, not sports results or market tables.

    Reuters' 1996 tables (where every city is a club, "Japan 2 Syria 1") are a third of
    eng.train; learnt from, they teach that a city is an organisation, which in news prose
    it seldom is.
    """
    return [d for d in docs if sum(map(_tabular, d)) * 2 < len(d)]


def _iob1_to_bio(sent: Sentence) -> None:
    prev = "O"
    for k, (word, tag) in enumerate(sent):
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            sent[k] = (word, "B-" + tag[2:])
        prev = tag


def doc_context(doc: list[Sentence]) -> Iterator[tuple[list[str], list[tuple[int, str]]]]:
    """Each sentence's words and context features, as the tagger builds them from text."""
    toks = TagTokens([], [], [])
    pos = 0
    for sent in doc:
        for word, _ in sent:
            toks.starts.append(pos)
            toks.ends.append(pos + len(word))
            toks.words.append(word)
            pos += len(word) + 1
    text = " ".join(toks.words)
    marks = gazetteer_marks(toks, gazetteer().find(text))
    ruled = span_marks(toks, rule_spans(text))
    lower_seen = frozenset(w for w in toks.words if w.islower())
    k = 0
    for sent in doc:
        words = toks.words[k : k + len(sent)]
        sl = slice(k, k + len(sent))
        yield words, context_features(words, [(0, len(words))], marks[sl], lower_seen, ruled[sl])
        k += len(sent)


def sentence_features(words: list[str], context: list[tuple[int, str]]) -> list[list[str]]:
    """Every feature of every token of one sentence (context + word features by offset)."""
    padded = [BOS] * WINDOW + words + [EOS] * WINDOW
    out: list[list[str]] = [[] for _ in words]
    for i, f in context:
        out[i].append(f)
    for i, feats in enumerate(out):
        for o in range(-WINDOW, WINDOW + 1):
            feats.extend(offset_prefix(padded[i + WINDOW + o], o))
    return out


_PLACE_KINDS = frozenset({"city", "country", "state", "province", "region"})
_IDENTITY = ("w=", "lw=", "p3=", "s2=", "s3=", "s4=")


def _without_identity(feats: list[str]) -> list[str]:
    """A token's features without those that name the word itself (form, affixes)."""
    return [f for f in feats if not f.startswith(_IDENTITY)]


def train(
    docs: list[list[Sentence]],
    model: Path,
    c1: float,
    c2: float,
    iterations: int,
    minfreq: int,
    place_dropout: bool = False,
) -> None:
    """Fit the CRF and save CRFsuite's model file.

    With place_dropout, each sentence with a gazetteer place in it is learnt a second time
    with the place words' own identity left out, so their type comes from the context and
    the gazetteer, not from what the word was in 1996 (Reuters' "Aberdeen" and "Somerset"
    are mostly clubs).
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        for sent, (words, ctx) in zip(doc, doc_context(doc), strict=True):
            labels = [tag for _, tag in sent]
            feats = sentence_features(words, ctx)
            trainer.append(feats, labels)
            places = {i for i, f in ctx if f.startswith("gz=") and f[5:] in _PLACE_KINDS}
            if place_dropout and places:
                trainer.append([_without_identity(f) if i in places else f
                                for i, f in enumerate(feats)], labels)  # fmt: skip
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": minfreq,
        }
    )
    trainer.train(str(model))


def export(model: Path, out: Path) -> None:
    """Write CRFsuite's weights as the arrays NameTagger loads."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: (lab != "O", lab[2:], lab[:1]))
    lab_index = {lab: k for k, lab in enumerate(labels)}
    attrs = sorted({a for a, _ in info.state_features})
    attr_index = {a: k for k, a in enumerate(attrs)}
    weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (attr, lab), w in info.state_features.items():
        weights[attr_index[attr], lab_index[lab]] = w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[lab_index[a], lab_index[b]] = w
    np.savez_compressed(
        out,
        labels=np.array(labels),
        attrs=np.array("\n".join(attrs)),
        weights=weights,
        transitions=trans,
    )


def score(docs: list[list[Sentence]], tagger: NameTagger) -> dict[str, tuple[float, float, float]]:
    """Entity P/R/F1 per type and overall (exact span and type) of the exported tagger."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc in docs:
        for sent, (words, ctx) in zip(doc, doc_context(doc), strict=True):
            pred = set(entity_spans(tagger.label_tokens(words, [(0, len(words))], ctx)))
            gold = set(entity_spans([tag for _, tag in sent]))
            for s in pred & gold:
                tp[s[2]] += 1
            for s in pred - gold:
                fp[s[2]] += 1
            for s in gold - pred:
                fn[s[2]] += 1
    out = {}
    for t in [*sorted(set(tp) | set(fn)), "ALL"]:
        a = sum(tp.values()) if t == "ALL" else tp[t]
        b = sum(fp.values()) if t == "ALL" else fp[t]
        c = sum(fn.values()) if t == "ALL" else fn[t]
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c1", type=float, default=0.1, help="L1 penalty")
    parser.add_argument("--c2", type=float, default=0.5, help="L2 penalty")
    parser.add_argument("--iterations", type=int, default=40, help="L-BFGS iterations")
    parser.add_argument(
        "--minfreq", type=int, default=1, help="features seen fewer times are left out"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    parser.add_argument(
        "--place-dropout",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also learn each sentence with a gazetteer place without the place word (default)",
    )
    parser.add_argument(
        "--prose-only",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train on the CoNLL-2003 documents that are mostly prose (default)",
    )
    parser.add_argument(
        "--modern-weight",
        type=int,
        default=3,
        help="times each modern news text is repeated in training (0: CoNLL-2003 alone)",
    )
    args = parser.parse_args()
    folder = conll_dir()
    if not (folder / "eng.train").is_file():
        print(f"CoNLL-2003 data not found in {folder}: set NEWSSTREAM_EVAL_DIR", file=sys.stderr)
        return 2
    train_docs = read_conll(folder / "eng.train")
    if args.prose_only:
        train_docs = prose_documents(train_docs)
    dev_docs = read_conll(folder / "eng.testa")
    modern, modern_held_out = read_modern(MODERN)
    train_docs += modern * args.modern_weight
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        crf = Path(tmp) / "ner.crfsuite"
        train(train_docs, crf, args.c1, args.c2, args.iterations, args.minfreq, args.place_dropout)
        export(crf, args.out)
    took = time.perf_counter() - began
    tagger = NameTagger.load(args.out)
    print(
        f"trained on {len(train_docs)} documents in {took:.0f} s: {len(tagger.attrs)} features,"
        f" {args.out.stat().st_size} bytes"
    )
    sets = (
        ("eng.testa", dev_docs),
        ("eng.testa prose", prose_documents(dev_docs)),
        ("modern held-out", modern_held_out),
    )
    for name, docs in sets:
        for t, (p, r, f) in score(docs, tagger).items():
            print(f"{name} {t:<5} P {p:.4f} R {r:.4f} F1 {f:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
