"""The dashboard's tables: quality beside retention (per agent or team, with everyone last)
and which behaviours keep customers (per rubric category, saved against lost). Every cell is a
figure as review.figures.wording writes it, with its n beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from review.figures.outcomes import CategoryOutcome, RetentionRow
from review.figures.values import Figure
from review.figures.wording import figure_text, value_text

KEY_ROLE = Qt.ItemDataRole.UserRole


def read_only_item(text: str, right: bool = False, data: object = None) -> QTableWidgetItem:
    """A cell that can be chosen but not edited, right-aligned for a number, with `data`."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if data is not None:
        item.setData(KEY_ROLE, data)
    return item


class ReadOnlyTable(QTableWidget):
    """A read-only table of whole rows, one chosen at a time; column `stretch` takes the room
    the others leave."""

    def __init__(self, name: str, headers: list[str], parent=None, stretch: int = 0):
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)


class FigureTable(ReadOnlyTable):
    """A read-only table of figures; `row_activated(key)` fires on Enter or double-click."""

    row_activated = Signal(object)

    def __init__(self, name: str, headers: list[str], parent=None):
        super().__init__(name, headers, parent)
        self.itemActivated.connect(self._activated)

    def _activated(self, item: QTableWidgetItem) -> None:
        key = self.item(item.row(), 0).data(KEY_ROLE)
        if key is not None:
            self.row_activated.emit(key)

    def fill(self, rows: list[tuple[object, list[str]]], bold_last: bool = False) -> None:
        """One row per (key, texts); the first column is the name, the rest right-aligned."""
        self.setRowCount(len(rows))
        for r, (key, texts) in enumerate(rows):
            for c, text in enumerate(texts):
                item = read_only_item(text, right=c > 0, data=key if c == 0 else None)
                if bold_last and r == len(rows) - 1:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(r, c, item)

    def texts(self, row: int) -> list[str]:
        """The texts of one row, as shown."""
        return [self.item(row, c).text() for c in range(self.columnCount())]


def _n(figure: Figure) -> str:
    return f"{figure.n:,}"


BESIDE_HEADERS = ["Quality (95%)", "n", "Save rate (95%)", "n", "Saved MRR", "n", "Lost MRR",
                  "n", "Not a fit"]  # fmt: skip


def beside_rows(rows: list[RetentionRow], everyone: RetentionRow) -> list[tuple[object, list[str]]]:
    """Table rows of quality beside retention, everyone last (its key is None)."""
    return [
        (
            r.key if r is not everyone else None,
            [
                r.label,
                figure_text(r.quality, compact=True),
                _n(r.quality),
                figure_text(r.save_rate, compact=True),
                _n(r.save_rate),
                value_text(r.saved_mrr),
                _n(r.saved_mrr),
                value_text(r.lost_mrr),
                _n(r.lost_mrr),
                f"{r.right_outcomes:,}",
            ],
        )  # fmt: skip
        for r in [*rows, everyone]
    ]


BEHAVIOUR_HEADERS = ["Category", "Saved (95%)", "n", "Lost (95%)", "n", "Saved − lost"]


def behaviour_rows(categories: list[CategoryOutcome]) -> list[tuple[object, list[str]]]:
    """Table rows of the mean rating per category where saved against where lost."""
    return [
        (
            k.category,
            [
                k.category,
                figure_text(k.saved, compact=True),
                _n(k.saved),
                figure_text(k.lost, compact=True),
                _n(k.lost),
                "no data" if k.difference is None else f"{k.difference:+.1f}",
            ],
        )  # fmt: skip
        for k in categories
    ]
