"""The Reports menu: a dialog per PDF report and per CSV export, and Ctrl+P for "the report of
what I am looking at" (an agent's view: their coaching review; a team's: the quality report;
otherwise the last report made, the saved-revenue report at first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from desktop import settings
from desktop.report_kinds import EXPORTS, LAST_KIND, REPORTS
from review.filters import Filters

if TYPE_CHECKING:  # the dialog (and Qt's PDF module) loads when a report is first opened
    from desktop.report_dialog import ReportDialog


class ReportsMenu(QObject):
    """Installs the Reports menu on `window` (a MainWindow), before Help."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
        self.menu = bar.addMenu("&Reports")
        if help_action is not None:  # keep Help last, where people look for it
            bar.insertMenu(help_action, self.menu)
        self.actions: dict[str, QAction] = {}
        for kind, name in REPORTS.items():
            self._add(kind, f"{name}…")
        self.menu.addSeparator()
        for kind, name in EXPORTS.items():
            self._add(kind, f"Export {name.lower()} (CSV)…")
        self.menu.addSeparator()
        self.current_action = QAction("Export the current report…", window)
        self.current_action.setObjectName("report-current")
        self.current_action.setShortcut(QKeySequence("Ctrl+P"))
        self.current_action.triggered.connect(self.open_current)
        self.menu.addAction(self.current_action)
        self.dialog: ReportDialog | None = None

    def _add(self, kind: str, text: str) -> None:
        action = QAction(text, self.window)
        action.setObjectName(f"report-{kind}")
        action.triggered.connect(lambda _=False, kind=kind: self.open(kind))
        self.menu.addAction(action)
        self.actions[kind] = action

    def current_filters(self) -> Filters:
        """The list's filters (sidebar view and chips) that a report should start from."""
        return self.window.current_query().filters

    def current_kind(self) -> str:
        """The report that fits the current view (see the module docstring)."""
        key = self.window.sidebar.current_key() or ""
        filters = self.current_filters()
        if key.startswith("agent:") or len(filters.agent_ids) == 1:
            return "coaching"
        if key.startswith("team:"):
            return "quality"
        kind = settings.get(LAST_KIND)
        return kind if kind in REPORTS else "saved-revenue"

    def open_current(self) -> ReportDialog:
        """Ctrl+P: the dialog of the report for the current view."""
        return self.open(self.current_kind())

    def open(self, kind: str, filters: Filters | None = None) -> ReportDialog:
        """Open the dialog of report or export `kind`, starting from the list's filters."""
        from desktop.report_dialog import ReportDialog  # with Qt's PDF module: on first use

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reject()
        w = self.window
        self.dialog = ReportDialog(w.db, w.db_path, kind, filters or self.current_filters(), w)
        self.dialog.show()
        return self.dialog
