"""One open savedesk store, on a SQLite file or a PostgreSQL server, through SQLAlchemy Core.

Every query in review/ is text SQL with named parameters (`:name`), run by `Store.execute`.
Outside `atomic()` each statement is its own short transaction and its rows are fetched at
once, so a reader never holds a snapshot open (on SQLite that would pin the WAL and hide
another process's import). `atomic()` is one transaction, nested blocks are savepoints: an
import or a user action is written whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, text

from review.store.targets import Target

Params = Mapping[str, Any]


@lru_cache(maxsize=2048)
def _statement(sql: str) -> TextClause:
    return text(sql)


def _plain(value: Any) -> Any:
    # PostgreSQL answers sum(bigint) and avg() as numeric; SQLite as int and float. savedesk
    # stores no numeric column, so a Decimal is always an aggregate: give what SQLite gives.
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return int(value)
        return float(value)
    return value


class Rows:
    """The rows of one statement, fetched: iterate them, or fetchone / fetchall / scalar."""

    __slots__ = ("_rows", "_next", "rowcount")

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return iter(rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None when there is none."""
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row not yet read."""
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def scalar(self) -> Any:
        """The first column of the first row, or None where there is no row."""
        return self._rows[0][0] if self._rows else None


def _fetch(result: Any) -> Rows:
    if not result.returns_rows:
        return Rows([], result.rowcount)
    rows = [tuple(_plain(value) for value in row) for row in result.fetchall()]
    return Rows(rows, result.rowcount)


class Store:
    """An open store: one connection, used from the thread that opened it.

    Open one with `review.store.open_store(target)`; a background job opens its own.
    """

    def __init__(self, engine: Engine, target: Target, *, owns_engine: bool = True) -> None:
        self.engine = engine
        self.target = target
        self._owns_engine = owns_engine
        self._conn: Connection | None = engine.connect()
        self._depth = 0
        self._thread = threading.get_ident()

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection (for review/store/ only: the engine-specific fast paths)."""
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    def describe(self) -> str:
        """The store as a person reads it: a file path, or user @ host/database."""
        return self.target.describe()

    @property
    def in_transaction(self) -> bool:
        """True inside an `atomic()` block."""
        return self._depth > 0

    def execute(self, sql: str, params: Params | None = None) -> Rows:
        """Run one statement with named parameters and return its rows, already fetched."""
        conn = self.connection
        if self._depth:
            return _fetch(conn.execute(_statement(sql), params or {}))
        with conn.begin():
            return _fetch(conn.execute(_statement(sql), params or {}))

    def executemany(self, sql: str, rows: Sequence[Params] | Iterable[Params]) -> int:
        """Run one statement once per parameter set; the number of sets run."""
        batch = list(rows)
        if not batch:
            return 0
        conn = self.connection
        if self._depth:
            conn.execute(_statement(sql), batch)
        else:
            with conn.begin():
                conn.execute(_statement(sql), batch)
        return len(batch)

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[tuple]:
        """Rows of a large query as they come, without holding them all (inside `atomic()` only)."""
        if not self._depth:
            raise RuntimeError("stream() reads inside atomic(), so its snapshot ends with it")
        result = self.connection.execution_options(stream_results=True, yield_per=size).execute(
            _statement(sql), params or {}
        )
        for row in result:
            yield tuple(_plain(value) for value in row)

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """One transaction (a savepoint when nested): everything inside is written, or nothing."""
        conn = self.connection
        if self._depth:
            context = conn.begin_nested()
        else:
            conn.info["write"] = True
            context = conn.begin()
        self._depth += 1
        try:
            with context:
                yield self
        finally:
            self._depth -= 1
            if not self._depth:
                conn.info.pop("write", None)

    def close(self) -> None:
        """Return the connection; the store cannot be used after this."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
