"""Adding a team's own loss reason from the loss dialog ("Add reason…"): its name, its group
(top level or under Natural causes), and whether a loss with it is a loss or the right outcome
(DOMAIN.md: like Not a fit, a right outcome is kept out of lost MRR and the save rate)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from review.errors import InvalidInput
from review.retention.losses import LOSS, RIGHT_OUTCOME, LossReason, add_loss_reason, loss_reasons
from review.store import Store

ADD_REASON = "Add reason…"


def reason_text(reason: LossReason) -> str:
    """A reason as the loss dialog lists it, a right outcome said so."""
    text = ("    " if reason.parent else "") + reason.name
    return text + (" — right outcome" if reason.right_outcome else "")


class AddReasonDialog(QDialog):
    """Name, group and outcome of a new loss reason; OK adds it (`added` holds it)."""

    def __init__(self, db: Store, parent=None):
        super().__init__(parent)
        self.setObjectName("add-reason-dialog")
        self.setWindowTitle("Add a loss reason")
        self.db = db
        self.added: LossReason | None = None
        form = QFormLayout(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("reason-name")
        self.name.setPlaceholderText("e.g. Company acquired")
        form.addRow("Reason", self.name)
        self.group = QComboBox(self)
        self.group.setObjectName("reason-group")
        self.group.addItem("Top level", None)
        reasons = loss_reasons(db)
        parents = {r.parent for r in reasons if r.parent is not None}
        for r in reasons:
            if r.id in parents:
                self.group.addItem(f"Under {r.name}", r.id)
        form.addRow("Group", self.group)
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.is_loss = QRadioButton("A loss: counts in lost MRR and the save rate", box)
        self.is_loss.setObjectName("outcome-loss")
        self.is_right = QRadioButton(
            "The right outcome (like Not a fit): reported apart, not a loss", box
        )
        self.is_right.setObjectName("outcome-right")
        self.is_loss.setChecked(True)
        self.outcomes = QButtonGroup(self)
        for button in (self.is_loss, self.is_right):
            self.outcomes.addButton(button)
            column.addWidget(button)
        form.addRow("A loss with it is", box)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name.textEdited.connect(lambda _: self._check())
        self._check()

    def _check(self) -> bool:
        ok = bool(self.name.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if not self._check():
            return
        outcome = RIGHT_OUTCOME if self.is_right.isChecked() else LOSS
        try:
            self.added = add_loss_reason(
                self.db, self.name.text(), self.group.currentData(), outcome
            )
        except InvalidInput as exc:  # a name already taken: said under the field, kept typed
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()
