"""Importing exports from the window: files, folders and zips as on the command line. See each
file (by a name that tells it from the others) and its detected format, import with progress and
Cancel, then read (and copy) the same ledger `savedesk import` prints: per file what was read,
conversations, messages and people added / updated / unchanged, each rejected record with its
reason, what was passed over and which fields were not read.

The import itself is review.importing.run.import_files, run by desktop.jobs off the GUI thread.
Its records are one transaction, so Cancel while they are read leaves the database exactly as
it was. Then comes its second phase, automatic quality suggestions for the conversations it
added or changed, with its own label: Cancel there ("Stop suggestions") keeps the import and
the whole batches scored, and the result says how far it got.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import errors
from desktop.import_ledger_view import LedgerView
from desktop.job_progress import SCALE, job_progress_dialog
from desktop.jobs import JobRunner
from review.changes import Changes
from review.errors import SavedeskError
from review.importing.ledger import ImportReport, ledger_text, short_names
from review.importing.run import describe_format, import_files
from review.importing.sources import Entry, expand
from review.importing.suggesting import PHASE as SUGGESTIONS
from review.progress import Progress
from review.store.targets import parse_target

IMPORT_CHANGES = Changes.of(
    (
        "conversations",
        "messages",
        "agents",
        "teams",
        "customers",
        "ratings",
        "churn_signals",
        "autoqa_suggestions",
        "autoqa_scores",
    )
)
_SCALE = SCALE  # the progress bar counts thousandths: byte totals overflow a C int


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _after(report: ImportReport) -> str:
    """What the result's heading says after its first sentence: the suggestions phase and
    where the import is kept."""
    text = f" {report.suggestions.sentence()}" if report.suggestions else ""
    if report.run_id:
        text += f" It is import #{report.run_id} in File > Import history."
    return text


def report_text(report: ImportReport) -> str:
    """The import's ledger as plain text, as the result shows it (and `savedesk import`)."""
    return ledger_text(report)


class ImportDialog(QDialog):
    """Preview, run and report one import into the database at `db_path`.

    `job_started(JobRunner)` fires just before the job starts; `completed(report | None)` when it
    has ended (None: cancelled or failed); `imported(Changes)` when the store changed.
    """

    job_started = Signal(object)
    completed = Signal(object)
    imported = Signal(object)

    def __init__(self, db_path: str, paths: list[str | os.PathLike], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import-dialog")
        self.setWindowTitle("Import helpdesk exports")
        self.db_path = str(db_path)
        self.paths = [str(p) for p in paths]
        self.runner: JobRunner | None = None
        self.report: ImportReport | None = None
        self._running = ImportReport()  # filled by the job as it goes (kept after a cancel)
        self._phase = ""
        self.progress_dialog: QProgressDialog | None = None
        self.entries: list[Entry] = []
        self.formats: list[str | None] = []
        self.resize(1000, 680)

        self.pages = QStackedWidget(self)
        self.preview = QWidget(self)
        preview_layout = QVBoxLayout(self.preview)
        self.preview_label = QLabel(self.preview)
        self.preview_label.setWordWrap(True)
        self.table = QTableWidget(0, 3, self.preview)
        self.table.setObjectName("import-files")
        self.table.setHorizontalHeaderLabels(["File", "Size", "Detected format"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        preview_layout.addWidget(self.preview_label)
        preview_layout.addWidget(self.table, 1)

        self.result = QWidget(self)
        result_layout = QVBoxLayout(self.result)
        self.result_label = QLabel(self.result)
        self.result_label.setWordWrap(True)
        self.ledger = LedgerView(self.result)
        self.result_text = self.ledger.text
        result_layout.addWidget(self.result_label)
        result_layout.addWidget(self.ledger, 1)
        self.pages.addWidget(self.preview)
        self.pages.addWidget(self.result)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = QPushButton("Copy result", self)
        self.copy_button.clicked.connect(self.copy_result)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.hide()
        self.close_button.hide()
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self._fill_preview()

    # --- preview -----------------------------------------------------------------------------
    def _fill_preview(self) -> None:
        try:
            self.entries = expand(self.paths)
        except SavedeskError as exc:
            self.entries = []
            self.preview_label.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self.formats = []
        self.table.setRowCount(len(self.entries))
        names = short_names([entry.name for entry in self.entries])
        for row, entry in enumerate(self.entries):
            try:
                label = describe_format(entry)
            except (OSError, SavedeskError) as exc:
                label = None
                entry_problem = str(exc)
            else:
                entry_problem = entry.error or ""
            self.formats.append(label)
            # relative to the folder the files share, or `archive.zip!member/path.json`: two
            # files called tickets.json in two folders of one export stay apart
            name = QTableWidgetItem(names[row])
            name.setToolTip(entry.name)
            size = QTableWidgetItem(_size(entry.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            unreadable = "cannot be read: will be reported" if entry.error else ""
            fmt = QTableWidgetItem(label or unreadable or "not recognised: will be skipped")
            if label is None:
                fmt.setForeground(Qt.GlobalColor.darkRed)
                fmt.setToolTip(entry_problem or "savedesk does not recognise this file's format")
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, size)
            self.table.setItem(row, 2, fmt)
        known = sum(1 for f in self.formats if f)
        self.preview_label.setText(
            f"{len(self.entries)} file{'s' if len(self.entries) != 1 else ''} to import into "
            f"{parse_target(self.db_path).title()}; {known} in a format savedesk reads. The records are "
            "one transaction: cancelling while they are read leaves the database as it was. "
            "Then the conversations imported get automatic quality suggestions; stopping those "
            "keeps the import."
        )
        self.import_button.setEnabled(known > 0)

    # --- running -----------------------------------------------------------------------------
    def start_import(self) -> None:
        """Run the import off the GUI thread with a progress dialog whose Cancel rolls it back."""
        if self.runner is not None:
            return
        self.import_button.setEnabled(False)
        paths = list(self.paths)
        db_path = self.db_path
        running = self._running
        self.runner = JobRunner(lambda: import_files(db_path, paths, report=running), self)
        self.progress_dialog = job_progress_dialog(
            self.runner, self, "Reading…", "Importing", "import-progress"
        )
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.job_started.emit(self.runner)
        self.runner.start()

    def _on_progress(self, step: Progress) -> None:
        if self.progress_dialog is None or self.progress_dialog.wasCanceled():
            return
        fraction = step.fraction
        if step.phase == SUGGESTIONS:
            if self._phase != SUGGESTIONS:  # the records are in: a cancel now keeps them
                self.progress_dialog.setWindowTitle("Suggesting quality scores")
                self.progress_dialog.setCancelButtonText("Stop suggestions")
            self.progress_dialog.setLabelText(step.label)
        else:
            self.progress_dialog.setLabelText(Path(step.label).name or step.label or "Importing…")
        self._phase = step.phase
        if fraction is not None:
            self.progress_dialog.setValue(int(fraction * _SCALE))

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _show_result(self, heading: str, text: str | None) -> None:
        self.result_label.setText(heading)
        if text is not None:
            self.ledger.table.setRowCount(0)
            self.result_text.setPlainText(text)
        self.pages.setCurrentWidget(self.result)
        self.import_button.hide()
        self.cancel_button.hide()
        self.copy_button.show()
        self.close_button.show()
        self.close_button.setDefault(True)

    def _on_finished(self, report: ImportReport) -> None:
        self._close_progress()
        self.report = report
        self.ledger.show_report(report)
        heading = (
            f"Import finished, {len(report.failed)} file(s) refused."
            if report.failed
            else "Import finished."
        )
        self._show_result(
            heading + _after(report) + " Select text or press “Copy result” to copy it.", None
        )
        self.imported.emit(IMPORT_CHANGES)
        self.completed.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        self._close_progress()
        self._show_result("The import failed; the database was left as it was.", str(exc))
        self.completed.emit(None)
        errors.show_error(self, exc, "Import failed")

    def _on_cancelled(self) -> None:
        if self._running.committed:  # stopped in the suggestions phase: the import stays
            self._close_progress()
            report = self._running
            self.report = report
            self.ledger.show_report(report)
            self._show_result("Import finished." + _after(report), None)
            self.imported.emit(IMPORT_CHANGES)
            self.completed.emit(report)
            return
        self._close_progress()
        self._show_result(
            "Import cancelled.", "The import was cancelled: the database is as it was before.\n"
        )
        self.completed.emit(None)

    def copy_result(self) -> None:
        """Put the result text on the clipboard."""
        QGuiApplication.clipboard().setText(self.result_text.toPlainText())

    def reject(self) -> None:
        if self.runner is not None and self.runner.is_running():
            self.runner.cancel()
            return  # the dialog stays until the job has rolled back and reported
        super().reject()
