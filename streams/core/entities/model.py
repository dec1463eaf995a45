"""Optional statistical NER layer (spaCy) that adds names the rule-based layer missed.

Installed with the ``spacy`` extra; spaCy is imported only when a model is loaded.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from streams.core.entities.chunks import Mention
from streams.core.entities.gazetteer import gazetteer
from streams.models import Entity, EntityType

__all__ = ["MODEL_LABELS", "load_model", "refine_entities"]

# spaCy (OntoNotes) labels kept, and the entity type each becomes. NORP (nationalities,
# religious and political groups) becomes the country's LOC only where the gazetteer
# resolves it; other labels (dates, money, works of art) are left to other extractors.
MODEL_LABELS: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "LOC",
}
# Pipeline parts a named-entity pass does not need (its NER reads tok2vec only); leaving
# them out cuts the model's time per 3 KB article from ~70 ms to ~50 ms here.
_DISABLED = ("parser", "lemmatizer", "textcat", "tagger", "attribute_ruler", "senter")
_STRIP = " \t\n.,;:'\"’“”()[]"


@cache
def load_model(name_or_path: str) -> Any:
    """Load (once per process) a spaCy pipeline by package name or path, NER parts only."""
    import spacy

    return spacy.load(name_or_path, exclude=list(_DISABLED))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and surrounding punctuation or possessive from a model span."""
    if text[start:end].lower().startswith("the "):
        start += 4
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


def _model_mention(text: str, start: int, end: int, label: str) -> Mention | None:
    etype = MODEL_LABELS.get(label)
    start, end = _trim(text, start, end)
    surface = text[start:end]
    if etype is None or not surface or not surface[0].isupper():
        return None
    if any("\u0400" <= ch <= "\u04ff" for ch in surface):
        return None  # Cyrillic capitalisation marks sentences, not names
    entry = gazetteer().by_surface.get(surface)
    if entry is not None:  # the gazetteer's reading wins over the model's
        return Mention(start, end, surface, entry.type, entry.canonical, entry.geo, True)
    if label == "NORP":
        return None  # a group with no country ("Democrats", "Muslims")
    return Mention(start, end, surface, etype)


def _covers(entities: list[Entity], start: int, end: int, surface: str) -> bool:
    key = surface.casefold()
    for e in entities:
        if start < e.end and e.start < end:
            return True
        forms = (e.text, e.canonical, *e.aliases)
        if any(f.casefold() == key for f in forms):
            return True
    return False


def refine_entities(text: str, entities: list[Entity], model: Any) -> list[Entity]:
    """Add the model's PERSON/ORG/LOC names the deterministic entities do not cover.

    The deterministic layer wins: a name it found keeps its type and canonical form, a
    gazetteer surface keeps the gazetteer's type, and new mentions are grouped with each
    other and with existing entities as the rule-based grouping does (short forms of a
    longer name join it).
    """
    if not text:
        return entities
    from streams.core.entities.extract import group_mentions

    doc = model(text)
    extra: list[Mention] = []
    for ent in doc.ents:
        m = _model_mention(text, ent.start_char, ent.end_char, ent.label_)
        if m is None or text[m.start : m.end] != m.text:
            continue
        if _covers(entities, m.start, m.end, m.text):
            continue
        extra.append(m)
    if not extra:
        return entities
    added = group_mentions(extra, existing=entities)
    out = [*entities, *added]
    out.sort(key=lambda e: e.start)
    return out
