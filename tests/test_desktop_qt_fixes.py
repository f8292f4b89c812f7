"""The PySide6 6.12.0 emit work-around: emitting from Python must not use up `True`."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import desktop.qt_fixes  # noqa: F401  (what is under test: imported for its effect)


class _Emitter(QObject):
    plain = Signal()
    value = Signal(object)


def test_emitting_keeps_the_reference_count_of_true(qtbot):
    emitter = _Emitter()
    got = []
    emitter.value.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(5000):  # without the fix, 5000 emits would drop 10,000 references
        emitter.plain.emit()
        emitter.value.emit(i)
    assert abs(sys.getrefcount(True) - before) < 50
    assert len(got) == 5000
