"""SQLAlchemy engines for the two kinds of store, with savedesk's connection settings.

SQLite: the file is opened by path through a creator (so `#`, `?` and `%` in a name stay part
of the name), in WAL mode with foreign keys on; pysqlite's own transaction handling is switched
off and savedesk's transactions begin explicitly, `BEGIN IMMEDIATE` for writes so two writers
queue on the lock instead of failing half-way. `lower()` is replaced by Python's, which folds
Cyrillic and Greek as PostgreSQL's does under a UTF-8 locale.

PostgreSQL: psycopg 3 (libpq is inside its wheel), a small pool, and a liveness check before a
pooled connection is handed out, so a server restart costs one retry, not an error.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from review.store.targets import Target, sqlalchemy_url

SQLITE_BUSY_MS = 30_000


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def sqlite_engine(path: str, *, busy_ms: int = SQLITE_BUSY_MS) -> Engine:
    """An engine on the SQLite file at `path` (taken literally, never parsed as a URL)."""

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=busy_ms / 1000, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("pragma journal_mode = wal")
        dbapi_connection.execute("pragma foreign_keys = on")
        dbapi_connection.execute("pragma synchronous = normal")
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("begin immediate" if conn.info.get("write") else "begin")

    return engine


def server_engine(url: str) -> Engine:
    """An engine on the PostgreSQL server that `url` names."""
    return create_engine(
        sqlalchemy_url(url),
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=True,
    )


def engine_for(target: Target) -> Engine:
    """The engine for `target`: a SQLite file or a PostgreSQL server."""
    if target.path is not None:
        return sqlite_engine(str(target.path))
    return server_engine(target.url or "")
