"""Imported text shown as text, never as markup.

A QLabel, a tooltip or a message box decides on its own that a string "looks like" HTML and
renders it: a conversation subject such as `<img src=file:///...>` would load a local file. Every
widget that shows text savedesk did not write itself goes through these helpers.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str, parent: QWidget | None = None, *, bold: bool = False) -> QLabel:
    """A label that shows `text` exactly as written."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


def plain_tooltip(text: str | None) -> str:
    """`text` as a tooltip that shows it exactly (a tooltip is rich text when it looks like
    it: escaped and marked as rich text, it reads as written)."""
    if not text:
        return ""
    escaped = html.escape(text).replace("\n", "<br>")
    return f"<qt>{escaped}</qt>"


def escaped(text: str | None) -> str:
    """`text` escaped for a place that is rich text on purpose (a label with bold parts)."""
    return html.escape(text or "")


def plain_message_box(box: QMessageBox) -> QMessageBox:
    """Make a message box show its text as written."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def step_aside(dialog: QWidget) -> None:
    """Hide a dialog whose work is on its way to the database, giving the keyboard back to the
    window under it (the dialog closes, or comes back, when the work lands)."""
    dialog.hide()
    parent = dialog.parentWidget()
    if parent is not None:
        parent.window().activateWindow()
