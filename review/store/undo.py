"""Undo and redo kept in the store, one history per session.

Every write of the review domain runs inside `recorded(db, session, label)`: it names the rows
it is about to change (`track`), makes its changes, and on the way out the row images before and
after are written to `undo_log` in the same transaction as the change itself. So a step is in
the history exactly when it is in the database, and the history survives a crash, a restart and
a change of selection. Undo puts the "before" images back, redo the "after" images.

A session is a string the caller chooses (the GUI passes one per window); each session undoes
only its own steps. A new step drops the session's redo steps. Two sessions editing the very
same rows: the last one to write wins, as with any edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlite_utils import Database

from review.changes import Changes

DEFAULT_SESSION = "default"
KEEP_STEPS = 500  # per session; older steps fall off the history


def now_utc() -> str:
    """The current time as the store writes times: "YYYY-MM-DDTHH:MM:SSZ"."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key_sql(key: dict) -> tuple[str, list]:
    return " and ".join(f"{k} = ?" for k in key), list(key.values())


def read_row(db: Database, table: str, key: dict) -> dict | None:
    """The row of `table` with primary key `key` as a dict, or None."""
    where, params = _key_sql(key)
    cursor = db.execute(f"select * from {table} where {where}", params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _put(db: Database, table: str, key: dict, image: dict | None) -> None:
    """Make the row at `key` equal `image` (None = no such row)."""
    where, params = _key_sql(key)
    if image is None:
        db.execute(f"delete from {table} where {where}", params)
        return
    columns = list(image)
    cursor = db.execute(
        f"update {table} set {', '.join(f'{c} = ?' for c in columns)} where {where}",
        [image[c] for c in columns] + params,
    )
    if cursor.rowcount == 0:
        db.execute(
            f"insert into {table} ({', '.join(columns)}) values "
            f"({', '.join('?' for _ in columns)})",
            [image[c] for c in columns],
        )


@dataclass
class Recorder:
    """Collects the rows one step changes; see `recorded`."""

    db: Database
    rows: dict[tuple, dict] = field(default_factory=dict)
    conversations: set[int] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)

    def track(self, table: str, key: dict) -> None:
        """Remember the row at `key` as it is now (call before changing it)."""
        ident = (table, tuple(sorted(key.items())))
        if ident not in self.rows:
            self.rows[ident] = {"table": table, "key": key, "before": read_row(self.db, table, key)}
        self.tables.add(table)

    def track_new(self, table: str, key: dict) -> None:
        """Remember a row this step has just inserted (it had no "before")."""
        ident = (table, tuple(sorted(key.items())))
        self.rows.setdefault(ident, {"table": table, "key": key, "before": None})
        self.tables.add(table)

    def touch(self, *conversation_ids: int | None) -> None:
        """Name conversations this step changes (for the Changes value)."""
        self.conversations.update(c for c in conversation_ids if c is not None)

    def changes(self) -> Changes:
        """What this step changed."""
        return Changes.of(tuple(self.tables), tuple(self.conversations))


@contextmanager
def recorded(db: Database, session: str, label: str) -> Iterator[Recorder]:
    """Run one user step in its own transaction and record it for undo in that transaction.

    The caller tracks each row before it changes it. A step that changed nothing leaves no
    history. Do not nest: the step commits when the block ends.
    """
    with db.atomic():
        recorder = Recorder(db)
        yield recorder
        steps = []
        for row in recorder.rows.values():
            after = read_row(db, row["table"], row["key"])
            if after != row["before"]:
                steps.append({**row, "after": after})
        if not steps:
            return
        db.execute("delete from undo_log where session = ? and undone = 1", [session])
        db.execute(
            "insert into undo_log (session, label, created_at, undone, rows, conversations, "
            "tables) values (?, ?, ?, 0, ?, ?, ?)",
            [
                session,
                label,
                now_utc(),
                json.dumps(steps, ensure_ascii=False),
                json.dumps(sorted(recorder.conversations)),
                json.dumps(sorted(recorder.tables)),
            ],
        )
        db.execute(
            "delete from undo_log where session = ? and id <= (select id from undo_log "
            "where session = ? order by id desc limit 1 offset ?)",
            [session, session, KEEP_STEPS],
        )


def _apply(db: Database, session: str, undoing: bool) -> Changes | None:
    with db.atomic():
        # An undone delete puts a parent back after its children in some steps: check foreign
        # keys at commit, when the step is whole again.
        db.execute("pragma defer_foreign_keys = on")
        row = db.execute(
            "select id, rows, conversations, tables from undo_log where session = ? and undone = ? "
            f"order by id {'desc' if undoing else 'asc'} limit 1",
            [session, 0 if undoing else 1],
        ).fetchone()
        if row is None:
            return None
        steps = json.loads(row[1])
        for step in reversed(steps) if undoing else steps:
            _put(db, step["table"], step["key"], step["before" if undoing else "after"])
        db.execute("update undo_log set undone = ? where id = ?", [int(undoing), row[0]])
        review_ids = {
            step["key"].get("id") if step["table"] == "reviews" else step["key"].get("review_id")
            for step in steps
            if step["table"] in ("reviews", "review_ratings")
        }
        if review_ids:
            from review.reviewing.reviews import (
                refresh_scores,  # reviews records through this module
            )

            refresh_scores(db, review_ids)
    return Changes.of(tuple(json.loads(row[3])), tuple(json.loads(row[2])))


def undo(db: Database, session: str = DEFAULT_SESSION) -> Changes | None:
    """Undo the session's latest step; None when there is nothing to undo."""
    return _apply(db, session, undoing=True)


def redo(db: Database, session: str = DEFAULT_SESSION) -> Changes | None:
    """Redo the session's latest undone step; None when there is nothing to redo."""
    return _apply(db, session, undoing=False)


def _label(db: Database, session: str, undone: int, order: str) -> str | None:
    row = db.execute(
        f"select label from undo_log where session = ? and undone = ? order by id {order} limit 1",
        [session, undone],
    ).fetchone()
    return row[0] if row else None


def undo_label(db: Database, session: str = DEFAULT_SESSION) -> str | None:
    """What undo would undo ("Rate 'Tone' 4"), or None."""
    return _label(db, session, 0, "desc")


def redo_label(db: Database, session: str = DEFAULT_SESSION) -> str | None:
    """What redo would redo, or None."""
    return _label(db, session, 1, "asc")
