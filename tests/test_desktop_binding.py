"""The Qt binding must keep Python's reference counts: PySide6 6.12.0 under Python 3.11 dropped
a reference to None on every void call and to True on every emit, and the app died with
"Fatal Python error: none_dealloc" after a few thousand of them. This fails fast, with a
reason, on such a binding (pyproject.toml excludes the release that did it)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    value = Signal(object)


def test_void_calls_and_emits_keep_reference_counts(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    got = []
    emitter.value.connect(got.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(500):
        label.setText(str(i))  # returns None
        emitter.value.emit(i)  # returns True
    assert len(got) == 500
    assert sys.getrefcount(None) - none_before > -50, "the binding drops references to None"
    assert sys.getrefcount(True) - true_before > -50, "the binding drops references to True"
