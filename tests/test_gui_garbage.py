"""Garbage is collected on the GUI thread only (desktop/gui_garbage.py)."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QObject

from desktop.gui_garbage import collect_on_gui_thread


class _Cycle(QObject):
    def __init__(self):
        super().__init__()
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_automatic_collection_is_off_and_the_gui_threads_timer_frees_cycles(qtbot):
    collect_on_gui_thread()
    assert not gc.isenabled()  # no collection can start on a worker thread
    cycle = _Cycle()
    ref = weakref.ref(cycle)
    del cycle
    junk = [[i] for i in range(gc.get_threshold()[0] * 2)]  # as a busy program's allocations
    qtbot.wait(1_500)  # the timer's turns
    assert ref() is None
    del junk
