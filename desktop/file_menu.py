"""The File menu: open, new, recent databases, import (menu and drag and drop), quit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from desktop import errors, settings
from review.errors import NotASavedeskDatabase, SavedeskError
from review.store.targets import is_server_url

if TYPE_CHECKING:
    from desktop.connect_dialog import ConnectDialog
    from desktop.import_dialog import ImportDialog

CONNECT_KEYS = "Ctrl+Shift+O"
DB_FILTER = "savedesk databases (*.db *.sqlite *.sqlite3);;All files (*)"
EXPORT_FILTER = "Helpdesk exports (*.json *.jsonl *.ndjson *.csv *.zip *.gz);;All files (*)"


class FileMenu(QObject):
    """Builds the File menu on `window` (a MainWindow) and carries out its actions."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu("&File")
        self.menu = menu
        self.open_action = self._add(
            menu, "&Open database…", QKeySequence.StandardKey.Open, self.ask_open
        )
        self.new_action = self._add(
            menu, "&New database…", QKeySequence.StandardKey.New, self.ask_new
        )
        self.connect_action = self._add(
            menu, "&Connect to server…", QKeySequence(CONNECT_KEYS), self.ask_connect
        )
        self.connect_action.setObjectName("connect-to-server")
        self.recent_menu = QMenu("Open &recent", menu)
        self.recent_menu.setObjectName("recent-menu")
        menu.addMenu(self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        self.import_action = self._add(
            menu, "&Import exports…", QKeySequence("Ctrl+I"), self.ask_import
        )
        self.import_folder_action = self._add(
            menu,
            "Import a &folder of exports…",
            QKeySequence("Ctrl+Shift+I"),
            self.ask_import_folder,
        )
        self.import_history_action = self._add(
            menu, "Import &history…", QKeySequence(), self.show_import_history
        )
        menu.addSeparator()
        self.quit_action = self._add(menu, "&Quit", QKeySequence("Ctrl+Q"), window.close)
        self.last_import: ImportDialog | None = None
        self.last_history: QDialog | None = None
        self.last_connect: ConnectDialog | None = None

    def _add(self, menu: QMenu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- databases ---------------------------------------------------------------------------
    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = settings.get(settings.RECENT_FILES)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.setEnabled(is_server_url(path) or Path(path).exists())
            action.triggered.connect(lambda _=False, p=path: self.open_file(p, create=False))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def ask_open(self) -> None:
        """File > Open: choose an existing savedesk database."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open a savedesk database",
            self._folder(),
            DB_FILTER,
        )
        if path:
            self.open_file(path, create=False)

    def ask_new(self) -> None:
        """File > New: name a new, empty database."""
        path, _ = QFileDialog.getSaveFileName(
            self.window, "New savedesk database", self._folder(), DB_FILTER
        )
        if not path:
            return
        if Path(path).exists() and Path(path).stat().st_size > 0:
            errors.show_error(
                self.window,
                NotASavedeskDatabase(path, "a file of that name exists; choose Open to open it"),
            )
            return
        self.open_file(path, create=True)

    def _folder(self) -> str:
        """Where the file dialogs start: the open file's folder (home on a server)."""
        if is_server_url(self.window.db_path):
            return str(Path.home())
        return str(Path(self.window.db_path).parent)

    def open_file(self, path: str, create: bool = False) -> bool:
        """Switch the window to the database at `path` (or a server URL from the recent list);
        a file that is not one is left untouched."""
        from desktop.app import open_for_reading, store_target

        path = store_target(path)
        try:
            db = open_for_reading(path, create=create)
        except SavedeskError as exc:
            what = "this team store" if is_server_url(path) else "this file"
            errors.show_error(self.window, exc, f"savedesk cannot open {what}")
            return False
        self.window.set_database(path, db)
        settings.remember_file(path)
        return True

    def ask_connect(self) -> ConnectDialog:
        """File > Connect to server… (Ctrl+Shift+O): the dialog (opened, not exec'd); once it
        connects, the window reopens on that store."""
        from desktop.app import open_for_reading
        from desktop.connect_dialog import ConnectDialog

        dialog = ConnectDialog(lambda url: open_for_reading(url, create=False), self.window)
        dialog.accepted.connect(lambda: self._connected(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.last_connect = dialog
        dialog.open()
        return dialog

    def _connected(self, dialog: ConnectDialog) -> None:
        if dialog.store is None:
            return
        self.window.set_database(dialog.url, dialog.store)
        settings.remember_file(dialog.url)  # without its password
        self.window.say(f"Connected to the team store {self.window.windowTitle().split(' — ')[0]}.")

    # --- import ------------------------------------------------------------------------------
    def ask_import(self) -> None:
        """File > Import (Ctrl+I): choose export files, then preview and import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Import helpdesk exports", str(Path.home()), EXPORT_FILTER
        )
        if paths:
            self.import_paths(paths)

    def ask_import_folder(self) -> None:
        """File > Import a folder (Ctrl+Shift+I): every export in a folder and its subfolders,
        as `savedesk import FOLDER` reads it (a file dialog picks files or a folder, not both)."""
        folder = QFileDialog.getExistingDirectory(
            self.window, "Import a folder of helpdesk exports", str(Path.home())
        )
        if folder:
            self.import_paths([folder])

    def show_import_history(self) -> None:
        """File > Import history: past imports of this database, each with its ledger."""
        from desktop.import_history import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.window.db_path, self.window)
        dialog.finished.connect(dialog.deleteLater)
        self.last_history = dialog
        dialog.open()

    def import_paths(self, paths: list[str | os.PathLike]) -> ImportDialog:
        """Open the import dialog on `paths` (also what dropping files on the window does)."""
        # imported here: the importers are not needed for the window's first paint
        from desktop.import_dialog import ImportDialog

        dialog = ImportDialog(self.window.db_path, paths, self.window)
        dialog.imported.connect(self.window.apply_changes)
        dialog.finished.connect(dialog.deleteLater)
        self.last_import = dialog
        dialog.open()
        return dialog
