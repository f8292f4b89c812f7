"""Undo and redo of the actor's session, as operations: they write like any other."""

from __future__ import annotations

from review.changes import Changes
from review.operations.core import Actor, operation
from review.store import Store
from review.store import undo as store_undo


@operation("undo", "Undo")
def undo(db: Store, actor: Actor, step_id: int | None = None) -> tuple[Changes, bool]:
    """Undo the session's latest step (or step `step_id`); the value says whether there was
    one. The app names the step: an edit still on its way must not be undone in its place."""
    changes = store_undo.undo(db, actor.session, step_id)
    return changes or Changes(), changes is not None


@operation("redo", "Redo")
def redo(db: Store, actor: Actor, step_id: int | None = None) -> tuple[Changes, bool]:
    """Redo the session's latest undone step (or step `step_id`); the value says whether
    there was one."""
    changes = store_undo.redo(db, actor.session, step_id)
    return changes or Changes(), changes is not None
