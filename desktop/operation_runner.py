"""The one runner every user action goes through (ARCHITECTURE.md, "Operations").

The window hands it a `Call` (review.operations); a thread of its own, with its own
connection, carries the calls out one after another in the order given, each in a transaction
taken at once. The GUI thread never waits on a lock: while another program holds the
database, the disk is full, or the file is read-only, the call stays at the head of the queue
and is tried again (every half second for a lock, every second otherwise), and `waiting` says
why in one sentence; the edit stays on screen meanwhile. A call the domain refuses is
dropped with `failed`. Each finished call emits `finished` with its Outcome, back on the GUI
thread, where the window pushes its undo steps and hands its Changes to the views.

Calls are written to a journal (desktop/journal.py) before they are attempted. A call
submitted with a `key` while an earlier one of the same key still waits replaces it: a
comment written through as it is typed is one write per pause, not one per keystroke.

When idle the thread asks the store whether another connection committed
(Store.others_changes: SQLite's PRAGMA data_version, or on a team store's server the NOTIFY
every committed write sends; neither counts this connection's own commits) and emits
`external_change` when one did: an import from the command line, a colleague's edit. A server
that stops answering while nothing is being written is said with `offline` (and again with
None once it answers), so the user knows before they type.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop.journal import Entry, Journal
from review.operations import Actor, Call, Outcome, run
from review.store import Store, connect
from review.store.database import is_read_only, others_changes
from review.store.failures import LOCKED, UNREACHABLE, StoreProblem, store_problem

log = logging.getLogger("savedesk")

LOCK_WAIT = 0.5  # seconds one attempt waits for another writer before reporting
RETRY_PAUSE = 1.0  # seconds between attempts on a full disk or a read-only file
POLL = 0.5  # seconds between looks for other programs' changes while idle

Connector = Callable[[str, bool], Store]


def default_connector(path: str, read_only: bool) -> Store:
    """The runner's connection: read-only when the file is, waiting LOCK_WAIT for a lock."""
    return connect(path, read_only=read_only, timeout=LOCK_WAIT)


@dataclass
class Ticket:
    """One call on its way to the database."""

    call: Call
    actor: Actor
    key: str | None = None
    due: float = 0.0  # time.monotonic() before which it does not start (typing pauses)
    # 128 random bits as hex, as uuid4().hex gives, without importing uuid (and platform) at
    # start-up
    id: str = field(default_factory=lambda: os.urandom(16).hex())
    state: str = "queued"  # queued, running, waiting, done, failed
    outcome: Outcome | None = None
    error: BaseException | None = None
    problem: StoreProblem | None = None
    context: object = None  # what the caller needs to tie the outcome back to its widget


class OperationRunner(QObject):
    """Carries out the window's calls on its database, in order, off the GUI thread."""

    finished = Signal(object)  # Ticket, done
    failed = Signal(object)  # Ticket, dropped: the domain refused it
    waiting = Signal(object)  # Ticket, not saved yet: `problem` says why; tried again
    drained = Signal()  # everything submitted is in the database
    external_change = Signal()  # another connection committed to the database
    offline = Signal(object)  # StoreProblem: the server stopped answering; None: it answers

    def __init__(
        self,
        db_path: str,
        journal: Journal | None = None,
        connector: Connector = default_connector,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.db_path = db_path
        self.journal = journal
        self._connector = connector
        self._queue: list[Ticket] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()
        self._offline = False
        self._thread = threading.Thread(target=self._work, name="savedesk-writer", daemon=True)
        self._thread.start()

    # --- the GUI side ------------------------------------------------------------------------
    def submit(
        self,
        call: Call,
        actor: Actor,
        *,
        key: str | None = None,
        delay: float = 0.0,
        context: object = None,
        ticket_id: str | None = None,
    ) -> Ticket:
        """Queue `call`. With a `key`, a queued call of the same key is replaced by this one
        (written in its place); `delay` holds it back that long (the pause after typing)."""
        due = time.monotonic() + delay
        with self._cond:
            if key is not None:
                for ticket in self._queue:
                    if ticket.key == key and ticket.state in ("queued", "waiting"):
                        ticket.call, ticket.actor, ticket.due = call, actor, due
                        ticket.context = context
                        self._journal_add(ticket)
                        self._cond.notify_all()
                        return ticket
            ticket = Ticket(call, actor, key, due, context=context)
            if ticket_id is not None:
                ticket.id = ticket_id
            self._journal_add(ticket)
            self._queue.append(ticket)
            self._idle.clear()
            self._cond.notify_all()
        return ticket

    def flush(self) -> None:
        """Start every held-back call now (leaving a field, changing conversation, closing)."""
        with self._cond:
            for ticket in self._queue:
                ticket.due = 0.0
            self._cond.notify_all()

    def pending(self) -> list[Ticket]:
        """The calls not in the database yet, in order."""
        with self._cond:
            return list(self._queue)

    def problem(self) -> StoreProblem | None:
        """Why the call at the head of the queue is not saved yet, if it is waiting."""
        with self._cond:
            head = self._queue[0] if self._queue else None
            return head.problem if head is not None else None  # kept through each retry

    def busy(self) -> bool:
        """True while some call is not in the database yet."""
        return not self._idle.is_set()

    def wait_idle(self, timeout: float) -> bool:
        """Block until every call is in the database (quitting, tests); False on timeout."""
        self.flush()
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 5.0) -> list[Ticket]:
        """Write what can be written within `timeout`, then stop the thread; returns the calls
        left unsaved (they stay in the journal and are replayed next time)."""
        self.wait_idle(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            left = list(self._queue)
        self._thread.join(timeout=LOCK_WAIT * 4)
        return left

    def _journal_add(self, ticket: Ticket) -> None:
        if self.journal is not None and ticket.call.name not in ("undo", "redo"):
            self.journal.add(Entry(ticket.id, ticket.call, ticket.actor))

    # --- the writer thread -------------------------------------------------------------------
    def _emit(self, signal, *args) -> None:
        # RuntimeError: the window (and this object) went away while a call was written
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)

    def _open(self) -> Store | None:
        try:
            return self._connector(self.db_path, is_read_only(self.db_path))
        except Exception as exc:  # noqa: BLE001 - reported through the ticket when one is due
            log.warning("savedesk could not open %s for writing: %s", self.db_path, exc)
            return None

    def _work(self) -> None:
        db = self._open()
        seen = self._data_version(db)
        while True:
            with self._cond:
                if self._stopping:
                    break
                ticket = self._next_due()
                if ticket is None:
                    wait = self._time_to_next()
                    self._cond.wait(timeout=min(POLL, wait))
                    idle = not self._queue
                else:
                    ticket.state = "running"
            if ticket is None:
                if idle:
                    version = self._data_version(db)
                    if version is not None and seen is not None and version != seen:
                        self._emit(self.external_change)
                    seen = version if version is not None else seen
                continue
            db, seen = self._attempt(ticket, db, seen)
        if db is not None:
            db.close()

    def _next_due(self) -> Ticket | None:
        if self._queue and self._queue[0].due <= time.monotonic():
            return self._queue[0]
        return None

    def _time_to_next(self) -> float:
        if not self._queue:
            return POLL
        return max(0.01, self._queue[0].due - time.monotonic())

    def _data_version(self, db: Store | None) -> int | None:
        if db is None:
            return None
        try:
            version = others_changes(db)
        except Exception as exc:  # noqa: BLE001 - a passing failure; asked again in a moment
            problem = store_problem(exc)
            if problem is not None and problem.kind == UNREACHABLE:
                self._set_offline(problem)
            return None
        self._set_offline(None)
        return version

    def _set_offline(self, problem: StoreProblem | None) -> None:
        if self._offline != (problem is not None):
            self._offline = problem is not None
            self._emit(self.offline, problem)

    def _attempt(
        self, ticket: Ticket, db: Store | None, seen: int | None
    ) -> tuple[Store | None, int | None]:
        try:
            if db is None:
                db = self._connector(self.db_path, is_read_only(self.db_path))
                seen = self._data_version(db)
                self._emit(self.external_change)  # what others did while it was closed
            outcome = run(db, ticket.actor, ticket.call, operation_id=ticket.id)
        except Exception as exc:  # noqa: BLE001 - every failure is sorted below
            problem = store_problem(exc)
            if problem is None:
                self._done(ticket, "failed", error=exc)
                return db, seen
            first = ticket.problem != problem
            with self._cond:
                ticket.state, ticket.problem, ticket.error = "waiting", problem, exc
            if first:
                self._emit(self.waiting, ticket)
            if problem.kind != LOCKED:
                # a full disk or a read-only file: open afresh next time, the cause may be gone
                if db is not None:
                    with contextlib.suppress(Exception):
                        db.close()
                db = None
                with self._cond:
                    self._cond.wait(timeout=RETRY_PAUSE)
            return db, seen
        # `seen` stays: this connection's own commits leave its data_version as it was
        self._done(ticket, "done", outcome=outcome)
        return db, seen

    def _done(
        self,
        ticket: Ticket,
        state: str,
        outcome: Outcome | None = None,
        error: BaseException | None = None,
    ) -> None:
        with self._cond:
            ticket.state, ticket.outcome, ticket.error = state, outcome, error
            ticket.problem = None
            if ticket in self._queue:
                self._queue.remove(ticket)
            empty = not self._queue
            if self.journal is not None:  # under the lock: a call submitted now is kept
                self.journal.done(ticket.id)
                if empty:
                    self.journal.clear()
            if empty:
                self._idle.set()
        self._emit(self.finished if state == "done" else self.failed, ticket)
        if empty:
            self._emit(self.drained)
