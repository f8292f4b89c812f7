"""Right-click a table's header to choose which of its columns show.

The choice lives in the header's own state (hidden sections are part of `saveState`), so the
window that remembers its header between runs remembers the columns with no extra setting.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

DEFAULTS_TEXT = "Show the usual columns"


class ColumnMenu(QObject):
    """The header menu of `view`: one checkable entry per column, then a way back to the
    defaults. Columns in `always_shown` cannot be hidden; `hidden_by_default` start hidden."""

    def __init__(
        self, view: QTableView, always_shown: Iterable[str], hidden_by_default: Iterable[str]
    ):
        super().__init__(view)
        self.view = view
        self.always_shown = set(always_shown)
        self.hidden_by_default = set(hidden_by_default)
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._popup)
        header.setToolTip("Right-click to choose the columns")
        self.show_defaults()

    def names(self) -> list[str]:
        """The model's column headers, in model order."""
        model = self.view.model()
        return [
            str(model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount())
        ]

    def shown(self) -> list[str]:
        """The headers of the columns on show, in model order."""
        return [n for i, n in enumerate(self.names()) if not self.view.isColumnHidden(i)]

    def set_shown(self, name: str, shown: bool) -> None:
        """Show or hide the column headed `name` (a column that must show stays)."""
        if name in self.always_shown and not shown:
            return
        column = self.names().index(name)
        self.view.setColumnHidden(column, not shown)
        header = self.view.horizontalHeader()
        if shown and header.sectionSize(column) == 0:  # a restored state can keep width 0
            header.resizeSection(column, header.defaultSectionSize())

    def show_defaults(self) -> None:
        """Show every column except those hidden by default."""
        for name in self.names():
            self.set_shown(name, name not in self.hidden_by_default)

    def menu(self) -> QMenu:
        """A fresh menu reflecting the columns as they are now."""
        menu = QMenu(self.view)
        menu.setObjectName("column-menu")
        shown = self.shown()
        for name in self.names():
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(name in shown)
            action.setEnabled(name not in self.always_shown)
            action.toggled.connect(lambda on, name=name: self.set_shown(name, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(DEFAULTS_TEXT, self.show_defaults)
        return menu

    def _popup(self, position: QPoint) -> None:
        header = self.view.horizontalHeader()
        self.menu().exec(header.mapToGlobal(position))
