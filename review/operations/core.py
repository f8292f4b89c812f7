"""The shape of a user action (after Anki's CollectionOp, ARCHITECTURE.md "Operations").

An operation is a small function `(db, actor, **args)` registered under a name. `perform`
runs one inside the caller's transaction and returns an `Outcome`: the Changes it made (so
each view refreshes only that), the undo steps it recorded in the store's history, and a label
for the user. `run` wraps `perform` in its own write transaction, taken at once (BEGIN
IMMEDIATE), so an operation either waits for the write lock before it reads anything or
fails with "database is locked" having done nothing.

A `Call` names an operation and its arguments as plain JSON values: the app can write it to a
journal before it reaches the database and replay it after a crash; `operation_id` makes a
replay of a call that did reach the database do nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from review.changes import Changes
from review.errors import InvalidInput
from review.store import Store
from review.store.undo import UndoStep, collecting_steps, now_utc

KEEP_APPLIED_DAYS = 30  # how long an applied operation's id is remembered against replays


@dataclass(frozen=True)
class Actor:
    """Who acts: their undo session (each window has one, the CLI another) and their name as
    a reviewer (None until they gave it)."""

    session: str
    reviewer: str | None = None

    def require_reviewer(self) -> str:
        """The reviewer's name, or InvalidInput saying it is needed."""
        name = (self.reviewer or "").strip()
        if not name:
            raise InvalidInput("A review needs your name as a reviewer (Edit > Reviewer name).")
        return name


@dataclass(frozen=True)
class Call:
    """An operation by name with its arguments (JSON values only)."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The call as one line of JSON."""
        return json.dumps({"name": self.name, "args": self.args}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Call:
        """A call back from to_json."""
        data = json.loads(text)
        return cls(data["name"], data.get("args") or {})


@dataclass(frozen=True)
class Outcome:
    """What one operation did: its Changes, the undo steps it added (oldest first), a label,
    and its value (the id of a record it made, where it made one)."""

    changes: Changes
    label: str
    steps: tuple[UndoStep, ...] = ()
    value: Any = None
    replayed: bool = False  # the call had been applied before: nothing was done this time


Operation = Callable[..., Any]


@dataclass(frozen=True)
class _Registered:
    fn: Operation
    label: str


OPERATIONS: dict[str, _Registered] = {}
DEFINED_IN = (
    "calibration",
    "coaching",
    "disputes",
    "drafts",
    "history",
    "queues",
    "retention",
    "reviewing",
    "settings",
)


def load_operations() -> dict[str, _Registered]:
    """Every operation, its modules imported on first use (they pull in the whole domain)."""
    import importlib

    for name in DEFINED_IN:
        importlib.import_module(f"review.operations.{name}")
    return OPERATIONS


def operation(name: str, label: str) -> Callable[[Operation], Operation]:
    """Register `fn(db, actor, **args)` as the operation `name`; it returns Changes, or
    (Changes, value). `label` names it for the user when it records no undo step."""

    def register(fn: Operation) -> Operation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name!r} is registered twice")
        OPERATIONS[name] = _Registered(fn, label)
        return fn

    return register


def perform(db: Store, actor: Actor, call: Call, *, operation_id: str | None = None) -> Outcome:
    """Carry out `call` inside the caller's transaction. With an `operation_id` that was
    applied before, nothing is done (`replayed` is set)."""
    registered = OPERATIONS.get(call.name) or load_operations().get(call.name)
    if registered is None:
        raise InvalidInput(f"savedesk does not know the action {call.name!r}")
    if operation_id is not None and was_applied(db, operation_id):
        return Outcome(Changes(), registered.label, replayed=True)
    with collecting_steps() as made:
        result = registered.fn(db, actor, **call.args)
    changes, value = result if isinstance(result, tuple) else (result, None)
    steps = tuple(made)
    if operation_id is not None:
        _remember(db, operation_id, call.name)
    label = steps[-1].label if steps else registered.label
    return Outcome(changes or Changes(), label, steps, value)


def run(db: Store, actor: Actor, call: Call, *, operation_id: str | None = None) -> Outcome:
    """Carry out `call` in a write transaction of its own: committed whole, or not at all."""
    with db.atomic():
        return perform(db, actor, call, operation_id=operation_id)


def was_applied(db: Store, operation_id: str) -> bool:
    """True when the operation with this id was carried out and committed."""
    row = db.execute(
        "select 1 from applied_operations where id = :id", {"id": operation_id}
    ).fetchone()
    return row is not None


def _remember(db: Store, operation_id: str, name: str) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=KEEP_APPLIED_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.execute("delete from applied_operations where applied_at < :cutoff", {"cutoff": cutoff})
    db.execute(
        "insert into applied_operations (id, name, applied_at) values (:id, :name, :now)",
        {"id": operation_id, "name": name, "now": now_utc()},
    )
