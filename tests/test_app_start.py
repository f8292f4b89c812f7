"""Starting the app: Qt's missing system libraries named with the apt line that installs them,
reportlab kept out of start-up, and anything unexpected reaching one dialog with copyable
details and a log file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import app as desktop_app
from desktop import errors, system_libraries
from desktop.cli import main
from review.changes import Changes
from review.operations import OPERATIONS, Call
from review.operations.core import _Registered
from tests.gui import settle, show_main_window

ROOT = Path(__file__).resolve().parents[1]


def _without(library: str):
    return lambda name: name != library


def test_missing_window_libraries_are_named_with_their_apt_line(monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(system_libraries, "loads", _without("libxcb-cursor.so.0"))
    monkeypatch.setattr(sys, "argv", ["savedesk"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0  # one line
    assert "sudo apt-get install -y --no-install-recommends libxcb-cursor0" in err


def test_offscreen_needs_only_the_offscreen_libraries(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(system_libraries, "loads", _without("libxcb-icccm.so.4"))
    assert not system_libraries.needs_window_libraries()
    desktop_app.require_system_libraries()  # nothing missing for offscreen
    monkeypatch.setattr(system_libraries, "loads", _without("libEGL.so.1"))
    with pytest.raises(desktop_app.MissingSystemLibraries, match="libegl1"):
        desktop_app.require_system_libraries()


def test_the_app_starts_without_reportlab(tmp_path, db_path):
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["XDG_CONFIG_HOME"] = {str(tmp_path)!r}
        from desktop.app import application, open_window
        app = application()
        window = open_window({str(db_path)!r})
        window.show()
        app.processEvents()
        print(sorted(m for m in ("reportlab", "pypdf", "PySide6.QtCharts", "PySide6.QtPdf") if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_uncaught_error_is_one_dialog_with_copyable_details_and_a_log(qtbot, qt_settings):
    errors.install_excepthook()
    try:
        raise RuntimeError("the flux capacitor")
    except RuntimeError as exc:
        kind, value, tb = type(exc), exc, exc.__traceback__
    sys.excepthook(kind, value, tb)
    [box] = errors.open_error_boxes()
    qtbot.addWidget(box)
    assert box.isVisible() and box.windowModality() == box.windowModality().NonModal
    assert box.text().startswith("Something went wrong: RuntimeError: the flux capacitor.")
    assert "Traceback" in box.detailedText()
    assert str(errors.log_file()) in box.informativeText()
    copy = next(b for b in box.buttons() if b.text() == "Copy details")
    copy.click()
    assert "the flux capacitor" in QApplication.clipboard().text()
    assert box.isVisible()  # copying does not close it
    box.close()
    assert "".join(traceback.format_tb(tb)).splitlines()[0] in errors.log_file().read_text()


def test_an_operation_that_fails_unexpectedly_shows_the_dialog_and_the_window_goes_on(
    qtbot, qt_settings, demo_path, monkeypatch
):
    def boom(db, actor) -> Changes:
        """Fails as a bug would."""
        raise ZeroDivisionError("division by zero in a slot")

    monkeypatch.setitem(OPERATIONS, "boom", _Registered(boom, "Boom"))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail("a modal dialog"))
    window = show_main_window(qtbot, demo_path, reviewer="Lena")
    try:
        before = len(errors.open_error_boxes())
        window.ops.perform(Call("boom"))
        settle(qtbot, window)
        boxes = errors.open_error_boxes()[before:]
        assert len(boxes) == 1 and "ZeroDivisionError" in boxes[0].text()
        boxes[0].close()
        window.ops.perform(Call("undo"))  # the next edit goes through as ever
        settle(qtbot, window)
    finally:
        window.close()
        window.db.close()
