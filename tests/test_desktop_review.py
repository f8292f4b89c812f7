"""Reviewing and tagging through the real widgets, keyboard first; checked in the database."""

from __future__ import annotations

import socket

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from desktop import conversation_model
from review.importing.run import import_files
from review.progress import run_to_end
from review.reviewing.rubrics import current_rubric
from review.store import connect
from tests.gui import settle, show_main_window

pytestmark = pytest.mark.samples
REVIEWER = "Lena Gruber"


@pytest.fixture
def filled_path(db_path, samples):
    run_to_end(
        import_files(
            db_path,
            [
                samples / "twitter" / "twcs-sample.csv",
                samples / "freshdesk" / "airbyte-freshdesk-expected_records.jsonl",
            ],
        )
    )
    return db_path


def _open(qtbot, path):
    return show_main_window(qtbot, path, reviewer=REVIEWER, active=True)


@pytest.fixture
def window(qtbot, qt_settings, filled_path):
    win = _open(qtbot, filled_path)
    yield win
    win.close()
    win.db.close()


def _query(path, sql, params=()):
    db = connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.table, key, modifier)


def _type(widget, text):
    """Type text one key event per character (QTest.keyClicks only knows Latin-1 keys)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _domain_formula(categories, ratings):
    """DOMAIN.md: 100 * sum(w (r - min) / (max - min)) / sum(w) over rated categories."""
    top = sum(
        c.weight * (ratings[c.id] - c.scale_min) / (c.scale_max - c.scale_min)
        for c in categories
        if ratings.get(c.id) is not None
    )
    bottom = sum(c.weight for c in categories if ratings.get(c.id) is not None)
    return 100 * top / bottom


def test_review_with_the_keyboard_alone(window, qtbot, filled_path):
    window.table.setFocus()
    _key(qtbot, window, Qt.Key.Key_J)
    _key(qtbot, window, Qt.Key.Key_J)  # the second conversation
    cid = window.current_conversation_id()
    rubric = current_rubric(window.db)
    expected = {}
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]
    for i, category in enumerate(rubric.categories):
        if category.allow_na and i == 2:
            _key(qtbot, window, Qt.Key.Key_N)
            expected[category.id] = None
            continue
        points = category.scale_max - category.scale_min + 1
        position = points if category.critical else 1 + (i % points)  # never fail the critical
        _key(qtbot, window, keys[position - 1])
        expected[category.id] = category.scale_min + position - 1
    settle(qtbot, window)
    [(score, critical, reviewer)] = _query(
        filled_path,
        "select score, critical_failed, reviewer from reviews where conversation_id = ?",
        [cid],
    )
    assert reviewer == REVIEWER
    assert critical == 0
    assert score == pytest.approx(_domain_formula(rubric.categories, expected))
    assert window.review_panel.score_label.text() == f"Score: {score:.1f}%"
    stored = dict(
        _query(
            filled_path,
            "select category_id, rating from review_ratings rr join reviews r on r.id = "
            "rr.review_id where r.conversation_id = ?",
            [cid],
        )
    )
    assert stored == expected
    # the list's row shows the new score: its painted strings were made again
    model = window.model
    row = model.row_of(cid)
    score_column = [name for name, _ in conversation_model.COLUMNS].index("Score")
    assert model.data(model.index(row, score_column)) == conversation_model.score_text(score)


def test_critical_fail_scores_zero_and_shows_red(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    rubric = current_rubric(window.db)
    critical = [i for i, c in enumerate(rubric.categories) if c.critical][0]
    _key(qtbot, window, Qt.Key.Key_5)  # rate the first category 5: the focus moves to the 2nd
    _key(qtbot, window, Qt.Key.Key_Tab)  # straight after a rating: stays on the 2nd
    for _ in range(critical - 1):
        _key(qtbot, window, Qt.Key.Key_Tab)
    _key(qtbot, window, Qt.Key.Key_1)  # Fail on the critical category
    settle(qtbot, window)
    [(score, failed)] = _query(
        filled_path, "select score, critical_failed from reviews where conversation_id = ?", [cid]
    )
    assert (score, failed) == (0, 1)
    assert "critical fail" in window.review_panel.score_label.text()
    assert "#c62828" in window.review_panel.score_label.styleSheet()


def test_undo_and_redo_a_rating(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    _key(qtbot, window, Qt.Key.Key_4)
    settle(qtbot, window)
    sql = (
        "select rr.rating from review_ratings rr join reviews r on r.id = rr.review_id "
        "where r.conversation_id = ?"
    )
    assert _query(filled_path, sql, [cid]) == [(4,)]
    first = window.review_panel.rows[0].category.name
    assert window.review_actions.undo_action.text() == f"&Undo Rate '{first}' 4"
    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert _query(filled_path, sql, [cid]) == []
    _key(
        qtbot,
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    settle(qtbot, window)
    assert _query(filled_path, sql, [cid]) == [(4,)]
    assert window.review_panel.rows[0].buttons[3][1].isChecked()


def _comments(path, conversation_id) -> list[tuple]:
    return _query(
        path,
        "select rr.comment from review_ratings rr join reviews r on r.id = rr.review_id "
        "where r.conversation_id = ?",
        [conversation_id],
    )


def test_comment_with_e(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    _key(qtbot, window, Qt.Key.Key_E)
    field = window.review_panel.rows[0].comment
    assert field.hasFocus()
    _type(field, "Ответ точный — 回答准确")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.table.hasFocus()  # Return leaves the field: the list's keys work again
    settle(qtbot, window)
    assert _comments(filled_path, cid) == [("Ответ точный — 回答准确",)]


def test_e_on_a_comment_adds_to_it_and_never_types_over_it(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    field = window.review_panel.rows[0].comment
    _key(qtbot, window, Qt.Key.Key_E)
    _type(field, "Точно")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    _key(qtbot, window, Qt.Key.Key_E)  # back to the same comment: the cursor after its text
    assert field.hasFocus() and not field.hasSelectedText()
    _type(field, " 准确")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert _comments(filled_path, cid) == [("Точно 准确",)]


def test_save_dialog_refuses_bad_mrr_at_the_field_then_tags(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    _key(qtbot, window, Qt.Key.Key_S)
    dialog = window.review_actions.last_dialog
    assert dialog.objectName() == "save-dialog" and dialog.isVisible()
    qtbot.keyClicks(dialog.mrr, "abc")
    assert not dialog.ok_button.isEnabled()
    assert "not an amount of money" in dialog.mrr_field.problem.text()
    dialog.mrr.clear()
    qtbot.keyClicks(dialog.mrr, "-5")
    assert "negative" in dialog.mrr_field.problem.text()
    assert not dialog.ok_button.isEnabled()
    dialog.mrr.clear()
    qtbot.keyClicks(dialog.mrr, "49.90")
    assert dialog.ok_button.isEnabled() and dialog.mrr_field.problem.isHidden()
    dialog.method.setCurrentIndex(dialog.method.findData("discount"))
    qtbot.keyClicks(dialog.story, "Offered 3 months at half price; she stayed.")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _query(
        filled_path,
        "select mrr_cents, currency, method, status, story from saves where conversation_id = ?",
        [cid],
    ) == [(4990, "USD", "discount", "pending", "Offered 3 months at half price; she stayed.")]
    assert "saved" in window.review_panel.outcomes.text()


def test_loss_dialog_prefilled_from_the_marked_customer_message(window, qtbot, filled_path):
    twitter = _query(filled_path, "select id from conversations where channel = 'social'")
    cid = twitter[0][0]
    window.select_conversation(cid)
    customer = [m for m in window.reader.detail.messages if m.author_role == "customer"][0]
    window.reader.anchorClicked.emit(QUrl(f"msg:{customer.id}"))  # "use as the customer's words"
    _key(qtbot, window, Qt.Key.Key_L)
    dialog = window.review_actions.last_dialog
    assert dialog.objectName() == "loss-dialog"
    assert dialog.words.toPlainText() == customer.body_text.strip()
    qtbot.keyClicks(dialog.mrr, "120")
    assert not dialog.ok_button.isEnabled()  # no reason yet
    dialog.reason.setCurrentIndex(dialog.reason.findText("Price"))
    dialog.preventable.setCurrentIndex(dialog.preventable.findData(True))
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    [(cents, reason, preventable, words)] = _query(
        filled_path,
        "select l.mrr_cents, r.name, l.preventable, l.customer_words from losses l "
        "join loss_reasons r on r.id = l.reason_id where l.conversation_id = ?",
        [cid],
    )
    assert (cents, reason, preventable, words) == (12000, "Price", 1, customer.body_text.strip())


def test_escape_cancels_a_tag_dialog(window, qtbot, filled_path):
    _key(qtbot, window, Qt.Key.Key_J)
    _key(qtbot, window, Qt.Key.Key_S)
    dialog = window.review_actions.last_dialog
    qtbot.keyClicks(dialog.mrr, "10")
    with qtbot.waitSignal(dialog.finished, timeout=20_000) as done:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert done.args == [QDialog.DialogCode.Rejected.value]
    assert _query(filled_path, "select count(*) from saves") == [(0,)]


def test_everything_is_there_after_reopening(qtbot, qt_settings, filled_path):
    win = _open(qtbot, filled_path)
    _key(qtbot, win, Qt.Key.Key_J)
    cid = win.current_conversation_id()
    assert cid is not None
    _key(qtbot, win, Qt.Key.Key_5)
    _key(qtbot, win, Qt.Key.Key_3)
    settle(qtbot, win)
    score = win.review_panel.score_label.text()
    assert score.endswith("%")
    win.close()
    win.db.close()
    again = _open(qtbot, filled_path)
    again.restore_state()
    assert again.current_conversation_id() == cid
    assert again.review_panel.score_label.text() == score
    assert again.review_panel.rows[0].buttons[4][1].isChecked()
    again.close()
    again.db.close()


def test_nothing_touches_the_network(qtbot, qt_settings, db_path, samples, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    win = _open(qtbot, db_path)
    dialog = win.import_paths([samples / "twitter" / "twcs-sample.csv"])
    with qtbot.waitSignal(dialog.completed, timeout=20_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert done.args[0] is not None
    dialog.accept()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=20_000)
    win.table.setFocus()
    _key(qtbot, win, Qt.Key.Key_J)
    _key(qtbot, win, Qt.Key.Key_4)
    _key(qtbot, win, Qt.Key.Key_S)
    save = win.review_actions.last_dialog
    qtbot.keyClicks(save.mrr, "30")
    with qtbot.waitSignal(save.finished, timeout=20_000):
        qtbot.mouseClick(save.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    assert _query(db_path, "select count(*) from reviews") == [(1,)]
    assert _query(db_path, "select count(*) from saves") == [(1,)]
    _key(qtbot, win, Qt.Key.Key_J)
    _key(qtbot, win, Qt.Key.Key_L)
    loss = win.review_actions.last_dialog
    qtbot.keyClicks(loss.mrr, "45")
    loss.reason.setCurrentIndex(loss.reason.findText("Price"))
    loss.preventable.setCurrentIndex(loss.preventable.findData(True))
    with qtbot.waitSignal(loss.finished, timeout=20_000):
        qtbot.mouseClick(loss.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)
    assert _query(db_path, "select count(*) from losses") == [(1,)]
    win.reports_menu.actions["saved-revenue"].trigger()
    report = win.reports_menu.dialog
    qtbot.addWidget(report)
    report.whole.setChecked(True)
    out = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    with qtbot.waitSignal(report.saved, timeout=90_000):
        qtbot.mouseClick(report.save_button, Qt.MouseButton.LeftButton)
    assert len(PdfReader(str(out)).pages) >= 1
    report.reject()
    win.close()
    win.db.close()
