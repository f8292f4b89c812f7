"""Tagging a conversation as a saved or a lost customer.

Input is checked at the field as it is typed, by the domain's own parsers (review.retention.billing): an
MRR of "abc" or below zero is refused right under the field with the reason, and OK stays off
until every field is acceptable. OK hands the operation "tag-save" / "tag-loss"
(review.operations.retention) to the window's runner and the dialog steps aside; it closes when
the tag is in the database, and comes back with the reason if the domain refuses it.

A conversation ends saved or lost, once: opened on the save (loss) a conversation already has,
the dialog edits that one, prefilled ("update-save" / "update-loss" with the version it showed,
so a colleague's newer edit is never overwritten), and offers Remove ("delete-save" /
"delete-loss"), which frees the conversation to be tagged the other way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.loss_reasons import ADD_REASON, AddReasonDialog, reason_text
from desktop.plain import plain_label, step_aside
from review.errors import InvalidInput
from review.operations import Actor, Call, run
from review.retention.losses import Loss, loss_reasons
from review.retention.money import cents_to_decimal, check_currency, parse_money
from review.retention.saves import SAVE_METHODS, Save
from review.reviewing import browse
from review.store import Store
from review.store.undo import DEFAULT_SESSION

CURRENCIES = ("USD", "EUR", "GBP", "CNY", "RUB", "JPY", "CAD", "AUD")
_ERROR_STYLE = "color: #c62828;"


class _Field(QWidget):
    """A line edit with its problem shown beneath it."""

    def __init__(self, edit: QWidget, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.edit = edit
        self.problem = QLabel(self)
        self.problem.setStyleSheet(_ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(edit)
        layout.addWidget(self.problem)

    def set_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))
        self.edit.setStyleSheet("border: 1px solid #c62828;" if text else "")


def _problem_text(exc: InvalidInput) -> str:
    text = str(exc)
    # the domain says "mrr: 'abc' is not an amount of money"; the field already names itself
    return text.split(": ", 1)[1] if ": " in text else text


class _TagDialog(QDialog):
    """What both dialogs share: MRR, currency, agent, date, the buttons and the checks."""

    tagged = Signal(object)  # Changes
    kind = ""  # "save" or "loss": the operations are tag-, update- and delete-<kind>
    editing: Save | Loss | None = None  # the row S or L opened, when it had one

    def __init__(self, db: Store, conversation_id: int, title: str, parent=None):
        super().__init__(parent)
        self.db = db
        self.conversation_id = conversation_id
        # WindowOperations.perform, set by the window: the tag goes through its runner
        self.submit: Callable[..., object] | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout(self)
        detail = browse.thread(db, conversation_id)
        subject = detail.subject if detail and detail.subject else f"conversation {conversation_id}"
        heading = plain_label(subject, self, bold=True)  # imported text: shown as written
        heading.setWordWrap(True)
        self.form.addRow(heading)
        self.mrr = QLineEdit(self)
        self.mrr.setObjectName("mrr")
        self.mrr.setPlaceholderText("monthly recurring revenue, e.g. 49.00")
        self.mrr_field = _Field(self.mrr, self)
        self.form.addRow("MRR", self.mrr_field)
        self.currency = QComboBox(self)
        self.currency.setObjectName("currency")
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.currency_field = _Field(self.currency, self)
        self.form.addRow("Currency", self.currency_field)
        self.agent = QComboBox(self)
        self.agent.setObjectName("agent")
        self.agent.addItem("(nobody)", None)
        for agent_id, name in browse.agent_names(db):
            self.agent.addItem(name, agent_id)
        agent_id = detail.agent_id if detail else None
        self.agent.setCurrentIndex(max(0, self.agent.findData(agent_id)))
        self.day = QDateEdit(self)
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.remove_button = None  # a "Remove" button when editing one that is there
        self.mrr.textEdited.connect(lambda _: self.check())
        self.currency.editTextChanged.connect(lambda _: self.check())
        self.changes = None

    def draft_fields(self) -> dict[str, QPlainTextEdit]:
        """The text fields kept as drafts while typed, by draft key."""
        return {}

    def finish_form(self, removing: str | None = None) -> None:
        """Add the buttons last (with a Remove button labelled `removing` when editing a tag
        that is there) and run the checks once."""
        if removing is not None:
            self.remove_button = self.buttons.addButton(
                removing, QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.remove_button.setObjectName("remove")
            self.remove_button.clicked.connect(self.remove)
        self.form.addRow(self.buttons)
        self.check(show_empty=False)

    def prefill(self, cents: int, currency: str, agent_id: int | None, day: str) -> None:
        """Show the money, agent and day of the tag being edited."""
        self.mrr.setText(str(cents_to_decimal(cents)))
        self.currency.setCurrentText(currency)
        self.agent.setCurrentIndex(max(0, self.agent.findData(agent_id)))
        self.day.setDate(QDate.fromString(day, "yyyy-MM-dd"))

    def remove(self) -> None:
        """Remove the tag being edited (undoable with Ctrl+Z)."""
        self.send(self.removal())

    def removal(self) -> Call:
        """The operation Remove hands to the window: delete-<kind> of the row being edited,
        at the version it showed."""
        assert self.editing is not None
        return Call(
            f"delete-{self.kind}",
            {f"{self.kind}_id": self.editing.id, "expected_version": self.editing.version},
        )

    def tag_or_update(self, values: dict) -> Call:
        """tag-<kind> of the form's `values`, or, editing, update-<kind> of that row at the
        version it showed (a colleague's change since is not overwritten)."""
        if self.editing is not None:
            return Call(
                f"update-{self.kind}",
                {
                    f"{self.kind}_id": self.editing.id,
                    "values": values,
                    "expected_version": self.editing.version,
                },
            )
        return Call(f"tag-{self.kind}", {"conversation_id": self.conversation_id, **values})

    def check(self, show_empty: bool = True) -> bool:
        """Check every field in place; OK is enabled only when all are acceptable."""
        ok = True
        text = self.mrr.text().strip()
        if not text:
            self.mrr_field.set_problem("an amount is needed" if show_empty else None)
            ok = False
        else:
            try:
                parse_money(text)
                self.mrr_field.set_problem(None)
            except InvalidInput as exc:
                self.mrr_field.set_problem(_problem_text(exc))
                ok = False
        try:
            check_currency(self.currency.currentText())
            self.currency_field.set_problem(None)
        except InvalidInput as exc:
            self.currency_field.set_problem(_problem_text(exc))
            ok = False
        self.ok_button.setEnabled(ok)
        return ok

    def day_text(self) -> str:
        return self.day.date().toString("yyyy-MM-dd")

    def accept(self) -> None:
        if not self.check():
            return
        self.send(self.call())

    def send(self, call: Call) -> None:
        """Write `call` through the window's runner (or here, on its own); the dialog closes
        when it lands and comes back with the reason when it is refused."""
        if self.submit is None:  # on its own (no window): write here
            try:
                outcome = run(self.db, Actor(DEFAULT_SESSION), call)
            except InvalidInput as exc:
                self.mrr_field.set_problem(_problem_text(exc))
                return
            self._landed_changes(outcome.changes)
            return
        step_aside(self)  # the window stays usable while the tag is written (or waits for a lock)
        self.submit(call, on_done=self._landed, on_failed=self._refused)

    def _landed(self, ticket) -> None:
        self._landed_changes(ticket.outcome.changes)

    def _landed_changes(self, changes) -> None:
        self.changes = changes
        self.tagged.emit(changes)
        super().accept()

    def _refused(self, ticket) -> None:
        """The domain refused the tag: the dialog comes back as the user left it, with why."""
        if isinstance(ticket.error, InvalidInput):
            self.mrr_field.set_problem(_problem_text(ticket.error))
        self.show()
        self.raise_()

    def call(self) -> Call:
        """The operation OK hands to the window."""
        raise NotImplementedError


class SaveDialog(_TagDialog):
    """Tag the conversation as a saved customer: MRR, currency, method, agent, day, story."""

    kind = "save"

    def __init__(self, db: Store, conversation_id: int, parent=None, editing: Save | None = None):
        title = "Saved customer (editing its save)" if editing else "Saved customer"
        super().__init__(db, conversation_id, title, parent)
        self.setObjectName("save-dialog")
        self.editing = editing
        self.method = QComboBox(self)
        self.method.setObjectName("method")
        for key, label in SAVE_METHODS.items():
            self.method.addItem(label, key)
        self.form.addRow("How it was saved", self.method)
        self.form.addRow("Agent credited", self.agent)
        self.form.addRow("Saved on", self.day)
        self.story = QPlainTextEdit(self)
        self.story.setObjectName("story")
        self.story.setPlaceholderText("What happened, in a few lines a coach can teach from")
        self.story.setTabChangesFocus(True)
        self.story.setMaximumHeight(100)
        self.form.addRow("Story", self.story)
        if editing is not None:
            self.prefill(editing.mrr_cents, editing.currency, editing.agent_id, editing.saved_on)
            self.method.setCurrentIndex(max(0, self.method.findData(editing.method)))
            self.story.setPlainText(editing.story or "")
        self.finish_form("Remove save" if editing else None)

    def draft_fields(self) -> dict[str, QPlainTextEdit]:
        return {f"save-story:{self.conversation_id}": self.story}

    def call(self) -> Call:
        values = {
            "mrr": self.mrr.text().strip(),
            "currency": self.currency.currentText(),
            "method": self.method.currentData(),
            "agent_id": self.agent.currentData(),
            "saved_on": self.day_text(),
            "story": self.story.toPlainText(),
        }
        return self.tag_or_update(values)


class LossDialog(_TagDialog):
    """Tag the conversation as a lost customer: MRR, reason, preventable, the customer's words."""

    kind = "loss"

    def __init__(
        self,
        db: Store,
        conversation_id: int,
        customer_words: str = "",
        parent=None,
        editing: Loss | None = None,
    ):
        title = "Lost customer (editing its loss)" if editing else "Lost customer"
        super().__init__(db, conversation_id, title, parent)
        self.setObjectName("loss-dialog")
        self.editing = editing
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        self.fill_reasons()
        self.reason.setPlaceholderText("Choose the primary reason")
        self.reason_field = _Field(self.reason, self)
        self.reason.currentIndexChanged.connect(lambda _: self.check())
        self.reason.activated.connect(self._reason_activated)
        self.form.addRow("Reason", self.reason_field)
        self.preventable = QComboBox(self)
        self.preventable.setObjectName("preventable")
        for text, value in (
            ("Not judged", None),
            ("Preventable", True),
            ("Not preventable", False),
        ):
            self.preventable.addItem(text, value)
        self.form.addRow("Preventable", self.preventable)
        self.words = QPlainTextEdit(self)
        self.words.setObjectName("customer-words")
        self.words.setPlainText(customer_words)
        self.words.setPlaceholderText("The customer's own words, if they gave any")
        self.words.setTabChangesFocus(True)
        self.words.setMaximumHeight(100)
        self.form.addRow("Customer's words", self.words)
        self.form.addRow("Agent", self.agent)
        self.form.addRow("Lost on", self.day)
        if editing is not None:
            self.prefill(editing.mrr_cents, editing.currency, editing.agent_id, editing.lost_on)
            self.fill_reasons(editing.reason_id)
            self.preventable.setCurrentIndex(max(0, self.preventable.findData(editing.preventable)))
            self.words.setPlainText(editing.customer_words or customer_words)
        self.finish_form("Remove loss" if editing else None)

    def fill_reasons(self, chosen: int | None = None) -> None:
        """List the taxonomy (a group's name is a heading, not a choice), then "Add reason…"."""
        self.reason.blockSignals(True)
        self.reason.clear()
        reasons = loss_reasons(self.db)
        parents = {r.parent for r in reasons if r.parent is not None}
        for r in reasons:
            if r.id in parents:  # a group heading (Natural causes): its children are the choices
                self.reason.addItem(f"{r.name}:", None)
                item = self.reason.model().item(self.reason.count() - 1)
                item.setEnabled(False)
            else:
                self.reason.addItem(reason_text(r), r.id)
        self.reason.insertSeparator(self.reason.count())
        self.reason.addItem(ADD_REASON, ADD_REASON)
        self.reason.setCurrentIndex(self.reason.findData(chosen) if chosen is not None else -1)
        self.reason.blockSignals(False)

    def _reason_activated(self, index: int) -> None:
        if self.reason.itemData(index) != ADD_REASON:
            return
        dialog = AddReasonDialog(self.db, self)
        self.add_reason_dialog = dialog
        dialog.finished.connect(lambda _: self._reason_added(dialog))
        dialog.open()

    def _reason_added(self, dialog: AddReasonDialog) -> None:
        self.fill_reasons(dialog.added.id if dialog.added else None)
        self.check()

    def draft_fields(self) -> dict[str, QPlainTextEdit]:
        return {f"loss-words:{self.conversation_id}": self.words}

    def check(self, show_empty: bool = True) -> bool:
        ok = super().check(show_empty)
        if not hasattr(self, "reason"):
            return ok
        if self.reason.currentData() in (None, ADD_REASON):
            self.reason_field.set_problem("choose a reason" if show_empty else None)
            ok = False
        else:
            self.reason_field.set_problem(None)
        self.ok_button.setEnabled(ok)
        return ok

    def call(self) -> Call:
        values = {
            "mrr": self.mrr.text().strip(),
            "currency": self.currency.currentText(),
            "reason_id": self.reason.currentData(),
            "preventable": self.preventable.currentData(),
            "customer_words": self.words.toPlainText(),
            "agent_id": self.agent.currentData(),
            "lost_on": self.day_text(),
        }
        return self.tag_or_update(values)
