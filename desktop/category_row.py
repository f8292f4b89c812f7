"""One rubric category in the review panel: its name, the points of its scale, N/A, a comment.

The row only shows and reports: `rated`, `commented` and `accept_clicked` go to the panel,
which writes through the window's operations. A value the user chose that is not in the
database yet is drawn as chosen; while the database refuses it for now the row says "not
saved" beside it. Under an empty rating the row shows the rules' suggestion: "Suggested: 4,
because …" with an Accept button where the category has passed the agreement bar, a quieter
hint where it has not; a flag (rudeness) is a warning for the reviewer to read, shown
whatever the rating, that can never be accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from desktop.plain import escaped, plain_label, plain_tooltip
from review.reviewing.autoqa.agreement import KAPPA_BAR, MIN_PAIRS
from review.reviewing.rubrics import Category

CRITICAL_RED = "#c62828"
NOT_SAVED = "not saved"
SUGGESTED_GREEN = "#2e7d32"
HINT_GREY = "#757575"
FLAG_ORANGE = "#e65100"
# Shown where a rating's category has a suggestion of each kind (objectName "suggestion-KEY").
SUGGESTION_STYLES = {
    "offered": f"color: {SUGGESTED_GREEN};",
    "hint": f"color: {HINT_GREY}; font-style: italic;",
    "flag": f"color: {FLAG_ORANGE}; background: rgba(230, 81, 0, 0.10); "
    f"border-left: 3px solid {FLAG_ORANGE}; padding: 2px 4px;",
}


def scale_points(category: Category) -> list[tuple[int, str]]:
    """(rating, button text) for each point of the category's scale, lowest first."""
    if category.scale == "pass_fail":
        return [(category.scale_min, "Fail"), (category.scale_max, "Pass")]
    return [(v, str(v)) for v in range(category.scale_min, category.scale_max + 1)]


def scale_words(category: Category) -> str:
    """The keys that rate the category, for the status bar ("1 (Fail) or 2 (Pass)", "1 to 4")."""
    points = scale_points(category)
    if category.scale == "pass_fail":
        return " or ".join(f"{i} ({text})" for i, (_, text) in enumerate(points, 1))
    return f"1 to {len(points)}"


class CategoryRow(QFrame):
    """One category: name, scale buttons, N/A, comment."""

    rated = Signal(int, object, bool)  # category id, rating or None, N/A
    commented = Signal(int, str)  # category id, the text as it stands (on every change)
    comment_left = Signal(int)  # category id: Return or Tab left the comment field
    clicked = Signal(int)  # category id (to focus it)
    accept_clicked = Signal(int)  # category id: the suggestion's Accept button

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
        name = plain_label(category.name, self, bold=True)
        name.setToolTip(plain_tooltip(category.description))
        name.setWordWrap(True)
        name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top.addWidget(name, 1)
        self.unsaved = QLabel(NOT_SAVED, self)
        self.unsaved.setObjectName("not-saved")
        self.unsaved.setStyleSheet(f"color: {CRITICAL_RED}; font-style: italic;")
        self.unsaved.hide()
        top.addWidget(self.unsaved)
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
        self.na_button.clicked.connect(lambda _=False: self.mark_na())
        buttons.addWidget(self.na_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName(f"suggestion-{category.key}")
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)  # escaped: see show_suggestion
        self.suggestion.setWordWrap(True)
        self.suggestion.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.suggestion.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.suggestion.hide()
        layout.addWidget(self.suggestion)
        self.accept_button = QPushButton("Accept (A)", self)
        self.accept_button.setObjectName(f"accept-{category.key}")
        self.accept_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.accept_button.setToolTip("Rate this category with the suggested rating (A)")
        self.accept_button.clicked.connect(lambda: self.accept_clicked.emit(category.id))
        self.accept_button.hide()
        accept_row = QHBoxLayout()
        accept_row.addWidget(self.accept_button)
        accept_row.addStretch(1)
        layout.addLayout(accept_row)
        self.accepted = QLabel("✓ accepted from a suggestion", self)
        self.accepted.setObjectName(f"accepted-{category.key}")
        self.accepted.setStyleSheet(f"color: {SUGGESTED_GREEN}; font-size: 8pt;")
        self.accepted.hide()
        layout.addWidget(self.accepted)
        self.comment = QLineEdit(self)
        self.comment.setObjectName(f"comment-{category.key}")
        self.comment.setPlaceholderText("Comment (E); saved as you type")
        self.comment.textEdited.connect(lambda text: self.commented.emit(category.id, text))
        self.comment.returnPressed.connect(lambda: self.comment_left.emit(category.id))
        self.comment.hide()  # shown by E, or when there is a comment: keeps the rubric compact
        layout.addWidget(self.comment)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.rating: int | None = None
        self.is_na = False
        self._look: tuple[bool, bool] | None = None  # (focused, critical fail) drawn
        self._comment_marked = False
        self._suggestion_drawn: tuple | None = None
        self.suggestion_kind: str | None = None  # "offered", "hint" or "flag" as shown, or None

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.category.id)
        super().mousePressEvent(event)

    def _pick(self, value: int) -> None:
        if self.rating == value and not self.is_na:
            self.rated.emit(self.category.id, None, False)  # a second click clears it
        else:
            self.rated.emit(self.category.id, value, False)

    def value_at(self, position: int) -> int | None:
        """The rating of the `position`-th point of the scale (1-based), None if there is none."""
        if not 1 <= position <= len(self.buttons):
            return None
        return self.buttons[position - 1][0]

    def mark_na(self) -> bool:
        """Mark N/A (toggles); False when the category does not allow N/A."""
        if not self.category.allow_na:
            self.na_button.setChecked(False)
            return False
        self.rated.emit(self.category.id, None, not self.is_na)
        return True

    def open_comment(self) -> None:
        """Show the comment field and put the cursor after its text."""
        self.comment.show()
        self.comment.setFocus(Qt.FocusReason.ShortcutFocusReason)
        # a shortcut's focus selects the whole line, and the next key would type over the
        # comment: E comes back to add to it (Ctrl+A is there to replace it)
        self.comment.end(False)

    def show_state(
        self,
        rating: int | None,
        is_na: bool,
        comment: str | None,
        focused: bool,
        unsaved: bool = False,
        comment_unsaved: bool = False,
    ) -> None:
        """Reflect the rating, N/A and comment; draw the focus, a critical fail, and "not
        saved" beside a value the database has not taken yet."""
        self.rating, self.is_na = rating, is_na
        for value, button in self.buttons:
            button.setChecked(rating is not None and value == rating and not is_na)
        self.na_button.setChecked(is_na)
        if not self.comment.hasFocus() and self.comment.text() != (comment or ""):
            self.comment.setText(comment or "")
        if not self.comment.hasFocus():
            self.comment.setVisible(bool(comment))
        if comment_unsaved != self._comment_marked:  # a style sheet costs a re-polish
            self._comment_marked = comment_unsaved
            self.comment.setStyleSheet(
                f"border: 1px solid {CRITICAL_RED};" if comment_unsaved else ""
            )
            self.comment.setToolTip("Not saved yet: see the status bar" if comment_unsaved else "")
        self.unsaved.setVisible(unsaved or comment_unsaved)
        failed = self.category.critical and rating is not None and rating == self.category.scale_min
        look = (focused, failed)
        if look != self._look:
            self._look = look
            border = "#2f6fde" if focused else "transparent"
            background = "rgba(198, 40, 40, 0.16)" if failed else "transparent"
            self.setStyleSheet(
                f"CategoryRow {{ border: 2px solid {border}; border-radius: 4px; "
                f"background: {background}; }}"
                # a chosen point must stand out in every style, Fusion's pale "checked" included
                "QPushButton:checked { background: #2f6fde; color: white; font-weight: bold;"
                " border: 1px solid #1d4fa8; border-radius: 3px; padding: 3px; }"
            )

    def show_suggestion(self, suggestion, rated: bool, accepted: bool) -> None:
        """Show the rules' suggestion (a review.reviewing.autoqa.suggestions.StoredSuggestion
        or None) under an empty rating: offered with its Accept button, a hint, or a flag
        (shown whatever the rating). `accepted`: the rating came from a suggestion."""
        kind = None
        if suggestion is not None and suggestion.is_flag:
            kind = "flag"
        elif suggestion is not None and not rated:
            kind = "offered" if suggestion.offered else "hint"
        drawn = (kind, suggestion, accepted and rated)
        if drawn == self._suggestion_drawn:
            return
        self._suggestion_drawn = drawn
        self.suggestion_kind = kind
        self.accepted.setVisible(accepted and rated)
        self.accept_button.setVisible(kind == "offered")
        self.suggestion.setVisible(kind is not None)
        if kind is None:
            return
        self.suggestion.setStyleSheet(SUGGESTION_STYLES[kind])
        self.suggestion.setText(suggestion_text(self.category, suggestion, kind))
        self.suggestion.setToolTip(_suggestion_tooltip(suggestion, kind))
        self._fit_suggestion()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_suggestion()

    def _fit_suggestion(self) -> None:
        # The panel's scroll area sizes rows by their size hints, which take a wrapped label
        # as one line: a long reason was cut off. Its height for the width it has is the floor.
        label = self.suggestion
        margins = self.layout().contentsMargins()
        width = self.contentsRect().width() - margins.left() - margins.right()
        if label.isHidden() or width <= 0:
            return
        was = label.minimumHeight()
        label.setMinimumHeight(0)  # heightForWidth never answers below the minimum
        need = label.heightForWidth(width)
        label.setMinimumHeight(need if need > 0 else was)


def suggested_value(category: Category, suggestion) -> str:
    """The suggested rating as the scale names it: "4", "pass", "N/A"."""
    if suggestion.is_na:
        return "N/A"
    if category.scale == "pass_fail":
        return "pass" if suggestion.rating == category.scale_max else "fail"
    return str(suggestion.rating)


def suggestion_text(category: Category, suggestion, kind: str) -> str:
    """The row's suggestion line (rich text, the rules' reason escaped: it quotes the
    conversation)."""
    reason = escaped(suggestion.reason)
    if kind == "flag":
        return f"⚠ <b>For you to read</b> (never a score): {reason}"
    value = suggested_value(category, suggestion)
    if kind == "offered":
        return f"<b>Suggested: {value}</b>, because {reason}"
    return f"Hint: {value}? {reason}"


def _suggestion_tooltip(suggestion, kind: str) -> str:
    language = suggestion.language or "this language"
    if kind == "flag":
        return "A flag of the automatic rules: read the highlighted words and judge."
    if suggestion.kappa is None or not suggestion.pairs:
        measured = "their agreement with your reviewers has not been measured yet"
    else:
        measured = (
            f"they agree with your reviewers at kappa {suggestion.kappa:.2f} on "
            f"{suggestion.pairs} ratings"
        )
    if kind == "offered":
        return f"Automatic rules ({suggestion.ruleset}); in {language} {measured}. A accepts it."
    return (
        f"Only a hint: in {language} {measured}, below the bar (kappa {KAPPA_BAR} on "
        f"{MIN_PAIRS} ratings) for offering it as a score. Rate it yourself."
    )
