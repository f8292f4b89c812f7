"""Undo and redo kept in the store, one history per session.

Every write of the review domain runs inside `recorded(db, session, label)`: it names the rows
it is about to change (`track`), makes its changes, and on the way out the row images before and
after are written to `undo_log` in the same transaction as the change itself. So a step is in
the history exactly when it is in the database, and the history survives a crash, a restart and
a change of selection. Undo puts the "before" images back, redo the "after" images.

A session is a string the caller chooses (the GUI passes one per window); each session undoes
only its own steps. A new step drops the session's redo steps. Undo and redo never overwrite
a change another session (or person) made since: when a row is no longer as the step left it,
nothing is undone and EditConflict says who changed it and when. A row put back gets a new
version, so a session still holding the old one is told too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from review.changes import Changes
from review.errors import EditConflict, InvalidInput
from review.store import Store
from review.store.failures import broken_reference

DEFAULT_SESSION = "default"
KEEP_STEPS = 500  # per session; older steps fall off the history

# the steps one operation made live, as it makes them (`collecting_steps`); per thread
_collected: ContextVar[list[UndoStep] | None] = ContextVar("undo_steps", default=None)


def now_utc() -> str:
    """The current time as the store writes times: "YYYY-MM-DDTHH:MM:SSZ"."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key_sql(key: dict) -> tuple[str, list]:
    return " and ".join(f"{k} = ?" for k in key), list(key.values())


def read_row(db: Store, table: str, key: dict) -> dict | None:
    """The row of `table` with primary key `key` as a dict, or None."""
    where, params = _key_sql(key)
    cursor = db.execute(f"select * from {table} where {where}", params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(cursor.columns, row, strict=True))


# columns a write stamps on a row, not what the person changed
STAMPS = frozenset({"version", "updated_by", "edited_in"})


def _unstamped(image: dict | None) -> dict | None:
    return None if image is None else {k: v for k, v in image.items() if k not in STAMPS}


def _check_unchanged(
    db: Store, table: str, key: dict, left: dict | None, label: str
) -> dict | None:
    """The row as it is now; EditConflict when it is no longer as this step `left` it."""
    now = read_row(db, table, key)
    if _unstamped(now) == _unstamped(left):
        return now
    review_id = key.get("id") if table == "reviews" else key.get("review_id")
    who = when = None
    if review_id is not None:
        row = db.execute(
            "select updated_by, reviewer, updated_at from reviews where id = :id", {"id": review_id}
        ).fetchone()
        if row is not None:
            who, when = row[0] or row[1], row[2]
    what = "this review" if review_id is not None else "what it changed"
    raise EditConflict(what, who or "someone else", when, doing=f"undoing '{label}'")


def _put(db: Store, table: str, key: dict, image: dict | None, now: dict | None = None) -> None:
    """Make the row at `key` equal `image` (None = no such row); `now` is the row as it is, whose
    version the row put back goes beyond."""
    where, params = _key_sql(key)
    if image is None:
        db.execute(f"delete from {table} where {where}", params)
        return
    if now is not None and "version" in image and now.get("version") is not None:
        image = {**image, "version": max(now["version"], image["version"] or 0) + 1}
    columns = list(image)
    if now is not None:
        # only what differs: on a team store a lead may not set a review's reviewer, even to
        # the value it has
        changed = [c for c in columns if now.get(c) != image[c]]
        if changed:
            db.execute(
                f"update {table} set {', '.join(f'{c} = ?' for c in changed)} where {where}",
                [image[c] for c in changed] + params,
            )
        return
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

    db: Store
    rows: dict[tuple, dict] = field(default_factory=dict)
    conversations: set[int] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)

    def track(self, table: str, key: dict, as_is: dict | None = None) -> None:
        """Remember the row at `key` as it is now (call before changing it); `as_is`: that
        row as this transaction has just read or written it (`returning *`), not read again."""
        ident = (table, tuple(sorted(key.items())))
        if ident not in self.rows:
            before = as_is if as_is is not None else read_row(self.db, table, key)
            self.rows[ident] = {"table": table, "key": key, "before": before}
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
def recorded(
    db: Store, session: str, label: str, *, merge_key: str | None = None
) -> Iterator[Recorder]:
    """Run one user step in its own transaction and record it for undo in that transaction.

    The caller tracks each row before it changes it. A step that changed nothing leaves no
    history. Do not nest: the step commits when the block ends (inside an outer transaction
    it is a savepoint of it). With a `merge_key`, a step that follows a step of the same key
    joins it: the text of one field written through as it is typed is one undo step.
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
        if merge_key is not None:
            db.execute(
                "delete from undo_log where session = :session and undone = 1",
                {"session": session},
            )
            if _merge(db, session, merge_key, steps, recorder):
                return
        # the redo steps go, and the oldest live ones beyond KEEP_STEPS with the new one: one
        # statement (the new step's id is above every other)
        db.execute(
            "delete from undo_log where session = :session and (undone = 1 or id <= ("
            "select id from undo_log where session = :session and undone = 0 "
            "order by id desc limit 1 offset :keep))",
            {"session": session, "keep": KEEP_STEPS - 1},
        )
        step_id = db.execute(
            "insert into undo_log (session, label, created_at, undone, rows, conversations, "
            "tables, merge_key) values (:session, :label, :now, 0, :rows, :conversations, "
            ":tables, :merge_key) returning id",
            {
                "session": session,
                "label": label,
                "now": now_utc(),
                "rows": json.dumps(steps, ensure_ascii=False),
                "conversations": json.dumps(sorted(recorder.conversations)),
                "tables": json.dumps(sorted(recorder.tables)),
                "merge_key": merge_key,
            },
        ).scalar()
    _collect(UndoStep(step_id, label))


def _merge(db: Store, session: str, merge_key: str, steps: list, recorder: Recorder) -> bool:
    """Fold `steps` into the session's latest step when it has the same merge key; True if so.
    Each row keeps the "before" image of the first edit and takes the "after" of this one."""
    latest = db.execute(
        "select id, merge_key, rows, conversations, tables from undo_log "
        "where session = :session order by id desc limit 1",
        {"session": session},
    ).fetchone()
    if latest is None or latest[1] != merge_key:
        return False
    merged = json.loads(latest[2])
    by_ident = {(r["table"], json.dumps(r["key"], sort_keys=True)): r for r in merged}
    for step in steps:
        ident = (step["table"], json.dumps(step["key"], sort_keys=True))
        if ident in by_ident:
            by_ident[ident]["after"] = step["after"]
        else:
            merged.append(step)
            by_ident[ident] = step
    db.execute(
        "update undo_log set rows = :rows, conversations = :conversations, tables = :tables, "
        "created_at = :now where id = :id",
        {
            "id": latest[0],
            "rows": json.dumps(merged, ensure_ascii=False),
            "conversations": json.dumps(
                sorted(set(json.loads(latest[3] or "[]")) | recorder.conversations)
            ),
            "tables": json.dumps(sorted(set(json.loads(latest[4] or "[]")) | recorder.tables)),
            "now": now_utc(),
        },
    )
    return True


@dataclass(frozen=True)
class UndoStep:
    """One step of a session's history: its id in the store and its label ("Rate 'Tone' 4")."""

    id: int
    label: str


def _collect(step: UndoStep) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append(step)


@contextmanager
def collecting_steps() -> Iterator[list[UndoStep]]:
    """The steps made live inside the block, oldest first, as they are made: each recorded
    one, and a redone one that is again the session's latest (what reading the session's live
    steps past its latest one before the block would give, without two more statements per
    operation). A step joined to the one before it (a merge) is not a new one. This thread's
    only."""
    steps: list[UndoStep] = []
    token = _collected.set(steps)
    try:
        yield steps
    finally:
        _collected.reset(token)


def _apply(db: Store, session: str, undoing: bool, step_id: int | None = None) -> Changes | None:
    label = "that"  # the step's, once read
    try:
        with db.atomic():
            # An undone delete puts a parent back after its children in some steps: check foreign
            # keys at commit, when the step is whole again.
            db.execute(db.dialect.defer_foreign_keys)
            params = {"session": session, "undone": 0 if undoing else 1, "id": step_id}
            if step_id is None:
                row = db.execute(
                    "select id, rows, conversations, tables, label from undo_log "
                    "where session = :session "
                    f"and undone = :undone order by id {'desc' if undoing else 'asc'} limit 1",
                    params,
                ).fetchone()
            else:
                row = db.execute(
                    "select id, rows, conversations, tables, label from undo_log "
                    "where session = :session and undone = :undone and id = :id",
                    params,
                ).fetchone()
            if row is None:
                return None
            label = row[4]
            steps = json.loads(row[1])
            ordered = list(reversed(steps) if undoing else steps)
            current = [
                _check_unchanged(
                    db, step["table"], step["key"], step["after" if undoing else "before"], row[4]
                )
                for step in ordered
            ]
            for step, now in zip(ordered, current, strict=True):
                _put(db, step["table"], step["key"], step["before" if undoing else "after"], now)
            db.execute(
                "update undo_log set undone = :undone where id = :id",
                {"undone": int(undoing), "id": row[0]},
            )
            if not undoing and _collected.get() is not None:
                later = db.execute(
                    "select 1 from undo_log where session = :session and undone = 0 and id > :id "
                    "limit 1",
                    {"session": session, "id": row[0]},
                ).fetchone()
                if later is None:
                    _collect(UndoStep(row[0], row[4]))
            review_ids = {
                step["key"].get("id")
                if step["table"] == "reviews"
                else step["key"].get("review_id")
                for step in steps
                if step["table"] in ("reviews", "review_ratings")
            }
            if review_ids:
                from review.reviewing.reviews import (
                    refresh_scores,  # reviews records through this module
                )

                refresh_scores(db, review_ids)
    except Exception as exc:
        if not broken_reference(exc):
            raise
        # rows made since point at what the step would delete (another reviewer's ratings in a
        # session whose creation is undone): the whole step is refused, nothing half done
        raise InvalidInput(
            f"Cannot {'undo' if undoing else 'redo'} {label}: records made since then depend "
            "on it, so nothing was changed."
        ) from exc
    return Changes.of(tuple(json.loads(row[3])), tuple(json.loads(row[2])))


def undo(db: Store, session: str = DEFAULT_SESSION, step_id: int | None = None) -> Changes | None:
    """Undo the session's latest step (or the step `step_id`, if it is not undone); None when
    there is nothing to undo."""
    return _apply(db, session, undoing=True, step_id=step_id)


def redo(db: Store, session: str = DEFAULT_SESSION, step_id: int | None = None) -> Changes | None:
    """Redo the session's latest undone step (or the undone step `step_id`); None when there
    is nothing to redo."""
    return _apply(db, session, undoing=False, step_id=step_id)


def _label(db: Store, session: str, undone: int, order: str) -> str | None:
    row = db.execute(
        f"select label from undo_log where session = ? and undone = ? order by id {order} limit 1",
        [session, undone],
    ).fetchone()
    return row[0] if row else None


def undo_label(db: Store, session: str = DEFAULT_SESSION) -> str | None:
    """What undo would undo ("Rate 'Tone' 4"), or None."""
    return _label(db, session, 0, "desc")


def redo_label(db: Store, session: str = DEFAULT_SESSION) -> str | None:
    """What redo would redo, or None."""
    return _label(db, session, 1, "asc")
