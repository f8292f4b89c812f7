"""The words of a text exactly as SQLite's FTS5 `unicode61 remove_diacritics 2` tokenizer sees them.

On PostgreSQL savedesk builds each search document from these words itself (a `tsvector`
literal: the words and their positions) instead of through PostgreSQL's own parser, which splits
e-mail addresses, hyphenated words and other scripts' digits its own way. So a search finds the
same conversations on both engines. Which characters separate words and how each character
folds (case, Latin diacritics, combining marks) is read off SQLite itself into
review/store/fts5_fold.py by scripts/make_fts5_fold.py; tests/test_store_tokens.py checks
`words` against the live library.
"""

from __future__ import annotations

import re
from functools import lru_cache

from review.store.fts5_fold import FOLDS, SEPARATORS

_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    # one translation does both jobs: every separator becomes a space, every other character
    # its folded self; str.split() then cuts at the spaces
    table: dict[int, str] = dict(FOLDS)
    table[0] = " "  # NUL separates words in FTS5 too (the generator cannot ask it about NUL)
    for first, last in SEPARATORS:
        for code in range(first, last + 1):
            table[code] = " "
    return table


def words(text: str) -> list[str]:
    """The words of `text` in order, folded, as FTS5's unicode61 tokenizer indexes them."""
    if text.isascii():  # in ASCII, FTS5 keeps letters and digits and lower-cases them
        return _ASCII_WORD.findall(text.lower())
    return text.translate(_table()).split()
