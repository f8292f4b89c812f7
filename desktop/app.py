"""Starting the desktop app: the QApplication, fonts, settings, the database, the main window.

Before Qt loads, the system libraries it needs are checked (desktop/system_libraries.py), so a
machine without them gets the one apt line to run instead of Qt's abort. Once it runs, anything
that escapes a slot reaches one dialog with its details and a log file (desktop/errors.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop import system_libraries
from review.errors import SavedeskError
from review.reviewing.rubrics import current_rubric
from review.store import open_store, parse_target
from review.store.database import default_database_path, is_read_only, set_lock_wait
from review.store.targets import default_target, is_server_url

# The GUI thread reads with this connection and must never wait on another writer: all
# writes go through the window's runner, on a thread and a connection of their own.
GUI_READ_TIMEOUT = 0.1

ORGANISATION = "savedesk"
APPLICATION = "savedesk"


def application():
    """The QApplication (made once), with savedesk's names and the bundled fallback font."""
    from PySide6.QtWidgets import QApplication

    from desktop.pyside_startup import read_sources_directly

    read_sources_directly()  # before the window's hundred-odd modules are imported
    from desktop.fonts import install_fonts
    from desktop.gui_garbage import collect_on_gui_thread

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("savedesk")
    if not app.property("savedesk-fonts"):
        install_fonts(app)
        app.setProperty("savedesk-fonts", True)
    collect_on_gui_thread()
    return app


def store_target(database: str | Path) -> str:
    """`database` as the window keeps it: a file's absolute path, or a server URL as given."""
    if is_server_url(str(database)):
        return str(database)
    return str(Path(database).expanduser().resolve())


def open_for_reading(path: str, *, create: bool = True):
    """The window's own connection to `path` (a file or a server URL): opened (a file migrated,
    after a backup) and given the default rubric if it is new, then used only to read, never
    waiting on another writer."""
    db = open_store(path, create=create)
    if parse_target(path).url is not None or not is_read_only(path):
        current_rubric(db)  # stores the default rubric on a new database, before any reading
    set_lock_wait(db, GUI_READ_TIMEOUT)  # from now on this connection only reads
    return db


def open_window(database: str | Path):
    """Open `database` (a file, migrated after a backup when it is older, or a team store's
    URL) in a new main window.

    Raises NotASavedeskDatabase (nothing changed), DatabaseTooNew, StoreBehind, StoreTooNew or
    SavedeskError (a server that cannot be reached or refuses the password).
    """
    from desktop import settings
    from desktop.main_window import MainWindow

    target = store_target(database)
    db = open_for_reading(target)
    window = MainWindow(target, db)
    settings.remember_file(target)
    return window


class NoDisplay(SavedeskError):
    """There is no screen to open a window on (Linux without X11 or Wayland)."""

    def __init__(self) -> None:
        super().__init__(
            "savedesk needs a display to open its window, and none was found (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run it from a desktop session, or under xvfb-run; "
            "the commands work without one: savedesk --help."
        )


class MissingSystemLibraries(SavedeskError):
    """Qt cannot start: system libraries it needs are not installed."""

    def __init__(self, packages: list[str]):
        self.packages = packages
        super().__init__(
            "savedesk cannot open its window because system libraries Qt needs are missing; "
            f"install them with: {system_libraries.install_line(packages)}"
        )


def require_system_libraries() -> None:
    """Raise MissingSystemLibraries where Qt would abort for want of a system library."""
    packages = system_libraries.missing_packages(system_libraries.needs_window_libraries())
    if packages:
        raise MissingSystemLibraries(packages)


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
    Raises NoDisplay where there is no screen, MissingSystemLibraries where Qt cannot start.
    """
    require_display()
    require_system_libraries()
    app = application()
    from desktop import errors, settings

    errors.install_excepthook()
    settings.upgrade()
    window = open_start_window(database)
    if window is None:
        return 1
    window.restore_state()
    window.show()
    window.ask_reviewer_up_front()  # once, before any rating key: never in the middle of one
    return app.exec()


def open_start_window(database: str | None):
    """The first window: on `database`, or (None) on the store used last, else the default
    file. What cannot be opened is said in a dialog (None is returned); a remembered team store
    that cannot be opened (the server is down) gives way to the person's own file, with File >
    Connect to server… to try it again, so nobody is locked out of savedesk by a server."""
    from desktop import errors, settings

    remembered = database is None
    if database is None:
        database = settings.get(settings.LAST_DATABASE) or default_target()
    try:
        return open_window(database)
    except SavedeskError as exc:
        on_server = is_server_url(str(database))
        errors.show_error(
            None, exc, f"savedesk cannot open {'this team store' if on_server else 'this file'}"
        )
        own = str(default_database_path())
        if not (remembered and on_server) or is_server_url(own):
            return None
    try:
        window = open_window(own)
    except SavedeskError as exc:
        errors.show_error(None, exc, "savedesk cannot open this file")
        return None
    window.say(
        f"Opened your own file, {Path(own).name}: File > Connect to server… (Ctrl+Shift+O) tries "
        "the team store again.",
        30_000,
    )
    return window
