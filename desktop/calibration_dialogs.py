"""The two dialogs of calibration sessions: a manager's new session (a name, the list's
conversations to tick, the leads to name) and a session's results (each reviewer's answers side
by side per category, percent agreement and Krippendorff's alpha, and, for a manager, the
reference rating and note). Both hand their writes to the window's operations; a refusal is one
sentence in the dialog, which stays open with what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from desktop.dashboard_tables import read_only_item
from desktop.plain import plain_tooltip
from review.figures.agreement import Cell
from review.figures.session_agreement import SessionAgreement, answer_text
from review.operations import Call

ERROR_STYLE = "color: #c62828;"


def _checklist(name: str, rows: list[tuple[object, str, bool]]) -> QListWidget:
    box = QListWidget()
    box.setObjectName(name)
    for data, label, checked in rows:
        item = QListWidgetItem(label, box)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return box


def checked(box: QListWidget) -> list:
    """The data of the ticked items, in list order."""
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]


class NewSessionDialog(QDialog):
    """Name the session, tick its conversations (from the list, the shown one ticked) and the
    leads who score it; OK creates it through the window's operations. `first_of_list`: how
    many of a longer list are offered (None: all of it)."""

    def __init__(self, window, conversations: list[tuple[int, str]], shown: int | None,
                 leads: list[str], first_of_list: int | None = None):  # fmt: skip
        super().__init__(window)
        self.main = window
        self.setObjectName("calibration-new-dialog")
        self.setWindowTitle("New calibration session")
        self.setMinimumWidth(480)
        self.session_id: int | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("calibration-name")
        self.name.setPlaceholderText("e.g. Calibration, week 12")
        form.addRow("&Name:", self.name)
        layout.addLayout(form)
        offered = (
            "Conversations (from the list):"
            if first_of_list is None
            else f"Conversations (the list's first {first_of_list:,} and the one shown; narrow "
            "the list with a view, filter or search to offer others):"
        )
        self.offered = QLabel(offered, self)
        self.offered.setObjectName("calibration-offered")
        self.offered.setWordWrap(True)
        layout.addWidget(self.offered)
        self.conversations = _checklist(
            "calibration-conversations", [(c, s, c == shown) for c, s in conversations]
        )
        layout.addWidget(self.conversations)
        layout.addWidget(QLabel("Reviewers (each scores every conversation blind):", self))
        self.reviewers = _checklist("calibration-reviewers", [(r, r, False) for r in leads])
        layout.addWidget(self.reviewers)
        self.problem = QLabel(self)
        self.problem.setObjectName("calibration-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def call(self) -> Call:
        """The operation OK performs."""
        return Call(
            "create-calibration-session",
            {"name": self.name.text(), "conversation_ids": checked(self.conversations),
             "reviewers": checked(self.reviewers)},
        )  # fmt: skip

    def _ok(self) -> None:
        self.problem.setText("")
        self.buttons.setEnabled(False)
        self.main.ops.perform(self.call(), on_done=self._saved, on_failed=self._refused)

    def _saved(self, ticket) -> None:
        self.session_id = ticket.outcome.value if ticket.outcome is not None else None
        self.accept()

    def _refused(self, ticket) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(str(ticket.error))


class ResultsDialog(QDialog):
    """A revealed session: the grid, the agreement per category, the references; a manager
    records a reference rating and note (Record, Return in the note, or Ctrl+Return)."""

    def __init__(self, window, found: SessionAgreement, may_record: bool):
        super().__init__(window)
        self.main = window
        self.found = found
        self.setObjectName("calibration-results")
        self.setWindowTitle(f"Calibration: {found.session.name}")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("calibration-summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.agreement = QTableWidget(self)
        self.agreement.setObjectName("calibration-agreement")
        layout.addWidget(self.agreement)
        self.grid = QTableWidget(self)
        self.grid.setObjectName("calibration-grid")
        layout.addWidget(self.grid, 1)
        self.record_row = QHBoxLayout()
        self.conversation = QComboBox(self)
        self.conversation.setObjectName("reference-conversation")
        self.category = QComboBox(self)
        self.category.setObjectName("reference-category")
        self.rating = QComboBox(self)
        self.rating.setObjectName("reference-rating")
        self.note = QLineEdit(self)
        self.note.setObjectName("reference-note")
        self.note.setPlaceholderText("Why this is the reference (Return records it)")
        self.note.returnPressed.connect(self._record)
        self.record = QPushButton("&Record reference", self)
        self.record.setObjectName("reference-record")
        self.record.clicked.connect(self._record)
        for widget in (self.conversation, self.category, self.rating):
            self.record_row.addWidget(widget)
        self.record_row.addWidget(self.note, 1)
        self.record_row.addWidget(self.record)
        layout.addLayout(self.record_row)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.activated.connect(self._record)
        self.problem = QLabel(self)
        self.problem.setObjectName("reference-problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problem)
        for cid, subject in found.conversations:
            self.conversation.addItem(subject or f"#{cid}", cid)
        for category in found.categories:
            self.category.addItem(category.name, category.category_id)
        self.category.currentIndexChanged.connect(self._fill_ratings)
        self._fill_ratings()
        self.may_record = may_record
        for widget in (self.conversation, self.category, self.rating, self.note, self.record):
            widget.setVisible(may_record)
        self.show_found(found)

    def _fill_ratings(self) -> None:
        self.rating.clear()
        index = self.category.currentIndex()
        if index < 0:
            return
        category = self.found.categories[index]
        for point in range(category.scale_min, category.scale_max + 1):
            self.rating.addItem(answer_text(Cell(point, False), category.scale), point)
        self.rating.addItem("N/A", "na")

    def show_found(self, found: SessionAgreement) -> None:
        """Show (again) the session's agreement and references."""
        self.found = found
        s = found.session
        done = ", ".join(f"{r.reviewer} {'finished' if r.finished_at else 'still scoring'}"
                         for r in s.reviewers)  # fmt: skip
        self.summary.setText(f"{s.name}: {s.status}; {done}.")
        self.agreement.setColumnCount(4)
        self.agreement.setHorizontalHeaderLabels(
            ["Category", "Agreement", "Pairs", "Krippendorff's alpha"]
        )
        self.agreement.setRowCount(len(found.categories))
        for i, category in enumerate(found.categories):
            figure = category.agreement
            percent = "no data" if figure.value is None else f"{figure.value:.0f}%"
            alpha = "–" if category.alpha is None else f"{category.alpha:.2f}"
            for j, text in enumerate((category.name, percent, str(figure.n), alpha)):
                self.agreement.setItem(i, j, read_only_item(text, right=j > 0))
        self.agreement.resizeColumnsToContents()
        subjects = dict(found.conversations)
        headers = ["Category", "Conversation", *found.reviewers, "Reference", "Note"]
        self.grid.setColumnCount(len(headers))
        self.grid.setHorizontalHeaderLabels(headers)
        rows = [(c, i, cid) for c in found.categories for i, (cid, _) in
                enumerate(found.conversations)]  # fmt: skip
        self.grid.setRowCount(len(rows))
        for r, (category, i, cid) in enumerate(rows):
            reference = found.references.get((cid, category.category_id))
            ref = Cell(reference.rating, reference.is_na) if reference else None
            cells = [category.name, subjects.get(cid) or f"#{cid}"]
            cells += [answer_text(cell, category.scale) for cell in category.answers[i]]
            cells += [answer_text(ref, category.scale) if reference else "",
                      reference.note or "" if reference else ""]  # fmt: skip
            for j, text in enumerate(cells):
                item = read_only_item(text)
                item.setToolTip(plain_tooltip(text))  # a long note is cut in its cell
                self.grid.setItem(r, j, item)
        self.grid.resizeColumnsToContents()
        self.grid.horizontalHeader().setStretchLastSection(True)

    def reference_call(self) -> Call:
        """The operation Record performs."""
        value = self.rating.currentData()
        return Call(
            "record-calibration-reference",
            {"session_id": self.found.session.id, "conversation_id": self.conversation.currentData(),
             "category_id": self.category.currentData(),
             "rating": None if value == "na" else value, "na": value == "na",
             "note": self.note.text()},
        )  # fmt: skip

    def _record(self) -> None:
        if not self.may_record:
            return
        self.problem.setText("")
        self.main.ops.perform(self.reference_call(), on_done=self._recorded,
                              on_failed=lambda t: self.problem.setText(str(t.error)))  # fmt: skip

    def _recorded(self, _ticket) -> None:
        from review.figures.session_agreement import session_agreement

        self.note.clear()
        self.show_found(session_agreement(self.main.db, self.found.session.id))
