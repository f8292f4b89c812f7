"""Review > New queue…: a named review queue of the list's current filters, whole or sampled.

The conversations come from the filter bar's chips. Either every conversation they select goes
in (oldest first), or n per agent per week drawn with a seed; the seed starts as a random number
shown in the field, so the same sample can be drawn again. Reviewed conversations are left out
(always when sampling: review.reviewing.queues never samples a reviewed one). OK writes through
review.reviewing.queues.build_queue; the dialog holds no SQL.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from review.errors import InvalidInput
from review.filters import Filters
from review.operations import Actor, Call, run
from review.reviewing.queues import Queue, get_queue
from review.store import Store
from review.store.undo import DEFAULT_SESSION

MAX_SEED = 2**31 - 1


def random_seed() -> int:
    """A fresh seed for a sample (shown to the user, stored with the queue)."""
    return random.SystemRandom().randrange(MAX_SEED)


class QueueDialog(QDialog):
    """Name, which conversations, and OK: `built` fires with the stored Queue."""

    built = Signal(object)  # Queue

    def __init__(
        self,
        db: Store,
        filters: Filters,
        reviewer: str | None = None,
        parent=None,
        leads: list[str] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("queue-dialog")
        self.setWindowTitle("New review queue")
        self.setMinimumWidth(480)
        self.db = db
        self.base_filters = filters
        self.reviewer = reviewer
        self.queue: Queue | None = None
        self.perform: Callable[..., object] | None = None  # WindowOperations.perform
        form = QFormLayout(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("queue-name")
        self.name.setPlaceholderText("e.g. Churn risk, week 36")
        form.addRow("&Name:", self.name)
        scope = QLabel(filters.describe(), self)
        scope.setWordWrap(True)
        scope.setToolTip("The filter chips above the list; change them to queue other ones.")
        form.addRow("From the list's filters:", scope)

        self.every = QRadioButton("Every conversation they select, oldest first", self)
        self.every.setObjectName("queue-every")
        self.sample = QRadioButton("A sample:", self)
        self.sample.setObjectName("queue-sample")
        self.every.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.every)
        group.addButton(self.sample)
        self.per_week = QSpinBox(self)
        self.per_week.setObjectName("queue-per-week")
        self.per_week.setRange(1, 1000)
        self.per_week.setValue(2)
        self.seed = QSpinBox(self)
        self.seed.setObjectName("queue-seed")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setValue(random_seed())
        self.seed.setToolTip("The same seed over the same conversations draws the same sample.")
        sample_row = QWidget(self)
        row = QHBoxLayout(sample_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sample)
        row.addWidget(self.per_week)
        row.addWidget(QLabel("per agent per week, seed", self))
        row.addWidget(self.seed, 1)
        form.addRow("Conversations:", self.every)
        form.addRow("", sample_row)
        # a team store's manager builds queues for the leads: one lead's, or open to them all
        self.assignee: QComboBox | None = None
        if leads is not None:
            self.assignee = QComboBox(self)
            self.assignee.setObjectName("queue-assignee")
            self.assignee.addItem("Every lead (claimed one at a time)", "")
            for login in leads:
                self.assignee.addItem(login, login)
            form.addRow("&For:", self.assignee)
        self.unreviewed = QCheckBox("Leave out conversations already reviewed", self)
        self.unreviewed.setObjectName("queue-unreviewed")
        self.unreviewed.setChecked(True)
        form.addRow("", self.unreviewed)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form.addRow(self.problem)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Build queue")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.sample.toggled.connect(self._sample_toggled)
        self.name.textChanged.connect(self._check)
        self._sample_toggled(False)
        self._check()

    def _sample_toggled(self, sampling: bool) -> None:
        self.per_week.setEnabled(sampling)
        self.seed.setEnabled(sampling)
        # a sample never holds a reviewed conversation: show it, do not offer otherwise
        self.unreviewed.setEnabled(not sampling)
        if sampling:
            self.unreviewed.setChecked(True)

    def _check(self) -> None:
        self.ok_button.setEnabled(bool(self.name.text().strip()))

    def filters(self) -> Filters:
        """The filters the queue is built from (the chips, less reviewed ones when asked)."""
        if self.unreviewed.isChecked():
            return replace(self.base_filters, reviewed=False)
        return self.base_filters

    def call(self) -> Call:
        """The operation OK hands over."""
        sampling = self.sample.isChecked()
        return Call(
            "build-queue",
            {
                "name": self.name.text(),
                "filters": asdict(self.filters()),
                "sample_per_agent_per_week": self.per_week.value() if sampling else None,
                "seed": self.seed.value() if sampling else None,
                **({} if self.assignee is None else {"assign_to": self.assignee.currentData()}),
            },
        )

    def accept(self) -> None:
        """Build the queue; a problem is shown in the dialog, which stays open."""
        if self.perform is None:  # on its own (no window): build here
            try:
                outcome = run(self.db, Actor(DEFAULT_SESSION, self.reviewer), self.call())
            except InvalidInput as exc:
                self._problem(str(exc))
                return
            self._built(outcome.value)
            return
        self.setCursor(Qt.CursorShape.WaitCursor)
        self.ok_button.setEnabled(False)
        self.perform(self.call(), on_done=lambda t: self._built(t.outcome.value),
                     on_failed=self._refused)  # fmt: skip

    def _built(self, queue_id: int) -> None:
        self.unsetCursor()
        self.queue = get_queue(self.db, queue_id)
        self.built.emit(self.queue)
        super().accept()

    def _refused(self, ticket) -> None:
        self.unsetCursor()
        self._check()
        self._problem(str(ticket.error))

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
