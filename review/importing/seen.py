"""Which conversations an import has written, in a fixed amount of memory.

A first import of a source (nothing of it stored yet) skips the lookup of each conversation: it
cannot be stored unless this import wrote it. Remembering every key in a set grew with the
file (a million conversations, over 100 MB); this Bloom filter takes 4 MB whatever the size.
It may answer "maybe" for a key it never saw (then the database is asked), never "no" for one
it did.
"""

from __future__ import annotations

_BITS = 1 << 25  # 4 MiB of bits: under 1% false "maybe" up to about three million keys


class SeenKeys:
    """A set of keys that can only be added to and asked "maybe in?" (no false "no")."""

    def __init__(self) -> None:
        self._bits = bytearray(_BITS >> 3)

    def _positions(self, key: object) -> tuple[int, int, int]:
        h = hash(key) & 0xFFFFFFFFFFFFFFFF
        mask = _BITS - 1
        return h & mask, (h >> 25) & mask, ((h >> 39) ^ (h * 0x9E3779B1)) & mask

    def add(self, key: object) -> None:
        """Remember `key`."""
        bits = self._bits
        for p in self._positions(key):
            bits[p >> 3] |= 1 << (p & 7)

    def __contains__(self, key: object) -> bool:
        bits = self._bits
        return all(bits[p >> 3] >> (p & 7) & 1 for p in self._positions(key))
