"""Filter chips above the list: period, agent, team, channel, status, CSAT, reviewed, churn signal.

Each chip is a button with a menu; a chip that is set shows its value and is drawn highlighted.
`filters()` gives the chips' part of the list's Filters; the sidebar's view supplies the rest.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMenu,
    QToolButton,
    QWidget,
)

from desktop.flow_layout import FlowLayout
from review.filters import Filters
from review.reviewing import browse
from review.store import Store

_PERIODS = (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90), ("Last 365 days", 365))


def merge(base: Filters, chips: Filters) -> Filters:
    """`base` (the sidebar's view) with every field the chips set taking precedence."""
    changes = {
        f.name: getattr(chips, f.name)
        for f in fields(chips)
        if getattr(chips, f.name) not in (None, ())
    }
    return replace(base, **changes)


class _Chip(QToolButton):
    """One filter: a menu of exclusive choices, the first of which means "any"."""

    changed = Signal()

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"chip-{name.lower().replace(' ', '-')}")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(False)
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._group.triggered.connect(self._on_triggered)
        self.value: object = None
        self.set_choices([])

    def set_choices(self, choices: list[tuple[str, object]]) -> None:
        """Replace the choices (label, value) after "Any"; keeps the value if still offered."""
        keep = self.value
        self._menu.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        self._add("Any", None)
        self._menu.addSeparator()
        values = [v for _, v in choices]
        for label, value in choices:
            self._add(label, value)
        self.select(keep if keep in values else None, emit=False)

    def add_action(self, action: QAction) -> None:
        """An extra, non-choice entry at the end (e.g. "Custom…")."""
        self._menu.addSeparator()
        self._menu.addAction(action)

    def _add(self, label: str, value: object) -> None:
        action = QAction(label, self)
        action.setCheckable(True)
        action.setData(value)
        self._group.addAction(action)
        self._menu.addAction(action)

    def select(self, value: object, emit: bool = True, label: str | None = None) -> None:
        """Choose `value` (None = any)."""
        self.value = value
        shown = label
        for action in self._group.actions():
            hit = action.data() == value
            action.setChecked(hit)
            if hit and shown is None:
                shown = action.text()
        if value is None:
            self.setText(self.name)
            self.setStyleSheet("")
        else:
            self.setText(f"{self.name}: {shown or value}")
            self.setStyleSheet("QToolButton { font-weight: bold; }")
        if emit:
            self.changed.emit()

    def _on_triggered(self, action: QAction) -> None:
        self.select(action.data())


class FilterBar(QWidget):
    """The row of chips; `changed` fires when any chip changes."""

    changed = Signal()

    def __init__(self, db: Store, parent=None):
        super().__init__(parent)
        self.setObjectName("filter-bar")
        self.db = db
        layout = FlowLayout(self, spacing=4)
        self.chips: dict[str, _Chip] = {}
        for name in ("Period", "Agent", "Team", "Channel", "Status", "CSAT", "Reviewed", "Churn"):
            chip = _Chip(name, self)
            chip.changed.connect(self.changed)
            layout.addWidget(chip)
            self.chips[name] = chip
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Clear every filter")
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        custom = QAction("Custom range…", self)
        custom.triggered.connect(self._custom_period)
        self.chips["Period"].set_choices([(label, days) for label, days in _PERIODS])
        self.chips["Period"].add_action(custom)
        self.chips["CSAT"].set_choices(
            [("positive", "positive"), ("negative", "negative"), ("rated", "any")]
        )
        self.chips["Reviewed"].set_choices([("reviewed", True), ("not reviewed", False)])
        self.chips["Churn"].set_choices([("with signal", True), ("without", False)])
        self.reload()

    def set_database(self, db: Store) -> None:
        """Offer the agents, teams, channels and statuses of another database."""
        self.db = db
        self.clear(emit=False)
        self.reload()

    def reload(self) -> None:
        """Refresh the choices from the store (after an import)."""
        self.chips["Agent"].set_choices(
            [(a.name, a.id) for a in browse.agents(self.db, counted=False)]
        )
        self.chips["Team"].set_choices(
            [(t.name, t.all_ids) for t in browse.teams(self.db, counted=False)]
        )
        self.chips["Channel"].set_choices([(c, c) for c in browse.channels(self.db)])
        self.chips["Status"].set_choices([(s, s) for s in browse.statuses(self.db)])

    def clear(self, emit: bool = True) -> None:
        """Set every chip back to "any"."""
        for chip in self.chips.values():
            chip.select(None, emit=False)
        if emit:
            self.changed.emit()

    def filters(self, today: date | None = None) -> Filters:
        """The chips' restrictions as Filters."""
        c = self.chips
        period = c["Period"].value
        date_from = date_to = None
        if isinstance(period, int):
            today = today or date.today()
            date_from = (today - timedelta(days=period - 1)).isoformat()
            date_to = today.isoformat()
        elif isinstance(period, tuple):
            date_from, date_to = period
        return Filters(
            date_from=date_from,
            date_to=date_to,
            agent_ids=(c["Agent"].value,) if c["Agent"].value is not None else (),
            team_ids=tuple(c["Team"].value) if c["Team"].value is not None else (),
            channels=(c["Channel"].value,) if c["Channel"].value is not None else (),
            statuses=(c["Status"].value,) if c["Status"].value is not None else (),
            csat=c["CSAT"].value,
            reviewed=c["Reviewed"].value,
            churn_signal=c["Churn"].value,
        )

    def set_period(self, date_from: str, date_to: str) -> None:
        """Restrict to a custom range of days (inclusive, YYYY-MM-DD)."""
        self.chips["Period"].select((date_from, date_to), label=f"{date_from} – {date_to}")

    def _custom_period(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Period")
        form = QFormLayout(dialog)
        start, end = QDateEdit(dialog), QDateEdit(dialog)
        for edit in (start, end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        start.setDate(QDate.currentDate().addDays(-30))
        end.setDate(QDate.currentDate())
        form.addRow("From", start)
        form.addRow("To", end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_period(start.date().toString("yyyy-MM-dd"), end.date().toString("yyyy-MM-dd"))
