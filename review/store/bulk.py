"""Bulk writing: what the import writer asks of the engine while it writes a whole export.

The import writer hands out every id it writes and writes each parent row before the rows that
point at it (review.importing.writer), holding the store's import lock, so the rows it adds
cannot collide and their references hold by construction. It hands its rows over a batch at a
time, as `Insert`s (new rows of one table, as tuples) and `Statement`s (SQL with named
parameters, run once per parameter set); each engine writes them its fastest way:

- SQLite: `executemany` on the sqlite3 connection, rows as tuples; no per-row foreign-key check
  while the import writes (the tests check every reference after each fixture import: `pragma
  foreign_key_check`), a larger page cache for the index updates of a big import.
- PostgreSQL: COPY. An Insert whose rows cannot clash (ids the writer handed out) is copied
  straight into its table; one that may meet a stored row (a tag already on a conversation, a
  rating seen before) is copied into a temporary staging table and merged from there in one
  statement (`insert ... select ... on conflict`). An advisory lock keeps two imports into one
  server from interleaving (the writer hands out ids from max(id)), and each sequence is moved
  past the ids handed out before the import commits.

Only this package knows which engine is behind a Store (ARCHITECTURE.md, the store seam).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from review.store.sqlite_store import SqliteStore
from review.store.store import Store, _name

if TYPE_CHECKING:  # the server's driver is imported only when a server is opened
    from review.store.server_store import ServerStore

Statement = tuple[str, Sequence[Mapping[str, Any]]]  # SQL and its parameter sets


@dataclass
class Insert:
    """New rows of one table, each a tuple in `columns`' order. `key`: the unique columns a
    row may meet a stored row on, and `on_conflict` then "nothing" (the stored row stays) or
    "update" (the row's other columns replace the stored ones; the last row of a key wins)."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple]
    key: tuple[str, ...] = ()
    on_conflict: str = ""

    def conflict_sql(self) -> str:
        """The statement's `on conflict` clause ("" when none)."""
        if not self.on_conflict:
            return ""
        target = f"({', '.join(_name(k) for k in self.key)}) " if self.key else ""
        if self.on_conflict == "nothing":
            return f" on conflict {target}do nothing"
        sets = ", ".join(f"{c} = excluded.{c}" for c in self.columns if c not in self.key)
        return f" on conflict {target}do update set {sets}"


Write = Insert | Statement
IMPORT_LOCK = 0x5A7EDE5C  # the advisory lock of imports into a PostgreSQL store


class BulkWriter:
    """Writes the import's batches on one store (made by `bulk_writer`)."""

    def __init__(self, db: Store) -> None:
        self.db = db

    def write(self, batch: Sequence[Write]) -> None:
        """Write a batch's inserts and statements, in order, in the caller's transaction."""
        for item in batch:
            if isinstance(item, Insert):
                if item.rows:
                    self.insert(item)
            else:
                sql, rows = item
                if rows:
                    self.db.executemany(sql, rows)

    def insert(self, item: Insert) -> None:
        """Write one Insert's rows."""
        raise NotImplementedError

    def finish(self, tables: Sequence[str]) -> None:
        """After the last batch, before the import commits: later inserts that let the engine
        choose ids (a team, a rating) follow the ids handed out in `tables`."""


class SqliteBulkWriter(BulkWriter):
    """Rows as tuples through sqlite3's executemany."""

    def __init__(self, db: SqliteStore) -> None:
        super().__init__(db)
        self.conn = db.conn
        self._sql: dict[tuple, str] = {}

    def insert(self, item: Insert) -> None:
        shape = (item.table, item.columns, item.key, item.on_conflict)
        sql = self._sql.get(shape)
        if sql is None:
            marks = ", ".join("?" * len(item.columns))
            sql = self._sql[shape] = (
                f"insert into {_name(item.table)} ({', '.join(map(_name, item.columns))}) "
                f"values ({marks}){item.conflict_sql()}"
            )
        self.conn.executemany(sql, item.rows)


# a table an import wrote this many rows to is analyzed before the import commits: the planner
# then knows the new rows at once, not when autovacuum next runs (a minute or more later; until
# then a search of 1,000,000 new messages was planned as if it matched nearly nothing)
ANALYZE_AFTER_ROWS = 10_000


class ServerBulkWriter(BulkWriter):
    """Rows by COPY, straight into their table or through a staging table."""

    def __init__(self, db: ServerStore) -> None:
        super().__init__(db)
        self.server = db
        self.written: dict[str, int] = {}

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        raw = self.server.connection.connection.driver_connection
        assert raw is not None  # an open psycopg connection
        cursor = raw.cursor()
        with cursor, cursor.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)

    def insert(self, item: Insert) -> None:
        table = _name(item.table)
        columns = [_name(c) for c in item.columns]
        self.written[table] = self.written.get(table, 0) + len(item.rows)
        if not item.on_conflict:
            self._copy(table, columns, item.rows)
            return
        rows = _last_per_key(item) if item.on_conflict == "update" else item.rows
        stage = f"staging_{table}"
        listed = ", ".join(columns)
        # made in this transaction (or savepoint) the first time, emptied after each merge
        self.db.execute(
            f"create temporary table if not exists {stage} on commit drop as "
            f"select {listed} from {table} with no data"
        )
        self._copy(stage, columns, rows)
        self.db.execute(
            f"insert into {table} ({listed}) select {listed} from {stage}{item.conflict_sql()}"
        )
        self.db.execute(f"truncate {stage}")

    def finish(self, tables: Sequence[str]) -> None:
        for table in tables:
            self.db.execute(
                f"select setval(pg_get_serial_sequence('{_name(table)}', 'id'), "
                f"coalesce((select max(id) from {table}), 0) + 1, false)"
            )
        # in the import's transaction, which sees its own rows; a login that does not own a
        # table (an admin, not the schema's owner) is skipped with a warning: autovacuum's then
        for table, rows in self.written.items():
            if rows >= ANALYZE_AFTER_ROWS:
                self.db.execute(f"analyze {table}")


def _last_per_key(item: Insert) -> list[tuple]:
    # PostgreSQL refuses to update one row twice in a statement: the last row of a key wins,
    # as it does when SQLite runs them one after another
    at = [item.columns.index(k) for k in item.key]
    last: dict[tuple, tuple] = {}
    for row in item.rows:
        last[tuple(row[i] for i in at)] = row
    return list(last.values())


def bulk_writer(db: Store) -> BulkWriter:
    """The BulkWriter for `db`'s engine."""
    if db.target.is_server:
        return ServerBulkWriter(cast("ServerStore", db))
    assert isinstance(db, SqliteStore)
    return SqliteBulkWriter(db)


@contextmanager
def prepared_for_import(db: Store) -> Iterator[None]:
    """Around the import's transaction (not inside one: SQLite ignores the setting there): on
    SQLite, a larger page cache and no per-row foreign-key checks while the writer writes
    (restored after). Inside it, call `hold_import_lock` first."""
    if not isinstance(db, SqliteStore):
        yield
        return
    db.execute("pragma cache_size = -65536")  # index updates of a big import stay in memory
    was = db.execute("pragma foreign_keys").scalar()
    db.execute("pragma foreign_keys = off")
    try:
        yield
    finally:
        if not db.conn.in_transaction:
            db.execute(f"pragma foreign_keys = {'on' if was else 'off'}")


def hold_import_lock(db: Store) -> None:
    """First thing in the import's transaction: wait until no other import writes to this
    store, and keep it so until the transaction ends (SQLite's write lock does it already)."""
    if db.target.is_server:
        db.execute("select pg_advisory_xact_lock(:key)", {"key": IMPORT_LOCK})


def broken_references(db: Store) -> list[tuple]:
    """Rows pointing at a row that is not there (tests: after an import that wrote without the
    engine's per-row checks). The server checks each reference as it is written: none there."""
    if isinstance(db, SqliteStore):
        return db.execute("pragma foreign_key_check").fetchall()
    return []
