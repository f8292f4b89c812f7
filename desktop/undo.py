"""Undo and redo: a QUndoStack whose commands replay the store's own history (review.store.undo).

Every operation that recorded steps in the store's history (its Outcome's `steps`) is pushed
here as one command named by the store's label ("Rate 'Tone' 4"); an operation that recorded
several (a first rating also starts the review) is one command made of them. An edit that
joined the step on top (typing on in one comment) records no new step and pushes nothing. Undoing or redoing
a command hands "undo"/"redo" of exactly those step ids to the window's operation runner, in
order behind any edit still on its way; the Changes come back through `changed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from review.changes import Changes
from review.operations import Call
from review.store import undo as store_undo
from review.store.undo import UndoStep

# (call, on_done) -> None: hands a call to the window's runner
Submit = Callable[[Call, Callable[[Changes], None]], None]


class StoreStep(QUndoCommand):
    """The steps one operation recorded in the store's history (most often one); they were
    applied when pushed. Undo replays them last first, redo first to last. (One command, not
    child commands: PySide would delete a child QUndoCommand twice.)"""

    def __init__(self, controller: UndoController, steps: Sequence[UndoStep]):
        super().__init__(steps[-1].label)
        self.controller = controller
        self.steps = list(steps)
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo(): the write already happened
            return
        self._applied = True
        for step in self.steps:
            self.controller.replay("redo", step.id)

    def undo(self) -> None:
        self._applied = False
        for step in reversed(self.steps):
            self.controller.replay("undo", step.id)


class UndoController(QObject):
    """The window's undo stack over one database and one undo session."""

    changed = Signal(object)  # Changes made by an undo or redo

    def __init__(self, submit: Submit, session: str, parent=None):
        super().__init__(parent)
        self.submit = submit
        self.session = session
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(store_undo.KEEP_STEPS)

    def clear(self) -> None:
        """Another database: its history is not this stack's, so start empty."""
        self.stack.clear()

    def push(self, steps: Sequence[UndoStep]) -> None:
        """Add the steps one operation recorded (nothing when it recorded none)."""
        if not steps:
            return
        self.stack.push(StoreStep(self, steps))

    def replay(self, name: str, step_id: int) -> None:
        """Undo or redo one step in the store, behind any edit still on its way."""
        self.submit(Call(name, {"step_id": step_id}), self.changed.emit)
