"""Errors reach the user once, clearly: a plain sentence, details on demand, traceback logged.

`show_error` is for failures the code expects (a file refused, a report not saved). Anything
else that escapes a slot reaches `excepthook` (after Anki's qt/aqt/errors.py): one dialog with
a sentence, the details behind "Show Details…", a button that copies them, and the traceback in
a log file beside the settings. A failure of the store that passes (a lock, a full disk, a
read-only file) reads as such, never as a traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from review.errors import SavedeskError
from review.store.failures import UNREACHABLE, store_problem

T = TypeVar("T")

log = logging.getLogger("savedesk")
_open_boxes: list[QMessageBox] = []  # unexpected-error dialogs on screen (kept alive)


def log_file() -> Path:
    """Where the traceback of every unexpected error is written: beside the settings file."""
    return Path(QSettings().fileName()).parent / "savedesk.log"


def message_for(exc: BaseException) -> tuple[str, str]:
    """(the sentence to show first, the details behind "Show Details")."""
    if isinstance(exc, SavedeskError):
        return str(exc), ""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    problem = store_problem(exc)
    if problem is not None:
        return f"savedesk could not read or write the database: {problem.cause}.", details
    return (
        f"Something went wrong: {type(exc).__name__}: {exc}. Your work so far is saved.",
        details,
    )


def error_box(parent: QWidget | None, exc: BaseException, title: str = "savedesk") -> QMessageBox:
    """The message box show_error opens (built apart so tests can inspect it)."""
    text, details = message_for(exc)
    if details:
        log.error("%s\n%s", text, details)
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(exc, SavedeskError) else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote imported text
    box.setText(text)
    if details:
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # an action button would close the box: copy and stay
        copy.clicked.connect(lambda: QApplication.clipboard().setText(f"{text}\n\n{details}"))
        box.addButton(QMessageBox.StandardButton.Close)
    box.setObjectName("error-box")
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "savedesk") -> None:
    """Tell the user about `exc`: one plain sentence, the traceback under Show Details."""
    error_box(parent, exc, title).exec()


def show_unexpected(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """An error nobody expected: one dialog with its details and a button that copies them,
    the traceback logged; the dialog does not block (the window keeps working)."""
    box = error_box(parent, exc)
    box.setInformativeText(f"The details are also in {log_file()}.")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.finished.connect(lambda _=0, b=box: _open_boxes.remove(b) if b in _open_boxes else None)
    _open_boxes.append(box)
    box.show()
    return box


def read_or_keep(read: Callable[[], T], keep: T) -> T:
    """A read for the screen that a passing store problem (a server that stopped answering,
    a lock) must not turn into an error: `keep`, what the screen shows already, instead. The
    runner says in the status line why nothing is saved meanwhile."""
    try:
        return read()
    except Exception as exc:
        if store_problem(exc) is None:
            raise
        log.info("kept what is on screen: %s", exc)
        return keep


def excepthook(kind, exc, tb) -> None:
    """sys.excepthook of the app: log the traceback and show one dialog, without blocking.
    A server that stopped answering is no dialog: each window says it in its status line."""
    if exc is None:
        exc = kind()
    exc.__traceback__ = tb
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    problem = store_problem(exc)
    if problem is not None and problem.kind == UNREACHABLE:
        log.warning("the team store's server did not answer: %s", exc)
        for widget in QApplication.topLevelWidgets():
            ops = getattr(widget, "ops", None)
            if ops is not None and hasattr(ops, "show_offline"):
                ops.show_offline(problem)
        return
    show_unexpected(QApplication.activeWindow(), exc)


def install_excepthook() -> None:
    """Route every uncaught error to `excepthook` and its tracebacks to the log file."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    except OSError:  # a read-only home: the dialog still shows the details
        pass
    sys.excepthook = excepthook


def open_error_boxes() -> list[QMessageBox]:
    """The unexpected-error dialogs on screen (for tests)."""
    return list(_open_boxes)
