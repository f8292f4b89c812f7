"""Run review/ generator jobs off the GUI thread, with progress and cancel (STYLE.md section 4).

A job is a generator that yields `Progress` and returns its result; it opens its own database
connection and knows nothing of Qt. `JobRunner` runs it on the global QThreadPool and emits,
back on the GUI thread, `progress(Progress)`, then exactly one of `finished(result)`,
`failed(exception)` or `cancelled()`, and straight after it `ended()`. The outcome and `ended`
fire together on the GUI thread, in one event: no slot ever sees a state where the job has
said how it ended but its window still shows it running. Cancel sets a flag; at the next yield
the runner closes the generator, so GeneratorExit surfaces inside the job's `atomic()` and
rolls it back.

The worker waits, after each progress report, until the GUI thread has handled it: it never
floods the event loop, and a Cancel pressed in answer to a report stops the job at that very
step (a job's first report comes before it writes anything, so cancelling there changes nothing).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Generator

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from review.progress import Progress

# Runners still working: kept alive here until they end (QRunnable is not a QObject and the
# signals object must outlive the thread), and waited for on quit.
_RUNNING: set[JobRunner] = set()


class _Task(QRunnable):
    """A pool task that runs one callable (a JobRunner's or a BackgroundCall's work)."""

    def __init__(self, work: Callable[[], None]):
        super().__init__()
        self.work = work
        self.setAutoDelete(True)

    def run(self) -> None:
        self.work()


class JobRunner(QObject):
    """One run of a generator job. Connect the signals, then call `start()`."""

    progress = Signal(object)  # Progress
    finished = Signal(object)  # the job's return value
    failed = Signal(object)  # the exception
    cancelled = Signal()
    ended = Signal()  # after any of the three above, in the same event
    _outcome = Signal(str, object)  # from the worker: "finished" / "failed" / "cancelled"

    def __init__(self, make_job: Callable[[], Generator[Progress, None, object]], parent=None):
        super().__init__(parent)
        self._make_job = make_job
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._handled = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        self.ended.connect(self._forget)
        self._outcome.connect(self._deliver)  # queued: this object lives on the GUI thread

    def start(self, pool: QThreadPool | None = None) -> None:
        """Start the job on `pool` (the global pool by default)."""
        _RUNNING.add(self)
        # connected last, so it runs after every slot the caller connected to `progress`
        self.progress.connect(self._handled_progress)
        (pool or QThreadPool.globalInstance()).start(_Task(self._work))

    def cancel(self) -> None:
        """Ask the job to stop at its next yield; it rolls back and `cancelled` fires."""
        self._cancel.set()
        self._handled.set()

    def is_running(self) -> bool:
        """True until the job has ended one way or another."""
        return self in _RUNNING and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread is done (for quitting); False on timeout."""
        return self._done.wait(timeout)

    def _work(self) -> None:
        job = None
        try:
            job = self._make_job()
            while True:
                if self._cancel.is_set():
                    job.close()  # GeneratorExit at the yield: the job's transaction rolls back
                    self.was_cancelled = True
                    outcome, value = "cancelled", None
                    break
                try:
                    step = next(job)
                except StopIteration as stop:
                    self.result = stop.value
                    outcome, value = "finished", stop.value
                    break
                self._handled.clear()
                if self._cancel.is_set():
                    # cancelled while the step ran: its cancel() set _handled before the
                    # clear above, and nobody would answer this report (a closing window
                    # waits for this thread), so stop here instead of waiting for an answer
                    continue
                self.progress.emit(step)
                self._handled.wait()
        except BaseException as exc:  # the job failed: report it, never kill the pool thread
            self.error = exc
            if job is not None:
                job.close()
            outcome, value = "failed", exc
        self._done.set()
        # RuntimeError: the window that owned this runner was deleted at quit; nobody to tell
        with contextlib.suppress(RuntimeError):
            self._outcome.emit(outcome, value)

    def _deliver(self, outcome: str, value: object) -> None:
        """On the GUI thread: the outcome's own signal, then `ended`, with no event between."""
        if outcome == "finished":
            self.finished.emit(value)
        elif outcome == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.ended.emit()

    def _handled_progress(self, _step: Progress) -> None:
        self._handled.set()

    def _forget(self) -> None:
        _RUNNING.discard(self)


class BackgroundCall(QObject):
    """One short read-only call off the GUI thread (a count, a lookup): no progress, no cancel.

    `done(result)` fires on the GUI thread when it returns; an exception is dropped with the
    result (the caller keeps what it showed before). Unlike JobRunner the worker never waits
    for the GUI, so a busy or closing window cannot hold it up.
    """

    done = Signal(object)
    ended = Signal()  # after `done` (or a failure), on the GUI thread: its outcome is in

    def __init__(self, call: Callable[[], object]):
        super().__init__()
        self._call = call
        self._finished = threading.Event()
        # forgotten on the GUI thread, after `done` was delivered there (queued in order)
        self.ended.connect(self._forget)

    def start(self) -> None:
        """Run the call on the global thread pool."""
        _CALLS.add(self)
        QThreadPool.globalInstance().start(_Task(self._run))

    def is_running(self) -> bool:
        """True until the call has returned or failed."""
        return not self._finished.is_set()

    def _run(self) -> None:
        try:
            result, failed = self._call(), False
        except Exception:  # noqa: BLE001 - documented: a failed background read shows nothing new
            logging.getLogger("savedesk").warning("a background read failed", exc_info=True)
            result, failed = None, True
        self._finished.set()
        try:
            if not failed:
                self.done.emit(result)
            self.ended.emit()
        except RuntimeError:
            # The app quit while the call ran and Qt has deleted this object: there is no
            # window left to show the result in, so it is dropped rather than reported.
            pass

    def _forget(self) -> None:
        _CALLS.discard(self)


_CALLS: set[BackgroundCall] = set()  # kept alive until they return


def running_jobs() -> list[JobRunner]:
    """Jobs that have not ended yet."""
    return [r for r in _RUNNING if not r._done.is_set()]


def cancel_all_and_wait(timeout: float = 30.0) -> None:
    """On quit: cancel every running job and wait for each to roll back and stop."""
    for runner in list(_RUNNING):
        runner.cancel()
    for runner in list(_RUNNING):
        runner.wait(timeout)
