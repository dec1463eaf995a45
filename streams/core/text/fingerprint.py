"""Near-duplicate fingerprints of cleaned text (64-bit SimHash).

The text is normalised (NFKC, case-folded, punctuation dropped), cut into overlapping word
shingles of SHINGLE_SIZE words, and each distinct shingle is hashed to 64 bits with BLAKE2b
(stable across processes and machines, unlike ``hash()``). Bit i of the fingerprint is set
when more than half of the shingle hashes have bit i set. Texts that share most shingles get
fingerprints a few bits apart; ``hamming(a, b) <= DUPLICATE_MAX_DISTANCE`` marks a near
duplicate.
"""

from __future__ import annotations

import re
import unicodedata
from hashlib import blake2b

import numpy as np

__all__ = ["DUPLICATE_MAX_DISTANCE", "SHINGLE_SIZE", "hamming", "simhash"]

# 3-word shingles: on the rewrites of tests/core/text/test_fingerprint.py (1.5-2 KB stories) they
# gave the smallest rewrite distances (2-10 bits) of shingle sizes 2-5, with unrelated
# stories 29-35 bits apart (about 32 is expected of independent 64-bit hashes).
SHINGLE_SIZE = 3
# 12, measured: 80 random light edits of 1.5-2 KB stories (3 words replaced) moved a median
# of 5 bits, 95th percentile 9, max 11; 6 replaced words: median 8, p95 12. Dropping a whole
# sentence moved a median of 10 bits (p95 21), so that is a near duplicate only sometimes.
# Unrelated stories: 4005 pairs of Wikinews articles (shared/eval) gave a minimum of 17 bits,
# 0.1th percentile 20, mean 31.7. 12 keeps light rewrites in and stays 5 bits clear of the
# closest unrelated pair. Lower it for precision on very short texts, where bits move faster.
DUPLICATE_MAX_DISTANCE = 12

_WORD_RE = re.compile(r"\w+")
# over ASCII text \w means the same in bytes: the words come out encoded, as they are hashed
_ASCII_WORD_RE = re.compile(rb"\w+")
_BYTE_ORDER = 8
# a copy of this hash object is a fresh 8-byte BLAKE2b, made faster than by the constructor
# (which parses its keyword arguments again for each of the ~500 shingles of an article)
_BLAKE = blake2b(digest_size=_BYTE_ORDER)
_EMPTY = "0" * 16


def _words(text: str) -> list[bytes]:
    """The words of the normalised text, UTF-8 encoded."""
    # NFKC leaves ASCII text unchanged and casefold() of ASCII is lower(): skip the tables
    if text.isascii():
        found: list[bytes] = _ASCII_WORD_RE.findall(text.lower().encode("ascii"))
        return found
    words: list[str] = _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())
    return [word.encode("utf-8") for word in words]


def _shingles(text: str) -> set[bytes]:
    """The distinct word shingles of the text, UTF-8 encoded (the words joined by spaces)."""
    words = _words(text)
    if len(words) < SHINGLE_SIZE:
        return {b" ".join(words)} if words else set()
    windows = (words[i : len(words) - SHINGLE_SIZE + 1 + i] for i in range(SHINGLE_SIZE))
    return set(map(b" ".join, zip(*windows, strict=True)))


def _digests(shingles: set[bytes]) -> bytes:
    """The 8-byte BLAKE2b digests of the shingles, one after another."""
    digests: list[bytes] = []
    for shingle in shingles:
        state = _BLAKE.copy()
        state.update(shingle)
        digests.append(state.digest())
    return b"".join(digests)


def simhash(text: str) -> str:
    """64-bit SimHash of the text's word shingles, as 16 hex digits."""
    shingles = _shingles(text)
    if not shingles:
        return _EMPTY
    count = len(shingles)
    # one row of 64 bits per digest, most significant first (the digest read big-endian):
    # a column's sum is how many digests have that bit set, and the majority sets it
    rows = np.frombuffer(_digests(shingles), dtype=np.uint8).reshape(count, _BYTE_ORDER)
    majority = np.unpackbits(rows, axis=1).sum(axis=0) > count / 2
    return np.packbits(majority).tobytes().hex()


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex fingerprints."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
