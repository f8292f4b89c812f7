"""Go > Dashboard: opens the dashboard window beside the main window, and lists in the main
window the conversations under a clicked bar (as a sidebar view of exactly those ids)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from desktop.sidebar import View
from review.filters import Filters

if TYPE_CHECKING:  # the dashboard (and QtCharts) loads when first opened
    from desktop.dashboard import Dashboard

CHART_SECTION = "From a chart"
CHART_VIEW = "chart"


def list_conversations(window, ids: list[int], label: str) -> None:
    """Show exactly `ids` in `window`'s list, under a sidebar view named `label`.

    The list's chips and search are cleared so that nothing narrows the set further (a chart's
    agent filter credits the agent of the save or review, which the list's agent chip does not).
    """
    sidebar = window.sidebar
    sidebar.remove_section(CHART_SECTION)
    view = View(CHART_VIEW, label, Filters(conversation_ids=tuple(ids)))
    sidebar.add_section(CHART_SECTION, [view], counts=[len(ids)])
    window.filter_bar.clear(emit=False)
    window.search.blockSignals(True)
    window.search.clear()
    window.search.blockSignals(False)
    if not sidebar.select_key(CHART_VIEW):  # already current: the view changed under it
        window.refresh_list()
    sidebar.scrollToItem(sidebar.currentItem())
    if window.model.rowCount() and window.current_conversation_id() is None:
        window.move(1)  # show the first of them in the reader
    window.raise_()
    window.activateWindow()


class DashboardOpener(QObject):
    """Adds Go > Dashboard (Ctrl+D) to `window` and keeps its one dashboard window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dashboard: Dashboard | None = None
        self.action = QAction("&Dashboard", window)
        self.action.setObjectName("show-dashboard")
        self.action.setShortcut(QKeySequence("Ctrl+D"))
        self.action.triggered.connect(self.show)
        window.go_menu.addSeparator()
        window.go_menu.addAction(self.action)
        window.database_changed.connect(self._database_changed)
        # every edit (undo and redo included) arrives through the window's runner; another
        # program's changes through its live-data watch
        window.ops.finished.connect(self._changed)
        window.live.refreshed.connect(self._changed)

    def show(self) -> Dashboard:
        """Open the dashboard (made on first use with the list's filters) and bring it up."""
        if self.dashboard is None:
            from desktop.dashboard import Dashboard

            self.dashboard = Dashboard(self.window.db, self.window.filter_bar, self.window)
            self.dashboard.open_conversations.connect(
                lambda ids, label: list_conversations(self.window, ids, label)
            )
            report = QShortcut(QKeySequence("Ctrl+P"), self.dashboard)
            report.activated.connect(self.report)
        elif not self.dashboard.isVisible():
            self.dashboard.copy_filters(self.window.filter_bar)
            self.dashboard.refresh()
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        return self.dashboard

    def report(self):
        """Ctrl+P on the dashboard: the saved-revenue report for the dashboard's filters."""
        menu = getattr(self.window, "reports_menu", None)
        if menu is not None and self.dashboard is not None:
            return menu.open("saved-revenue", self.dashboard.filters())
        return None

    def _database_changed(self) -> None:
        if self.dashboard is not None:
            self.dashboard.set_database(self.window.db)

    def _changed(self, *_args) -> None:
        if self.dashboard is not None:
            self.dashboard.mark_stale()
