"""Import from the window as from the command line: files, zips and folders through the real
File menu actions and a real drop; names that tell files apart in the preview; the same ledger
as `savedesk import`; the import history, opened again from the File menu; and the import's
second phase, automatic quality suggestions, with its own label and Stop."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QPushButton

from desktop.cli import cli
from review.importing import suggesting
from review.store import connect
from tests.gui import show_main_window

DATA = Path(__file__).parent / "data"


@pytest.fixture
def window(qtbot, qt_settings, db_path):
    win = show_main_window(qtbot, db_path)
    yield win
    win.close()
    win.db.close()


def _two_accounts(tmp_path: Path) -> Path:
    """A folder holding two exports that are both called tickets.json, and a README."""
    folder = tmp_path / "exports"
    for account in ("acme", "globex"):
        (folder / account).mkdir(parents=True)
        (folder / account / "tickets.json").write_bytes(
            (DATA / "zendesk" / "export" / "tickets.json").read_bytes()
        )
    (folder / "acme" / "users.json").write_bytes(
        (DATA / "zendesk" / "export" / "users.json").read_bytes()
    )
    (folder / "README.md").write_text("exported on Monday\n", encoding="utf-8")
    return folder


def _zip(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(DATA / "intercom" / "webhooks.ndjson", "intercom/webhooks.ndjson")
        archive.write(DATA / "helpscout" / "webhooks.ndjson", "helpscout/webhooks.ndjson")
        archive.writestr("broken/tickets.json", b'{"tickets": [')
    path = tmp_path / "webhooks.zip"
    path.write_bytes(buffer.getvalue())
    return path


def _names(dialog) -> list[str]:
    return [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]


def _run(dialog, qtbot):
    with qtbot.waitSignal(dialog.completed, timeout=30_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    return done.args[0]


def test_file_import_takes_a_zip_and_shows_its_members_and_the_ledger(
    window, qtbot, tmp_path, monkeypatch
):
    archive = _zip(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(archive)], ""))
    window.file_menu.import_action.trigger()
    dialog = window.file_menu.last_import
    assert _names(dialog) == [
        "webhooks.zip!broken/tickets.json",
        "webhooks.zip!helpscout/webhooks.ndjson",
        "webhooks.zip!intercom/webhooks.ndjson",
    ]
    assert [dialog.table.item(r, 2).text() for r in (1, 2)] == [
        "Webhook log (JSON Lines: Intercom, Help Scout, Front)"
    ] * 2
    report = _run(dialog, qtbot)
    assert report is not None and len(report.failed) == 1  # the cut member, the rest landed
    ledger = dialog.ledger.table
    rows = {
        ledger.item(r, 0).text(): [ledger.item(r, c).text() for c in range(1, ledger.columnCount())]
        for r in range(ledger.rowCount())
    }
    assert rows["webhooks.zip!intercom/webhooks.ndjson"] == [
        "webhook-log", "5", "2 / 0 / 0", "7 / 1 / 10", "3 / 0 / 0", "0", "0", "0"
    ]  # fmt: skip
    assert rows["webhooks.zip!broken/tickets.json"][0] == "refused"
    text = dialog.result_text.toPlainText()
    assert "webhooks.zip!broken/tickets.json" in text and "Refused: " in text
    assert f"import #{report.run_id} in File > Import history" in dialog.result_label.text()


def test_file_import_a_folder_tells_same_named_files_apart_and_matches_the_cli(
    window, qtbot, tmp_path, monkeypatch, db_path
):
    folder = _two_accounts(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.file_menu.import_folder_action.trigger()
    dialog = window.file_menu.last_import
    assert _names(dialog) == [
        "README.md",
        "acme/tickets.json",
        "acme/users.json",
        "globex/tickets.json",
    ]
    assert dialog.table.item(0, 2).text() == "not recognised: will be skipped"
    report = _run(dialog, qtbot)
    gui_lines = dialog.result_text.toPlainText().splitlines()
    # the command line, on a copy of the same database state, prints the same sentences
    cli_db = tmp_path / "cli.db"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["import", str(folder), "--db", str(cli_db), "--json"]
    )
    cli_files = json.loads(result.stdout)["files"]
    assert [f.as_dict()["by_kind"] for f in report.files] == [f["by_kind"] for f in cli_files]
    assert [f.as_dict()["not_read"] for f in report.files] == [f["not_read"] for f in cli_files]
    assert "  zendesk-ndjson: read 4, conversations 4 / 0 / 0, messages 9 / 0 / 0, people 5 / 0 / 0, rejected 0, passed over 0, not read 27" in gui_lines  # fmt: skip
    assert "  Not read: 4 `priority` fields" in gui_lines
    assert "  Skipped: not an export savedesk recognises" in gui_lines


def test_dropping_a_folder_opens_the_same_preview(window, tmp_path):
    folder = _two_accounts(tmp_path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(folder))])
    # as a drag does: it enters the window (which accepts local files), then drops
    enter = QDragEnterEvent(
        QPoint(60, 60),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert QCoreApplication.sendEvent(window, enter) and enter.isAccepted()
    drop = QDropEvent(
        QPointF(60, 60),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QCoreApplication.sendEvent(window, drop)
    dialog = window.file_menu.last_import
    assert dialog is not None and dialog.isVisible()
    assert "globex/tickets.json" in _names(dialog)


def test_the_import_history_opens_again_from_the_file_menu(window, qtbot, tmp_path, monkeypatch):
    archive = _zip(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(archive)], ""))
    window.file_menu.import_action.trigger()
    first = window.file_menu.last_import
    shown = (_run(first, qtbot), first.result_text.toPlainText())
    first.close_button.click()
    window.file_menu.import_history_action.trigger()
    history = window.file_menu.last_history
    assert history is not None and history.isVisible()
    assert history.list.rowCount() == 1
    assert history.list.item(0, 0).text() == str(shown[0].run_id)
    assert history.list.item(0, 2).text() == "done"
    assert history.list.item(0, 8).text() == "webhooks.zip"
    assert history.ledger.plain_text() == shown[1]  # the ledger as it was shown then


# -- the suggestions phase in the window ------------------------------------------------------


def _open_folder_import(window, monkeypatch, folder: Path):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.file_menu.import_folder_action.trigger()
    return window.file_menu.last_import


def test_file_import_shows_the_suggestions_phase_and_its_result(
    window, qtbot, monkeypatch, db_path
):
    dialog = _open_folder_import(window, monkeypatch, DATA / "zendesk" / "export")
    labels: list[str] = []
    dialog.job_started.connect(
        lambda runner: runner.progress.connect(
            lambda step: labels.append(dialog.progress_dialog.labelText())
        )
    )
    with qtbot.waitSignal(dialog.completed, timeout=60_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.suggestions.status == "done"
    assert "Automatic quality suggestions: 4 of 4 conversations scored" in labels
    text = dialog.result_text.toPlainText()
    assert "Automatic quality suggestions: 4 of 4 conversations scored, " in text
    assert _scored(db_path) == {1, 2, 3, 4}


def test_stop_suggestions_in_the_window_keeps_the_import(window, qtbot, monkeypatch, db_path):
    monkeypatch.setattr(suggesting, "BATCH", 1)
    dialog = _open_folder_import(window, monkeypatch, DATA / "zendesk" / "export")
    pressed = []

    def on_progress(step):
        if step.phase == suggesting.PHASE and step.done == 1 and not pressed:
            progress = dialog.progress_dialog
            progress.forceShow()  # shown now rather than after its minimum duration
            button = next(
                b for b in progress.findChildren(QPushButton) if b.text() == "Stop suggestions"
            )
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            pressed.append(progress.windowTitle())

    dialog.job_started.connect(lambda runner: runner.progress.connect(on_progress))
    with qtbot.waitSignal(dialog.completed, timeout=60_000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert pressed == ["Suggesting quality scores"]
    assert report is not None and report.committed
    assert report.suggestions.status == "cancelled" and report.suggestions.conversations == 1
    assert dialog.result_label.text().startswith(
        "Import finished. Automatic quality suggestions stopped: 1 of 4 conversations scored"
    )
    assert "stopped: 1 of 4 conversations scored" in dialog.result_text.toPlainText()
    assert len(_scored(db_path)) == 1
    db = connect(db_path)
    assert db.execute("select count(*) from conversations").fetchone()[0] == 4
    db.close()


def _scored(db_path) -> set[int]:
    db = connect(db_path)
    try:
        return {row[0] for row in db.execute("select conversation_id from autoqa_scores")}
    finally:
        db.close()
