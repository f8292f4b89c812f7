"""No edit is lost when the database will not take it for now: another program holds the write
lock, the file is read-only, the disk is full. The user rates, comments and tags meanwhile; the
window keeps answering, says why in one sentence, keeps each edit on screen marked not saved,
and every edit is in the database once the cause is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from review.reviewing.rubrics import current_rubric
from review.store import connect
from review.store.failures import FULL, LOCKED, READ_ONLY, StoreProblem
from tests.conftest import ON_SERVER
from tests.gui import settle, show_main_window
from tests.helpers import write_lock_held

REVIEWER = "Lena Gruber"
COMMENT = "Kept while the database was busy — 保存 — сохранено"


class Stopwatch:
    """The longest the event loop went without turning, while it runs."""

    def __init__(self):
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def _type(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _wait(qtbot, seconds: float) -> None:
    qtbot.wait(int(seconds * 1000))


def make_edits(qtbot, window) -> int:
    """Rate, comment and tag the next conversation from the keyboard; its id."""
    window.focus_list()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    qtbot.keyClick(window.table, Qt.Key.Key_4)  # the first category; the focus moves on
    qtbot.keyClick(window.table, Qt.Key.Key_E)  # the comment of the second
    field = window.review_panel.rows[1].comment
    assert field.hasFocus()
    _type(field, COMMENT)
    _wait(qtbot, 0.8)  # the pause after typing: the comment goes to the runner
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    dialog = window.review_actions.last_dialog
    qtbot.keyClicks(dialog.mrr, "49.00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()  # it stepped aside: the window is usable meanwhile
    return cid


def assert_held(qtbot, window, kind: str) -> None:
    """Nothing went through yet: one sentence says why, each edit is marked not saved."""
    sentence = StoreProblem(kind).sentence()
    qtbot.waitUntil(lambda: window.ops.label.text() == sentence, timeout=10_000)
    assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
    assert QApplication.activeModalWidget() is None  # no dialog in the way
    panel = window.review_panel
    assert panel.rows[0].buttons[3][1].isChecked()  # the rating stays on screen
    assert panel.rows[0].unsaved.isVisible()
    assert panel.rows[1].comment.text() == COMMENT
    assert "not saved yet" in panel.outcomes.text()  # the save tag, on its way
    assert "not saved yet" in panel.score_label.text()


def assert_all_in(window, path, cid: int) -> None:
    db = connect(path)
    try:
        rubric = current_rubric(db)
        rows = dict(
            (r[0], r[1:])
            for r in db.execute(
                "select rr.category_id, rr.rating, rr.comment from review_ratings rr "
                "join reviews r on r.id = rr.review_id where r.conversation_id = ? "
                "and r.reviewer = ?",
                [cid, REVIEWER],
            )
        )
        assert rows[rubric.categories[0].id] == (4, None)
        assert rows[rubric.categories[1].id] == (None, COMMENT)
        assert db.execute(
            "select mrr_cents, currency from saves where conversation_id = ?", [cid]
        ).fetchall() == [(4900, "USD")]
    finally:
        db.close()
    assert window.ops.label.text() in ("", "All changes saved.")
    assert not window.review_panel.rows[0].unsaved.isVisible()


def test_a_write_lock_held_by_another_program(qtbot, qt_settings, demo_path):
    window = show_main_window(qtbot, demo_path, reviewer=REVIEWER, active=True)
    try:
        with write_lock_held(demo_path) as holder:
            _edit_while_locked(qtbot, window, holder, demo_path)
    finally:
        window.close()
        window.db.close()


def _edit_while_locked(qtbot, window, holder, demo_path) -> None:
    watch = Stopwatch()
    watch.start()
    started = time.monotonic()
    cid = make_edits(qtbot, window)
    assert time.monotonic() - started < 5  # the keys were answered at once, not after 30 s
    assert_held(qtbot, window, LOCKED)
    _wait(qtbot, 1.5)  # the lock stays a while: the window keeps answering
    # ms: far from the WRITER_TIMEOUT a write on the GUI thread would wait for the lock; the
    # margin is for a loaded 2-core machine, where one busy frame alone measured 410 ms
    assert watch.stop() < 2000
    holder.release()
    settle(qtbot, window)
    assert_all_in(window, demo_path, cid)


@pytest.mark.skipif(ON_SERVER, reason="a file's permissions: a server store has none")
def test_a_read_only_file(qtbot, qt_settings, demo_path):
    demo_path.chmod(0o444)
    window = show_main_window(qtbot, demo_path, reviewer=REVIEWER, active=True)
    try:
        assert "(read-only)" in window.windowTitle()
        assert "read-only" in window.statusBar().currentMessage()
        cid = make_edits(qtbot, window)
        assert_held(qtbot, window, READ_ONLY)
        demo_path.chmod(0o644)  # the user makes it writable: the edits go through
        settle(qtbot, window)
        assert_all_in(window, demo_path, cid)
    finally:
        demo_path.chmod(0o644)
        window.close()
        window.db.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB file system of its own (tmpfs; where mounting is not allowed, skip)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the file system to the last byte; the file that fills it."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(handle)
    return filler


@pytest.mark.skipif(ON_SERVER, reason="the disk under a file; the server keeps its own disk")
def test_a_full_disk(qtbot, qt_settings, demo_path, small_disk):
    path = small_disk / "demo.db"
    shutil.copy(demo_path, path)
    window = show_main_window(qtbot, path, reviewer=REVIEWER, active=True)
    try:
        settle(qtbot, window)
        filler = _fill(small_disk)
        cid = make_edits(qtbot, window)
        assert_held(qtbot, window, FULL)
        filler.unlink()  # room again: the edits go through
        settle(qtbot, window)
        assert_all_in(window, path, cid)
    finally:
        window.close()
        window.db.close()
