"""Work that can wait until the window has painted once (counting a million conversations,
reading the whole list): started after the first paint, so it does not compete with it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _Waiter(QObject):
    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.waiting: list[Callable[[], None]] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.waiting:
            waiting, self.waiting = self.waiting, []
            for work in waiting:
                QTimer.singleShot(0, work)  # once this paint is on screen
        return False


def after_first_paint(widget: QWidget, work: Callable[[], None]) -> None:
    """Run `work` once `widget` has painted; at once when it has, or is hidden (its window
    not shown yet: nothing on screen to wait for)."""
    if widget.property("savedesk-painted"):
        work()
        return
    waiter = widget.findChild(_Waiter)
    if waiter is None:
        waiter = _Waiter(widget)
        waiter.waiting.append(lambda: widget.setProperty("savedesk-painted", True))
    if widget.isVisible():
        waiter.waiting.append(work)
        widget.update()  # a paint is coming, even where nothing else asks for one
    else:
        work()
