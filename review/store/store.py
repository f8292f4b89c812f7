"""One open savedesk store, on a SQLite file or a PostgreSQL server: the seam every query passes.

All of review/ writes its SQL once, as text with named parameters (`:name`), and runs it with
`Store.execute`. Outside `atomic()` each statement is its own short transaction and its rows are
fetched at once, so a reader never holds a snapshot open (on SQLite that would pin the WAL and
hide another program's import). `atomic()` is one transaction, and a nested block a savepoint:
an import or a user action is written whole or not at all.

The SQLite store runs statements on the sqlite3 connection itself (sqlite3 reads `:name`
parameters natively), so the embedded default costs nothing over plain sqlite3; the server
store runs them through SQLAlchemy Core's `text()`, which turns them into psycopg's form.
Only this package knows which one it holds.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, text

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
    opens its own). Open one with review.store.open_store or review.store.connect."""

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

    def signed_in_as(self) -> str | None:
        """The person the store knows the writer as: their login on a team store (the server
        makes it the reviewer of what they write), None on a file."""
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


class SqliteStore(Store):
    """A savedesk SQLite file, on its sqlite3 connection (autocommit; savedesk begins and ends
    its transactions itself, `begin immediate` for writers so they queue on the lock)."""

    def __init__(self, conn: sqlite3.Connection, target: Target, *, read_only: bool = False):
        super().__init__(target, read_only=read_only)
        conn.isolation_level = None
        self.conn = conn

    def execute(self, sql: str, params: Params | None = None) -> Rows:
        cursor = self.conn.execute(sql, params if params is not None else ())
        if cursor.description is None:
            return Rows([], cursor.rowcount)
        columns = tuple(d[0] for d in cursor.description)
        return Rows(cursor.fetchall(), cursor.rowcount, columns)

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        if not self._depth:  # autocommit would make each row a transaction of its own
            with self.atomic():
                return self.executemany(sql, rows)
        cursor = self.conn.executemany(sql, rows)
        return max(cursor.rowcount, 0)

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[Row]:
        if not self._depth:
            raise RuntimeError("stream() reads inside atomic()")
        cursor = self.conn.execute(sql, params if params is not None else ())
        while batch := cursor.fetchmany(size):
            yield from batch

    @contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[Store]:
        name = f"savedesk_{self._depth}"
        if self._depth:
            self.conn.execute(f"savepoint {name}")
        else:
            self.conn.execute("begin immediate" if write and not self.read_only else "begin")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if self._depth:
                self.conn.execute(f"rollback to {name}")
                self.conn.execute(f"release {name}")
            elif self.conn.in_transaction:
                self.conn.execute("rollback")
            raise
        self._depth -= 1
        if self._depth:
            self.conn.execute(f"release {name}")
        else:
            self.conn.execute("commit")

    def tables(self) -> set[str]:
        return {
            row[0]
            for row in self.conn.execute("select name from sqlite_master where type = 'table'")
        }

    def close(self) -> None:
        self.conn.close()


_QMARK = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|(\?)")


@lru_cache(maxsize=4096)
def _statement(sql: str) -> tuple[TextClause, int]:
    # `?` placeholders with a list of values (as the tests write them) become :p0, :p1...
    count = 0

    def name(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(1) is None:
            return match.group(0)
        count += 1
        return f":p{count - 1}"

    return text(_QMARK.sub(name, sql) if "?" in sql else sql), count


def _bind(sql: str, params: Params | None) -> tuple[TextClause, Mapping[str, Any]]:
    statement, positional = _statement(sql)
    if params is None:
        return statement, {}
    if isinstance(params, Mapping):
        return statement, params
    if positional != len(params):
        raise ValueError(f"{len(params)} values for {positional} placeholders: {sql}")
    return statement, {f"p{i}": value for i, value in enumerate(params)}


def _plain(value: Any) -> Any:
    # PostgreSQL answers sum(bigint) and avg() as numeric; SQLite as int and float. savedesk
    # keeps no numeric column, so a Decimal is always an aggregate: give what SQLite gives.
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return int(value)
        return float(value)
    return value


class ServerStore(Store):
    """A team store on a PostgreSQL server, through SQLAlchemy Core and psycopg 3."""

    def __init__(self, engine: Engine, target: Target, *, read_only: bool = False):
        super().__init__(target, read_only=read_only)
        self.engine = engine
        self._conn: Connection | None = engine.connect()
        self._nested: list[Any] = []
        self._login: str | None = None

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection (review/store/ only: the server's fast paths)."""
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    def _fetch(self, result: Any) -> Rows:
        if not result.returns_rows:
            return Rows([], result.rowcount)
        rows = [tuple(_plain(v) for v in row) for row in result.fetchall()]
        return Rows(rows, result.rowcount, tuple(result.keys()))

    def execute(self, sql: str, params: Params | None = None) -> Rows:
        statement, values = _bind(sql, params)
        with self._refusals():
            if self._depth:
                return self._fetch(self.connection.execute(statement, values))
            with self.connection.begin():
                return self._fetch(self.connection.execute(statement, values))

    def signed_in_as(self) -> str | None:
        if self._login is None:
            self._login = str(self.execute("select session_user").scalar())
        return self._login

    @contextmanager
    def _refusals(self) -> Iterator[None]:
        """The server's "permission denied" / row-level security refusal as one sentence."""
        from sqlalchemy.exc import DBAPIError

        try:
            yield
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":
                raise
            from review.errors import NotAllowed

            detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "refused"
            raise NotAllowed(self._login, detail) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        batch = [_bind(sql, row)[1] for row in rows]
        if not batch:
            return 0
        statement = _statement(sql)[0]
        with self._refusals():
            if self._depth:
                self.connection.execute(statement, batch)
            else:
                with self.connection.begin():
                    self.connection.execute(statement, batch)
        return len(batch)

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[Row]:
        if not self._depth:
            raise RuntimeError("stream() reads inside atomic()")
        statement, values = _bind(sql, params)
        result = self.connection.execution_options(yield_per=size).execute(statement, values)
        for row in result:
            yield tuple(_plain(v) for v in row)

    @contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[Store]:
        conn = self.connection
        context = conn.begin_nested() if self._depth else conn.begin()
        self._depth += 1
        try:
            with context:
                yield self
        finally:
            self._depth -= 1

    def tables(self) -> set[str]:
        return {
            row[0]
            for row in self.execute(
                "select tablename from pg_tables where schemaname = current_schema()"
            )
        }

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.engine.dispose()
