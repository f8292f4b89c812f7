"""The review panel's keys: 1-5 rate the focused category with that point of its scale and move
the focus on, 0 or N mark it N/A and move on, Tab / Shift+Tab move between categories (a Tab
straight after a rating stays where the rating put the focus), E opens its comment. A key that
does not apply says why in one sentence (`status`).

A mixin of ReviewPanel (desktop/review_panel.py), kept apart so that file stays about showing
and writing the review.
"""

from __future__ import annotations

from desktop.category_row import CategoryRow, scale_words


class ReviewKeys:
    """Mixed into ReviewPanel; uses its rows, focus and writing methods."""

    def focused_row(self) -> CategoryRow | None:
        """The category the keys act on."""
        return self.rows[self.focused] if 0 <= self.focused < len(self.rows) else None

    def rate_position(self, position: int) -> None:
        """Keys 1-5: rate the focused category with that point of its scale, then move on."""
        row = self.focused_row()
        if row is None or not self._can_write():
            return
        value = row.value_at(position)
        if value is None:
            self.status.emit(
                f"“{row.category.name}” is rated with {scale_words(row.category)}; "
                f"{position} does not apply."
            )
            return
        self._rate(row.category.id, value, False)
        self._advance()

    def mark_na(self) -> None:
        """Keys 0 / N: mark the focused category N/A (again: not N/A), then move on."""
        row = self.focused_row()
        if row is None or not self._can_write():
            return
        if not row.category.allow_na:
            self.status.emit(
                f"“{row.category.name}” cannot be N/A: rate it {scale_words(row.category)}."
            )
            return
        row.mark_na()
        self._advance()

    def _advance(self) -> None:
        if self.focused < len(self.rows) - 1:
            self.focused += 1
            self._advanced = True
            self._redraw()
            self._show_focused()

    def next_category(self, step: int = 1, tab: bool = False) -> None:
        """Tab / Shift+Tab: move the focus to the next or previous category. A Tab straight
        after a rating that already moved the focus stays where the rating put it."""
        if not self.rows:
            return
        if tab and step > 0 and self._advanced:
            self._advanced = False
            return
        self._advanced = False
        self.focused = (self.focused + step) % len(self.rows)
        self._redraw()
        self._show_focused()

    def _show_focused(self) -> None:
        row = self.focused_row()
        if row is not None:
            self.scroll.ensureWidgetVisible(row)

    def edit_comment(self) -> None:
        """E: type a comment on the focused category."""
        row = self.focused_row()
        if row is None or not self._can_write():
            return
        self._advanced = False
        row.open_comment()
        self._show_focused()

    def _first_unrated(self) -> int:
        shown = self._ratings()
        for i, row in enumerate(self.rows):
            rating, na, *_ = shown[row.category.id]
            if rating is None and not na:
                return i
        return 0

    def _focus_category_id(self, category_id: int, redraw: bool = True) -> None:
        self._advanced = False
        for i, row in enumerate(self.rows):
            if row.category.id == category_id:
                self.focused = i
        if redraw:
            self._redraw()
