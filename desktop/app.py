"""Starting the desktop app: the QApplication, fonts, settings, the database, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop import errors, settings
from desktop.fonts import install_fonts
from review.errors import SavedeskError
from review.store.database import default_database_path, open_database

ORGANISATION = "savedesk"
APPLICATION = "savedesk"


def application() -> QApplication:
    """The QApplication (made once), with savedesk's names and the bundled fallback font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("savedesk")
    if not app.property("savedesk-fonts"):
        install_fonts(app)
        app.setProperty("savedesk-fonts", True)
    return app


def open_window(database: str | Path):
    """Open `database` (migrating it after a backup when it is older) in a new main window.

    Raises NotASavedeskDatabase (nothing changed) or DatabaseTooNew.
    """
    from desktop.main_window import MainWindow

    path = str(Path(database).expanduser().resolve())
    db = open_database(path)
    window = MainWindow(path, db)
    settings.remember_file(path)
    return window


class NoDisplay(SavedeskError):
    """There is no screen to open a window on (Linux without X11 or Wayland)."""

    def __init__(self) -> None:
        super().__init__(
            "savedesk needs a display to open its window, and none was found (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run it from a desktop session, or under xvfb-run; "
            "the commands work without one: savedesk --help."
        )


def require_display() -> None:
    """Raise NoDisplay where Qt would otherwise abort the whole process with a message that
    blames a missing library (Linux with no X11 or Wayland and no QT_QPA_PLATFORM)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise NoDisplay()


def run_app(database: str | None) -> int:
    """Run the app on `database` (None: the last one used, else the default); the exit code.

    A file that is not a savedesk database is named in a message and left untouched (exit 1).
    Raises NoDisplay where there is no screen.
    """
    require_display()
    app = application()
    settings.upgrade()
    if database is None:
        database = settings.get(settings.LAST_DATABASE) or str(default_database_path())
    try:
        window = open_window(database)
    except SavedeskError as exc:
        errors.show_error(None, exc, "savedesk cannot open this file")
        return 1
    window.restore_state()
    window.show()
    return app.exec()
