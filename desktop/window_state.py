"""The main window's state between runs and around the database: the reviewer's name (asked
once, up front; $SAVEDESK_REVIEWER wins), the read-only mark in the title, the layout and the
place the user left, closing with edits still unsaved, and files dropped on the window.

A mixin of MainWindow (desktop/main_window.py), kept apart so that file stays about the list.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import settings
from desktop.jobs import cancel_all_and_wait
from desktop.review_actions import ask_reviewer_name
from review.store.database import is_read_only
from review.store.targets import parse_target

REVIEWER_VARIABLE = "SAVEDESK_REVIEWER"  # names the reviewer, as it does for the command line


class WindowState:
    """Mixed into MainWindow; uses its widgets (sidebar, table, queues, ops...)."""

    def reviewer_name(self) -> str | None:
        """The reviewer's name: on a team store, the person's login (the server makes it the
        reviewer of what they write); else $SAVEDESK_REVIEWER, else the one they gave (None:
        not yet)."""
        person = getattr(self, "person", None)
        if person is not None:
            return str(person.login)
        return (os.environ.get(REVIEWER_VARIABLE) or "").strip() or (
            str(settings.get(settings.REVIEWER) or "").strip() or None
        )

    def reviewer(self, ask: bool = False, force: bool = False) -> str | None:
        """The reviewer's name; with `force`, asked for now (Edit > Reviewer name)."""
        person = getattr(self, "person", None)
        if force and person is not None:
            self.say(f"On this team store you review as your login, {person.login}.")
        elif force:
            ask_reviewer_name(self, self.reviewer_name() or "")
            self.review_panel.refresh()
        return self.reviewer_name()

    def ask_reviewer_up_front(self) -> str | None:
        """On opening: ask for the reviewer's name once, before any key reaches a rating,
        unless it is known (a team store's login, given before, or $SAVEDESK_REVIEWER)."""
        if self.reviewer_name() is None:
            ask_reviewer_name(self, "")
            self.review_panel.refresh()
        return self.reviewer_name()

    def update_read_only(self) -> None:
        """Say in the title, and once in the status bar, when the file is read-only."""
        read_only = is_read_only(self.db_path)
        if read_only and not self.read_only:
            self.say(
                "This database is read-only: you can read and export; an edit stays on screen, "
                "not saved, until the file can be written.",
                15_000,
            )
        self.read_only = read_only
        self._update_title()

    def _update_title(self) -> None:
        suffix = " (read-only)" if self.read_only else ""
        target = parse_target(self.db_path)
        self.setWindowTitle(f"{target.title()}{suffix} — savedesk")
        self.setWindowFilePath("" if target.is_server else self.db_path)

    def store_key(self) -> str:
        """The open store as settings file it: a file's path, a server's URL without password."""
        return parse_target(self.db_path).key()

    def _first_run_size(self) -> None:
        """Most of the screen on a first run (later runs restore the size the user left)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            self.resize(1280, 800)
            return
        width = min(screen.width(), max(1280, int(screen.width() * 0.85)))
        height = min(screen.height(), max(800, int(screen.height() * 0.85)))
        self.resize(width, height)
        # QWidget.move by name: this class's own move() steps through the list (J/K)
        QWidget.move(
            self,
            screen.x() + (screen.width() - width) // 2,
            screen.y() + (screen.height() - height) // 2,
        )

    def restore_state(self) -> None:
        """Put back the window layout, view and conversation (or queue and position) of the
        last session."""
        if not settings.restore_geometry(self):
            self._first_run_size()
        settings.restore_splitter(self.splitter)
        settings.restore_header(self.table.horizontalHeader(), "conversations")
        if self.queues.restore():
            return
        key = settings.get(settings.LAST_VIEW)
        if key and key != self.sidebar.current_key() and self.sidebar.select_key(key):
            pass  # selecting emits view_chosen, which refreshes the list
        last = settings.get(settings.LAST_CONVERSATION)
        if last:
            self.select_conversation(int(last))
        if self.current_conversation_id() is None and self.model.rowCount():
            self._select_row(0)  # a first run opens on the newest conversation, not a blank reader

    def save_state(self) -> None:
        """Remember the window layout and the conversation shown (on close; writing the
        settings file at every J cost 20 ms a key)."""
        if self.current_conversation_id() is not None:
            settings.put(settings.LAST_CONVERSATION, self.current_conversation_id())
        settings.save_geometry(self)
        settings.save_splitter(self.splitter)
        settings.save_header(self.table.horizontalHeader(), "conversations")

    def import_paths(self, paths: list[str]):
        """Preview and import these export files (File > Import and drops both land here)."""
        return self.file_menu.import_paths(paths)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def closeEvent(self, event) -> None:
        self.save_state()
        problem = self.ops.runner.problem() if self.ops.runner is not None else None
        left = self.ops.close()
        if left:
            cause = problem.cause if problem is not None else "the database did not answer"
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "savedesk",
                f"{len(left)} edit{'s are' if len(left) != 1 else ' is'} not saved yet because "
                f"{cause}; savedesk keeps {'them' if len(left) != 1 else 'it'} and saves "
                f"{'them' if len(left) != 1 else 'it'} the next time you open this database.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
        self.suggestion_source.close()
        cancel_all_and_wait()  # a running import rolls back rather than die mid-write
        # the dashboard and the coaching and calibration pages read this window's database:
        # they close with it rather than outlive it
        for child in self.findChildren(QWidget):
            if child.isWindow() and child.isVisible():
                child.close()
        super().closeEvent(event)
