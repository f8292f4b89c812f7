"""The loss dialog's "Add reason…" on the demo database: chosen from the reason list with the
keyboard, it asks for a name, a group and whether a loss with it is a loss or the right outcome;
the new reason is chosen at once, and a loss tagged with it as a right outcome stays out of lost
MRR and the save rate."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from review.figures.overview import overview
from review.retention.losses import find_loss_reason
from review.store import connect
from tests.gui import show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer="Lena Gruber", active=True)
    yield win
    win.close()
    win.db.close()


def _loss_dialog(qtbot, window):
    untagged = window.db.execute(  # a tagged one would open its own save or loss instead
        "select min(id) from conversations where id not in (select conversation_id from saves) "
        "and id not in (select conversation_id from losses)"
    ).scalar()
    window.select_conversation(untagged)
    qtbot.keyClick(window.table, Qt.Key.Key_L)  # Review > Tag lost customer…
    dialog = window.review_actions.last_dialog
    assert dialog.objectName() == "loss-dialog"
    return dialog


def _add_reason(qtbot, dialog):
    dialog.reason.setFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_End)  # the last entry: "Add reason…"
    qtbot.waitUntil(lambda: getattr(dialog, "add_reason_dialog", None) is not None)
    return dialog.add_reason_dialog


def test_a_reason_added_as_the_right_outcome_is_chosen_and_kept_apart(qtbot, window, demo_path):
    before = overview(window.db)
    dialog = _loss_dialog(qtbot, window)
    add = _add_reason(qtbot, dialog)
    assert not add.buttons.button(add.buttons.StandardButton.Ok).isEnabled()  # no name yet
    qtbot.keyClicks(add.name, "Abusive customer")
    qtbot.mouseClick(add.is_right, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(add.finished, timeout=20_000):
        qtbot.mouseClick(
            add.buttons.button(add.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert dialog.reason.currentText() == "Abusive customer — right outcome"
    qtbot.keyClicks(dialog.mrr, "40")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    db = connect(demo_path)
    try:
        reason = find_loss_reason(db, "Abusive customer")
        assert reason.right_outcome
        assert db.execute(
            "select count(*) from losses where reason_id = ?", [reason.id]
        ).fetchone() == (1,)
        after = overview(db)
    finally:
        db.close()
    assert after.lost.mrr == before.lost.mrr and after.save_rate == before.save_rate
    assert after.lost.right_outcomes.n == before.lost.right_outcomes.n + 1


def test_a_name_already_taken_is_said_and_nothing_is_added(qtbot, window):
    dialog = _loss_dialog(qtbot, window)
    add = _add_reason(qtbot, dialog)
    qtbot.keyClicks(add.name, "price")
    qtbot.mouseClick(add.buttons.button(add.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert add.isVisible() and "already a reason called 'price'" in add.problem.text()
    with qtbot.waitSignal(add.finished, timeout=20_000):
        qtbot.keyClick(add, Qt.Key.Key_Escape)
    assert dialog.reason.currentIndex() == -1  # nothing chosen: still asks for a reason
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
