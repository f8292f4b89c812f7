"""Bulk writing: what the import writer asks of the engine while it writes a whole export.

The import writer hands out every id it writes and writes each parent row before the rows
that point at it (review.importing.writer), so the references of what it writes hold by
construction, and the tests check them after every fixture import (`pragma
foreign_key_check`). Checking each reference again per row as it is inserted cost a sixth of
a first import's time; on this connection, for the import's records, the engine does not.
The one engine-specific statement of that is here (ARCHITECTURE.md, the store seam).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def references_kept_by_the_writer(db: Database) -> Iterator[None]:
    """Around the import's transaction (not inside one: the setting is ignored there): the
    connection does not check each row's foreign keys as it is written; restored after."""
    was = db.execute("pragma foreign_keys").fetchone()[0]
    db.execute("pragma foreign_keys = off")
    try:
        yield
    finally:
        if not db.conn.in_transaction:
            db.execute(f"pragma foreign_keys = {'on' if was else 'off'}")
