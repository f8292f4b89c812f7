"""A cheaper answer to the question PySide6 asks of every module imported after it.

Once PySide6 is loaded, its import hook asks of each new module whether it uses PySide (to
apply the module's `from __feature__ import ...` switches), by reading its source with
`inspect.getsource`: the line cache and the tokenizer, for every one of the hundred-odd modules
the window imports as it opens (napari measured the same tax: napari/napari#8584). The answer
is "PySide6" appearing in the source; here it is found by reading the module's file directly,
and where that cannot be done (no .py file, a zip), PySide's own way still answers.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

_pyside_answer: Callable[[ModuleType], bool] | None = None


def uses_pyside(module: ModuleType) -> bool:
    """Whether `module`'s source names PySide6, as PySide's own check answers it."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if isinstance(origin, str) and origin.endswith(".py"):
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return _pyside_answer(module) if _pyside_answer is not None else False


def read_sources_directly() -> None:
    """Have PySide's import hook ask `uses_pyside` (once PySide6 is imported; a PySide
    without that hook is left as it is)."""
    global _pyside_answer
    try:
        from shibokensupport import feature  # PySide's own support package
    except ImportError:
        return
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original) or original is uses_pyside:
        return
    _pyside_answer = original
    feature._mod_uses_pyside = uses_pyside
