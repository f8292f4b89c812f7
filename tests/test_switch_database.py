"""File > Open and File > New switch the window, its list and its writes to the other file."""

from __future__ import annotations

import shutil
import stat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from review.demo import build_demo
from review.store import connect
from tests.conftest import ON_SERVER
from tests.gui import settle, show_main_window


def test_open_another_database_and_write_there(
    qtbot, qt_settings, demo_path, db_path, monkeypatch, tmp_path
):
    # on the PostgreSQL pass the window starts on an empty server store and opens a file
    window = show_main_window(qtbot, db_path, reviewer="Lena", active=True)  # empty
    try:
        assert window.model.rowCount() == 0
        other = tmp_path / "other.db"
        if ON_SERVER:
            build_demo(other)
        else:
            shutil.copy(demo_path, other)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
        qtbot.keyClick(window.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        assert window.db_path == str(other) and window.model.rowCount() > 0
        assert window.windowTitle().startswith("other.db")
        window.focus_list()
        qtbot.keyClick(window.table, Qt.Key.Key_J)
        cid = window.current_conversation_id()
        qtbot.keyClick(window.table, Qt.Key.Key_4)
        settle(qtbot, window)
        check = connect(other)
        try:
            assert check.execute(
                "select count(*) from reviews where conversation_id = ? and reviewer = 'Lena'",
                [cid],
            ).fetchone() == (1,)
        finally:
            check.close()
        fresh = tmp_path / "fresh.db"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fresh), ""))
        qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert window.db_path == str(fresh) and window.model.rowCount() == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    finally:
        window.close()
        window.db.close()
