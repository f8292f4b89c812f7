"""File > Import history: every past import of this database, and its whole ledger again.

The ledger is the one stored when the import ran (review.importing.ledger), shown by the same
LedgerView as the import dialog's result, so what the user saw then is what they see now.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.import_ledger_view import LedgerView
from review.importing.ledger import PastImport, import_history, past_report
from review.store import connect

_COLUMNS = (
    "#",
    "Started (UTC)",
    "Status",
    "Files",
    "Added",
    "Updated",
    "Refused",
    "Rejected",
    "What",
)


class ImportHistoryDialog(QDialog):
    """The list of past imports over the ledger of the selected one."""

    def __init__(self, db_path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import-history")
        self.setWindowTitle("Import history")
        self.db_path = str(db_path)
        self.resize(1040, 780)
        self.runs: list[PastImport] = []
        self.list = QTableWidget(0, len(_COLUMNS), self)
        self.list.setObjectName("import-runs")
        self.list.setHorizontalHeaderLabels(list(_COLUMNS))
        self.list.verticalHeader().hide()
        self.list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.list.horizontalHeader()
        for column in range(len(_COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.ledger = LedgerView(self)
        self.empty = QLabel("No import into this database yet.", self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.ledger)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        self.list.setMinimumHeight(self.list.verticalHeader().defaultSectionSize() * 4)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy ledger", self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.ledger.plain_text())
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.list.itemSelectionChanged.connect(self._show_selected)
        self.reload()

    def reload(self) -> None:
        """Read the history again (newest first) and show the newest import's ledger."""
        db = connect(self.db_path)
        try:
            self.runs = import_history(db)
        finally:
            db.close()
        self.empty.setVisible(not self.runs)
        self.list.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            named = ", ".join(Path(p).name for p in run.paths)
            values = (
                str(run.run_id),
                run.started_at.replace("T", " ").rstrip("Z"),
                run.status,
                str(run.files),
                f"{run.conversations_added:,}",
                f"{run.conversations_updated:,}",
                str(run.failed),
                str(run.rejected),
                named,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == len(values) - 1:
                    item.setToolTip("\n".join(run.paths))
                self.list.setItem(row, column, item)
        if self.runs:
            self.list.selectRow(0)

    def _show_selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return
        run = self.runs[rows[0].row()]
        db = connect(self.db_path)
        try:
            report = past_report(db, run.run_id)
        finally:
            db.close()
        if report is not None:
            self.ledger.show_report(report)
