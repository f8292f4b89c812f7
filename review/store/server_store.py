"""A team store on a PostgreSQL server as a Store: statements through SQLAlchemy Core, a
NOTIFY after every write, and a connection the server dropped given up and opened anew."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import lru_cache
from typing import Any

from psycopg import pq
from sqlalchemy import Connection, Engine, TextClause, text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.exc import DBAPIError

from review.store.dialect import POSTGRESQL
from review.store.store import Params, Row, Rows, Store, _tracers
from review.store.targets import Target

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


_DRIVER_DIALECT = PGDialect_psycopg()


@lru_cache(maxsize=4096)
def _driver_sql(sql: str) -> str:
    # the statement as SQLAlchemy hands it to psycopg (`%(name)s` placeholders, `%` doubled):
    # compiled once, then run on the psycopg connection itself
    return str(_statement(sql)[0].compile(dialect=_DRIVER_DIALECT))


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
        self._conn: Connection | None = self._connect()
        self._listening_on: Any = None  # the psycopg connection LISTENing, once listening
        self._heard = 0  # notifications from other connections (others_changes)
        self._own_pid: int | None = None
        self._login: str | None = None  # session_user, once asked
        self._person: tuple[str | None] | None = None  # (the login when it is a person), once asked

    def _connect(self) -> Connection:
        # at rest the psycopg connection autocommits: a statement outside atomic() is then one
        # round trip, where BEGIN, the statement and COMMIT were three (_transaction turns it
        # off for a transaction of several statements)
        conn = self.engine.connect()
        raw = conn.connection.driver_connection
        assert raw is not None  # a new connection has its psycopg connection
        raw.autocommit = True
        return conn

    def _live(self) -> Connection:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._conn is None:  # the last one was lost: a new one (others_changes listens again)
            self._conn = self._connect()
        return self._conn

    @contextmanager
    def _transaction(self, conn: Connection) -> Iterator[None]:
        """One transaction of several statements on `conn` (SQLAlchemy's, so a savepoint
        nests in it), its psycopg connection out of autocommit until it ends."""
        raw = conn.connection.driver_connection
        assert raw is not None  # a live connection has its psycopg connection
        raw.autocommit = False
        try:
            with conn.begin():
                yield
        finally:
            if not raw.closed and raw.info.transaction_status == pq.TransactionStatus.IDLE:
                raw.autocommit = True

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

    def _run(self, conn: Connection, sql: str, values: Mapping[str, Any]) -> Rows:
        """One statement on the psycopg connection under `conn`, in its transaction: the
        statement SQLAlchemy would send, without the ~0.1 ms of Python SQLAlchemy spends
        around each (a fifth of an operation's time on a busy client); a driver error goes
        through SQLAlchemy's own handler (wrapped, a lost connection invalidated)."""
        driver_sql = _driver_sql(sql)
        cursor = None
        try:
            raw = conn.connection.driver_connection
            assert raw is not None  # a live connection has its psycopg connection
            cursor = raw.execute(driver_sql, values)
            if cursor.description is None:
                return Rows([], cursor.rowcount)
            rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
            return Rows(rows, cursor.rowcount, tuple(c.name for c in cursor.description))
        except Exception as exc:
            conn._handle_dbapi_exception(exc, driver_sql, values, cursor, None)

    def _notify_and_commit(self, conn: Connection) -> None:
        """End the transaction on `conn` with its NOTIFY (sent only if it wrote) and COMMIT in
        one round trip (two statements in one simple query, never prepared); the commit
        SQLAlchemy asks for next finds nothing left to do."""
        cursor = None
        try:
            raw = conn.connection.driver_connection
            assert raw is not None  # a live connection has its psycopg connection
            cursor = raw.execute(_NOTIFY_AND_COMMIT, prepare=False)
        except Exception as exc:
            conn._handle_dbapi_exception(exc, _NOTIFY_AND_COMMIT, None, cursor, None)

    def execute(self, sql: str, params: Params | None = None) -> Rows:
        values = _bind(sql, params)[1]
        writes = _writes(sql)
        with self._refusals():
            try:
                rows = self._execute(sql, values, writes)
            except DBAPIError as exc:
                self._drop_if_lost(exc)
                if self._conn is not None or self._depth or writes:
                    raise
                # a read on a connection the server dropped meanwhile (it restarted while this
                # store sat idle): read once more on a new one; a write is never sent twice
                rows = self._execute(sql, values, writes)
        if _tracers:
            _tracers[-1](sql, params, list(rows._rows) if rows.columns else None)
        return rows

    def _execute(self, sql: str, values: Mapping[str, Any], writes: bool) -> Rows:
        try:
            conn = self._live()
            if self._depth or not writes:  # in the caller's transaction, or a read on its own
                return self._run(conn, sql, values)
            with self._transaction(conn):
                rows = self._run(conn, sql, values)
                self._notify_and_commit(conn)
                return rows
        except DBAPIError as exc:
            self._drop_if_lost(exc)
            raise

    def _own_read(self, sql: str) -> Rows:
        """A read the store makes about itself (who is signed in), not one of review/'s: the
        tracer does not see it, since SQLite has nothing to compare it with."""
        return self._execute(sql, {}, False)

    def take_turn(self, space: int, key: int) -> None:
        # a transaction-scoped advisory lock: no table privilege needed, released at commit
        self._execute(
            "select pg_advisory_xact_lock(:space, :key)", {"space": space, "key": key}, False
        )

    def signed_in_as(self) -> str | None:
        if self._person is None:
            # a login is a person only on a team store (`admin init`, `admin user add`); on a
            # server without people, as on a file, the reviewer is the name the user gives
            login, people = self._own_read(
                "select session_user, to_regclass('savedesk.people') is not null"
            ).fetchone()
            self._login = str(login)
            person = None
            if people:
                person = self._own_read(
                    "select login from savedesk.people where login = session_user"
                ).scalar()
            self._person = (person,)
        return self._person[0]

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
                    with self._transaction(conn):
                        conn.execute(statement, batch)
                        self._notify_and_commit(conn)
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
    def _savepoint(self, conn: Connection) -> Iterator[None]:
        """A nested block: a savepoint, rolled back to when the block fails. Never released
        (a round trip saved): the transaction's end releases it, and a later block at this
        depth makes a newer one of the same name, the one a rollback to that name finds."""
        name = f"savedesk_{self._depth}"
        self._run(conn, f"savepoint {name}", {})
        try:
            yield
        except BaseException:
            with suppress(DBAPIError):  # a lost connection: the error that got here says more
                self._run(conn, f"rollback to savepoint {name}", {})
            raise

    @contextmanager
    def atomic(self, *, write: bool = True) -> Iterator[Store]:
        conn = self._live()
        outer = not self._depth
        context = self._transaction(conn) if outer else self._savepoint(conn)
        self._depth += 1
        try:
            with context:
                yield self
                if outer and write:
                    self._notify_and_commit(conn)
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
_NOTIFY = f"select pg_notify('{CHANNEL}', '') where pg_current_xact_id_if_assigned() is not null"
_NOTIFY_AND_COMMIT = f"{_NOTIFY}; commit"
