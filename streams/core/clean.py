"""Cleaning of scraped article text: repeated titles, datelines, credits and trailers."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Cleaned", "clean_text"]


@dataclass(frozen=True)
class Cleaned:
    title: str | None
    text: str
    header: list[str] = field(default_factory=list)  # metadata lines removed near the top


def clean_text(text: str, title: str | None = None) -> Cleaned:
    """Remove clutter from scraped text and recover the title."""
    raise NotImplementedError
