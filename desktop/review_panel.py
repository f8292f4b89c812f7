"""The review panel beside the reader: the rubric's categories, the live score, saves and losses.

Keys (window shortcuts, see desktop.shortcuts): 1-5 pick the 1st..5th point of the focused
category's scale (pass/fail: 1 fail, 2 pass), 0 or N mark it N/A, Tab / Shift+Tab move between
categories, E edits its comment. Each rating is written through at once (review.reviewing.reviews) by way
of the undo controller; the score shown is the one the store computed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop import errors
from desktop.undo import UndoController
from review.changes import Changes
from review.errors import SavedeskError
from review.reviewing import browse
from review.reviewing.reviews import (
    Review,
    comment_category,
    get_review,
    rate,
    reviews_for_conversation,
    set_overall_comment,
    set_review_agent,
    start_review,
)
from review.reviewing.rubrics import Category, Rubric, current_rubric, get_rubric

CRITICAL_RED = "#c62828"


def scale_points(category: Category) -> list[tuple[int, str]]:
    """(rating, button text) for each point of the category's scale, lowest first."""
    if category.scale == "pass_fail":
        return [(category.scale_min, "Fail"), (category.scale_max, "Pass")]
    return [(v, str(v)) for v in range(category.scale_min, category.scale_max + 1)]


class CategoryRow(QFrame):
    """One category: name, scale buttons, N/A, comment."""

    rated = Signal(int, object, bool)  # category id, rating or None, N/A
    commented = Signal(int, str)
    clicked = Signal(int)  # category id (to focus it)

    def __init__(self, category: Category, parent=None):
        super().__init__(parent)
        self.category = category
        self.setObjectName(f"category-{category.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(4)
        name = QLabel(f"<b>{category.name}</b>", self)
        name.setToolTip(category.description)
        name.setWordWrap(True)
        name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top.addWidget(name, 1)
        if category.critical:
            critical = QLabel("critical", self)
            critical.setStyleSheet(f"color: {CRITICAL_RED}; font-weight: bold;")
            top.addWidget(critical)
        layout.addLayout(top)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[tuple[int, QPushButton]] = []
        for value, text in scale_points(category):
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumWidth(30)
            button.clicked.connect(lambda _=False, v=value: self._pick(v))
            buttons.addWidget(button)
            self.buttons.append((value, button))
        self.na_button = QPushButton("N/A", self)
        self.na_button.setCheckable(True)
        self.na_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.na_button.setEnabled(category.allow_na)
        self.na_button.clicked.connect(self.mark_na)
        buttons.addWidget(self.na_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.comment = QLineEdit(self)
        self.comment.setObjectName(f"comment-{category.key}")
        self.comment.setPlaceholderText("Comment (E)")
        self.comment.editingFinished.connect(self._comment_done)
        self.comment.hide()  # shown by E, or when there is a comment: keeps the rubric compact
        layout.addWidget(self.comment)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._shown_comment = ""
        self.rating: int | None = None
        self.is_na = False

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.category.id)
        super().mousePressEvent(event)

    def _pick(self, value: int) -> None:
        if self.rating == value and not self.is_na:
            self.rated.emit(self.category.id, None, False)  # a second click clears it
        else:
            self.rated.emit(self.category.id, value, False)

    def pick_position(self, position: int) -> bool:
        """Rate with the `position`-th point of the scale (1-based); False if there is none."""
        if not 1 <= position <= len(self.buttons):
            return False
        self.rated.emit(self.category.id, self.buttons[position - 1][0], False)
        return True

    def mark_na(self) -> bool:
        """Mark N/A (toggles); False when the category does not allow N/A."""
        if not self.category.allow_na:
            self.na_button.setChecked(False)
            return False
        self.rated.emit(self.category.id, None, not self.is_na)
        return True

    def open_comment(self) -> None:
        """Show the comment field and put the cursor in it."""
        self.comment.show()
        self.comment.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _comment_done(self) -> None:
        text = self.comment.text().strip()
        if not text and not self.comment.hasFocus():
            self.comment.hide()
        if text != self._shown_comment:
            self._shown_comment = text
            self.commented.emit(self.category.id, text)

    def show_state(self, rating: int | None, is_na: bool, comment: str | None, focused: bool):
        """Reflect the stored rating, N/A and comment; draw the focus and a critical fail."""
        self.rating, self.is_na = rating, is_na
        for value, button in self.buttons:
            button.setChecked(rating is not None and value == rating and not is_na)
        self.na_button.setChecked(is_na)
        if not self.comment.hasFocus():
            self.comment.setText(comment or "")
            self.comment.setVisible(bool(comment))
        self._shown_comment = (comment or "").strip()
        failed = self.category.critical and rating is not None and rating == self.category.scale_min
        border = "#2f6fde" if focused else "transparent"
        background = "rgba(198, 40, 40, 0.16)" if failed else "transparent"
        self.setStyleSheet(
            f"CategoryRow {{ border: 2px solid {border}; border-radius: 4px; "
            f"background: {background}; }}"
            # a chosen point must stand out in every style, Fusion's pale "checked" included
            "QPushButton:checked { background: #2f6fde; color: white; font-weight: bold;"
            " border: 1px solid #1d4fa8; border-radius: 3px; padding: 3px; }"
        )


class ReviewPanel(QWidget):
    """Scores the shown conversation for the current reviewer; `changed(Changes)` after writes."""

    changed = Signal(object)
    save_requested = Signal()
    loss_requested = Signal()

    def __init__(
        self, db: Database, undo: UndoController, reviewer: Callable[[], str | None], parent=None
    ):
        super().__init__(parent)
        self.setObjectName("review-panel")
        self.db = db
        self.undo = undo
        self._reviewer = reviewer
        self.conversation_id: int | None = None
        self.review: Review | None = None
        self.rubric: Rubric | None = None
        self.rows: list[CategoryRow] = []
        self.focused = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Review", self)
        self.title.setObjectName("review-title")
        layout.addWidget(self.title)
        self.score_label = QLabel(self)
        self.score_label.setObjectName("score-label")
        self.score_label.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(self.score_label)
        agent_row = QHBoxLayout()
        agent_row.addWidget(QLabel("Agent reviewed", self))
        self.agent_combo = QComboBox(self)
        self.agent_combo.setObjectName("review-agent")
        self.agent_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.agent_combo.activated.connect(self._agent_chosen)
        agent_row.addWidget(self.agent_combo, 1)
        layout.addLayout(agent_row)

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
        self.overall.setPlaceholderText("Overall comment")
        self.overall.setMaximumHeight(70)
        self.overall.installEventFilter(self)
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
        self.show_conversation(None)

    # --- loading -----------------------------------------------------------------------------
    def set_database(self, db: Database) -> None:
        """Score in another database."""
        self.db = db
        self.rubric = None
        self.show_conversation(None)

    def show_conversation(self, conversation_id: int | None) -> None:
        """Show the reviewer's review of `conversation_id` (nothing is written until they rate)."""
        self._flush_overall()
        self.conversation_id = conversation_id
        self.review = None
        self.focused = 0
        enabled = conversation_id is not None
        for widget in (self.scroll, self.overall, self.save_button, self.loss_button):
            widget.setEnabled(enabled)
        self.agent_combo.setEnabled(enabled)
        if not enabled:
            self.title.setText("Review")
            self.score_label.setText("")
            self.outcomes.setText("")
            self._build_rows(None)
            return
        name = self._reviewer_name(ask=False)
        if name:
            mine = [
                r for r in reviews_for_conversation(self.db, conversation_id) if r.reviewer == name
            ]
            self.review = mine[0] if mine else None
        rubric = (
            get_rubric(self.db, self.review.rubric_id) if self.review else current_rubric(self.db)
        )
        if self.rubric is None or rubric.id != self.rubric.id:
            self._build_rows(rubric)
        self._fill_agents()
        self.overall.blockSignals(True)
        self.overall.setPlainText(self.review.overall_comment or "" if self.review else "")
        self.overall.blockSignals(False)
        self.refresh()

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
            row.commented.connect(self._comment)
            row.clicked.connect(self._focus_category_id)
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.rows_layout.addStretch(1)

    def _fill_agents(self) -> None:
        self.agent_combo.clear()
        self.agent_combo.addItem("(nobody)", None)
        for agent in browse.agents(self.db):
            self.agent_combo.addItem(agent.name, agent.id)
        detail = browse.thread(self.db, self.conversation_id)
        agent_id = self.review.agent_id if self.review else (detail.agent_id if detail else None)
        index = self.agent_combo.findData(agent_id)
        self.agent_combo.setCurrentIndex(max(0, index))

    def refresh(self) -> None:
        """Re-read the review from the store and redraw ratings, score and tags."""
        if self.conversation_id is None:
            return
        if self.review is not None:
            try:
                self.review = get_review(self.db, self.review.id)
            except SavedeskError:  # undone away
                self.review = None
        name = self._reviewer_name(ask=False) or "you"
        self.title.setText(f"Review by <b>{name}</b>")
        ratings = self.review.ratings if self.review else {}
        for i, row in enumerate(self.rows):
            r = ratings.get(row.category.id)
            row.show_state(
                r.rating if r else None,
                bool(r and r.is_na),
                r.comment if r else None,
                focused=i == self.focused,
            )
        if self.review is None or self.review.score is None:
            self.score_label.setText("Score: no score yet")
            self.score_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        elif self.review.critical_failed:
            self.score_label.setText("Score: 0% — critical fail")
            self.score_label.setStyleSheet(
                f"font-size: 15pt; font-weight: bold; color: {CRITICAL_RED};"
            )
        else:
            self.score_label.setText(f"Score: {self.review.score:.1f}%")
            self.score_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        row = browse.rows_by_ids(self.db, [self.conversation_id]).get(self.conversation_id)
        marks = []
        if row and row.saved:
            marks.append("tagged <b>saved</b>")
        if row and row.lost:
            marks.append("tagged <b>lost</b>")
        self.outcomes.setText("This conversation is " + " and ".join(marks) if marks else "")

    # --- writing -----------------------------------------------------------------------------
    def _reviewer_name(self, ask: bool) -> str | None:
        return self._reviewer(ask)

    def _ensure_review(self) -> Review | None:
        if self.review is not None:
            return self.review
        name = self._reviewer_name(ask=True)
        if not name or self.conversation_id is None:
            return None
        conversation_id = self.conversation_id
        rubric_id = self.rubric.id if self.rubric else None
        holder: list[Review] = []

        def start(session: str) -> Changes:
            holder.append(start_review(self.db, conversation_id, name, rubric_id, session=session))
            return Changes.of("reviews", conversation_id)

        self._write(start)
        self.review = holder[0] if holder else None
        return self.review

    def _write(self, action: Callable[[str], Changes]) -> bool:
        try:
            changes = self.undo.perform(action)
        except SavedeskError as exc:
            errors.show_error(self, exc)
            return False
        self.refresh()
        self.changed.emit(changes)
        return True

    def _rate(self, category_id: int, rating: int | None, na: bool) -> None:
        review = self._ensure_review()
        if review is None:
            return
        self._focus_category_id(category_id, redraw=False)
        if self._write(lambda s: rate(self.db, review.id, category_id, rating, na, session=s)):
            self.next_category()

    def _comment(self, category_id: int, text: str) -> None:
        review = self._ensure_review()
        if review is not None:
            self._write(
                lambda s: comment_category(self.db, review.id, category_id, text, session=s)
            )

    def _agent_chosen(self, index: int) -> None:
        review = self._ensure_review()
        if review is not None:
            agent_id = self.agent_combo.itemData(index)
            self._write(lambda s: set_review_agent(self.db, review.id, agent_id, session=s))

    def _flush_overall(self) -> None:
        if self.review is None or self.conversation_id is None:
            return
        text = self.overall.toPlainText().strip()
        if text != (self.review.overall_comment or ""):
            review = self.review
            self._write(lambda s: set_overall_comment(self.db, review.id, text, session=s))

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.overall
            and event.type() == event.Type.FocusOut
            and self.overall.toPlainText().strip()
            and self._ensure_review() is not None
        ):
            self._flush_overall()
        return super().eventFilter(watched, event)

    # --- keyboard ----------------------------------------------------------------------------
    def focused_row(self) -> CategoryRow | None:
        """The category the keys act on."""
        return self.rows[self.focused] if 0 <= self.focused < len(self.rows) else None

    def rate_position(self, position: int) -> None:
        """Keys 1-5: rate the focused category with that point of its scale."""
        row = self.focused_row()
        if row is not None and self.conversation_id is not None:
            row.pick_position(position)

    def mark_na(self) -> None:
        """Keys 0 / N: mark the focused category N/A."""
        row = self.focused_row()
        if row is not None and self.conversation_id is not None:
            row.mark_na()

    def next_category(self, step: int = 1) -> None:
        """Tab / Shift+Tab: move the focus to the next or previous category."""
        if not self.rows:
            return
        self.focused = (self.focused + step) % len(self.rows)
        self.refresh()
        row = self.focused_row()
        if row is not None:
            self.scroll.ensureWidgetVisible(row)

    def edit_comment(self) -> None:
        """E: type a comment on the focused category."""
        row = self.focused_row()
        if row is not None and self.conversation_id is not None:
            row.open_comment()
            self.scroll.ensureWidgetVisible(row)

    def _focus_category_id(self, category_id: int, redraw: bool = True) -> None:
        for i, row in enumerate(self.rows):
            if row.category.id == category_id:
                self.focused = i
        if redraw:
            self.refresh()
