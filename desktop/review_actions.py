"""The Edit, Review and Help menus of the main window: undo/redo, rating keys, tagging, help.

Kept apart from main_window.py so that file stays about layout and the list.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog

from desktop import settings
from desktop.drafts import keep_drafts
from desktop.score_all import ScoreAll
from desktop.shortcuts import ShortcutSheet, add_action, typing
from review.retention.losses import get_loss
from review.retention.outcome import LOSS, SAVE, AlreadyTagged, Tagged, conversation_words, tagged
from review.retention.saves import get_save

if TYPE_CHECKING:  # the tagging dialogs load when first opened
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
        add_action(w, edit, "Reviewer name…", [], self.change_reviewer, "reviewer")

        review = w.menuBar().addMenu("&Review")
        panel = w.review_panel
        for n in range(1, 6):
            add_action(
                w,
                review,
                f"Rate {n}",
                [str(n)],
                lambda n=n: panel.rate_position(n),
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
        add_action(
            w,
            review,
            "Accept suggested rating",
            ["A"],
            panel.accept_suggestion,
            "accept-suggestion",
        )
        self.score_all = ScoreAll(w)
        add_action(
            w,
            review,
            "Score every conversation automatically…",
            [],
            self.score_all.start,
            "score-all",
        )
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
        panel = self.window.review_panel
        if typing(focus) and focus is not None and focus.objectName().startswith("comment-"):
            self.window.ops.flush()
            self.window.focus_list()  # Tab out of a category comment moves to the next one
            panel.next_category(step)
            return
        if typing(focus):
            (focus.nextInFocusChain() if step > 0 else focus.previousInFocusChain()).setFocus()
            return
        panel.next_category(step, tab=True)

    def leave_field(self) -> None:
        """Esc: from a text field back to the list, where the single-key shortcuts work; the
        search keeps its text (its clear button or Ctrl+A, Delete empties it)."""
        focus = QApplication.focusWidget()
        if typing(focus):
            self.window.ops.flush()
            self.window.focus_list()

    def chosen_conversation(self, what: str) -> int | None:
        """The shown conversation's id; None, saying in the status bar that one is needed to
        do `what`, when none is shown."""
        cid = self.window.current_conversation_id()
        if cid is None:
            self.window.say(f"Choose a conversation first (J for the next one) to {what}.")
        return cid

    def _reading_only(self) -> bool:
        """True, saying why in the status bar, where this person reads reviews but does not
        tag (an agent, a manager or an admin on a team store)."""
        reason = self.window.review_panel.read_only_reason
        if reason is not None:
            self.window.say(reason)
        return reason is not None

    def tag_save(self) -> SaveDialog | None:
        """S: the save dialog for the shown conversation; its save, to edit, when it has one.
        On a lost conversation the status bar says so and how to change it (a conversation
        ends saved or lost, once)."""
        cid = self.chosen_conversation("tag a saved customer")
        if cid is None or self._reading_only():
            return None
        there = self._other_outcome(cid, SAVE)
        if there is False:
            return None
        from desktop.tag_dialogs import SaveDialog

        editing = get_save(self.window.db, there.id) if there is not None else None
        return self._open(SaveDialog(self.window.db, cid, self.window, editing))

    def tag_loss(self) -> LossDialog | None:
        """L: the loss dialog, prefilled with the selection or the marked customer message;
        its loss, to edit, when it has one. On a saved conversation the status bar says so
        and how to change it."""
        cid = self.chosen_conversation("tag a lost customer")
        if cid is None or self._reading_only():
            return None
        there = self._other_outcome(cid, LOSS)
        if there is False:
            return None
        words = self.window.reader.customer_words()
        from desktop.tag_dialogs import LossDialog

        editing = get_loss(self.window.db, there.id) if there is not None else None
        return self._open(LossDialog(self.window.db, cid, words, self.window, editing))

    def _other_outcome(self, cid: int, wanted: str) -> Tagged | None | Literal[False]:
        """The conversation's tag of the `wanted` kind (to edit), None when it has none, or
        False, said in the status bar, when it is tagged the other way."""
        there = tagged(self.window.db, cid)
        if there is not None and there.kind != wanted:
            words = conversation_words(self.window.db, cid)
            self.window.say(str(AlreadyTagged(words, there, wanted)))
            return False
        return there

    def _open(self, dialog):
        dialog.submit = self.window.ops.perform  # through the window's runner; Ctrl+Z undoes
        keep_drafts(dialog, dialog.draft_fields(), self.window.db, self.window.ops.perform)
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
        """Edit > Reviewer name…"""
        self.window.reviewer(force=True)
        self.window.review_panel.show_conversation(self.window.current_conversation_id())


def ask_reviewer_name(parent, current: str = "") -> str | None:
    """Ask for the reviewer's name (once; it is remembered in the settings)."""
    note = ""
    if os.environ.get("SAVEDESK_REVIEWER"):
        note = f"\n(SAVEDESK_REVIEWER is set to “{os.environ['SAVEDESK_REVIEWER']}”: it wins.)"
    name, ok = QInputDialog.getText(
        parent,
        "Your name",
        "Your name as a reviewer (it is written on every review you make):" + note,
        text=current,
    )
    name = name.strip()
    if ok and name:
        settings.put(settings.REVIEWER, name)
        return name
    return None
