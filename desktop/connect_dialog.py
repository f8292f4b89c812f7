"""File > Connect to server…: open a team store on a PostgreSQL server.

One URL field (`postgresql://user@host/database`, or `postgresql:///?service=NAME` for an entry
of libpq's service file), or the host, port, database and user typed one by one, which write the
URL as they change. The last server is offered again, never with a password: libpq reads the
password from ~/.pgpass or the service file. A server that cannot be reached, refuses the
password, is behind or ahead of this savedesk, or holds something that is not a savedesk store
is said in one sentence inside the dialog, which stays open to correct the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import errors, settings
from desktop.jobs import BackgroundCall
from review.errors import SavedeskError
from review.store import Store
from review.store.targets import describe_url, is_server_url, safe_url, url_from_parts

log = logging.getLogger("savedesk")

ERROR_STYLE = "color: #c62828;"
Opener = Callable[[str], Store]


class ConnectDialog(QDialog):
    """Asks for a server URL and opens it with `opener`; `store` and `url` hold the result."""

    def __init__(self, opener: Opener, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connect-dialog")
        self.setWindowTitle("Connect to a team store")
        self.setMinimumWidth(520)
        self._opener = opener
        self.store: Store | None = None
        self.url = ""
        self._call: BackgroundCall | None = None
        self.url_field = QLineEdit(self)
        self.url_field.setObjectName("server-url")
        self.url_field.setPlaceholderText("postgresql://you@db.example.com/reviews")
        self.url_field.setText(settings.get(settings.LAST_SERVER) or "")
        self.url_field.selectAll()
        self.url_field.textEdited.connect(lambda _: self.problem.setText(""))

        parts = QGroupBox("Or field by field", self)
        form = QFormLayout(parts)
        self.host = QLineEdit(parts)
        self.host.setPlaceholderText("db.example.com, or a socket folder")
        self.port = QLineEdit(parts)
        self.port.setPlaceholderText("5432")
        self.database = QLineEdit(parts)
        self.user = QLineEdit(parts)
        for label, field, name in (
            ("&Host:", self.host, "server-host"),
            ("&Port:", self.port, "server-port"),
            ("&Database:", self.database, "server-database"),
            ("&User:", self.user, "server-user"),
        ):
            field.setObjectName(name)
            field.textEdited.connect(self._from_parts)
            form.addRow(label, field)

        note = QLabel(
            "savedesk never stores a password: libpq reads it from ~/.pgpass or your "
            "pg_service.conf. An admin upgrades the store with: savedesk admin upgrade URL",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        self.problem = QLabel(self)
        self.problem.setObjectName("connect-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("&Connect")
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        url_label = QLabel("Server &URL:", self)
        url_label.setBuddy(self.url_field)
        layout.addWidget(url_label)
        layout.addWidget(self.url_field)
        layout.addWidget(parts)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _from_parts(self, _text: str = "") -> None:
        self.problem.setText("")
        host, database = self.host.text().strip(), self.database.text().strip()
        if not (host or database):
            return
        port = self.port.text().strip()
        if port and not port.isdigit():
            self.problem.setText(f"The port is a number (5432 by default), not {port}.")
            return
        self.url_field.setText(url_from_parts(host, port, database, self.user.text()))

    def try_connect(self) -> None:
        """Connect: open the store at the URL off the GUI thread (a host that does not answer
        takes seconds to say so), then reopen the window on it, or say in one sentence why
        not and stay."""
        url = self.url_field.text().strip()
        if not is_server_url(url):
            self.problem.setText(
                "A team store's URL starts with postgresql:// (for a file, use File > Open "
                "database…)."
            )
            return
        if self.connecting():
            return
        self.problem.setText(f"Connecting to {describe_url(url)}…")
        self.connect_button.setEnabled(False)
        opener = self._opener
        call = BackgroundCall(lambda: (url, *_attempt(opener, url)))
        call.done.connect(lambda outcome, dialog=self: _deliver(dialog, outcome))
        self._call = call
        call.start()

    def connecting(self) -> bool:
        """True while a connection is being tried."""
        return self._call is not None and self._call.is_running()

    def _answered(self, outcome: tuple[str, Store | None, BaseException | None]) -> None:
        self._call = None
        url, store, exc = outcome
        if not self.isVisible():
            if store is not None:  # cancelled meanwhile: nobody wants it
                store.close()
            return
        self.connect_button.setEnabled(True)
        if exc is not None:
            self.problem.setText(errors.message_for(exc)[0])
            if not isinstance(exc, SavedeskError):
                log.error("connecting to %s", safe_url(url), exc_info=exc)
            return
        self.store, self.url = store, url
        self.problem.setText("")
        self.accept()


def _deliver(dialog: ConnectDialog, outcome: tuple[str, Store | None, BaseException | None]):
    # the dialog may be gone (cancelled, then deleted) before a slow server answers
    if shiboken6.isValid(dialog):
        dialog._answered(outcome)
    elif outcome[1] is not None:
        outcome[1].close()


def _attempt(opener: Opener, url: str) -> tuple[Store | None, BaseException | None]:
    # on a worker thread: whatever goes wrong comes back to be said in the dialog
    try:
        return opener(url), None
    except Exception as exc:  # noqa: BLE001 - said in one sentence by the dialog
        return None, exc
