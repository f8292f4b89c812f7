"""Errors reach the user once, clearly: a plain sentence, details on demand, traceback logged."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from review.errors import SavedeskError

log = logging.getLogger("savedesk")


def message_for(exc: BaseException) -> tuple[str, str]:
    """(the sentence to show first, the details behind "Show Details")."""
    if isinstance(exc, SavedeskError):
        return str(exc), ""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
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
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.setObjectName("error-box")
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "savedesk") -> None:
    """Tell the user about `exc`: one plain sentence, the traceback under Show Details."""
    error_box(parent, exc, title).exec()
