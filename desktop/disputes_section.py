"""Disputes in the main window (DOMAIN.md "A team on one store").

Review > Dispute this review… (Ctrl+Shift+D): an agent objects to a category or a whole review of
the shown conversation, with a reason. Review > Resolve dispute… (Ctrl+Shift+R): the review's
reviewer or a manager amends, upholds or rejects an open dispute of the shown conversation, with
a note. The sidebar's "Disputes" section lists the conversations with an open dispute and counts
them. Both actions go through the window's operations; a refusal (the server's, or a missing
reason) is one sentence in the status bar and the dialog stays open with what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop.shortcuts import add_action
from desktop.sidebar import View
from review.filters import Filters
from review.operations import Call
from review.reviewing.disputes import (
    OUTCOMES,
    DisputableReview,
    Dispute,
    disputed_conversations,
    disputes_of,
    open_disputes,
    reviews_to_dispute,
)

DISPUTES = "Disputes"
OPEN_KEY = "disputes:open"
DISPUTE_KEYS = ["Ctrl+Shift+D"]
RESOLVE_KEYS = ["Ctrl+Shift+R"]


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f}"


class _NoteDialog(QDialog):
    """A choice, a text and OK/Cancel; OK hands the call to the window's operations and closes
    only once it is saved (a refusal is said in the dialog and in the status bar)."""

    def __init__(self, window, title: str, what: str, text_label: str, placeholder: str):
        super().__init__(window)
        self.main = window  # the main window (not QWidget.window, which this would hide)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.choice = QComboBox(self)
        self.choice.setObjectName("dispute-choice")
        form.addRow(what, self.choice)
        self.extra = QFormLayout()
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("dispute-text")
        self.text.setPlaceholderText(placeholder)
        self.text.setTabChangesFocus(True)
        layout.addLayout(form)
        layout.addLayout(self.extra)
        layout.addWidget(QLabel(text_label, self))
        layout.addWidget(self.text)
        self.problem = QLabel(self)
        self.problem.setObjectName("dispute-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        layout.addWidget(self.problem)
        self.text.textChanged.connect(lambda: self.problem.setText(""))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def call(self) -> Call:
        raise NotImplementedError

    def _ok(self) -> None:
        self.problem.setText("")
        self.buttons.setEnabled(False)
        self.main.ops.perform(self.call(), on_done=self._saved, on_failed=self._refused)

    def _saved(self, _ticket) -> None:
        self.accept()

    def _refused(self, ticket) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(str(ticket.error))


def earlier_disputes(disputes: list[Dispute], names: dict[int, str]) -> str:
    """The conversation's disputes as lines: what, by whom, how each ended and the note."""
    lines = []
    for d in disputes:
        what = names.get(d.category_id, "the whole review") if d.category_id else (
            "the whole review"
        )  # fmt: skip
        if d.status == "open":
            lines.append(f"{what}: open since {d.opened_at[:10]} (“{d.reason}”)")
        else:
            lines.append(
                f"{what}: {d.status} by {d.resolved_by or 'someone'} on "
                f"{(d.resolved_at or '')[:10]}: {d.resolution_note}"
            )
    return "\n".join(lines)


class DisputeDialog(_NoteDialog):
    """Dispute a category, or the whole of, one review of the conversation; the conversation's
    earlier disputes and how they ended are shown above."""

    def __init__(self, window, reviews: list[DisputableReview], earlier: str = ""):
        super().__init__(
            window, "Dispute a score", "What is wrong", "Why the score is wrong",
            "Say what the reviewer missed: the agent's words, the context…",
        )  # fmt: skip
        self.setObjectName("dispute-dialog")
        self.earlier = QLabel(earlier, self)
        self.earlier.setObjectName("earlier-disputes")
        self.earlier.setWordWrap(True)
        self.earlier.setVisible(bool(earlier))
        self.extra.addRow("Disputed before", self.earlier)
        for review in reviews:
            who = f"{review.reviewer}'s review ({_score(review.score)})"
            self.choice.addItem(f"The whole of {who}", (review.id, None))
            for category_id, name in review.categories:
                self.choice.addItem(f"{name} in {who}", (review.id, category_id))

    def call(self) -> Call:
        review_id, category_id = self.choice.currentData()
        return Call(
            "open-dispute",
            {"review_id": review_id, "category_id": category_id,
             "reason": self.text.toPlainText()},
        )  # fmt: skip


class ResolveDialog(_NoteDialog):
    """Amend, uphold or reject one open dispute of the conversation, with a note."""

    def __init__(self, window, disputes: list[Dispute], names: dict[int, str]):
        super().__init__(
            window, "Resolve a dispute", "Dispute", "Note for the agent",
            "What you decided, and why",
        )  # fmt: skip
        self.setObjectName("resolve-dialog")
        for d in disputes:
            what = names.get(d.category_id or 0, "the whole review") if d.category_id else (
                "the whole review"
            )  # fmt: skip
            self.choice.addItem(f"{d.opened_by or 'Agent'} on {what}: {d.reason}", d)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("dispute-outcome")
        for outcome, label in zip(
            OUTCOMES,
            (
                "Amended: I changed the rating",
                "Upheld: the score stands",
                "Rejected: not a fair dispute",
            ),
            strict=True,
        ):
            self.outcome.addItem(label, outcome)
        self.extra.addRow("Outcome", self.outcome)

    def call(self) -> Call:
        dispute: Dispute = self.choice.currentData()
        return Call(
            "resolve-dispute",
            {"dispute_id": dispute.id, "outcome": self.outcome.currentData(),
             "note": self.text.toPlainText(), "expected_version": dispute.version},
        )  # fmt: skip


class DisputesSection(QObject):
    """Installs the two actions and the sidebar section on `window` (a MainWindow)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.last_dialog: _NoteDialog | None = None
        review = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Review"), None)
        if review is not None:
            review.addSeparator()
        self.dispute_action = add_action(
            window, review, "&Dispute this review…", DISPUTE_KEYS, self.dispute, "dispute"
        )
        self.resolve_action = add_action(
            window, review, "&Resolve dispute…", RESOLVE_KEYS, self.resolve, "resolve-dispute"
        )
        window.sidebar.extra_sections.append(self._add_section)
        window.ops.finished.connect(self._written)
        window.database_changed.connect(self._show_for_role)
        self._show_for_role()

    def _show_for_role(self) -> None:
        # only to hide what the server would refuse: agents dispute, the others resolve
        person = self.window.person
        self.dispute_action.setVisible(person is None or person.role == "agent")
        self.resolve_action.setVisible(person is None or person.role in ("lead", "manager"))

    def _add_section(self) -> None:
        ids = disputed_conversations(self.window.db)
        if not ids:
            return
        view = View(OPEN_KEY, "Open disputes", Filters(conversation_ids=tuple(ids)))
        self.window.sidebar.add_section(DISPUTES, [view], [len(ids)], highlight=True)

    def open_count(self) -> int:
        """How many conversations the sidebar shows as under open dispute (0: no section)."""
        item = self.window.sidebar.item(OPEN_KEY)
        return int(item.text(1).replace(",", "")) if item is not None else 0

    def _written(self, ticket) -> None:
        outcome = ticket.outcome
        if outcome is not None and "disputes" in outcome.changes.tables:
            self.window.sidebar.reload()

    def dispute(self) -> DisputeDialog | None:
        """Ctrl+Shift+D: dispute a score of the shown conversation."""
        cid = self.window.review_actions.chosen_conversation("dispute its score")
        if cid is None:
            return None
        reviews = reviews_to_dispute(self.window.db, cid)
        if not reviews:
            self.window.say("This conversation has no review you can dispute.")
            return None
        names = {c: n for review in reviews for c, n in review.categories}
        earlier = earlier_disputes(disputes_of(self.window.db, cid), names)
        dialog = DisputeDialog(self.window, reviews, earlier)
        self._open(dialog)
        return dialog

    def resolve(self) -> ResolveDialog | None:
        """Ctrl+Shift+R: resolve an open dispute of the shown conversation."""
        cid = self.window.review_actions.chosen_conversation("resolve a dispute")
        if cid is None:
            return None
        disputes = open_disputes(self.window.db, cid)
        if not disputes:
            self.window.say("This conversation has no open dispute.")
            return None
        names = {
            category_id: name
            for review in reviews_to_dispute(self.window.db, cid)
            for category_id, name in review.categories
        }
        dialog = ResolveDialog(self.window, disputes, names)
        self._open(dialog)
        return dialog

    def _open(self, dialog: _NoteDialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
