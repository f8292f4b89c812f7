"""Small helpers the import tests share: run an import to its end, read rows back."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from review.importing.run import ImportReport, import_files
from review.progress import run_to_end
from review.store import connect

LEGACY = Path(__file__).parent / "data" / "legacy"


def legacy_database(folder: Path, name: str = "after-m001", file: str = "old.db") -> Path:
    """A copy of an empty database as an earlier savedesk made it (tests/data/legacy/NAME.db)."""
    path = folder / file
    shutil.copy(LEGACY / f"{name}.db", path)
    return path


def import_paths(db_path, *paths, **kwargs) -> ImportReport:
    """Import `paths` into the database at `db_path` (keyword arguments go to import_files)."""
    return run_to_end(import_files(db_path, [str(p) for p in paths], **kwargs))


def stored_rows(db_path, sql: str, params=()) -> list[tuple]:
    """The rows of `sql` on its own connection (closed again), as plain tuples."""
    db = connect(db_path)
    try:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.close()


_LOCK_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
    conn.execute("begin immediate")
    conn.execute("insert into settings (key, value) values ('lock-test', 'held') "
                 "on conflict (key) do update set value = excluded.value")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("commit")
    print("released", flush=True)
    """
)


# On a server, "a write under way" is a transaction holding every table of the store in
# EXCLUSIVE mode, as a SQLite writer holds the whole file: reads go on, every write waits.
_SERVER_LOCK_HOLDER = textwrap.dedent(
    """
    import sys
    import psycopg
    url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
    conn = psycopg.connect(url)
    tables = [r[0] for r in conn.execute(
        "select tablename from pg_tables where schemaname = 'public'")]
    conn.execute("lock table " + ", ".join(tables) + " in exclusive mode")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.commit()
    print("released", flush=True)
    """
)


class LockHolder:
    """Another process holding the database's write lock (a write under way) until released."""

    def __init__(self, db_path):
        server = str(db_path).startswith("postgresql")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER_LOCK_HOLDER if server else _LOCK_HOLDER, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        """Commit and let go of the lock."""
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        assert self.process.wait(timeout=10) == 0


@contextmanager
def write_lock_held(db_path) -> Iterator[LockHolder]:
    """Another process holds the write lock inside the block (until `release`)."""
    holder = LockHolder(db_path)
    try:
        yield holder
    finally:
        if holder.process.poll() is None:
            holder.process.kill()
            holder.process.wait()
