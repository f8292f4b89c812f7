"""Claiming work among several people: the one engine difference a claim needs.

On PostgreSQL the read that picks the next free row takes it `for update skip locked`: a row
another transaction is claiming right now is passed over instead of waited for (and then found
taken), so concurrent claimers never get the same row and never queue behind each other. A
SQLite file has one writer at a time (`begin immediate`), so the plain read already sees every
earlier claim. (To fold into the dialect module when it lands.)
"""

from __future__ import annotations

from review.store.sqlite_store import SqliteStore
from review.store.store import Store


def skip_locked(db: Store) -> str:
    """The locking clause for the read of a claim, for this store's engine."""
    return "" if isinstance(db, SqliteStore) else " for update skip locked"
