"""Undo and redo: a QUndoStack whose commands replay the store's own history (review.store.undo).

Every review/ write that records itself for undo runs through `UndoController.perform`. When
the write added a step to the store's history, one `StoreStep` is pushed, named by the store's
label ("Rate 'Tone' 4"). Undoing the command calls review.store.undo.undo, redoing calls redo; the
Changes they return go to the window, so the list, reader and panel refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlite_utils import Database

from review.changes import Changes
from review.reviewing.browse import undo_mark
from review.store import undo as store_undo


class StoreStep(QUndoCommand):
    """One recorded step of the store's history; it was already applied when pushed."""

    def __init__(self, controller: UndoController, label: str):
        super().__init__(label)
        self.controller = controller
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo(): the write already happened
            return
        self._applied = True
        self.controller._replay(store_undo.redo)

    def undo(self) -> None:
        self._applied = False
        self.controller._replay(store_undo.undo)


class UndoController(QObject):
    """The window's undo stack over one database and one undo session."""

    changed = Signal(object)  # Changes made by an undo or redo

    def __init__(self, db: Database, session: str, parent=None):
        super().__init__(parent)
        self.db = db
        self.session = session
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(store_undo.KEEP_STEPS)

    def set_database(self, db: Database) -> None:
        """Another database: its history is not this stack's, so start empty."""
        self.db = db
        self.stack.clear()

    def perform(self, action: Callable[[str], Changes]) -> Changes:
        """Run `action(session)` (a review/ write); push a step if it recorded one."""
        before = undo_mark(self.db, self.session)
        changes = action(self.session)
        after = undo_mark(self.db, self.session)
        if after != before and after[0] is not None and after[0] != before[0]:
            label = store_undo.undo_label(self.db, self.session) or "Edit"
            self.stack.push(StoreStep(self, label))
        return changes

    def _replay(self, step: Callable[[Database, str], Changes | None]) -> None:
        changes = step(self.db, self.session)
        if changes:
            self.changed.emit(changes)
