"""Time expressions (TIMEX3) found in text and resolved against the publication time."""

from __future__ import annotations

from datetime import datetime

from streams.models import Timex

__all__ = ["extract_timexes"]


def extract_timexes(text: str, anchor: datetime | None) -> list[Timex]:
    """Return every time expression in text with its TIMEX3 value anchored on `anchor`."""
    raise NotImplementedError
