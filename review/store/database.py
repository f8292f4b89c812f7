"""Opening a savedesk SQLite file: checks, backup before migrating, WAL, foreign keys.

Files savedesk makes (the database, its backups) are readable by their owner only. A file the
user made read-only is opened read-only (SQLite refuses every write on it, even for root). A
path is handed to SQLite as a URI with every special character escaped, so a name holding `#`,
`?` or `%` opens the file it names and never another. A file that is an SQLite database of
another program, even an empty one, is left alone.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import quote

from review.errors import DatabaseReadOnly, DatabaseTooNew, NotASavedeskDatabase
from review.store.schema_head import schema_head
from review.store.sqlite_store import SqliteStore
from review.store.store import Store
from review.store.targets import Target, default_target, is_server_url

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# SQLAlchemy and Alembic are imported only when a file must be migrated (or its revision told
# by Alembic): a file at this savedesk's schema opens with sqlite3 alone, which keeps a third
# of a second off every start of the app and of the command line.

SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA application_id of a savedesk database ("svdk"): tells it apart from another program's
APPLICATION_ID = 0x7376646B
PRIVATE_MODE = 0o600  # new databases, backups and exports: the owner reads and writes them
# How long a connection waits for another writer before SQLite reports "database is locked".
# The GUI reads on its own thread and must never wait; writers wait on a thread of their own.
WRITER_TIMEOUT = 30.0

# sqlite3 (CPython 3.11) looks for an adapter for every None it binds, and without one makes
# and drops an AttributeError each time: a third of the time of inserting rows with NULLs.
# None's adapter gives None back, the same NULL, found with one dict lookup; an empty dict's
# get is that adapter in C, cheaper again than a function of ours.
sqlite3.register_adapter(type(None), cast("Callable[[None], None]", {}.get))


def default_database_path() -> Path:
    """Where the database file lives when none is named: $SAVEDESK_DB when it names a file,
    else the user data folder (targets.default_target also gives a server URL)."""
    named = default_target()
    if is_server_url(named):
        from platformdirs import user_data_dir

        return Path(user_data_dir("savedesk", appauthor=False)) / "savedesk.db"
    return Path(named)


def sqlite_uri(path: str | os.PathLike, *, read_only: bool = False) -> str:
    """The `file:` URI of `path` with every character SQLite would read as syntax escaped
    (`#`, `?`, `%`, spaces): the file named, never another."""
    absolute = os.path.abspath(os.fspath(path))
    uri = "file:" + quote(absolute, safe="/")
    return uri + ("?mode=ro" if read_only else "")


def is_read_only(path: str | os.PathLike) -> bool:
    """True when the file may not be written: the system refuses it, or its permission bits
    deny writing to its owner class (which root would otherwise override without a word).
    A server URL is not a file: False (the server itself refuses what a role may not write)."""
    if is_server_url(path):
        return False
    path = Path(path)
    if not path.exists():
        return False
    if not os.access(path, os.W_OK):
        return True
    mode = path.stat().st_mode
    if path.stat().st_uid == os.geteuid():
        return not mode & stat.S_IWUSR
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def create_private_file(path: str | os.PathLike) -> None:
    """Make an empty file at `path` readable and writable by its owner only (no-op if it
    exists). SQLite gives a database's -wal and -shm files the database file's own mode."""
    try:
        handle = os.open(os.fspath(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return
    os.close(handle)


def open_file(
    path: str | os.PathLike,
    *,
    create: bool = True,
    read_only: bool | None = None,
    timeout: float = WRITER_TIMEOUT,
) -> Store:
    """Open (or create) the savedesk file at `path`, migrated to the current schema.

    An existing file whose schema is behind is first copied to `NAME.before-<revision>.bak`
    beside it. A file that is not a savedesk database raises NotASavedeskDatabase and is left
    untouched; one from a newer savedesk raises DatabaseTooNew. `read_only` None opens read-only
    exactly when the file is (see is_read_only); a read-only file that needs an upgrade raises
    DatabaseReadOnly.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise NotASavedeskDatabase(str(path), "the file does not exist")
    at_head = False
    if exists:
        at_head = _check_is_savedesk(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(path)
    if read_only is None:
        read_only = exists and is_read_only(path)
    if not at_head:
        _migrated(path, exists, read_only, timeout)
    store = connect(path, read_only=read_only, timeout=timeout)
    if not read_only and store.execute("pragma application_id").scalar() != APPLICATION_ID:
        store.execute(f"pragma application_id = {APPLICATION_ID}")  # the file is ours
    return store


def _migrated(path: Path, exists: bool, read_only: bool, timeout: float) -> None:
    """Bring the file up to this savedesk's schema (backed up first when it exists)."""
    from review.store import migrate

    at, legacy = _revision(path) if exists else (None, False)
    if legacy or at != migrate.head():
        if read_only:
            raise DatabaseReadOnly(
                str(path),
                f"it was made by an older savedesk and needs the upgrade to {migrate.head()}",
            )
        if exists:
            step = migrate.next_after(at)
            _backup(path, path.with_name(f"{path.name}.before-{step}.bak"))
        engine = migration_engine(path, timeout)
        try:
            with engine.connect() as conn:
                if not exists:
                    conn.exec_driver_sql(f"pragma application_id = {APPLICATION_ID}")
                migrate.upgrade(conn, verify=_references_hold)
        finally:
            engine.dispose()


def connect(
    path: str | os.PathLike, *, read_only: bool = False, timeout: float = WRITER_TIMEOUT
) -> SqliteStore:
    """A store on the file with savedesk's pragmas, without checks or migrations (for jobs and
    tests). `timeout` is how long a statement waits for another writer before "locked"."""
    return SqliteStore(
        _sqlite3(path, read_only, timeout), Target(path=Path(path)), read_only=read_only
    )


def _sqlite3(path: str | os.PathLike, read_only: bool, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(
        sqlite_uri(path, read_only=read_only),
        uri=True,
        timeout=timeout,
        check_same_thread=False,
        isolation_level=None,
    )
    if not read_only:
        conn.execute("pragma journal_mode = wal")
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma synchronous = normal")
    # Python's lower(), which folds Cyrillic and Greek as PostgreSQL's does under a UTF-8
    # locale: the same query finds the same rows on both engines
    conn.create_function("lower", 1, _lower, deterministic=True)
    return conn


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def migration_engine(
    path: str | os.PathLike, timeout: float = WRITER_TIMEOUT, *, write: bool = True
) -> Engine:
    """A SQLAlchemy engine on the file, for Alembic (transactions begun by SQLAlchemy; `write`
    False only reads, and never waits for another program's write lock)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def open_for_migration() -> sqlite3.Connection:
        conn = _sqlite3(path, not write, timeout)
        # a step that remakes a table (Alembic's batch mode) drops the old one: with foreign
        # keys on, that would delete or refuse the rows that point at it. They are checked
        # whole at the end of the upgrade instead (review.store.migrate.upgrade's `verify`).
        conn.execute("pragma foreign_keys = off")
        return conn

    engine = create_engine("sqlite://", creator=open_for_migration, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("begin immediate" if write else "begin")

    return engine


def _references_hold(conn: Connection) -> None:
    broken = conn.exec_driver_sql("pragma foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the upgrade would leave {len(broken)} rows pointing at nothing")


def _revision(path: Path) -> tuple[str | None, bool]:
    """(The revision the file is at, whether it still carries an earlier savedesk's steps)."""
    from review.store import migrate

    engine = migration_engine(path, 1.0, write=False)
    try:
        with engine.connect() as conn:
            return migrate.current(conn), migrate.is_legacy(conn)
    finally:
        engine.dispose()


def set_lock_wait(db: Store, seconds: float) -> None:
    """How long this connection's statements wait for another writer from now on (on a
    server: for a lock another session holds)."""
    if isinstance(db, SqliteStore):
        db.execute(f"pragma busy_timeout = {int(seconds * 1000)}")
    else:
        db.execute(f"set lock_timeout = {int(seconds * 1000)}")


def others_changes(db: Store) -> int:
    """A number that changes whenever another connection commits to the store, and not when
    this one does (Store.others_changes: PRAGMA data_version, or the server's NOTIFYs)."""
    return db.others_changes()


def database_path(db: Store) -> str:
    """The file or server URL behind a connection ("" for an in-memory database)."""
    return db.reopen_target()


def _check_is_savedesk(path: Path) -> bool:
    """Refuse a file that is not a savedesk database (or is a newer savedesk's); True when it
    is at this savedesk's schema, nothing to migrate."""
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotASavedeskDatabase(str(path), "it is not an SQLite file")
    try:
        conn = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("select name from sqlite_master where type='table'")
            }
            application_id = conn.execute("pragma application_id").fetchone()[0]
            user_version = conn.execute("pragma user_version").fetchone()[0]
            applied: set[str] = set()
            if "_sqlite_migrations" in tables:
                applied = {
                    r[0]
                    for r in conn.execute(
                        "select name from _sqlite_migrations where migration_set = 'savedesk'"
                    )
                }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("select version_num from alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotASavedeskDatabase(str(path), f"SQLite cannot read it ({exc})") from exc
    if not applied and revision is None:
        if tables:
            raise NotASavedeskDatabase(str(path), "it holds other tables and no savedesk schema")
        if application_id not in (0, APPLICATION_ID) or user_version:
            raise NotASavedeskDatabase(str(path), "it is an empty database of another program")
        if application_id != APPLICATION_ID:
            # An SQLite file with nothing in it that savedesk did not make: another program
            # may have created it and be about to fill it.
            raise NotASavedeskDatabase(
                str(path), "it is an empty SQLite database that savedesk did not make"
            )
        return False
    if revision == schema_head() and not applied:
        return True
    from review.store import migrate

    known = {step for steps in migrate.LEGACY_STEPS.values() for step in steps}
    unknown = sorted(applied - known)
    if revision is not None and revision not in migrate.known_revisions():
        unknown.append(revision)
    if unknown:
        raise DatabaseTooNew(str(path), unknown)
    gaps = migrate.legacy_gaps(applied)
    if gaps:
        raise NotASavedeskDatabase(
            str(path),
            f"it was made by a development build of savedesk (steps {', '.join(gaps)} without "
            "the ones before them); import its exports into a new database",
        )
    return False


def _backup(path: Path, target: Path) -> None:
    if target.exists():
        target = target.with_name(f"{target.name}.{datetime.now(UTC):%Y%m%d%H%M%S}")
    create_private_file(target)
    source = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)
    dest = sqlite3.connect(sqlite_uri(target), uri=True)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
