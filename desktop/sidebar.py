"""The sidebar of saved views: All, To review, Churn signals, Saved, Save failed, Lost, Right outcome,
then agents and teams.

Each entry is a `View` (filters plus an outcome) that the main window puts under the list.
Later sections (queues, follow-ups due) are added by `add_section`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from desktop.first_paint import after_first_paint
from desktop.jobs import BackgroundCall
from desktop.plain import plain_tooltip
from review.filters import Filters
from review.reviewing import browse
from review.reviewing.browse import ListQuery
from review.store import Store
from review.store.database import database_path

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class View:
    """One sidebar entry: a stable key (remembered between runs), a label and what it selects.

    `sort` fixes the list's order whatever the header says (a queue: browse.GIVEN_ORDER).
    """

    key: str
    label: str
    filters: Filters = field(default_factory=Filters)
    outcome: str | None = None
    sort: str | None = None

    def query(self) -> ListQuery:
        """The list query this view stands for (default order, or the view's own)."""
        if self.sort:
            return ListQuery(self.filters, outcome=self.outcome, sort=self.sort, descending=False)
        return ListQuery(filters=self.filters, outcome=self.outcome)


BASIC_VIEWS: tuple[View, ...] = (
    View("all", "All"),
    View("to-review", "To review", Filters(reviewed=False)),
    View("churn", "Churn signals", Filters(churn_signal=True)),
    View("saved", "Saved", outcome="saved"),
    View("save-failed", "Save failed", outcome="save-failed"),
    View("lost", "Lost", outcome="lost"),
    View("right-outcome", "Right outcome", outcome="right-outcome"),
)
# What each retention view counts, in the words of the dashboard figure it matches.
VIEW_TIPS = {
    "saved": "Saves that held (pending or confirmed): the n of saved MRR on the dashboard.",
    "save-failed": "Saves the billing list showed gone: they kept nothing, the save rate counts them.",
    "lost": "Losses, Not a fit apart: the n of lost MRR on the dashboard.",
    "right-outcome": "Losses that were the right outcome (Not a fit): reported apart, not lost MRR.",
}


class Sidebar(QTreeWidget):
    """Saved views, agents and teams; `view_chosen` fires with the View the user picked."""

    view_chosen = Signal(object)

    def __init__(self, db: Store, parent=None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.db = db
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._views: dict[str, View] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        # callables that add their own sections (follow-ups due) each time the sidebar is rebuilt
        self.extra_sections: list[Callable[[], None]] = []
        self._counting: BackgroundCall | None = None  # the latest count of the basic views
        self._counts_in = False  # its result has been shown
        self.currentItemChanged.connect(self._on_current)
        # no reload() here: the window fills the sidebar once every section has registered

    def set_database(self, db: Store) -> None:
        """Show the views of another database."""
        self.db = db
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Rebuild every section (after an import brought new agents or teams)."""
        keep = keep or self.current_key() or "all"
        self.blockSignals(True)
        self.clear()
        self._views.clear()
        self._items.clear()
        self.add_section("Views", list(BASIC_VIEWS))
        for add in self.extra_sections:
            add()
        # names at once; how many conversations each has fills in from a worker thread
        agents = browse.agents(self.db, counted=False)
        self.add_section(
            "Agents", [View(f"agent:{a.id}", a.name, Filters(agent_ids=(a.id,))) for a in agents]
        )
        teams = browse.teams(self.db, counted=False)
        self.add_section(
            "Teams", [View(f"team:{t.id}", t.name, Filters(team_ids=t.all_ids)) for t in teams]
        )
        self.expandAll()
        self.blockSignals(False)
        self.select_key(keep if keep in self._items else "all", emit=False)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Recount the basic views, agents and teams (after a review, save or loss changed
        their membership, or an import).

        Counting "To review" over a million conversations takes over a second, so the counts
        are made on a worker thread and fill in when ready; the list never waits."""
        path = database_path(self.db)
        queries = [view.query() for view in BASIC_VIEWS]
        if not path:  # an in-memory database cannot be opened twice: count here
            return
        call = BackgroundCall(
            lambda: (browse.count_views(path, queries), browse.people_counts(path))
        )
        call.done.connect(self._show_counts)
        call.ended.connect(self._counted)
        self._counting = call  # a newer count makes any older one's result stale
        self._counts_in = False
        after_first_paint(self.viewport(), call.start)

    def counts_pending(self) -> bool:
        """True until the latest counts are made and shown."""
        return self._counting is not None and not self._counts_in

    def _counted(self) -> None:
        if self.sender() is self._counting:
            self._counts_in = True

    def _show_counts(self, result) -> None:
        if self.sender() is not self._counting and self.sender() is not None:
            return  # a newer count is on its way
        counts, (by_agent, by_team) = result
        for view, count in zip(BASIC_VIEWS, counts, strict=True):
            item = self._items.get(view.key)
            if item is not None:
                item.setText(1, f"{count:,}")
        for key, item in self._items.items():
            view = self._views[key]
            if key.startswith("agent:"):
                item.setText(1, f"{by_agent.get(view.filters.agent_ids[0], 0):,}")
            elif key.startswith("team:"):
                item.setText(1, f"{sum(by_team.get(t, 0) for t in view.filters.team_ids):,}")

    def add_section(
        self,
        title: str,
        views: list[View],
        counts: list[int] | None = None,
        highlight: bool = False,
    ) -> list[tuple[View, QTreeWidgetItem]]:
        """Add a titled group of views (empty groups are left out); returns the items made."""
        if not views:
            return []
        header = QTreeWidgetItem([title])
        font = QFont(header.font(0))
        font.setBold(True)
        header.setFont(0, font)
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if highlight:
            header.setForeground(0, QBrush(QColor("#c62828")))
        self.addTopLevelItem(header)
        made = []
        for i, view in enumerate(views):
            item = QTreeWidgetItem([view.label, f"{counts[i]:,}" if counts else ""])
            item.setData(0, KEY_ROLE, view.key)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, plain_tooltip(VIEW_TIPS.get(view.key, view.label)))
            header.addChild(item)
            self._views[view.key] = view
            self._items[view.key] = item
            made.append((view, item))
        header.setExpanded(True)
        return made

    def current_key(self) -> str | None:
        """The key of the chosen view."""
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item else None

    def current_view(self) -> View:
        """The chosen view (All when nothing is chosen)."""
        return self._views.get(self.current_key() or "all", BASIC_VIEWS[0])

    def view(self, key: str) -> View | None:
        """The view with `key`, if the sidebar has it."""
        return self._views.get(key)

    def item(self, key: str) -> QTreeWidgetItem | None:
        """The sidebar entry of the view with `key`, if the sidebar has it."""
        return self._items.get(key)

    def remove_section(self, title: str) -> None:
        """Take away a section made by `add_section`, with its views (signals held back)."""
        for i in range(self.topLevelItemCount()):
            header = self.topLevelItem(i)
            if header.text(0) == title:
                self.blockSignals(True)
                for j in range(header.childCount()):
                    key = header.child(j).data(0, KEY_ROLE)
                    self._views.pop(key, None)
                    self._items.pop(key, None)
                self.takeTopLevelItem(i)
                self.blockSignals(False)
                return

    def select_key(self, key: str, emit: bool = True) -> bool:
        """Choose the view with `key`; False when there is none."""
        item = self._items.get(key)
        if item is None:
            return False
        if not emit:
            self.blockSignals(True)
        self.setCurrentItem(item)
        if not emit:
            self.blockSignals(False)
        return True

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is None:
            return
        key = current.data(0, KEY_ROLE)
        if key is None:  # a section title
            return
        self.view_chosen.emit(self._views[key])
