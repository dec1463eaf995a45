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
_BYTE_ORDER = 8
# _BIT_UNITS[j] is one byte with only bit j set; repeated n times it masks bit j of n bytes
_BIT_UNITS = tuple(bytes((1 << bit,)) for bit in range(8))
_EMPTY = "0" * 16


def _shingles(text: str) -> set[str]:
    # NFKC leaves ASCII text unchanged and casefold() of ASCII is lower(): skip the tables
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    words: list[str] = _WORD_RE.findall(folded)
    if len(words) < SHINGLE_SIZE:
        return {" ".join(words)} if words else set()
    windows = (words[i : len(words) - SHINGLE_SIZE + 1 + i] for i in range(SHINGLE_SIZE))
    return set(map(" ".join, zip(*windows, strict=True)))


def simhash(text: str) -> str:
    """64-bit SimHash of the text's word shingles, as 16 hex digits."""
    shingles = _shingles(text)
    if not shingles:
        return _EMPTY
    digests = b"".join(
        [blake2b(shingle.encode("utf-8"), digest_size=_BYTE_ORDER).digest() for shingle in shingles]
    )
    count = len(shingles)
    half = count / 2
    masks = [(int.from_bytes(unit * count, "little"), bit) for bit, unit in enumerate(_BIT_UNITS)]
    value = 0
    # count, for each of the 64 bit positions, how many digests have it set: the bytes at
    # position k are digests[k::8]; read as one integer, masking bit j of every byte and
    # counting the set bits gives how many of those bytes have bit j set
    for position in range(_BYTE_ORDER):
        column = int.from_bytes(digests[position::_BYTE_ORDER], "little")
        shift = (_BYTE_ORDER - 1 - position) * 8
        for mask, bit in masks:
            if (column & mask).bit_count() > half:
                value |= 1 << (shift + bit)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex fingerprints."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
