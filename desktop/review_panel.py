"""The review panel beside the reader: the rubric's categories, the score, saves and losses.

Keys (window shortcuts, desktop/review_actions.py): 1-5 rate the focused category with that
point of its scale (pass/fail: 1 fail, 2 pass) and move the focus to the next category; 0 or N
mark it N/A and move on the same way. Tab / Shift+Tab move between categories; a Tab pressed
straight after a rating stays on the category the rating moved to, so "rate, Tab, rate, Tab"
rates every category once and skips none. E edits the focused category's comment. A (or the
row's Accept button) accepts the focused category's suggested rating.

Under each empty rating the panel shows the automatic rules' suggestion for the category
(desktop/suggestion_source.py reads and, off the GUI thread, makes them); `evidence_changed`
hands the reader the words the focused category's suggestion rests on.

Every edit goes through the window's operations (desktop/window_operations.py) and shows at
once; comments are written through as they are typed (after a short pause). An edit the
database has not taken yet stays on screen, and while the database refuses it for now (a lock,
a full disk, a read-only file) the category says "not saved" until it goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop import errors
from desktop.category_row import CRITICAL_RED, CategoryRow, scale_points
from desktop.operation_runner import Ticket
from desktop.plain import escaped
from desktop.review_keys import ReviewKeys
from desktop.review_suggestions import ReviewSuggestions
from desktop.suggestion_source import SuggestionSource
from desktop.window_operations import WindowOperations
from review.errors import SavedeskError
from review.operations import Call
from review.reviewing import browse
from review.reviewing.autoqa.suggestions import StoredSuggestion
from review.reviewing.reviews import Review, review_of
from review.reviewing.rubrics import Rubric, current_rubric, get_rubric
from review.reviewing.scoring import score
from review.store import Store

TYPING_PAUSE = 0.4  # seconds after the last keystroke before a comment is written
TAG_CALLS = {"tag-save": "saved", "tag-loss": "lost"}

__all__ = ["CategoryRow", "ReviewPanel", "scale_points"]


@dataclass
class _Pending:
    """An edit shown but not in the database yet."""

    value: object
    ticket_id: str
    waiting: bool = False
    accepted: bool = False  # a suggestion accepted: the rating shows as accepted at once


class ReviewPanel(ReviewSuggestions, ReviewKeys, QWidget):
    """Scores the shown conversation for the current reviewer."""

    changed = Signal(object)  # Changes, after one of the panel's edits reached the database
    save_requested = Signal()
    loss_requested = Signal()
    status = Signal(str)  # a sentence for the status bar: why a key did nothing
    comment_left = Signal()  # Return in a category comment: back to the list's keys
    evidence_changed = Signal(object)  # list of evidence dicts of the focused suggestion

    def __init__(
        self,
        db: Store,
        ops: WindowOperations,
        reviewer: Callable[[], str | None],
        parent=None,
        suggestions: SuggestionSource | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("review-panel")
        self.db = db
        self.ops = ops
        self._reviewer = reviewer
        self.conversation_id: int | None = None
        # scoring in a calibration session (desktop/calibration_sessions_section.py): the
        # reviewer's review in that session, apart from their ordinary one, shown blind
        self.calibration_session_id: int | None = None
        self.calibration_name = ""
        self.review: Review | None = None
        self.rubric: Rubric | None = None
        self.rows: list[CategoryRow] = []
        self.focused = 0
        self._advanced = False  # the last key was a rating that moved the focus on
        self._pending: dict[tuple, _Pending] = {}
        self._agent_names: list[tuple[int, str]] | None = None
        self.source = suggestions
        self.suggestions: dict[str, StoredSuggestion] = {}  # by category key, shown conversation
        self.accepted: set[int] = set()  # category ids whose rating came from a suggestion
        self._evidence: tuple = ()
        if suggestions is not None:
            suggestions.ready.connect(self._suggestions_ready)
            suggestions.rules_loaded.connect(self._redraw)
        ops.submitted.connect(self._submitted)
        ops.finished.connect(self._landed)
        ops.failed.connect(self._refused)
        ops.waiting.connect(self._held)
        self._build()
        self.show_conversation(None)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Review", self)
        self.title.setObjectName("review-title")
        layout.addWidget(self.title)
        self.score_label = QLabel(self)
        self.score_label.setObjectName("score-label")
        layout.addWidget(self.score_label)
        agent_row = QHBoxLayout()
        agent_row.addWidget(QLabel("Agent reviewed", self))
        self.agent_combo = QComboBox(self)
        self.agent_combo.setObjectName("review-agent")
        self.agent_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.agent_combo.activated.connect(self._agent_chosen)
        agent_row.addWidget(self.agent_combo, 1)
        layout.addLayout(agent_row)
        self.suggestions_label = QLabel(self)
        self.suggestions_label.setObjectName("suggestions-state")
        self.suggestions_label.setStyleSheet("color: palette(mid);")
        self.suggestions_label.setWordWrap(True)
        self.suggestions_label.hide()
        layout.addWidget(self.suggestions_label)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.holder = QWidget(self.scroll)
        self.rows_layout = QVBoxLayout(self.holder)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.scroll.setWidget(self.holder)
        layout.addWidget(self.scroll, 1)
        self.overall = QPlainTextEdit(self)
        self.overall.setObjectName("overall-comment")
        self.overall.setPlaceholderText("Overall comment (saved as you type)")
        self.overall.setMaximumHeight(70)
        self.overall.setTabChangesFocus(True)
        self.overall.textChanged.connect(self._overall_typed)
        layout.addWidget(self.overall)
        tags = QHBoxLayout()
        self.save_button = QPushButton("Saved… (S)", self)
        self.save_button.setObjectName("tag-save")
        self.save_button.clicked.connect(self.save_requested)
        self.loss_button = QPushButton("Lost… (L)", self)
        self.loss_button.setObjectName("tag-loss")
        self.loss_button.clicked.connect(self.loss_requested)
        tags.addWidget(self.save_button)
        tags.addWidget(self.loss_button)
        layout.addLayout(tags)
        self.outcomes = QLabel(self)
        self.outcomes.setObjectName("outcomes")
        self.outcomes.setWordWrap(True)
        layout.addWidget(self.outcomes)

    # --- loading -----------------------------------------------------------------------------
    def set_database(self, db: Store) -> None:
        """Score in another database."""
        self.db = db
        self.rubric = None
        self._agent_names = None
        self._pending.clear()
        self.show_conversation(None)

    def forget_agents(self) -> None:
        """Agents were added or renamed: read the names again when next needed."""
        self._agent_names = None

    def show_conversation(self, conversation_id: int | None) -> None:
        """Show the reviewer's review of `conversation_id` (nothing is written until they rate)."""
        self.ops.flush()  # a comment typed on the previous conversation goes now
        self.conversation_id = conversation_id
        self.review = None
        self._advanced = False
        enabled = conversation_id is not None
        for widget in (self.scroll, self.overall, self.save_button, self.loss_button):
            widget.setEnabled(enabled)
        self.agent_combo.setEnabled(enabled)
        if not enabled:
            self.title.setText("Review")
            self.score_label.setText("")
            self.outcomes.setText("")
            self._build_rows(None)
            self.suggestions = {}
            self._show_evidence([])
            self.suggestions_label.hide()
            return
        self._load_review()
        rubric = (
            get_rubric(self.db, self.review.rubric_id) if self.review else current_rubric(self.db)
        )
        if self.rubric is None or rubric.id != self.rubric.id:
            self._build_rows(rubric)
        self._fill_agents()
        self._read_suggestions()
        self.focused = self._first_unrated()
        self._show_overall()
        self._redraw()

    def _load_review(self) -> None:
        name = self._reviewer()
        self.review = None
        if name and self.conversation_id is not None:
            try:
                self.review = review_of(
                    self.db, self.conversation_id, name, self.calibration_session_id
                )
            except SavedeskError:
                self.review = None

    def _build_rows(self, rubric: Rubric | None) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        while self.rows_layout.count():
            self.rows_layout.takeAt(0)
        self.rubric = rubric
        if rubric is None:
            return
        for category in rubric.categories:
            row = CategoryRow(category, self.holder)
            row.rated.connect(self._rate)
            row.commented.connect(self._comment_typed)
            row.comment_left.connect(self._comment_left)
            row.clicked.connect(self._focus_category_id)
            row.accept_clicked.connect(self._accept_clicked)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.rows_layout.addStretch(1)

    def _fill_agents(self) -> None:
        if self._agent_names is None:
            self._agent_names = browse.agent_names(self.db)
            self.agent_combo.clear()
            self.agent_combo.addItem("(nobody)", None)
            for agent_id, name in self._agent_names:
                self.agent_combo.addItem(name, agent_id)
        pending = self._pending.get(("agent", self.conversation_id))
        if pending is not None:
            agent_id = pending.value
        elif self.review is not None:
            agent_id = self.review.agent_id
        else:
            agent_id = browse.conversation_agent(self.db, self.conversation_id)
        self.agent_combo.setCurrentIndex(max(0, self.agent_combo.findData(agent_id)))

    def _show_overall(self) -> None:
        pending = self._pending.get(("overall", self.conversation_id))
        text = (
            pending.value if pending else (self.review.overall_comment or "" if self.review else "")
        )
        if self.overall.toPlainText() != text:
            self.overall.blockSignals(True)
            self.overall.setPlainText(str(text))
            self.overall.blockSignals(False)

    def score_in_session(self, session_id: int | None, name: str = "") -> None:
        """Score in calibration session `session_id` (None: the reviewer's ordinary reviews)
        from now on, and show the shown conversation's review there."""
        if session_id == self.calibration_session_id:
            return
        self.ops.flush()
        self.calibration_session_id = session_id
        self.calibration_name = name
        self.show_conversation(self.conversation_id)

    def refresh(self) -> None:
        """Re-read the review from the store and redraw (edits still on their way stay)."""
        if self.conversation_id is None:
            return
        self._load_review()
        self._fill_agents()
        self._read_suggestions()
        if not self.overall.hasFocus():
            self._show_overall()
        self._redraw()

    def _ratings(self) -> dict[int, tuple[int | None, bool, str | None, bool, bool]]:
        """category id -> (rating, N/A, comment, rating not saved, comment not saved)."""
        stored = self.review.ratings if self.review else {}
        shown = {}
        for row in self.rows:
            cid = row.category.id
            r = stored.get(cid)
            rating, na, comment = (r.rating, r.is_na, r.comment) if r else (None, False, None)
            rate = self._pending.get(("rate", self.conversation_id, cid))
            if rate is not None:
                rating, na = rate.value  # type: ignore[misc]
            text = self._pending.get(("comment", self.conversation_id, cid))
            if text is not None:
                comment = str(text.value)
            shown[cid] = (
                rating,
                na,
                comment,
                bool(rate and rate.waiting),
                bool(text and text.waiting),
            )
        return shown

    def _redraw(self) -> None:
        if self.conversation_id is None:
            return
        name = self._reviewer()
        self.title.setText(
            f"Review by <b>{escaped(name)}</b>"
            if name
            else "Review: <i>give your name first (Edit &gt; Reviewer name…)</i>"
        )
        if self.calibration_session_id is not None:
            self.title.setText(
                f"Calibration “{escaped(self.calibration_name)}”: blind review by "
                f"<b>{escaped(name or '')}</b>"
            )
        shown = self._ratings()
        for i, row in enumerate(self.rows):
            rating, na, comment, unsaved, comment_unsaved = shown[row.category.id]
            row.show_state(rating, na, comment, i == self.focused, unsaved, comment_unsaved)
        self._draw_suggestions(shown)
        self._show_score(shown)
        self._show_outcomes()

    def _show_score(self, shown: dict) -> None:
        waiting = any(p.waiting for k, p in self._pending.items() if k[1] == self.conversation_id)
        pending = any(k[0] == "rate" and k[1] == self.conversation_id for k in self._pending)
        if pending and self.rubric is not None:
            result = score(self.rubric.categories, {c: v[0] for c, v in shown.items()})
            value, failed = result.score, result.critical_failed
        elif self.review is not None:
            value, failed = self.review.score, self.review.critical_failed
        else:
            value, failed = None, False
        style = "font-size: 15pt; font-weight: bold;"
        if value is None:
            text = "Score: no score yet"
        elif failed:
            text, style = "Score: 0% — critical fail", style + f" color: {CRITICAL_RED};"
        else:
            text = f"Score: {value:.1f}%"
        self.score_label.setText(text + (" (not saved yet)" if waiting else ""))
        if self.score_label.styleSheet() != style:
            self.score_label.setStyleSheet(style)

    def _show_outcomes(self) -> None:
        cid = self.conversation_id
        rows = errors.read_or_keep(lambda: browse.rows_by_ids(self.db, [cid]), None)
        if rows is None:
            return  # the store does not answer for now: the marks shown stay
        row = rows.get(cid)
        marks = []
        if row and row.saved:
            marks.append("tagged <b>saved</b>")
        if row and row.lost:
            marks.append("tagged <b>lost</b>")
        for ticket in self.ops.pending():
            word = TAG_CALLS.get(ticket.call.name)
            if word and ticket.call.args.get("conversation_id") == self.conversation_id:
                marks.append(
                    f"tagged <b>{word}</b> <span style='color:{CRITICAL_RED}'>(not saved yet)</span>"
                )
        self.outcomes.setText("This conversation is " + " and ".join(marks) if marks else "")

    # --- writing -----------------------------------------------------------------------------
    def _write(self, key: tuple, value: object, call: Call, delay: float = 0.0) -> bool:
        ticket = self.ops.perform(call, key="|".join(str(k) for k in key), delay=delay, context=key)
        if ticket is None:
            return False
        self._pending[key] = _Pending(value, ticket.id, self.ops.held_back())
        return True

    def _can_write(self) -> bool:
        if self.conversation_id is None:
            self.status.emit("Choose a conversation first (J for the next one).")
            return False
        if not self._reviewer():
            self.status.emit(
                "Give your name as a reviewer first: Edit > Reviewer name… "
                "(or set SAVEDESK_REVIEWER)."
            )
            return False
        return True

    def _args(self, **values) -> dict:
        # the version shown: a write after another window or person changed the review since
        # changes nothing and says who did (review.errors.EditConflict)
        return {
            "conversation_id": self.conversation_id,
            "rubric_id": self.rubric.id if self.rubric else None,
            "expected_version": self.review.version if self.review else None,
            "calibration_session_id": self.calibration_session_id,
            **values,
        }

    def _rate(self, category_id: int, rating: int | None, na: bool) -> None:
        if not self._can_write():
            return
        self._focus_category_id(category_id, redraw=False)
        key = ("rate", self.conversation_id, category_id)
        call = Call("rate", self._args(category_id=category_id, rating=rating, na=na))
        self._write(key, (rating, na), call)
        self._redraw()
        self.status.emit("")

    def _comment_typed(self, category_id: int, text: str) -> None:
        if not self._can_write():
            return
        key = ("comment", self.conversation_id, category_id)
        call = Call("comment", self._args(category_id=category_id, text=text))
        self._write(key, text, call, delay=TYPING_PAUSE)

    def _comment_left(self, _category_id: int) -> None:
        self.ops.flush()
        self.comment_left.emit()

    def _overall_typed(self) -> None:
        if self.conversation_id is None or not self._can_write():
            return
        text = self.overall.toPlainText()
        call = Call("overall-comment", self._args(text=text))
        self._write(("overall", self.conversation_id), text, call, delay=TYPING_PAUSE)

    def _agent_chosen(self, index: int) -> None:
        if not self._can_write():
            return
        agent_id = self.agent_combo.itemData(index)
        call = Call("review-agent", self._args(agent_id=agent_id))
        self._write(("agent", self.conversation_id), agent_id, call)

    # --- what came back ----------------------------------------------------------------------
    def _ours(self, ticket: Ticket) -> tuple | None:
        key = ticket.context
        pending = self._pending.get(key) if isinstance(key, tuple) else None
        return key if pending is not None and pending.ticket_id == ticket.id else None

    def _landed(self, ticket: Ticket) -> None:
        key = self._ours(ticket)
        if key is None:
            if ticket.call.name in TAG_CALLS:
                self._show_outcomes_if_shown(ticket)
            return
        del self._pending[key]
        if key[1] == self.conversation_id:
            self._load_review()
            self._read_accepted()
            self._redraw()
        if ticket.outcome is not None:
            self.changed.emit(ticket.outcome.changes)

    def _refused(self, ticket: Ticket) -> None:
        key = self._ours(ticket)
        if key is not None:
            del self._pending[key]
            if key[1] == self.conversation_id:
                self.refresh()
                self._show_overall()

    def _held(self, _ticket: Ticket) -> None:
        # the database refuses writes for now: every edit still on its way waits behind it
        for pending in self._pending.values():
            pending.waiting = True
        self._redraw()

    def _submitted(self, ticket: Ticket) -> None:
        if ticket.call.name in TAG_CALLS:
            self._show_outcomes_if_shown(ticket)

    def _show_outcomes_if_shown(self, ticket: Ticket) -> None:
        if ticket.call.args.get("conversation_id") == self.conversation_id:
            self._show_outcomes()

    def unsaved_here(self) -> bool:
        """True while an edit of the shown conversation is not in the database yet."""
        return any(k[1] == self.conversation_id for k in self._pending)
