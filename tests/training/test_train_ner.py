"""The tagger's training script on a small sample written here (CRFsuite from the dev extra)."""

from __future__ import annotations

import json
from pathlib import Path

from streams.core.entities.tagger import NameTagger
from training.train_ner import export, prose_documents, read_conll, read_modern, score, train

_NAMES = [("Amara", "Okonjo"), ("Lena", "Brandt"), ("Tomas", "Varga"), ("Ines", "Duarte")]
_PLACES = ["Lagos", "Hamburg", "Szeged", "Porto"]
_BODIES = [("Ferrovia", "Group"), ("Norland", "Bank"), ("Vega", "Airlines"), ("Orion", "Labs")]


def _conll_sample() -> str:
    """Documents in CoNLL-2003's IOB1 columns: people, places and companies in prose."""
    lines = []
    for k in range(24):
        first, last = _NAMES[k % 4]
        place = _PLACES[(k + 1) % 4]
        head, tail = _BODIES[(k + 2) % 4]
        lines += ["-DOCSTART- -X- -X- O", ""]
        words = [(first, "I-PER"), (last, "I-PER"), ("told", "O"), (head, "I-ORG"), (tail, "I-ORG"),
                 ("staff", "O"), ("in", "O"), (place, "I-LOC"), (".", "O")]  # fmt: skip
        lines += [f"{w} NNP I-NP {t}" for w, t in words] + [""]
    return "\n".join(lines) + "\n"


def test_train_ner_reads_iob1_as_bio(tmp_path: Path) -> None:
    path = tmp_path / "sample.train"
    path.write_text("-DOCSTART- -X- -X- O\n\nAnn NNP I-NP I-PER\nLee NNP I-NP I-PER\n"
                    "Bo NNP I-NP I-PER\nin IN I-PP O\nParis NNP I-NP I-LOC\n\n")  # fmt: skip
    docs = read_conll(path)
    assert docs == [[[("Ann", "B-PER"), ("Lee", "I-PER"), ("Bo", "I-PER"), ("in", "O"),
                      ("Paris", "B-LOC")]]]  # fmt: skip


def test_train_ner_leaves_result_tables_out() -> None:
    table = [[("Leeds", "B-ORG"), ("2", "O"), ("Hull", "B-ORG"), ("1", "O")]] * 3
    prose = [[("Ann", "B-PER"), ("said", "O"), ("the", "O"), ("talks", "O"), ("ended", "O")]]
    assert prose_documents([table, prose]) == [prose]


def test_train_ner_splits_modern_news_by_hash(tmp_path: Path) -> None:
    path = tmp_path / "modern.jsonl"
    entities = [{"start": 0, "end": 7, "type": "PER"}, {"start": 16, "end": 20, "type": "LOC"}]
    records = [{"id": f"t-{k}", "text": "Ann Lee visited Oslo.", "entities": entities}
               for k in range(20)]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    train_part, held_out = read_modern(path)
    assert len(train_part) + len(held_out) == 20 and held_out  # sha256(id) % 5 == 0 held out
    assert train_part[0][0] == [("Ann", "B-PER"), ("Lee", "I-PER"), ("visited", "O"),
                                ("Oslo", "B-LOC"), (".", "O")]  # fmt: skip


def test_train_ner_trains_exports_and_tags(tmp_path: Path) -> None:
    sample = tmp_path / "sample.train"
    sample.write_text(_conll_sample())
    docs = read_conll(sample)
    crf, out = tmp_path / "model.crfsuite", tmp_path / "model.npz"
    train(docs, crf, c1=0.0, c2=0.01, iterations=60, minfreq=1)
    export(crf, out)
    tagger = NameTagger.load(out)
    assert score(docs, tagger)["ALL"][2] > 0.9
    text = "Lena Brandt told Orion Labs staff in Porto."
    spans = {text[s:e]: kind for s, e, kind in tagger.tag(text)}
    assert spans == {"Lena Brandt": "PER", "Orion Labs": "ORG", "Porto": "LOC"}
