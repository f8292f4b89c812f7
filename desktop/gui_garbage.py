"""Python's cyclic garbage collector run on the GUI thread only.

A collection runs in whichever thread happens to allocate when a generation's threshold is
crossed. If that is a worker thread (a background job, the operation runner) and the garbage
holds a Qt object, Qt deletes it off the GUI thread: a segmentation fault, seen once in the
test suite while a scoring job loaded its rules. So automatic collection is switched off and a
timer on the GUI thread collects instead, by the same thresholds (the pattern of pyqtgraph's
util/garbage_collector.py).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
_collector: _Collector | None = None  # kept here: a QObject's Python side must outlive its slots


class _Collector(QObject):
    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(INTERVAL_MS)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            gc.collect(0)
            if middle > self.threshold[1]:
                gc.collect(1)
                if old > self.threshold[2]:
                    gc.collect(2)


def collect_on_gui_thread() -> None:
    """From now on only the GUI thread collects garbage (call on the GUI thread, once an
    application exists; calling again does nothing)."""
    app = QCoreApplication.instance()
    if app is None or app.property("savedesk-gc"):
        return
    global _collector
    app.setProperty("savedesk-gc", True)
    _collector = _Collector(app)
    gc.disable()
