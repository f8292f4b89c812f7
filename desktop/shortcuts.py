"""Every keyboard shortcut in one table, installed as window actions, and the sheet that lists them.

Single keys (J, K, 1-5, 0, N, E, A, S, L) are window shortcuts: they act wherever the focus is,
except while typing in a text field (a line edit takes printable keys before shortcuts do).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
)

# (group, keys as shown, what it does)
SHEET: list[tuple[str, str, str]] = [
    ("Move", "J or ↓", "Next conversation"),
    ("Move", "K or ↑", "Previous conversation"),
    ("Move", "Ctrl+1 / Ctrl+2", "Views and queues (arrows choose) / the conversation list"),
    ("Move", "Ctrl+F", "Search messages and subjects"),
    ("Move", "Enter or ↓", "From the search: into the results, on the first one"),
    ("Move", "Esc", "Leave a field (the search keeps its text)"),
    ("Move", "F3 / Shift+F3", "Next / previous search hit in the conversation"),
    (
        "Review",
        "1 – 5",
        "Rate the focused category (pass/fail: 1 fail, 2 pass); the focus moves to the next category",
    ),
    ("Review", "0 or N", "Mark the focused category N/A; the focus moves on too"),
    (
        "Review",
        "Tab / Shift+Tab",
        "Next / previous category; a Tab straight after a rating stays where the rating moved the focus, so none is skipped",
    ),
    ("Review", "E", "Comment on the focused category (saved as you type; Enter or Esc to leave)"),
    (
        "Review",
        "A",
        "Accept the focused category's suggested rating (“Suggested: 4, because …”); "
        "undo with Ctrl+Z. Hints and flags (⚠) are for you to weigh: never accepted",
    ),
    ("Review", "Ctrl+Shift+Q", "New review queue (from the list's filters, or a sample)"),
    ("Review", "Ctrl+Shift+D", "Dispute a score of the shown conversation, with a reason"),
    ("Review", "Ctrl+Shift+R", "Resolve an open dispute: amend, uphold or reject, with a note"),
    ("Tag", "S", "Tag a saved customer"),
    ("Tag", "L", "Tag a lost customer (prefilled from the marked message or selection)"),
    ("Edit", "Ctrl+Z", "Undo"),
    ("Edit", "Ctrl+Shift+Z", "Redo"),
    ("Edit", "Ctrl+,", "Preferences: your name, currencies, save confirmation, churn phrases"),
    ("File", "Ctrl+I", "Import exports: files or zips (or drop files and folders on the window)"),
    ("File", "Ctrl+Shift+I", "Import a folder of exports"),
    ("File", "Ctrl+P", "Export the current report (the agent's coaching review on their view)"),
    ("Go", "Ctrl+D", "Dashboard (click a bar to list its conversations)"),
    ("File", "Ctrl+O / Ctrl+N", "Open / new database"),
    ("File", "Ctrl+Shift+O", "Connect to a team store on a server (PostgreSQL)"),
    ("Go", "Ctrl+Shift+C", "Coaching page of the agent at hand (sidebar or shown conversation)"),
    ("Go", "Ctrl+Shift+A", "Calibration: agreement between reviewers"),
    ("Coaching", "Ctrl+N", "New coaching note (on the coaching page)"),
    ("Coaching", "Ctrl+E", "Edit the chosen note (earlier versions are kept)"),
    ("Coaching", "Space", "Tick the chosen action item done / not done"),
    ("Coaching", "Enter", "Open the chosen review, save or loss in the main window"),
    ("Help", "F1 or ?", "This sheet"),
]


def typing(widget) -> bool:
    """True when `widget` takes text, so single-letter shortcuts must leave its keys alone."""
    return (
        isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit)
        and not getattr(widget, "isReadOnly", lambda: False)()
    )


def add_action(window, menu, text: str, keys: list[str], slot: Callable, name: str) -> QAction:
    """A window-wide action with its shortcuts, added to `menu` (or only to the window).

    `slot` is called with no argument: QAction.triggered carries `checked`, which a slot with
    an optional parameter would take for its own (Go > Coaching page once took False for an
    agent id)."""
    action = QAction(text, window)
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    if menu is not None:
        menu.addAction(action)
    else:
        window.addAction(action)
    return action


class ShortcutSheet(QDialog):
    """Help > Keyboard shortcuts (F1 or ?)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shortcut-sheet")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        table = QTableWidget(len(SHEET), 3, self)
        table.setHorizontalHeaderLabels(["", "Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setWordWrap(True)
        for row, (group, keys, what) in enumerate(SHEET):
            for column, text in enumerate((group, keys, what)):
                table.setItem(row, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table = table
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # rows as tall as their wrapped text, once the columns have their widths
        QTimer.singleShot(0, self.table.resizeRowsToContents)
