"""S and L on a conversation that already ended saved or lost, with the real keys on the demo
database: S on a saved one opens its save, prefilled, to edit (never a second save); L on a lost
one its loss, with Remove; S on a lost one (L on a saved one) says in the status bar, in one
sentence, what is there and how to change it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from review.figures.overview import overview
from tests.gui import settle, show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer="Lena Gruber", active=True)
    yield win
    win.close()
    win.db.close()


def _one(window, sql: str) -> int:
    return window.db.execute(sql).fetchone()[0]


def _press(qtbot, window, cid: int, key):
    window.select_conversation(cid)
    window.review_actions.last_dialog = None
    qtbot.keyClick(window.table, key)
    return window.review_actions.last_dialog


def _counts(window) -> tuple[int, int]:
    return (_one(window, "select count(*) from saves"), _one(window, "select count(*) from losses"))


def test_s_on_a_saved_conversation_edits_its_save_and_saved_mrr_counts_it_once(qtbot, window):
    cid, cents, version = window.db.execute(
        "select conversation_id, mrr_cents, version from saves where status <> 'failed' "
        "order by id limit 1"
    ).fetchone()
    before, counts = overview(window.db).saved.mrr, _counts(window)
    dialog = _press(qtbot, window, cid, Qt.Key.Key_S)
    assert dialog is not None and dialog.objectName() == "save-dialog"
    assert dialog.editing is not None and dialog.editing.conversation_id == cid
    assert "editing" in dialog.windowTitle() and dialog.remove_button is not None
    assert dialog.mrr.text() == f"{cents // 100}.{cents % 100:02d}"  # prefilled
    with qtbot.waitSignal(dialog.finished, timeout=20_000):  # OK as it stands: nothing doubles
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _counts(window) == counts
    after = overview(window.db).saved.mrr
    assert (after.value, after.n) == (before.value, before.n)
    dialog = _press(qtbot, window, cid, Qt.Key.Key_S)  # again, and this time change the money
    dialog.mrr.clear()
    qtbot.keyClicks(dialog.mrr, f"{cents // 100 + 1}.{cents % 100:02d}")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _counts(window) == counts
    assert window.db.execute(
        "select mrr_cents, version from saves where conversation_id = ?", [cid]
    ).fetchall() == [(cents + 100, version + 2)]
    assert overview(window.db).saved.mrr.n == before.n


def test_l_on_a_saved_conversation_says_so_and_how_to_change_it(qtbot, window):
    cid = _one(window, "select conversation_id from saves order by id limit 1")
    counts = _counts(window)
    assert _press(qtbot, window, cid, Qt.Key.Key_L) is None
    said = window.statusBar().currentMessage()
    assert "is tagged saved" in said and "remove that save first" in said
    assert said.count(". ") == 0 and said.endswith(".")  # one sentence
    assert _counts(window) == counts


def test_a_lost_conversation_removed_with_the_loss_dialog_can_then_be_saved(qtbot, window):
    cid, reason = window.db.execute(
        "select conversation_id, reason_id from losses order by id limit 1"
    ).fetchone()
    assert _press(qtbot, window, cid, Qt.Key.Key_S) is None
    said = window.statusBar().currentMessage()
    assert "is tagged lost" in said and "remove that loss first" in said
    saves, losses = _counts(window)
    dialog = _press(qtbot, window, cid, Qt.Key.Key_L)
    assert dialog.objectName() == "loss-dialog" and dialog.editing is not None
    assert dialog.reason.currentData() == reason  # prefilled
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _counts(window) == (saves, losses - 1)
    dialog = _press(qtbot, window, cid, Qt.Key.Key_S)
    assert dialog.objectName() == "save-dialog" and dialog.editing is None
    qtbot.keyClicks(dialog.mrr, "25")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _counts(window) == (saves + 1, losses - 1)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert _counts(window) == (saves, losses)  # Ctrl+Z took the save back, then the removal
