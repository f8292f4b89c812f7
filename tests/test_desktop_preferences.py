"""Edit > Preferences: typed into the real dialog, checked in the database and QSettings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop import settings
from desktop.preferences import PreferencesDialog
from review.errors import InvalidInput
from review.importing.records import Conversation, Message
from review.importing.writer import store_records
from review.retention.churn import SETTING_FOLDER, signals_for_conversation
from review.retention.money import parse_rate
from review.retention.settings import (
    confirmation_days,
    exchange_rates,
    get_setting,
    set_exchange_rates,
)
from review.store import connect

WAIT = 20_000


@pytest.fixture
def dialog(qtbot, qt_settings, db_path):
    db = connect(db_path)
    settings.put(settings.REVIEWER, "Lena Gruber")
    dlg = PreferencesDialog(db, db_path)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    yield dlg
    db.close()


def _stored(db_path):
    db = connect(db_path)
    try:
        return (
            exchange_rates(db),
            confirmation_days(db),
            get_setting(db, SETTING_FOLDER),
        )
    finally:
        db.close()


def _ok(qtbot, dlg):
    with qtbot.waitSignal(dlg.finished, timeout=WAIT) as blocker:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [QDialog.DialogCode.Accepted.value]


def test_ok_stores_base_currency_and_rates(qtbot, dialog, db_path):
    dialog.base.clearEditText()
    qtbot.keyClicks(dialog.base.lineEdit(), "usd")
    qtbot.keyClicks(dialog.rows[0].code, "eur")
    qtbot.keyClicks(dialog.rows[0].rate, "1.08")
    assert dialog.ok_button.isEnabled()
    _ok(qtbot, dialog)
    base, rates = _stored(db_path)[0]
    assert base == "USD"
    assert rates == {"USD": Decimal(1), "EUR": Decimal("1.08")}
    assert "settings" in dialog.changes.tables


def test_a_rate_that_is_not_a_number_is_refused_in_place(qtbot, dialog, db_path):
    qtbot.keyClicks(dialog.base.lineEdit(), "USD")
    qtbot.keyClicks(dialog.rows[0].code, "EUR")
    qtbot.keyClicks(dialog.rows[0].rate, "abc")
    assert not dialog.ok_button.isEnabled()
    assert not dialog.rows[0].problem.isHidden()
    assert "'abc' is not a number" in dialog.rows[0].problem.text()
    dialog.rows[0].rate.clear()
    qtbot.keyClicks(dialog.rows[0].rate, "-2")
    assert not dialog.ok_button.isEnabled()
    assert "must be above zero" in dialog.rows[0].problem.text()
    dialog.rows[0].rate.clear()
    qtbot.keyClicks(dialog.rows[0].rate, "1,08")  # a decimal comma is a number too
    assert dialog.ok_button.isEnabled() and dialog.rows[0].problem.isHidden()
    assert _stored(db_path)[0] == (None, {})  # nothing written while typing


def test_rates_without_a_base_currency_are_refused(qtbot, dialog):
    qtbot.keyClicks(dialog.rows[0].code, "EUR")
    qtbot.keyClicks(dialog.rows[0].rate, "1.08")
    assert not dialog.ok_button.isEnabled()
    assert "base currency" in dialog.base_problem.text()


def test_the_days_field_stores_save_confirmation_days(qtbot, dialog, db_path):
    assert dialog.days.value() == 30
    dialog.days.lineEdit().selectAll()
    qtbot.keyClicks(dialog.days.lineEdit(), "45")
    _ok(qtbot, dialog)
    assert _stored(db_path)[1] == 45
    db = connect(db_path)
    try:
        assert get_setting(db, "save_confirmation_days") == "45"
    finally:
        db.close()


def test_the_reviewer_name_is_stored(qtbot, dialog):
    dialog.reviewer.clear()
    qtbot.keyClicks(dialog.reviewer, "Ivan Petrov")
    _ok(qtbot, dialog)
    assert settings.get(settings.REVIEWER) == "Ivan Petrov"


def test_escape_changes_nothing(qtbot, dialog, db_path, tmp_path):
    before = _stored(db_path)
    dialog.reviewer.clear()
    qtbot.keyClicks(dialog.reviewer, "Someone Else")
    qtbot.keyClicks(dialog.base.lineEdit(), "USD")
    qtbot.keyClicks(dialog.rows[0].code, "EUR")
    qtbot.keyClicks(dialog.rows[0].rate, "1.08")
    dialog.days.setValue(90)
    dialog.folder.setText(str(tmp_path))
    with qtbot.waitSignal(dialog.finished, timeout=WAIT) as blocker:
        qtbot.keyClick(dialog.reviewer, Qt.Key.Key_Escape)
    assert blocker.args == [QDialog.DialogCode.Rejected.value]
    assert _stored(db_path) == before == ((None, {}), 30, None)
    assert settings.get(settings.REVIEWER) == "Lena Gruber"


def test_the_dialog_opens_on_the_stored_settings_and_a_missing_folder_is_refused(
    qtbot, qt_settings, db_path
):
    db = connect(db_path)
    set_exchange_rates(db, "EUR", {"GBP": "1.17", "USD": "0.92"})
    dlg = PreferencesDialog(db, db_path)
    qtbot.addWidget(dlg)
    assert dlg.base.currentText() == "EUR"
    assert dlg.rates() == {"GBP": "1.17", "USD": "0.92"}
    qtbot.keyClicks(dlg.folder, "/no/such/folder")
    assert not dlg.ok_button.isEnabled()
    assert dlg.folder_problem.text() == "no such folder"
    db.close()


def test_parse_rate():
    assert parse_rate(" 1,08 ") == Decimal("1.08")
    for bad in ("abc", "0", "-1", "NaN", "Infinity", ""):
        with pytest.raises(InvalidInput):
            parse_rate(bad)


def test_detect_again_uses_the_folder_as_typed(qtbot, dialog, db_path, tmp_path):
    folder = tmp_path / "phrases"
    folder.mkdir()
    (folder / "team.txt").write_text("@language en\n[competitor]\nacmedesk\n", encoding="utf-8")
    db = connect(db_path)
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                "1",
                created_at="2024-05-01T09:00:00Z",
                messages=[
                    Message("m1", "customer", "2024-05-01T09:01:00Z", "We are trialling acmedesk.")
                ],
            )
        ],
    )
    cid = db.execute("select id from conversations").fetchone()[0]
    dialog.folder.setText(str(folder))
    runner = dialog.detect_again()
    assert runner is not None and not dialog.detect_button.isEnabled()
    with qtbot.waitSignal(runner.finished, timeout=WAIT) as blocker:
        pass
    assert blocker.args == [1]
    assert [s.phrase for s in signals_for_conversation(db, cid)] == ["acmedesk"]
    qtbot.waitUntil(dialog.detect_button.isEnabled, timeout=WAIT)
    assert dialog.detect_status.text() == "1 churn signals found."
    db.close()


def test_ctrl_comma_opens_preferences_from_the_window_and_ok_refreshes_it(
    qtbot, qt_settings, db_path, monkeypatch
):
    from desktop.app import application, open_window
    from desktop.shortcuts import SHEET

    application()
    settings.put(settings.REVIEWER, "Lena Gruber")
    win = open_window(db_path)
    qtbot.addWidget(win)
    try:
        action = win.findChild(type(win.preferences.action), "preferences")
        assert action.shortcut().toString() == "Ctrl+,"
        assert ("Edit", "Ctrl+,") in {(group, keys) for group, keys, _ in SHEET}
        applied = []
        monkeypatch.setattr(win, "apply_changes", applied.append)
        action.trigger()
        dlg = win.preferences.dialog
        assert dlg is not None and dlg.isVisible()
        dlg.days.setValue(60)
        _ok(qtbot, dlg)
        assert applied and "settings" in applied[0].tables
        assert _stored(db_path)[1] == 60
    finally:
        win.close()
        win.db.close()
