"""Wording shared by the commands' console lines."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str) -> str:
    """`count` and the noun, in the plural unless the count is one ("1 partition", "3 files")."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
