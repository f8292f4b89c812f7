"""The calibration page: pick conversations reviewed by several reviewers and see, per rubric
category, each reviewer's rating side by side with the percent agreement and Krippendorff's
alpha and the n they rest on; below, the spread of overall scores.

A window of its own; it only reads review.figures.agreement (as the quality report does).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.dashboard_tables import read_only_item
from desktop.formatting import score_text
from review.figures.agreement import (
    Agreement,
    Cell,
    GridRow,
    multi_reviewed,
    reviewer_agreement,
)
from review.figures.wording import figure_text
from review.store import Store

ID_ROLE = Qt.ItemDataRole.UserRole
DISAGREE = QColor(255, 193, 7, 90)  # amber wash: reviewers differ on this conversation
FIXED_COLUMNS = ["Category", "Agreement (95%)", "α (ordinal)", "n conv.", "pairs"]


def cell_text(row: GridRow, cell: Cell | None) -> str:
    """A rating as a reviewer reads it: "4", "pass"/"fail", "N/A", or "–" when not rated."""
    if cell is None:
        return "–"
    if cell.na:
        return "N/A"
    if row.scale == "pass_fail":
        return "pass" if cell.rating == row.scale_max else "fail"
    return str(cell.rating)


def alpha_text(alpha: float | None) -> str:
    """Alpha to two places, or "no data" (nothing to compare, or no variation)."""
    return "no data" if alpha is None else f"{alpha:.2f}"


def _table(name: str, parent) -> QTableWidget:
    table = QTableWidget(parent)
    table.setObjectName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 6)
    return table


class CalibrationPage(QWidget):
    """Agreement between reviewers on the conversations chosen in the list above."""

    open_conversation = Signal(int)

    def __init__(self, db: Store, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("calibration-page")
        self.setWindowTitle("Calibration — savedesk")
        self.db = db
        self.result: Agreement | None = None
        self.resize(1200, 780)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(
            QLabel(
                "Conversations reviewed by two or more reviewers — choose some (Ctrl/Shift+click, "
                "Ctrl+A all); double-click opens one in the main window.",
                self,
            ),
            1,
        )
        self.all_button = QPushButton("Choose all", self)
        self.all_button.clicked.connect(self.choose_all)
        top.addWidget(self.all_button)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.conversations = _table("calibration-conversations", split)
        self.conversations.setColumnCount(5)
        self.conversations.setHorizontalHeaderLabels(
            ["Date", "Conversation", "Agent", "Reviewers", "Scores"]
        )
        self.conversations.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conversations.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.conversations.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.conversations.itemSelectionChanged.connect(self._selection_changed)
        self.conversations.itemDoubleClicked.connect(
            lambda item: self.open_conversation.emit(item.data(ID_ROLE))
        )
        lower = QWidget(split)
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(lower)
        self.summary.setObjectName("calibration-summary")
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.agreement = _table("calibration-agreement", lower)
        self.agreement.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        column.addWidget(self.agreement, 3)
        column.addWidget(QLabel("Spread of overall scores", lower))
        self.spreads = _table("calibration-spreads", lower)
        self.spreads.setColumnCount(6)
        self.spreads.setHorizontalHeaderLabels(
            ["Conversation", "Scores by reviewer", "Lowest", "Highest", "Range", "SD"]
        )
        spread_header = self.spreads.horizontalHeader()
        spread_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        spread_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.spreads, 2)
        split.addWidget(self.conversations)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.conversations.setMinimumHeight(120)
        split.setSizes([200, 560])
        layout.addWidget(split, 1)
        close = QAction(self)
        close.setShortcut(QKeySequence("Esc"))
        close.triggered.connect(self.close)
        self.addAction(close)
        self._timer = QTimer(self)  # one redraw per burst of selection changes
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.show_chosen)
        self.refresh()

    def set_database(self, db: Store) -> None:
        """Another database."""
        self.db = db
        self.refresh()

    def refresh(self) -> None:
        """List the conversations again and choose them all."""
        rows = multi_reviewed(self.db)
        self.subjects = {r.conversation_id: r.subject or "(no subject)" for r in rows}
        self.conversations.blockSignals(True)
        self.conversations.setRowCount(len(rows))
        for i, r in enumerate(rows):
            scores = ", ".join(score_text(s) or "–" for s in r.scores)
            texts = [(r.created_at or "")[:10], self.subjects[r.conversation_id], r.agent or "",
                     ", ".join(r.reviewers), scores]  # fmt: skip
            for j, text in enumerate(texts):
                item = read_only_item(text)
                item.setData(ID_ROLE, r.conversation_id)
                self.conversations.setItem(i, j, item)
        self.conversations.blockSignals(False)
        self.choose_all()

    def choose_all(self) -> None:
        """Choose every listed conversation."""
        self.conversations.selectAll()
        self._selection_changed()

    def choose(self, conversation_ids) -> None:
        """Choose exactly these conversations (as Ctrl+clicking them would)."""
        wanted = set(conversation_ids)
        model = self.conversations.selectionModel()
        model.clearSelection()
        for row in range(self.conversations.rowCount()):
            if self.conversations.item(row, 0).data(ID_ROLE) in wanted:
                model.select(
                    self.conversations.model().index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    def chosen(self) -> list[int]:
        """Ids of the chosen conversations."""
        rows = {i.row() for i in self.conversations.selectionModel().selectedRows()}
        return sorted(self.conversations.item(r, 0).data(ID_ROLE) for r in rows)

    def _selection_changed(self) -> None:
        self._timer.start()

    def show_chosen(self) -> None:
        """Compute and show agreement on the chosen conversations."""
        self._timer.stop()
        ids = self.chosen()
        self.result = reviewer_agreement(self.db, ids)
        grid = self.result.grid
        agreement = {(c.key, c.scale): c for c in self.result.categories}
        n = self.result.conversations
        self.summary.setText(
            f"<b>{n} conversation{'s' * (n != 1)}</b> chosen · reviewers: "
            f"{', '.join(self.result.reviewers) or 'none'} · agreement is the share of reviewer "
            "pairs giving the same rating; α corrects for chance (1 = perfect, 0 = chance)."
        )
        headers = FIXED_COLUMNS + [f"#{cid}\n{reviewer}" for cid, reviewer in grid.columns]
        table = self.agreement
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(grid.rows))
        for i, row in enumerate(grid.rows):
            figure = agreement.get((row.key, row.scale))
            name = read_only_item(row.name)
            name.setToolTip(f"{row.name} ({row.scale})")
            table.setItem(i, 0, name)
            if figure is not None:
                table.setItem(
                    i, 1, read_only_item(figure_text(figure.agreement, compact=True), True)
                )
                table.setItem(i, 2, read_only_item(alpha_text(figure.alpha), True))
                table.setItem(i, 3, read_only_item(str(figure.units), True))
                table.setItem(i, 4, read_only_item(str(figure.agreement.n), True))
            by_conversation: dict[int, set[str]] = {}
            for (cid, _), cell in zip(grid.columns, row.cells, strict=True):
                if cell is not None and not cell.na:
                    by_conversation.setdefault(cid, set()).add(cell_text(row, cell))
            for j, ((cid, reviewer), cell) in enumerate(zip(grid.columns, row.cells, strict=True)):
                item = read_only_item(cell_text(row, cell))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(f"{reviewer} on “{self.subjects.get(cid, cid)}”")
                if len(by_conversation.get(cid, ())) > 1:
                    item.setBackground(QBrush(DISAGREE))
                table.setItem(i, len(FIXED_COLUMNS) + j, item)
        self._fill_spreads()

    def _fill_spreads(self) -> None:
        spreads = self.result.spreads if self.result else []
        self.spreads.setRowCount(len(spreads))
        for i, s in enumerate(spreads):
            scores = ", ".join(
                f"{r} {score_text(v)}" for r, v in zip(s.reviewers, s.scores, strict=True)
            )
            texts = [
                f"#{s.conversation_id} {self.subjects.get(s.conversation_id, '')}",
                scores,
                f"{s.minimum:.1f}",
                f"{s.maximum:.1f}",
                f"{s.maximum - s.minimum:.1f}",
                f"{s.stdev:.1f}",
            ]
            for j, text in enumerate(texts):
                self.spreads.setItem(i, j, read_only_item(text, j >= 2))
