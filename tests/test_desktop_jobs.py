"""The job runner: results, failures and cancel reach the GUI thread as signals."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt

from desktop.jobs import BackgroundCall, JobRunner, running_jobs
from review.errors import ImportFailed
from review.progress import Progress


def _counting(n, seen_thread, closed):
    def job():
        seen_thread.append(threading.current_thread())
        try:
            for i in range(n):
                yield Progress(i, n, f"step {i}")
        finally:
            closed.append(True)
        return "done"

    return job


def test_finished_carries_the_return_value_and_runs_off_the_gui_thread(qtbot):
    seen, closed, steps = [], [], []
    runner = JobRunner(_counting(5, seen, closed))
    runner.progress.connect(steps.append)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as done:
        runner.start()
    assert done.args == ["done"]
    assert [s.done for s in steps] == [0, 1, 2, 3, 4]
    assert seen[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: runner not in running_jobs(), timeout=20_000)


def test_cancel_closes_the_generator_at_the_next_step(qtbot):
    seen, closed, steps = [], [], []
    runner = JobRunner(_counting(1000, seen, closed))

    def first(step):
        steps.append(step)
        runner.cancel()

    runner.progress.connect(first)
    with qtbot.waitSignal(runner.cancelled, timeout=20_000):
        runner.start()
    assert len(steps) == 1
    assert closed == [True]
    assert runner.was_cancelled and runner.result is None


@pytest.mark.parametrize("outcome", ["finished", "cancelled", "failed"])
def test_ended_has_fired_by_the_time_the_outcome_is_handled(qtbot, outcome):
    """A window re-enables its buttons on `ended`: a test or a user acting on `cancelled` must
    find them enabled. A slow slot on the outcome (run where the outcome is emitted) must not
    open a gap before `ended`, as it did when the worker emitted the two one after the other."""

    def job():
        yield Progress(0, 2, "first")
        if outcome == "failed":
            raise ValueError("broken")
        yield Progress(1, 2, "second")
        return "done"

    runner = JobRunner(job)
    ends = []
    runner.ended.connect(lambda: ends.append(outcome))
    if outcome == "cancelled":
        runner.progress.connect(lambda _step: runner.cancel())
    signal = getattr(runner, outcome)
    with qtbot.waitSignal(signal, timeout=20_000):
        # connected after the test's own wait, so it runs once that has been told
        signal.connect(lambda *_: time.sleep(0.3), Qt.ConnectionType.DirectConnection)
        runner.start()
    assert ends == [outcome]
    assert not runner.is_running() and runner not in running_jobs()


def test_a_failing_job_reports_its_error(qtbot):
    def job():
        yield Progress(0, 1, "start")
        raise ImportFailed("x.json", "truncated JSON", record=3)

    runner = JobRunner(job)
    with qtbot.waitSignal(runner.failed, timeout=20_000) as failed:
        runner.start()
    assert isinstance(failed.args[0], ImportFailed)
    assert "record 3" in str(failed.args[0])


def test_a_background_call_returns_on_the_gui_thread_without_waiting_for_it(qtbot):
    worker, received = [], []
    call = BackgroundCall(lambda: worker.append(threading.current_thread()) or 42)
    call.done.connect(lambda value: received.append((value, threading.current_thread())))
    with qtbot.waitSignal(call.done, timeout=20_000):
        call.start()
    assert received == [(42, threading.main_thread())]
    assert worker and worker[0] is not threading.main_thread()
    assert not call.is_running()


def test_a_background_call_that_fails_reports_nothing_and_ends(qtbot):
    def broken():
        raise OSError("disk gone")

    call = BackgroundCall(broken)
    with qtbot.assertNotEmitted(call.done, wait=200):
        call.start()
        qtbot.waitUntil(lambda: not call.is_running())


def test_a_background_call_outlived_by_its_window_ends_quietly(qtbot, capfd):
    """Quitting while a count still runs: Qt deletes the call's object, and the worker must not
    print a traceback when it finds no one to give the result to."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    release = threading.Event()
    call = BackgroundCall(lambda: release.wait(10) and 42)
    call.start()
    shiboken6.delete(call)  # what closing the app does to it
    release.set()
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert "Traceback" not in capfd.readouterr().err


def test_a_job_cancelled_during_a_step_stops_without_waiting_for_an_answer(qtbot):
    """Quitting cancels the running jobs and waits for them without turning the event loop:
    a job cancelled while it was working out a step must not then wait for the window to
    handle that step's report (it waited the whole 30 s of the quit's patience)."""
    stepping, go_on = threading.Event(), threading.Event()

    def job():
        yield Progress(1, 3)
        stepping.set()
        go_on.wait(5)
        yield Progress(2, 3)  # reported after the cancel: nobody will answer it
        yield Progress(3, 3)

    runner = JobRunner(job)
    runner.start()
    qtbot.waitUntil(stepping.is_set)  # the first report handled: the second step is running
    runner.cancel()
    go_on.set()
    assert runner.wait(5)  # no event loop turns here, as in a closing window
    qtbot.waitUntil(lambda: not runner.is_running())
    assert runner.was_cancelled
