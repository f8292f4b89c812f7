"""One open savedesk store, on a SQLite file or a PostgreSQL server: the seam every query passes.

All of review/ writes its SQL once, as text with named parameters (`:name`), and runs it with
`Store.execute`. Outside `atomic()` each statement is its own short transaction and its rows are
fetched at once, so a reader never holds a snapshot open (on SQLite that would pin the WAL and
hide another program's import). `atomic()` is one transaction, and a nested block a savepoint:
an import or a user action is written whole or not at all.

The SQLite store (review.store.sqlite_store) runs statements on the sqlite3 connection itself
(sqlite3 reads `:name` parameters natively), so the embedded default costs nothing over plain
sqlite3; the server store (review.store.server_store) runs them through SQLAlchemy Core's
`text()`, which turns them into psycopg's form. Only this package knows which one it holds.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from review.store.dialect import SQLITE, Dialect
from review.store.targets import Target

Params = Mapping[str, Any] | Sequence[Any]
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _name(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a table or column name: {name!r}")
    return name


def _names(table: str, values: Mapping[str, Any]) -> list[str]:
    _name(table)
    return [_name(column) for column in values]


Row = tuple[Any, ...]
# A tracer sees each statement every store runs: (sql, params, the rows it gave; None where it
# gave none, and for executemany and stream). tests/test_dialect_replay.py replays them on the other engine. Off
# (an empty list: one falsy check per statement) unless a `tracing` block is open.
Tracer = Callable[[str, "Params | None", "list[Row] | None"], None]
_tracers: list[Tracer] = []


@contextmanager
def tracing(tracer: Tracer) -> Iterator[None]:
    """Hand every statement any store runs inside the block to `tracer` (tests only)."""
    _tracers.append(tracer)
    try:
        yield
    finally:
        _tracers.remove(tracer)


class Rows:
    """The rows of one statement, fetched: iterate them, or fetchone / fetchall / scalar."""

    __slots__ = ("_rows", "_next", "rowcount", "columns")

    def __init__(self, rows: list[Row], rowcount: int, columns: tuple[str, ...] = ()) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.columns = columns  # the names of the result's columns

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    def fetchone(self) -> Any:
        """The next row, or None when there is none (typed Any, as DB-API cursors are: the
        caller knows whether its query can come back empty)."""
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Any]:
        """Every row not yet read."""
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def scalar(self) -> Any:
        """The first column of the first row, or None where there is no row."""
        return self._rows[0][0] if self._rows else None


class Store:
    """An open store: one connection, used from the thread that opened it (a background job
    opens its own). Open one with review.store.open_store or review.store.connect.

    `dialect` spells the SQL that differs between the engines (review.store.dialect)."""

    dialect: Dialect = SQLITE

    def __init__(self, target: Target, *, read_only: bool = False) -> None:
        self.target = target
        self.read_only = read_only
        self._depth = 0
        self._thread = threading.get_ident()

    # --- what every engine provides ------------------------------------------------------------
    def execute(self, sql: str, params: Params | None = None) -> Rows:
        """Run one statement with named parameters and return its rows, already fetched."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement once per parameter set (in the caller's transaction, or in one of
        its own); the number of sets run."""
        raise NotImplementedError

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[Row]:
        """Rows of a large query as they come, without holding them all (inside atomic() only,
        so the snapshot they are read from ends with the transaction)."""
        raise NotImplementedError

    @contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[Store]:
        """One transaction (a savepoint when nested): everything inside is written, or nothing.
        `write` False: a read-only snapshot (on SQLite it takes no write lock)."""
        raise NotImplementedError
        yield self

    def close(self) -> None:
        """Close the connection; the store cannot be used after this."""
        raise NotImplementedError

    def tables(self) -> set[str]:
        """The names of the store's tables."""
        raise NotImplementedError

    def others_changes(self) -> int:
        """A number that changes whenever another connection (another program, another
        thread, a colleague on the server) commits a write, and not when this one does: ask
        it again later and compare ("has anything changed since?")."""
        raise NotImplementedError

    def reopen_target(self) -> str:
        """What `review.store.connect` takes to open this store again on another connection
        (a worker thread's): the file's path or the server's URL; "" when it cannot be."""
        raise NotImplementedError

    def signed_in_as(self) -> str | None:
        """The person the store knows the writer as: their login on a team store, where the
        login is one of its people (the server makes it the reviewer of what they write); None
        on a file and on a server without people, where the reviewer is the name the user gives."""
        return None

    def take_turn(self, space: int, key: int) -> None:
        """Inside a transaction: wait until no other transaction holds the turn (`space`,
        `key`), then hold it until this one ends, so writers that check before they write
        (one tag per conversation) go one at a time. A SQLite file already lets one writer in
        at a time."""
        return None

    # --- shared ---------------------------------------------------------------------------------
    def insert(self, table: str, values: Mapping[str, Any], *, returning: str = "id") -> Any:
        """Insert one row; the value of its `returning` column (its new id)."""
        columns = _names(table, values)
        return self.execute(
            f"insert into {table} ({', '.join(columns)}) values "
            f"({', '.join(':' + c for c in columns)}) returning {_name(returning)}",
            values,
        ).scalar()

    def insert_rows(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert many rows of the same columns; how many."""
        batch = list(rows)
        if not batch:
            return 0
        columns = _names(table, batch[0])
        return self.executemany(
            f"insert into {table} ({', '.join(columns)}) values "
            f"({', '.join(':' + c for c in columns)})",
            batch,
        )

    def update(self, table: str, key: Any, values: Mapping[str, Any], *, by: str = "id") -> int:
        """Set `values` on the row whose `by` column is `key`; how many rows changed."""
        columns = _names(table, values)
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        return self.execute(
            f"update {table} set {sets} where {_name(by)} = :_key", {**values, "_key": key}
        ).rowcount

    def upsert(self, table: str, values: Mapping[str, Any], keys: Sequence[str]) -> None:
        """Insert the row, or update the one with the same `keys` columns."""
        columns = _names(table, values)
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        self.execute(
            f"insert into {table} ({', '.join(columns)}) values "
            f"({', '.join(':' + c for c in columns)}) "
            f"on conflict ({', '.join(_name(k) for k in keys)}) do "
            + (f"update set {sets}" if sets else "nothing"),
            values,
        )

    @property
    def in_transaction(self) -> bool:
        """True inside an `atomic()` block."""
        return self._depth > 0

    def describe(self) -> str:
        """The store as a person reads it: a file path, or user @ host/database."""
        return self.target.describe()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
