"""Near-duplicate fingerprints of cleaned text (64-bit SimHash)."""

from __future__ import annotations

__all__ = ["simhash", "hamming"]


def simhash(text: str) -> str:
    """64-bit SimHash of the text's word shingles, as 16 hex digits."""
    raise NotImplementedError


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex fingerprints."""
    raise NotImplementedError
