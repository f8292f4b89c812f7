"""Work-arounds for bugs of the Qt binding we ship, each applied only where the bug shows.

PySide6 6.12.0 on Python 3.11: `SignalInstance.emit` returns `True` without taking a reference
to it, so every signal emitted from Python drops one reference to `True`. Python 3.11's `True`
is not immortal: after a few thousand emits (a report build's progress, a long review session)
its count reaches zero and the process dies with "Fatal Python error: bool_dealloc". `install`
measures the loss on a probe signal and, where there is one, wraps `emit` to give the
reference back. On a binding without the bug it changes nothing.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _lost_per_emit() -> int:
    """References to True one Python emit drops (0 on a sound binding)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        _incref(True)  # give back what the probe itself took
    return 1 if lost >= _PROBES else 0


def install() -> bool:
    """Apply the work-around if this binding needs it; True when it was applied (once)."""
    if getattr(SignalInstance, "_savedesk_emit_fixed", False):
        return True
    if not _lost_per_emit():
        return False
    original = SignalInstance.emit

    def emit(self, *args):
        result = original(self, *args)
        if result is True:
            _incref(True)
        return result

    emit.__doc__ = original.__doc__
    SignalInstance.emit = emit
    SignalInstance._savedesk_emit_fixed = True
    return True


install()
