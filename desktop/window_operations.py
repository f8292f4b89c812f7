"""How a window's edits reach its database: every action is a review.operations Call handed to
the window's OperationRunner; this module pushes each finished call's undo steps, broadcasts
its Changes, and keeps the user told, in one sentence at the right of the status bar, whether
everything is saved. A call the domain refuses is said in the status bar too (an unexpected
error opens the error dialog with its details); the views put back what is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from desktop import errors
from desktop.journal import Journal
from desktop.operation_runner import OperationRunner, Ticket
from desktop.undo import UndoController
from review.changes import Changes
from review.errors import EditConflict, SavedeskError
from review.operations import Actor, Call
from review.store.failures import StoreProblem
from review.store.targets import is_server_url

log = logging.getLogger("savedesk")

SAVED_STYLE = "color: palette(mid);"
WAITING_STYLE = "color: #c62828; font-weight: bold;"
DONE_SHOWN_MS = 3000  # "All changes saved" stays this long after a wait, then goes


def undo_session(target: str, base: str) -> str:
    """The undo session a window writes under: `base` on a file (one person's); on a team store,
    `base` with this login and machine, so colleagues' windows keep histories of their own
    (a new step drops only its own session's redo steps)."""
    if not is_server_url(target):
        return base
    import getpass
    import socket

    return f"{base}:{getpass.getuser()}@{socket.gethostname()}"


class WindowOperations(QObject):
    """The runner, the undo stack and the save indicator of one window (a MainWindow)."""

    submitted = Signal(object)  # Ticket: handed to the runner (shown at once, saved soon)
    finished = Signal(object)  # Ticket: in the database; its Changes already broadcast
    failed = Signal(object)  # Ticket: refused; the views show what is stored again
    waiting = Signal(object)  # Ticket: not saved yet (ticket.problem says why), retried
    drained = Signal()  # everything is saved

    def __init__(self, window, session: str):
        super().__init__(window)
        self.window = window
        self.session = self._base_session = session
        self.undo = UndoController(self._submit_undo, session, self)
        self.label = QLabel(window)
        self.label.setObjectName("save-state")
        self._callbacks: dict[str, tuple[Callable | None, Callable | None]] = {}
        self._hide = QTimer(self)
        self._hide.setSingleShot(True)
        self._hide.timeout.connect(lambda: self.label.setText(""))
        self.runner: OperationRunner | None = None
        self.replayed = 0  # edits a crashed session left, written when this database opened

    # --- the database ------------------------------------------------------------------------
    def open(self, db_path: str, connector=None) -> None:
        """Write to `db_path` from now on (after writing what the previous one still held), and
        replay what a process that died left unsaved for it."""
        self.close()
        self.session = self.undo.session = undo_session(db_path, self._base_session)
        journal = Journal(db_path)
        kwargs = {"connector": connector} if connector is not None else {}
        runner = OperationRunner(db_path, journal, parent=self, **kwargs)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)
        runner.waiting.connect(self._waiting)
        runner.drained.connect(self._drained)
        runner.external_change.connect(self.window.on_external_change)
        runner.offline.connect(self._offline)
        self.runner = runner
        self.undo.clear()
        orphans = journal.take_orphans()
        for entry in orphans:
            runner.submit(entry.call, entry.actor, ticket_id=entry.id)
        self.replayed = len(orphans)
        if orphans:
            self.window.statusBar().showMessage(
                f"Saving {len(orphans)} edit{'s' * (len(orphans) != 1)} that savedesk had "
                "not saved when it last stopped.",
                8000,
            )

    def close(self, timeout: float = 5.0) -> list[Ticket]:
        """Write what can be written within `timeout` and stop; returns what is left (kept in
        the journal, written the next time this database opens)."""
        if self.runner is None:
            return []
        runner, self.runner = self.runner, None
        left = runner.stop(timeout)
        runner.deleteLater()
        return left

    # --- performing --------------------------------------------------------------------------
    def actor(self) -> Actor:
        """Who acts: this window's undo session and the reviewer's name."""
        return Actor(self.session, self.window.reviewer_name())

    def perform(
        self,
        call: Call,
        *,
        key: str | None = None,
        delay: float = 0.0,
        context: object = None,
        on_done: Callable[[Ticket], None] | None = None,
        on_failed: Callable[[Ticket], None] | None = None,
    ) -> Ticket | None:
        """Hand `call` to the runner (see OperationRunner.submit); `on_done` / `on_failed`
        run on the GUI thread with the ticket. None when no database is open."""
        if self.runner is None:
            return None
        ticket = self.runner.submit(call, self.actor(), key=key, delay=delay, context=context)
        self._callbacks[ticket.id] = (on_done, on_failed)
        if self.label.text() and not self.runner.problem():
            self.label.setText("")
        self.submitted.emit(ticket)
        return ticket

    def held_back(self) -> bool:
        """True while the database refuses writes for now (every pending edit waits)."""
        return self.runner is not None and self.runner.problem() is not None

    def _submit_undo(self, call: Call, on_changes: Callable[[Changes], None]) -> None:
        self.perform(call, on_done=lambda ticket: on_changes(ticket.outcome.changes))

    def flush(self) -> None:
        """Start every held-back write now (the user left a field or the conversation)."""
        if self.runner is not None:
            self.runner.flush()

    def busy(self) -> bool:
        """True while some edit is not in the database yet."""
        return self.runner is not None and self.runner.busy()

    def settled(self) -> bool:
        """True when every edit handed over is in the database and its outcome was taken in
        (tests wait for this)."""
        return not self.busy() and not self._callbacks

    def pending(self) -> list[Ticket]:
        """The edits not in the database yet."""
        return self.runner.pending() if self.runner is not None else []

    # --- outcomes ----------------------------------------------------------------------------
    def _finished(self, ticket: Ticket) -> None:
        on_done, _ = self._callbacks.pop(ticket.id, (None, None))
        if self.runner is None or self.sender() is not self.runner:
            return  # written by the runner of a database closed since: nothing here shows it
        outcome = ticket.outcome
        if outcome is not None and ticket.call.name not in ("undo", "redo"):
            self.undo.push(outcome.steps)
        if outcome is not None and outcome.changes:
            self.window.apply_changes(outcome.changes)
        if on_done is not None:
            on_done(ticket)
        self.finished.emit(ticket)

    def _failed(self, ticket: Ticket) -> None:
        _, on_failed = self._callbacks.pop(ticket.id, (None, None))
        if self.runner is None or self.sender() is not self.runner:
            return
        exc = ticket.error
        if isinstance(exc, EditConflict):  # says itself what was not saved, and why
            self.window.statusBar().showMessage(str(exc), 15_000)
        elif isinstance(exc, SavedeskError):
            self.window.statusBar().showMessage(f"Not saved: {exc}", 10_000)
        elif exc is not None:
            errors.show_unexpected(self.window, exc)
        if on_failed is not None:
            on_failed(ticket)
        self.failed.emit(ticket)

    def _waiting(self, ticket: Ticket) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        if ticket.problem is not None:
            self._hide.stop()
            self.label.setStyleSheet(WAITING_STYLE)
            self.label.setText(ticket.problem.sentence())
            self.label.setToolTip(str(ticket.error) if ticket.error else "")
        self.waiting.emit(ticket)

    def _offline(self, problem: StoreProblem | None) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        self.show_offline(problem)

    def show_offline(self, problem: StoreProblem | None) -> None:
        """Say in the status line that the server does not answer (None: that it does again)."""
        if self.runner is not None and self.runner.problem():
            return  # an edit waiting says it already, in its own words
        if problem is not None:
            self._hide.stop()
            self.label.setStyleSheet(WAITING_STYLE)
            self.label.setText(
                f"Not connected: {problem.cause}; savedesk keeps trying, and what you type "
                "stays here until it is saved."
            )
        elif self.label.text().startswith("Not connected"):
            self.label.setStyleSheet(SAVED_STYLE)
            self.label.setText("Connected again.")
            self._hide.start(DONE_SHOWN_MS)

    def _drained(self) -> None:
        if self.label.text():
            self.label.setStyleSheet(SAVED_STYLE)
            self.label.setText("All changes saved.")
            self.label.setToolTip("")
            self._hide.start(DONE_SHOWN_MS)
        self.drained.emit()
