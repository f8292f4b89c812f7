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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, text
from sqlalchemy.exc import DBAPIError

from review.store.dialect import POSTGRESQL, SQLITE, Dialect
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
            rows = Rows([], cursor.rowcount)
        else:
            columns = tuple(d[0] for d in cursor.description)
            rows = Rows(cursor.fetchall(), cursor.rowcount, columns)
        if _tracers:
            _tracers[-1](sql, params, list(rows._rows) if rows.columns else None)
        return rows

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        if not self._depth:  # autocommit would make each row a transaction of its own
            with self.atomic():
                return self.executemany(sql, rows)
        if _tracers:
            _tracers[-1](sql, None, None)
        cursor = self.conn.executemany(sql, rows)
        return max(cursor.rowcount, 0)

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[Row]:
        if not self._depth:
            raise RuntimeError("stream() reads inside atomic()")
        if _tracers:
            _tracers[-1](sql, params, None)
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

    def others_changes(self) -> int:
        return int(self.conn.execute("pragma data_version").fetchone()[0])

    def reopen_target(self) -> str:
        return str(self.conn.execute("pragma database_list").fetchall()[0][2])

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


_READS = re.compile(r"^\s*(select|show|explain|values|table|listen|unlisten|set|lock)\b", re.I)
_WRITES_IN_WITH = re.compile(r"\b(insert|update|delete|merge)\b", re.I)
CHANNEL = "savedesk_changes"  # what every write's NOTIFY is sent on and LISTENed to


def _writes(sql: str) -> bool:
    # a statement that may change rows: everything but plain reads (a CTE that writes counts)
    head = sql.lstrip()
    if head[:4].lower() == "with":
        return bool(_WRITES_IN_WITH.search(head))
    return not _READS.match(head)


class ServerStore(Store):
    """A team store on a PostgreSQL server, through SQLAlchemy Core and psycopg 3.

    Every transaction that wrote ends with a NOTIFY on CHANNEL (delivered on commit only), so
    another savedesk listening on the same server learns of it (`others_changes`); whether it
    wrote is the server's own answer (a transaction is given an id only by its first write), so
    a read never notifies and two windows cannot set each other refreshing. A
    connection the server dropped (a restart, a network cut) is given up and a new one opened
    on the next use; the statement that failed raises, and the caller retries it.
    """

    dialect = POSTGRESQL

    def __init__(self, engine: Engine, target: Target, *, read_only: bool = False):
        super().__init__(target, read_only=read_only)
        self.engine = engine
        self._closed = False
        self._conn: Connection | None = engine.connect()
        self._listening_on: Any = None  # the psycopg connection LISTENing, once listening
        self._heard = 0  # notifications from other connections (others_changes)
        self._own_pid: int | None = None
        self._login: str | None = None

    def _live(self) -> Connection:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._conn is None:  # the last one was lost: a new one (others_changes listens again)
            self._conn = self.engine.connect()
        return self._conn

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection (review/store/ only: the server's fast paths)."""
        return self._live()

    def _drop_if_lost(self, exc: BaseException) -> None:
        lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
        conn = self._conn
        if conn is not None and (lost or conn.invalidated or conn.closed):
            with suppress(Exception):
                conn.close()
            self._conn = None

    def _fetch(self, result: Any) -> Rows:
        if not result.returns_rows:
            return Rows([], result.rowcount)
        rows = [tuple(_plain(v) for v in row) for row in result.fetchall()]
        return Rows(rows, result.rowcount, tuple(result.keys()))

    def execute(self, sql: str, params: Params | None = None) -> Rows:
        statement, values = _bind(sql, params)
        writes = _writes(sql)
        with self._refusals():
            try:
                rows = self._execute(statement, values, writes)
            except DBAPIError as exc:
                self._drop_if_lost(exc)
                if self._conn is not None or self._depth or writes:
                    raise
                # a read on a connection the server dropped meanwhile (it restarted while this
                # store sat idle): read once more on a new one; a write is never sent twice
                rows = self._execute(statement, values, writes)
        if _tracers:
            _tracers[-1](sql, params, list(rows._rows) if rows.columns else None)
        return rows

    def _execute(self, statement: TextClause, values: Mapping[str, Any], writes: bool) -> Rows:
        try:
            conn = self._live()
            if self._depth:
                return self._fetch(conn.execute(statement, values))
            with conn.begin():
                rows = self._fetch(conn.execute(statement, values))
                if writes:
                    conn.execute(_NOTIFY)
                return rows
        except DBAPIError as exc:
            self._drop_if_lost(exc)
            raise

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
        if _tracers:
            _tracers[-1](sql, None, None)
        with self._refusals():
            try:
                conn = self._live()
                if self._depth:
                    conn.execute(statement, batch)
                else:
                    with conn.begin():
                        conn.execute(statement, batch)
                        conn.execute(_NOTIFY)
            except DBAPIError as exc:
                self._drop_if_lost(exc)
                raise
        return len(batch)

    def stream(self, sql: str, params: Params | None = None, size: int = 2000) -> Iterator[Row]:
        if not self._depth:
            raise RuntimeError("stream() reads inside atomic()")
        statement, values = _bind(sql, params)
        if _tracers:
            _tracers[-1](sql, params, None)
        # per statement: Connection.execution_options() would set it on the connection for
        # good, and every later statement (a savepoint too) would open a server-side cursor
        result = self._live().execute(statement, values, execution_options={"yield_per": size})
        for row in result:
            yield tuple(_plain(v) for v in row)

    @contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[Store]:
        conn = self._live()
        outer = not self._depth
        context = conn.begin() if outer else conn.begin_nested()
        self._depth += 1
        try:
            with context:
                yield self
                if outer and write:
                    conn.execute(_NOTIFY)
        except DBAPIError as exc:
            self._drop_if_lost(exc)
            raise
        finally:
            self._depth -= 1

    def others_changes(self) -> int:
        """A number that grows when another connection commits a write to this store (its
        NOTIFY), and not when this one does; listening starts on the first call, and again on
        each new connection (after a lost one, whoever reconnected it)."""
        try:
            conn = self._live()
            raw = conn.connection.driver_connection
            assert raw is not None  # a live connection has its psycopg connection
            if raw is not self._listening_on:
                if self._listening_on is not None:
                    self._heard += 1  # a new connection: what others did meanwhile went unheard
                raw.add_notify_handler(self._heard_of)
                with conn.begin():
                    conn.execute(text(f"listen {CHANNEL}"))
                self._listening_on = raw
                self._own_pid = raw.info.backend_pid
            else:  # notifications are read with the answer to any statement
                with conn.begin():
                    conn.execute(text("select 1"))
        except DBAPIError as exc:
            self._drop_if_lost(exc)
            raise
        return self._heard

    def _heard_of(self, notify: Any) -> None:
        if notify.channel == CHANNEL and notify.pid != self._own_pid:
            self._heard += 1

    def reopen_target(self) -> str:
        return self.target.url or ""

    def tables(self) -> set[str]:
        # the catalog, as SQLite's sqlite_master: not one of review/'s statements (untraced)
        # only those this login may read: on a team store an agent is refused customers,
        # saves and losses, and review/ reads a table it may not read as absent (empty)
        sql = text(
            "select tablename from pg_tables where schemaname = current_schema() and "
            "has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), "
            "'select')"
        )
        try:
            conn = self._live()
            if self._depth:
                return {row[0] for row in conn.execute(sql)}
            with conn.begin():
                return {row[0] for row in conn.execute(sql)}
        except DBAPIError as exc:
            self._drop_if_lost(exc)
            raise

    def close(self) -> None:
        self._closed = True
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None
        self.engine.dispose()


# sent before a commit: notifies only when the transaction wrote (it has a transaction id)
_NOTIFY = text(
    f"select pg_notify('{CHANNEL}', '') where pg_current_xact_id_if_assigned() is not null"
)
