"""Writing or editing a coaching note: text, the reviews it refers to, a follow-up date, and
action items (due date, target categories).

OK hands one operation, "save-note" (review.operations.coaching: the note and its new action
items, all or nothing), to `perform` (the window's WindowOperations.perform); the dialog steps
aside meanwhile, closes once the note is in the database and comes back with the reason if it is
refused. The note can then be undone with Ctrl+Z. Editing a note keeps its history:
review.reviewing.coaching saves a new version, and the dialog says how many there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.drafts import keep_drafts
from desktop.formatting import score_text
from desktop.plain import step_aside
from review.figures.agents import agent_info, agent_reviews
from review.figures.scope import read_scope
from review.operations import Call
from review.reviewing import coaching
from review.reviewing.rubrics import current_rubric
from review.store import Store

Perform = Callable[..., object]  # WindowOperations.perform
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class PendingItem:
    """An action item typed in the dialog, written on OK."""

    text: str
    due: str | None
    category_ids: tuple[int, ...]


def _date_edit(parent: QWidget, name: str, days_ahead: int) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate().addDays(days_ahead))
    return edit


class NoteDialog(QDialog):
    """New note for `agent_id` (note None) or edit `note`. `written` fires with the Changes of
    each write; `note_id` is the note's id after OK."""

    written = Signal(object)

    def __init__(
        self,
        db: Store,
        agent_id: int,
        perform: Perform,
        author: str | None,
        note: coaching.Note | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.db = db
        self.agent_id = agent_id
        self.perform = perform
        self.author = author
        self.note = note
        self.note_id = note.id if note else None
        self.pending: list[PendingItem] = []
        self.setObjectName("note-dialog")
        name = agent_info(db, agent_id).name
        self.setWindowTitle(f"{'Edit' if note else 'New'} coaching note — {name}")
        self.setMinimumSize(620, 640)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        if note is not None:
            versions = len(coaching.note_history(db, note.id))
            history = f", edited, {versions} versions" if versions > 1 else ""
            self.history_label = QLabel(f"Written {note.created_at[:10]}{history}", self)
            self.history_label.setObjectName("note-history")
            form.addRow(self.history_label)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("note-text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What went well, what to work on, what was agreed")
        self.text.setPlainText(note.text if note else "")
        self.text.setMinimumHeight(90)
        form.addRow("Note", self.text)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        form.addRow(self.problem)
        self.reviews = QListWidget(self)
        self.reviews.setObjectName("note-reviews")
        self.reviews.setMinimumHeight(110)
        chosen = set(note.review_ids) if note else set()
        for review in agent_reviews(read_scope(db), agent_id):
            score = score_text(review.score) or "no score"
            item = QListWidgetItem(
                f"{(review.created_at or '')[:10]}  {review.subject or '(no subject)'}"
                f"  — {review.reviewer}, {score}"
            )
            item.setData(ID_ROLE, review.review_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = review.review_id in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.reviews.addItem(item)
        form.addRow("Refers to reviews", self.reviews)
        follow = QHBoxLayout()
        self.follow_check = QCheckBox("Follow up on", self)
        self.follow_check.setObjectName("follow-up-check")
        self.follow_up = _date_edit(self, "follow-up", 14)
        if note and note.follow_up:
            self.follow_up.setDate(QDate.fromString(note.follow_up, "yyyy-MM-dd"))
        self.follow_check.setChecked(note.follow_up is not None if note else True)
        self.follow_check.toggled.connect(self.follow_up.setEnabled)
        self.follow_up.setEnabled(self.follow_check.isChecked())
        follow.addWidget(self.follow_check)
        follow.addWidget(self.follow_up)
        follow.addStretch(1)
        form.addRow("Follow-up", follow)
        layout.addWidget(self._items_box())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()
        # the note's text, kept as a draft while it is typed
        keep_drafts(self, {f"note:{agent_id}:{self.note_id or 'new'}": self.text}, db, perform)

    def _items_box(self) -> QGroupBox:
        box = QGroupBox("Action items", self)
        column = QVBoxLayout(box)
        self.items = QListWidget(box)
        self.items.setObjectName("action-items")
        self.items.setMinimumHeight(60)
        for item in self.note.items if self.note else []:
            done = "✓ " if item.done else ""
            row = QListWidgetItem(f"{done}{item.text}  (due {item.due or '—'})")
            row.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.items.addItem(row)
        column.addWidget(self.items)
        line = QHBoxLayout()
        self.item_text = QLineEdit(box)
        self.item_text.setObjectName("item-text")
        self.item_text.setPlaceholderText("New action item, e.g. use the customer's name")
        self.item_due_check = QCheckBox("due", box)
        self.item_due_check.setChecked(True)
        self.item_due = _date_edit(box, "item-due", 7)
        self.item_due_check.toggled.connect(self.item_due.setEnabled)
        self.add_item_button = QPushButton("Add item", box)
        self.add_item_button.setObjectName("add-item")
        self.add_item_button.clicked.connect(self.add_pending_item)
        self.item_text.returnPressed.connect(self.add_pending_item)
        line.addWidget(self.item_text, 1)
        line.addWidget(self.item_due_check)
        line.addWidget(self.item_due)
        line.addWidget(self.add_item_button)
        column.addLayout(line)
        column.addWidget(QLabel("Categories the item targets (before/since means are shown):"))
        self.item_categories = QListWidget(box)
        self.item_categories.setObjectName("item-categories")
        self.item_categories.setFlow(QListWidget.Flow.LeftToRight)
        self.item_categories.setWrapping(True)
        self.item_categories.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.item_categories.setMinimumHeight(72)
        for category in current_rubric(self.db).categories:
            entry = QListWidgetItem(category.name)
            entry.setData(ID_ROLE, category.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.item_categories.addItem(entry)
        column.addWidget(self.item_categories)
        return box

    # --- input --------------------------------------------------------------------------------
    def _checked(self, widget: QListWidget) -> tuple[int, ...]:
        return tuple(
            widget.item(i).data(ID_ROLE)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        )

    def add_pending_item(self) -> bool:
        """Move the typed action item into the list (written on OK); False if it is empty."""
        text = self.item_text.text().strip()
        if not text:
            return False
        due = (
            self.item_due.date().toString("yyyy-MM-dd") if self.item_due_check.isChecked() else None
        )
        categories = self._checked(self.item_categories)
        self.pending.append(PendingItem(text, due, categories))
        names = [
            self.item_categories.item(i).text()
            for i in range(self.item_categories.count())
            if self.item_categories.item(i).data(ID_ROLE) in categories
        ]
        target = f"; targets {', '.join(names)}" if names else ""
        self.items.addItem(f"+ {text}  (due {due or '—'}{target})")
        self.item_text.clear()
        for i in range(self.item_categories.count()):
            self.item_categories.item(i).setCheckState(Qt.CheckState.Unchecked)
        return True

    def _check(self) -> bool:
        ok = bool(self.text.toPlainText().strip())
        self.problem.setText("" if ok else "Write the note before saving it.")
        self.problem.setVisible(not ok and self.note is not None)
        self.ok_button.setEnabled(ok)
        return ok

    # --- writing ------------------------------------------------------------------------------
    def call(self) -> Call:
        """The operation OK hands over: the note and the action items typed (an item typed but
        not added still counts)."""
        self.add_pending_item()
        follow_up = (
            self.follow_up.date().toString("yyyy-MM-dd") if self.follow_check.isChecked() else None
        )
        return Call(
            "save-note",
            {
                "agent_id": self.agent_id,
                "note_id": self.note.id if self.note else None,
                "author": self.author,
                "text": self.text.toPlainText(),
                "review_ids": list(self._checked(self.reviews)),
                "follow_up": follow_up,
                "items": [
                    {"text": i.text, "due": i.due, "category_ids": list(i.category_ids)}
                    for i in self.pending
                ],
            },
        )

    def accept(self) -> None:
        if not self._check():
            return
        step_aside(self)
        self.perform(self.call(), on_done=self._landed, on_failed=self._refused)

    def _landed(self, ticket) -> None:
        self.note_id = ticket.outcome.value
        self.pending.clear()
        self.written.emit(ticket.outcome.changes)
        super().accept()

    def _refused(self, ticket) -> None:
        self.problem.setText(str(ticket.error))
        self.problem.show()
        self.show()
        self.raise_()
