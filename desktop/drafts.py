"""Text typed into a dialog is kept as a draft while it is typed (review.store.drafts), through
the window's runner: a crash or a kill loses none of it, and the same dialog opened again
offers it back. OK drops the draft once the dialog's own write is in; Cancel drops it too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QPlainTextEdit

from review.operations import Call
from review.store.drafts import get_draft

TYPING_PAUSE = 0.4  # seconds after the last key before the draft is written


def keep_drafts(
    dialog: QDialog, fields: dict[str, QPlainTextEdit], db, perform: Callable[..., object]
) -> list[str]:
    """Write each field's text under its key as it is typed; put back a draft a crash left.
    Returns the keys whose draft was put back."""
    restored = []
    for key, field in fields.items():
        text = get_draft(db, key)
        if text and text != field.toPlainText():
            field.setPlainText(text)
            restored.append(key)
        field.textChanged.connect(
            lambda key=key, field=field: perform(
                Call("draft", {"key": key, "text": field.toPlainText()}),
                key=f"draft|{key}",
                delay=TYPING_PAUSE,
            )
        )
    dialog.finished.connect(
        lambda _result: [perform(Call("drop-draft", {"key": key})) for key in fields]
    )
    if restored:
        dialog.setWindowTitle(dialog.windowTitle() + " — text you had typed is back")
    return restored
