"""Which conversations an import has written, in a fixed amount of memory.

A first import of a source (nothing of it stored yet) skips the lookup of each conversation: it
cannot be stored unless this import wrote it. Remembering every key in a set grew with the
file (a million conversations, over 100 MB); this Bloom filter takes 4 MB whatever the size.
It may answer "maybe" for a key it never saw (then the database is asked), never "no" for one
it did.
"""

from __future__ import annotations

_BITS = 1 << 25  # 4 MiB of bits: under 1% false "maybe" up to about three million keys


_MASK = _BITS - 1
_WORD = 0xFFFFFFFFFFFFFFFF


class SeenKeys:
    """A set of keys that can only be added to and asked "maybe in?" (no false "no")."""

    # Three bit positions from one hash. Written out in each method rather than shared: this
    # runs for every conversation and person of an import, and a call per position cost more
    # than the test itself.

    def __init__(self) -> None:
        self._bits = bytearray(_BITS >> 3)

    def add(self, key: object) -> None:
        """Remember `key`."""
        h = hash(key) & _WORD
        bits = self._bits
        p = h & _MASK
        bits[p >> 3] |= 1 << (p & 7)
        p = (h >> 25) & _MASK
        bits[p >> 3] |= 1 << (p & 7)
        p = ((h >> 39) ^ (h * 0x9E3779B1)) & _MASK
        bits[p >> 3] |= 1 << (p & 7)

    def __contains__(self, key: object) -> bool:
        h = hash(key) & _WORD
        bits = self._bits
        p = h & _MASK
        if not bits[p >> 3] >> (p & 7) & 1:
            return False
        p = (h >> 25) & _MASK
        if not bits[p >> 3] >> (p & 7) & 1:
            return False
        p = ((h >> 39) ^ (h * 0x9E3779B1)) & _MASK
        return bool(bits[p >> 3] >> (p & 7) & 1)
