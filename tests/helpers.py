"""Small helpers the import tests share: run an import to its end, read rows back."""

from __future__ import annotations

from review.importing.run import ImportReport, import_files
from review.progress import run_to_end
from review.store.database import connect


def import_paths(db_path, *paths, **kwargs) -> ImportReport:
    """Import `paths` into the database at `db_path` (keyword arguments go to import_files)."""
    return run_to_end(import_files(db_path, [str(p) for p in paths], **kwargs))


def stored_rows(db_path, sql: str, params=()) -> list[tuple]:
    """The rows of `sql` on its own connection (closed again), as plain tuples."""
    db = connect(db_path)
    try:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.conn.close()
