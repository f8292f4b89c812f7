"""The bundled CJK + Cyrillic font as a fallback, so Chinese never shows as boxes (PLATFORM.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

import resources

# resources/ may be a namespace package (no __init__.py, so no __file__): use its path
FONT_FILE = Path(next(iter(resources.__path__))) / "fonts" / "wqy-microhei.ttc"


def install_fonts(app: QApplication) -> list[str]:
    """Load WenQuanYi Micro Hei and add it behind the default family; returns its families."""
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    if font_id < 0:
        return []
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return []
    font = QFont(app.font())
    primary = font.families() or [font.family()]
    font.setFamilies([*primary, *[f for f in families if f not in primary]])
    app.setFont(font)
    # Widgets that set a family of their own still find Chinese through the substitution table.
    for family in primary:
        QFont.insertSubstitutions(family, [f for f in families if f != family])
    return list(families)
