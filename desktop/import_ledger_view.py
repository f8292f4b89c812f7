"""An import's ledger on screen: the same figures and sentences as `savedesk import` prints.

A table with one row per file (what was read; conversations, messages and people added /
updated / unchanged; rejected, passed over, not read) over the ledger's text: every refusal,
rejected record (record, id, field, problem), kind passed over and field not read, selectable
and copyable. Used by the import dialog's result and by the import history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from review.importing.ledger import (
    FIGURE_COLUMNS,
    LEGEND,
    ImportReport,
    figure_cells,
    ledger_text,
    short_names,
)

_PROBLEM = QColor(150, 20, 20)


class LedgerView(QWidget):
    """Shows one ImportReport: `table` (a row per file) and `text` (the whole ledger)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 2 + len(FIGURE_COLUMNS), self)
        self.table.setObjectName("import-ledger")
        self.table.setHorizontalHeaderLabels(["File", "Format", *FIGURE_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.legend = QLabel(LEGEND, self)
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.legend.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("import-result")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.text)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        # room for about seven files before the table scrolls
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_report(self, report: ImportReport) -> None:
        """Fill the table and the text from `report`."""
        names = short_names([f.path for f in report.files])
        self.table.setRowCount(len(report.files))
        for row, (name, f) in enumerate(zip(names, report.files, strict=True)):
            item = QTableWidgetItem(name)
            item.setToolTip(f.path)
            self.table.setItem(row, 0, item)
            status = "refused" if f.error else (f.format or "skipped")
            self.table.setItem(row, 1, QTableWidgetItem(status))
            cells = figure_cells(f) if not (f.error or f.skipped) else ("",) * len(FIGURE_COLUMNS)
            for column, value in enumerate(cells, start=2):
                cell = QTableWidgetItem(value)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
            if f.error or f.rejected:
                brush = QBrush(_PROBLEM)
                for column in (0, 1):
                    self.table.item(row, column).setForeground(brush)
                if f.error:
                    self.table.item(row, 1).setToolTip(f.error)
        self.text.setPlainText(ledger_text(report))

    def plain_text(self) -> str:
        """The ledger as text (what Copy puts on the clipboard)."""
        return self.text.toPlainText()
