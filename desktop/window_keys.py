"""The main window's keys that move the user around: from the search into the results (Enter
or Down) and back to the list (Esc, in review_actions), Ctrl+1 / Ctrl+2 to the views and the
list, F3 through the search hits, and one sentence in the status bar when a key does nothing.

A mixin of MainWindow (desktop/main_window.py), kept apart so that file stays about the list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt


class WindowKeys:
    """Mixed into MainWindow; uses its search field, list, sidebar and reader."""

    def go_to_results(self) -> None:
        """Enter or Down in the search field: search now and move into the results, on the
        first of them (the search text stays)."""
        if self._search_timer.isActive() or self.model.query.search != self.search.text().strip():
            self._search_now()
        self.focus_list()
        if not self.table.currentIndex().isValid():
            if self.model.rowCount():
                self._select_row(0)
            else:
                self.say("No conversation matches this search.")

    def focus_list(self) -> None:
        """Put the keyboard in the list, where the single-key shortcuts work (Ctrl+2)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_sidebar(self) -> None:
        """Ctrl+1: the keyboard in the views and queues (arrows choose one)."""
        self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.go_to_results()
            return True
        return super().eventFilter(watched, event)

    def say(self, sentence: str, ms: int = 6000) -> None:
        """One sentence in the status bar (an empty one clears it)."""
        if sentence:
            self.statusBar().showMessage(sentence, ms)
        else:
            self.statusBar().clearMessage()

    def go_to_hit(self, step: int) -> None:
        """F3 / Shift+F3: the reader's next or previous search hit, counted in the status bar."""
        found = self.reader.go_to_hit(step)
        if found is not None:
            message = f"Search hit {found[0]} of {found[1]}"
        elif self.search.text().strip():
            message = "No search hit in this conversation"
        else:
            message = "Search first (Ctrl+F); F3 then walks through its hits"
        self.statusBar().showMessage(message, 4000)
        self._hit_said = message

    def forget_hit(self) -> None:
        """Take back F3's "Search hit 2 of 3" once the conversation or the search it counted
        has changed, so the status bar never counts hits of what is no longer shown."""
        if self._hit_said and self.statusBar().currentMessage() == self._hit_said:
            self.statusBar().clearMessage()
        self._hit_said = None

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+F)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
