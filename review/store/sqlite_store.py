"""A savedesk SQLite file as a Store: statements run on the sqlite3 connection itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from review.store.store import Params, Row, Rows, Store, _tracers
from review.store.targets import Target


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
            return
        try:
            self.conn.execute("commit")
        except BaseException:
            # a commit SQLite refuses (a deferred foreign key, a full disk) leaves the
            # transaction open: end it, so the next write does not run inside it
            if self.conn.in_transaction:
                self.conn.execute("rollback")
            raise

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
