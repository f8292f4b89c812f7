"""kill -9 after typing a comment, without leaving the field, loses nothing: the comment is
written through as it is typed, and what had not reached the database yet (killed at once, or
while another program held the lock) is in the journal and written when the database opens
again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from review.reviewing.rubrics import current_rubric
from review.store import connect
from tests.gui import settle, show_main_window
from tests.helpers import write_lock_held

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
ROOT = Path(__file__).resolve().parents[1]
COMMENT = "Warm and exact — 回答准确 — ответ точный"


def _comment(path, cid):
    db = connect(path)
    try:
        category = current_rubric(db).categories[0].id
        row = db.execute(
            "select rr.comment from review_ratings rr join reviews r on r.id = rr.review_id "
            "where r.conversation_id = ? and rr.category_id = ?",
            [cid, category],
        ).fetchone()
        return row[0] if row else None
    finally:
        db.close()


def _start_app(path, settings_folder, where: str = "comment") -> tuple[subprocess.Popen, int]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.app_child", str(path), str(settings_folder), COMMENT, where],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    line = child.stdout.readline()
    assert line.startswith("typed"), line
    return child, int(line.split()[1])


def _kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL
    child.stdout.close()


def test_killed_after_typing_the_comment_is_in_the_database(qt_settings, demo_path):
    child, cid = _start_app(demo_path, qt_settings)
    try:
        deadline = time.monotonic() + 10
        while _comment(demo_path, cid) is None and time.monotonic() < deadline:
            time.sleep(0.1)  # the pause after the last key, then the write
    finally:
        _kill(child)
    assert _comment(demo_path, cid) == COMMENT


def test_killed_at_once_the_comment_is_written_when_the_database_opens_again(
    qtbot, qt_settings, demo_path
):
    child, cid = _start_app(demo_path, qt_settings)
    _kill(child)  # straight after the last key: before the pause was over
    window = show_main_window(qtbot, demo_path, reviewer="Lena Gruber")
    try:
        settle(qtbot, window)
        assert window.ops.replayed == 1  # from the journal: it never reached the database
        assert _comment(demo_path, cid) == COMMENT
    finally:
        window.close()
        window.db.close()


def test_killed_while_another_program_held_the_lock(qtbot, qt_settings, demo_path):
    with write_lock_held(demo_path) as holder:
        child, cid = _start_app(demo_path, qt_settings)
        time.sleep(1.5)  # the comment is handed over and waits on the lock
        _kill(child)
        assert _comment(demo_path, cid) is None  # it never reached the database
        holder.release()
    window = show_main_window(qtbot, demo_path, reviewer="Lena Gruber")
    try:
        settle(qtbot, window)
        assert window.ops.replayed == 1  # the journal gave it back
        assert _comment(demo_path, cid) == COMMENT
        again = window.ops.replayed
    finally:
        window.close()
        window.db.close()
    # and only once: a second opening finds nothing left to write
    window = show_main_window(qtbot, demo_path, reviewer="Lena Gruber")
    try:
        assert again == 1 and window.ops.replayed == 0
    finally:
        window.close()
        window.db.close()


def test_killed_with_the_save_dialog_open_its_story_comes_back(qtbot, qt_settings, demo_path):
    child, cid = _start_app(demo_path, qt_settings, "story")
    time.sleep(1.5)  # typed, not confirmed: no save yet, the story kept as a draft
    _kill(child)
    window = show_main_window(qtbot, demo_path, reviewer="Lena Gruber", active=True)
    try:
        saves = "select count(*) from saves where conversation_id = ?"
        assert window.db.execute(saves, [cid]).fetchone() == (0,)  # OK was never pressed
        window.select_conversation(cid)
        window.focus_list()
        qtbot.keyClick(window.table, Qt.Key.Key_S)
        dialog = window.review_actions.last_dialog
        assert dialog.story.toPlainText() == COMMENT  # the story typed before the kill
        assert "typed is back" in dialog.windowTitle()
        with qtbot.waitSignal(dialog.finished, timeout=10_000):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # given up: the draft goes
        settle(qtbot, window)
        assert window.db.execute("select count(*) from drafts").fetchone() == (0,)
    finally:
        window.close()
        window.db.close()
