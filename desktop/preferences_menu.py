"""Edit > Preferences… (Ctrl+,): the action, and what the dialog saves taken in by the window.
The dialog itself (desktop/preferences.py, with the churn detector) loads when first opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from desktop.jobs import JobRunner
from desktop.shortcuts import add_action
from review.changes import Changes

if TYPE_CHECKING:
    from desktop.preferences import PreferencesDialog


class PreferencesMenu(QObject):
    """Adds Edit > Preferences… (Ctrl+,) to `window` (a MainWindow) and applies what it saves."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        edit = next(
            (
                a.menu()
                for a in window.menuBar().actions()
                if a.menu() is not None and a.text().replace("&", "") == "Edit"
            ),
            None,
        )
        if edit is not None:
            edit.addSeparator()
        self.action = add_action(window, edit, "Preferences…", ["Ctrl+,"], self.open, "preferences")
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.dialog: PreferencesDialog | None = None

    def open(self) -> PreferencesDialog:
        """Show the dialog (window-modal) on the window's database."""
        from desktop.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.window.db, self.window.db_path, self.window)
        dialog.perform = self.window.ops.perform
        dialog.saved.connect(self._saved)
        dialog.detection_started.connect(self._watch)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _watch(self, runner: JobRunner) -> None:
        runner.finished.connect(self._detected)

    def _detected(self, _found: int) -> None:
        self.apply(Changes.of("churn_signals"))

    def _saved(self, changes: Changes) -> None:
        # the window's operations broadcast the changes; the dashboard reads differently now
        opener = getattr(self.window, "dashboard_opener", None)
        if changes and opener is not None and opener.dashboard is not None:
            opener.dashboard.mark_stale()
        # the panel names the reviewer, which may have changed
        self.window.review_panel.show_conversation(self.window.current_conversation_id())

    def apply(self, changes: Changes) -> None:
        """Refresh the list and, since totals may now read differently, the dashboard."""
        self.window.apply_changes(changes)
        opener = getattr(self.window, "dashboard_opener", None)
        if changes and opener is not None and opener.dashboard is not None:
            opener.dashboard.mark_stale()
