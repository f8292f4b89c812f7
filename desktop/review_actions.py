"""The Edit, Review and Help menus of the main window: undo/redo, rating keys, tagging, help.

Kept apart from main_window.py so that file stays about layout and the list.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from desktop import settings
from desktop.shortcuts import ShortcutSheet, add_action, typing
from desktop.tag_dialogs import LossDialog, SaveDialog


class ReviewActions:
    """Installs the menus on `window` (a MainWindow) and carries out their actions."""

    def __init__(self, window):
        self.window = window
        w = window
        edit = w.menuBar().addMenu("&Edit")
        self.undo_action = w.undo.stack.createUndoAction(w, "&Undo")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = w.undo.stack.createRedoAction(w, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        add_action(w, edit, "Change reviewer name…", [], self.change_reviewer, "reviewer")

        review = w.menuBar().addMenu("&Review")
        panel = w.review_panel
        for n in range(1, 6):
            add_action(
                w,
                review,
                f"Rate {n}",
                [str(n)],
                lambda _=False, n=n: panel.rate_position(n),
                f"rate-{n}",
            )
        add_action(w, review, "Not applicable", ["0", "N"], panel.mark_na, "rate-na")
        add_action(w, review, "Next category", ["Tab"], lambda: self._tab(1), "next-category")
        add_action(
            w,
            review,
            "Previous category",
            ["Shift+Tab", "Backtab"],
            lambda: self._tab(-1),
            "previous-category",
        )
        add_action(w, review, "Comment on category", ["E"], panel.edit_comment, "comment")
        review.addSeparator()
        add_action(w, review, "Tag saved customer…", ["S"], self.tag_save, "tag-save")
        add_action(w, review, "Tag lost customer…", ["L"], self.tag_loss, "tag-loss")
        add_action(w, None, "Leave field", ["Esc"], self.leave_field, "leave-field")
        panel.save_requested.connect(self.tag_save)
        panel.loss_requested.connect(self.tag_loss)

        help_menu = w.menuBar().addMenu("&Help")
        add_action(w, help_menu, "Keyboard shortcuts", ["F1", "?"], self.show_sheet, "sheet")
        self.last_dialog = None

    def _tab(self, step: int) -> None:
        focus = QApplication.focusWidget()
        if typing(focus) and focus is not None and focus.objectName().startswith("comment-"):
            self.window.table.setFocus()  # Tab out of a category comment moves to the next one
        elif typing(focus):
            (focus.nextInFocusChain() if step > 0 else focus.previousInFocusChain()).setFocus()
            return
        self.window.review_panel.next_category(step)

    def leave_field(self) -> None:
        """Esc: from a text field back to the list, where the single-key shortcuts work."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus is self.window.search and focus.text():
            focus.clear()
            return
        if typing(focus):
            self.window.table.setFocus()

    def tag_save(self) -> SaveDialog | None:
        """S: the save dialog for the shown conversation."""
        cid = self.window.current_conversation_id()
        if cid is None:
            return None
        dialog = SaveDialog(self.window.db, cid, self.window)
        return self._open(dialog)

    def tag_loss(self) -> LossDialog | None:
        """L: the loss dialog, prefilled with the selection or the marked customer message."""
        cid = self.window.current_conversation_id()
        if cid is None:
            return None
        words = self.window.reader.customer_words()
        dialog = LossDialog(self.window.db, cid, words, self.window)
        return self._open(dialog)

    def _open(self, dialog):
        dialog.perform = self.window.undo.perform  # Ctrl+Z takes the tag back
        dialog.tagged.connect(self.window.apply_changes)
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def show_sheet(self) -> ShortcutSheet:
        """F1 or ?: the list of shortcuts."""
        sheet = ShortcutSheet(self.window)
        sheet.finished.connect(sheet.deleteLater)
        self.last_dialog = sheet
        sheet.open()
        return sheet

    def change_reviewer(self) -> None:
        """Edit > Change reviewer name."""
        self.window.reviewer(ask=True, force=True)
        self.window.review_panel.show_conversation(self.window.current_conversation_id())


def ask_reviewer_name(parent, current: str = "") -> str | None:
    """Ask for the reviewer's name (once; it is remembered in the settings)."""
    name, ok = QInputDialog.getText(
        parent,
        "Your name",
        "Your name as a reviewer (it is written on every review you make):",
        text=current,
    )
    name = name.strip()
    if ok and name:
        settings.put(settings.REVIEWER, name)
        return name
    return None
