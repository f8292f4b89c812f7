"""Opening a savedesk database: checks, backup before migrating, WAL, foreign keys."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from review.errors import DatabaseTooNew, NotASavedeskDatabase
from review.store.schema import migrations

SQLITE_HEADER = b"SQLite format 3\x00"


def default_database_path() -> Path:
    """Where the database lives when none is named: $SAVEDESK_DB, else the user data folder."""
    if os.environ.get("SAVEDESK_DB"):
        return Path(os.environ["SAVEDESK_DB"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("savedesk", appauthor=False)) / "savedesk.db"


def open_database(path: str | os.PathLike, *, create: bool = True) -> Database:
    """Open (or create) the savedesk database at `path`, migrated to the current schema.

    An existing database with pending schema steps is first copied to
    `NAME.before-<step>.bak` beside it. A file that is not a savedesk database raises
    NotASavedeskDatabase and is left untouched; one from a newer savedesk raises DatabaseTooNew.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise NotASavedeskDatabase(str(path), "the file does not exist")
    if exists:
        _check_is_savedesk(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    pending = migrations.pending(db)
    if exists and pending:
        _backup(db, path.with_name(f"{path.name}.before-{pending[0].name}.bak"))
    migrations.apply(db)
    return db


def connect(path: str | os.PathLike) -> Database:
    """A connection with savedesk's pragmas, without checks or migrations (for jobs and tests)."""
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = Database(conn)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma synchronous = normal")
    return db


def _check_is_savedesk(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotASavedeskDatabase(str(path), "it is not an SQLite file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("select name from sqlite_master where type='table'")
            }
            applied = []
            if "_sqlite_migrations" in tables:
                applied = [
                    r[0]
                    for r in conn.execute(
                        "select name from _sqlite_migrations where migration_set = 'savedesk'"
                    )
                ]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotASavedeskDatabase(str(path), f"SQLite cannot read it ({exc})") from exc
    if not applied:
        if tables:
            raise NotASavedeskDatabase(str(path), "it holds other tables and no savedesk schema")
        return
    known = {m.name for m in migrations._migrations}
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise DatabaseTooNew(str(path), unknown)


def _backup(db: Database, target: Path) -> None:
    if target.exists():
        target = target.with_name(f"{target.name}.{datetime.now(UTC):%Y%m%d%H%M%S}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
