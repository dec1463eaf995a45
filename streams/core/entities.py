"""Named entities (PERSON, ORG, LOC, MISC) with canonical names and in-document coreference."""

from __future__ import annotations

from streams.models import Entity

__all__ = ["extract_entities"]


def extract_entities(text: str, lang: str | None = None) -> list[Entity]:
    """Return one Entity per distinct entity in text, first mention offsets, canonical names."""
    raise NotImplementedError
