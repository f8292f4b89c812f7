"""Review > Score every conversation automatically: the menu entry runs the rules over the whole
demo database off the GUI thread behind a progress dialog, leaves every human rating as it
was, measures agreement again, and its Cancel leaves what was not scored unscored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tests.gui import show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer="Sam Scorer")
    with win.db.atomic():  # as if the rules had never run on this database
        win.db.execute("delete from autoqa_suggestions")
        win.db.execute("delete from autoqa_scores")
        win.db.execute("delete from autoqa_agreement")
    yield win
    win.close()
    win.db.close()


def _human(db) -> list[tuple]:
    return db.execute(
        "select review_id, category_id, rating, is_na, comment, suggested_by from review_ratings "
        "order by review_id, category_id"
    ).fetchall()


def _action(window) -> QAction:
    return window.findChild(QAction, "score-all")  # Review > Score every conversation…


def test_the_menu_entry_scores_every_conversation_and_never_a_human_rating(window, qtbot):
    db = window.db
    before = _human(db)
    score_all = window.review_actions.score_all
    with qtbot.waitSignal(score_all.done, timeout=300_000) as done:
        _action(window).trigger()
        assert score_all.runner is not None  # off the GUI thread: the call returned at once
    result = done.args[0]
    total = db.execute("select count(*) from conversations").fetchone()[0]
    assert result is not None and result.conversations == total
    assert db.execute("select count(*) from autoqa_scores").fetchone()[0] == total
    assert db.execute("select count(*) from autoqa_agreement").fetchone()[0] > 0
    assert _human(db) == before
    assert f"Scored {total:,} conversations" in window.statusBar().currentMessage()
    assert not any(d.isVisible() for d in window.findChildren(QProgressDialog))  # closed


def test_cancel_in_the_progress_dialog_stops_the_run(window, qtbot):
    db = window.db
    score_all = window.review_actions.score_all

    with qtbot.waitSignal(score_all.done, timeout=300_000) as done:
        _action(window).trigger()
        # the dialog shows once the run has lasted its minimum duration; its Cancel clicked
        qtbot.waitUntil(
            lambda: score_all.progress_dialog is not None and score_all.progress_dialog.isVisible(),
            timeout=60_000,
        )
        button = score_all.progress_dialog.findChild(QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args[0] is None
    # stopped at the next batch's end: whole batches kept (the demo is one), the agreement
    # step never reached
    total = db.execute("select count(*) from conversations").fetchone()[0]
    assert db.execute("select count(*) from autoqa_scores").fetchone()[0] in (0, total)
    assert db.execute("select count(*) from autoqa_agreement").fetchone()[0] == 0
    assert "Scoring cancelled" in window.statusBar().currentMessage()
