"""Opening the main window in desktop tests as a user sees it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from desktop import settings
from desktop.app import application, open_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def show_main_window(qtbot, path, reviewer: str | None = None, active: bool = False):
    """The main window on the database at `path`: 1280x800, shown and exposed, with the
    reviewer's name set when given, and made the active window when `active` (window shortcuts
    need that). The caller closes it, and its database connection."""
    application()
    if reviewer:
        settings.put(settings.REVIEWER, reviewer)
    win = open_window(path)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    if active:
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=20_000)
    return win


def settle(qtbot, window, timeout: int = 20_000) -> None:
    """Wait until every edit the window handed to its runner is in the database and the
    window has taken in the outcome (the list, reader and panel redrawn)."""
    qtbot.waitUntil(window.ops.settled, timeout=timeout)


def team_window(qtbot, team, login: str, *, focus_list: bool = False):
    """The main window of `login` on the team store (tests/teamdata.py), active, once its list
    has rows; the list focused when `focus_list`."""
    window = show_main_window(qtbot, team.url(login), active=True)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=20_000)
    if focus_list:
        window.table.setFocus()
    return window


def shot(widget, name: str) -> None:
    """Keep a picture of `widget` when SAVEDESK_SHOTS names a folder (for the report)."""
    folder = os.environ.get("SAVEDESK_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))
