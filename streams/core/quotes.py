"""Direct quotations and who said them."""

from __future__ import annotations

from collections.abc import Sequence

from streams.models import Entity, Quote

__all__ = ["extract_quotes"]


def extract_quotes(text: str, entities: Sequence[Entity]) -> list[Quote]:
    """Return the quotations in text with their speaker's canonical name, or None."""
    raise NotImplementedError
