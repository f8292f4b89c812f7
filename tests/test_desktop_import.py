"""Importing through the window: preview with detected formats, progress, Cancel, the result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QPushButton

from desktop.app import application, open_window
from review.importing.run import import_files
from review.progress import run_to_end
from review.store import connect

pytestmark = pytest.mark.samples


@pytest.fixture
def window(qtbot, qt_settings, db_path):
    application()
    win = open_window(db_path)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()
    win.db.close()


def _counts(path) -> dict:
    db = connect(path)
    try:
        return {
            t: db.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("conversations", "messages", "customers", "agents", "imports")
        }
    finally:
        db.close()


def test_import_twitter_sample_through_the_dialog(window, qtbot, samples, db_path):
    twcs = samples / "twitter" / "twcs-sample.csv"
    dialog = window.import_paths([twcs])
    assert dialog.table.rowCount() == 1
    assert "twitter" in dialog.table.item(0, 2).text().lower()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.completed, timeout=20_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report is not None
    counts = _counts(db_path)
    assert counts["conversations"] == 27
    assert counts["imports"] == 1
    text = dialog.result_text.toPlainText()
    assert "twitter: read 28, conversations 27 / 0 / 0, messages 93 / 0 / 0" in text
    assert "0 records rejected" in text
    # the window refreshed from the import's Changes: list, sidebar, chips
    assert window.model.rowCount() == 27
    assert "social" in [a.data() for a in window.filter_bar.chips["Channel"].menu().actions()]
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text


def test_cancel_on_first_progress_leaves_the_database_as_it_was(window, qtbot, samples, db_path):
    run_to_end(
        import_files(db_path, [samples / "freshdesk" / "airbyte-freshdesk-expected_records.jsonl"])
    )
    before = _counts(db_path)
    dialog = window.import_paths([samples / "twitter" / "twcs-sample.csv"])
    seen = []

    def cancel_on_first(runner):
        def on_progress(step):
            if not seen:
                seen.append(step)
                dialog.progress_dialog.findChild(QPushButton).click()  # its Cancel button

        runner.progress.connect(on_progress)

    dialog.job_started.connect(cancel_on_first)
    with qtbot.waitSignal(dialog.completed, timeout=20_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert done.args == [None]
    assert seen
    assert dialog.runner.was_cancelled
    assert _counts(db_path) == before
    assert "cancelled" in dialog.result_text.toPlainText()


def test_rejected_record_is_listed_with_its_reason(window, qtbot, samples, db_path):
    dialog = window.import_paths([samples / "zendesk" / "airbyte-zendesk-expected_records.jsonl"])
    with qtbot.waitSignal(dialog.completed, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    text = dialog.result_text.toPlainText()
    assert "1 record rejected" in text
    assert "Rejected (record 35, id 11836244663055)" in text and "not valid JSON" in text
    assert _counts(db_path)["conversations"] > 0


def test_unknown_file_is_shown_before_import(window, samples):
    dialog = window.import_paths([samples / "FORMATS.md"])
    assert "not recognised" in dialog.table.item(0, 2).text()
    assert not dialog.import_button.isEnabled()


def test_dropping_files_opens_the_preview(window, samples):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(samples / "twitter" / "twcs-sample.csv"))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    dialog = window.file_menu.last_import
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.item(0, 0).text().endswith("twcs-sample.csv")


def test_ctrl_i_asks_for_files(window, qtbot, samples, monkeypatch):
    chosen = str(samples / "twitter" / "twcs-sample.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([chosen], ""))
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.file_menu.last_import
    assert dialog is not None
    assert dialog.paths == [chosen]
