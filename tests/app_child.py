"""The app in a process of its own, for the tests that kill it: opens the database, shows the
next conversation, types TEXT without leaving the field (the comment of its first category, or
with `story` the story in the save dialog), prints "typed <conversation id>" and keeps running
until it is killed.

`python -m tests.app_child DB SETTINGS_FOLDER TEXT [comment|story]`
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(db_path: str, folder: str, comment: str, where: str = "comment") -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    from desktop import settings
    from desktop.app import application, open_window

    app = application()
    settings.put(settings.REVIEWER, "Lena Gruber")
    window = open_window(db_path)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 10_000)
    window.focus_list()
    QTest.keyClick(window.table, Qt.Key.Key_J)
    cid = window.current_conversation_id()
    if where == "story":
        QTest.keyClick(window.table, Qt.Key.Key_S)
        dialog = window.review_actions.last_dialog
        dialog.story.setFocus()
        QTest.qWait(100)
        field = dialog.story
    else:
        QTest.keyClick(window.table, Qt.Key.Key_E)
        field = QApplication.focusWidget()
    for char in comment:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    print(f"typed {cid}", flush=True)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:5])
