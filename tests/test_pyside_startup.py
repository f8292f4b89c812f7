"""PySide's question of every imported module gets the same answer, more cheaply."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6.QtWidgets")

from desktop import pyside_startup  # noqa: E402
from desktop.app import application  # noqa: E402


def test_the_window_puts_the_cheaper_check_in_place(qapp):
    from shibokensupport import feature

    application()
    assert feature._mod_uses_pyside is pyside_startup.uses_pyside


def test_every_module_gets_pyside_own_answer(qapp):
    from shibokensupport import feature

    import desktop.main_window  # noqa: F401 - the modules the window imports

    application()
    original = pyside_startup._pyside_answer
    assert original is not None and feature._mod_uses_pyside is not original
    modules = [m for m in list(sys.modules.values()) if m is not None]
    answers = {m.__name__: pyside_startup.uses_pyside(m) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    # both kinds are among them, or the comparison proves little
    assert answers["desktop.main_window"] and not answers["review.store.store"]
