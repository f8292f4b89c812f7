"""The coaching page of one agent, for a period: quality beside retention for the agent, their
team and everyone (quality score next to save rate, saved MRR and lost MRR, each with n and 95%
interval), quality over time and by category against the team, which behaviours keep the
team's customers, the agent's reviews, saves and losses, and their coaching notes with action
items and follow-up dates.

A window of its own beside the main window. Its figures come from
review.figures.agent_comparison (the same questions the dashboard and reports ask, so "All
agents" here is the dashboard's figure for the same period); it writes only through
review.reviewing.coaching via `perform` (the main window's WindowOperations.perform, its runner), so every
write is undoable with Ctrl+Z. `changed` carries the Changes of each write to the main window;
`open_conversation` asks it to show a conversation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.coaching_charts import CategoryChart, TrendChart
from desktop.coaching_dialog import NoteDialog, Perform
from desktop.coaching_notes import NotesPanel
from desktop.coaching_records import fill_records, record_tables
from desktop.dashboard_tables import (
    BEHAVIOUR_HEADERS,
    BESIDE_HEADERS,
    FigureTable,
    behaviour_rows,
    beside_rows,
)
from review.figures.agent_comparison import AgentComparison, agent_comparison
from review.figures.agents import agent_info
from review.figures.coverage import quarters
from review.figures.scope import Scope, read_scope
from review.figures.values import GroupFigure
from review.filters import Filters
from review.operations import Call
from review.reviewing import browse, coaching
from review.store import Store


class CoachingPage(QWidget):
    """One agent's coaching page; `show_agent` switches agent."""

    changed = Signal(object)  # Changes of a write made here
    open_conversation = Signal(int)

    def __init__(
        self,
        db: Store,
        perform: Perform,
        author: Callable[[], str | None],
        parent=None,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("coaching-page")
        self.db = db
        self.perform = perform
        self.author = author
        self.agent_id: int | None = None
        self.last_dialog: NoteDialog | None = None
        self._filling = False
        self.resize(1200, 780)
        self._build()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.agent_box = QComboBox(self)
        self.agent_box.setObjectName("coaching-agent")
        self.agent_box.setMinimumContentsLength(18)
        self.agent_box.currentIndexChanged.connect(self._agent_chosen)
        self.range_box = QComboBox(self)
        self.range_box.setObjectName("coaching-range")
        self.range_box.setToolTip("The conversations every figure here rests on")
        self.range_box.currentIndexChanged.connect(self._range_chosen)
        self.period_box = QComboBox(self)
        self.period_box.setObjectName("coaching-period")
        self.period_box.addItem("By week", "week")
        self.period_box.addItem("By month", "month")
        self.period_box.currentIndexChanged.connect(lambda _: self._draw_figures())
        self.team_label = QLabel(self)
        self.new_button = QPushButton("New note…", self)
        self.new_button.setObjectName("new-note")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_note)
        self.edit_button = QPushButton("Edit note…", self)
        self.edit_button.setToolTip("Ctrl+E")
        self.edit_button.clicked.connect(self.edit_note)
        self.follow_button = QPushButton("Follow-up done", self)
        self.follow_button.setObjectName("follow-up-done")
        self.follow_button.clicked.connect(self.follow_up_done)
        top.addWidget(QLabel("Agent", self))
        top.addWidget(self.agent_box)
        top.addWidget(self.team_label)
        top.addStretch(1)
        top.addWidget(QLabel("Period", self))
        top.addWidget(self.range_box)
        top.addWidget(self.period_box)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.follow_button)
        layout.addLayout(top)
        self.summary = QLabel(self)
        self.summary.setObjectName("coaching-summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.beside = FigureTable("coaching-beside", ["", *BESIDE_HEADERS], self)
        self.beside.setToolTip(
            "Quality beside retention: the agent, their team (its conversations) and everyone "
            "in the period; 95% intervals, few = fewer than 10 under it"
        )
        layout.addWidget(self.beside)

        charts = QSplitter(Qt.Orientation.Vertical, self)
        self.trend = TrendChart(charts)
        self.categories = CategoryChart(charts)
        charts.addWidget(self.trend)
        charts.addWidget(self.categories)
        charts.setStretchFactor(1, 3)
        charts.setStretchFactor(0, 2)
        self.tabs = QTabWidget(self)
        self.panel = NotesPanel(self.db, self)
        self.notes, self.details = self.panel.tree, self.panel.details
        self.panel.item_toggled.connect(self._item_toggled)
        self.panel.edit_requested.connect(self.edit_note)
        self.panel.open_conversation.connect(self.open_conversation)
        self.panel.note_chosen.connect(self._note_chosen)
        self.tabs.addTab(self.panel, "Coaching notes")
        self.reviews, self.saves, self.losses = record_tables(self)
        for table in (self.reviews, self.saves, self.losses):
            table.open_conversation.connect(self.open_conversation)
        self.tabs.addTab(self.reviews, "Reviews")
        self.tabs.addTab(self.saves, "Saves")
        self.tabs.addTab(self.losses, "Losses")
        self.behaviours = FigureTable("coaching-behaviours", BEHAVIOUR_HEADERS, self)
        self.behaviours.setToolTip(
            "Per rubric category, the mean rating where the customer was saved against where "
            "they were lost"
        )
        self.tabs.addTab(self.behaviours, "Behaviours that keep customers")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("coaching-splitter")
        self.splitter.addWidget(charts)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setChildrenCollapsible(False)
        charts.setMinimumWidth(460)
        self.splitter.setSizes([560, 700])
        layout.addWidget(self.splitter, 1)
        for keys, slot in (
            ("Ctrl+N", self.new_note),
            ("Ctrl+E", self.edit_note),
            ("Esc", self.close),
        ):
            action = self._action(keys, slot)
            self.addAction(action)

    def _action(self, keys: str, slot) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    # --- what is shown -----------------------------------------------------------------------
    def set_database(self, db: Store) -> None:
        """Another database: start again with its agents."""
        self.db = db
        self.agent_id = None
        self.refresh()

    def show_agent(self, agent_id: int) -> None:
        """Show `agent_id`'s page."""
        self.agent_id = agent_id
        self.refresh()

    def refresh(self) -> None:
        """Read everything again (after a write, an undo, or coming back to the window)."""
        self._filling = True
        self.agent_box.blockSignals(True)
        self.agent_box.clear()
        for agent in browse.agents(self.db):
            self.agent_box.addItem(agent.name, agent.id)
        if self.agent_id is None and self.agent_box.count():
            self.agent_id = self.agent_box.itemData(0)
        index = self.agent_box.findData(self.agent_id)
        if index < 0 and self.agent_id is not None:
            self.agent_box.addItem(agent_info(self.db, self.agent_id).name, self.agent_id)
            index = self.agent_box.count() - 1
        self.agent_box.setCurrentIndex(index)
        self.agent_box.blockSignals(False)
        self._fill_ranges()
        self._filling = False
        if self.agent_id is None:
            self.setWindowTitle("Coaching — savedesk")
            return
        self._draw_figures()
        self.panel.show_notes(self.db, self.agent_id)

    def _fill_ranges(self) -> None:
        chosen = self.range_box.currentData()
        self.range_box.blockSignals(True)
        self.range_box.clear()
        self.range_box.addItem("All time", (None, None))
        for label, first, last in quarters(read_scope(self.db)):
            self.range_box.addItem(label, (first, last))
        self.range_box.setCurrentIndex(max(0, self.range_box.findData(chosen)))
        self.range_box.blockSignals(False)

    def set_period(self, date_from: str | None, date_to: str | None) -> None:
        """Rest every figure on the conversations created in this period (None: all time)."""
        index = self.range_box.findData((date_from, date_to))
        if index < 0:
            self.range_box.addItem(f"{date_from or '…'} to {date_to or '…'}", (date_from, date_to))
            index = self.range_box.count() - 1
        self.range_box.setCurrentIndex(index)

    def _range_chosen(self, _index: int) -> None:
        if not self._filling and self.agent_id is not None:
            self._draw_figures()

    def _agent_chosen(self, index: int) -> None:
        if not self._filling and index >= 0:
            self.show_agent(self.agent_box.itemData(index))

    def scope(self) -> Scope:
        """The conversations the page's figures rest on: the chosen period, everyone's."""
        date_from, date_to = self.range_box.currentData() or (None, None)
        return read_scope(self.db, Filters(date_from=date_from, date_to=date_to))

    def _draw_figures(self) -> None:
        if self.agent_id is None:
            return
        scope = self.scope()
        c = agent_comparison(scope, self.agent_id, self.period_box.currentData())
        self.comparison: AgentComparison = c
        info = c.agent
        self.setWindowTitle(f"Coaching: {info.name} — savedesk")
        self.team_label.setText(f"Team: {info.team_name}" if info.team_name else "No team")
        self.trend.show_figures(info.name, list(c.trend), "Team", list(c.team_trend))
        self.categories.show_figures(
            info.name,
            [GroupFigure(k.category, k.category, k.agent) for k in c.categories],
            "Team",
            [GroupFigure(k.category, k.category, k.team) for k in c.categories if k.team.n],
        )
        self.beside.fill(beside_rows(list(c.rows[:-1]), c.everyone), bold_last=True)
        height = self.beside.verticalHeader().defaultSectionSize()
        self.beside.setFixedHeight(height * (len(c.rows) + 1) + 6)
        self.behaviours.fill(behaviour_rows(list(c.behaviours)))
        reviews, saves, losses = fill_records(
            scope, self.agent_id, self.reviews, self.saves, self.losses
        )
        period = self.range_box.currentText()
        self.summary.setText(
            f"<b>{info.name}</b> · {period} · {reviews} review{'s' * (reviews != 1)}, "
            f"{saves} save{'s' * (saves != 1)}, {losses} loss{'es' * (losses != 1)} · "
            f"behaviours: {c.behaviours_of}"
        )
        self.tabs.setTabText(1, f"Reviews ({reviews})")
        self.tabs.setTabText(2, f"Saves ({saves})")
        self.tabs.setTabText(3, f"Losses ({losses})")
        self.tabs.setTabText(4, f"Behaviours ({c.behaviours_of})")

    # --- actions -----------------------------------------------------------------------------
    def _write(self, call: Call) -> None:
        # through the main window's operation runner (its Changes reach the window there)
        self.perform(
            call, on_done=lambda _ticket: self.refresh(), on_failed=lambda _t: self.refresh()
        )

    def _item_toggled(self, item_id: int, done: bool) -> None:
        self._write(Call("action-item-done", {"item_id": item_id, "done": done}))

    def _note_chosen(self, note: coaching.Note | None) -> None:
        self.edit_button.setEnabled(note is not None)
        self.follow_button.setEnabled(
            note is not None and bool(note.follow_up) and not note.followed_up_at
        )

    def current_note_id(self) -> int | None:
        """The note chosen in the notes tree (or the note of the chosen action item)."""
        return self.panel.current_note_id()

    def follow_up_done(self) -> None:
        """Record that the selected note's follow-up happened."""
        note_id = self.panel.current_note_id()
        if note_id is not None:
            self._write(Call("follow-up-done", {"note_id": note_id, "done": True}))

    def new_note(self) -> NoteDialog | None:
        """Ctrl+N: write a coaching note for this agent."""
        if self.agent_id is None:
            return None
        return self._open(
            NoteDialog(self.db, self.agent_id, self.perform, self.author(), None, self)
        )

    def edit_note(self) -> NoteDialog | None:
        """Ctrl+E: edit the selected note (its history is kept)."""
        note_id = self.panel.current_note_id()
        if note_id is None:
            return None
        note = coaching.get_note(self.db, note_id)
        return self._open(
            NoteDialog(self.db, note.agent_id, self.perform, self.author(), note, self)
        )

    def _open(self, dialog: NoteDialog) -> NoteDialog:
        dialog.written.connect(self.changed.emit)
        dialog.finished.connect(lambda _: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def event(self, event) -> bool:
        if (
            event.type() == QEvent.Type.WindowActivate
            and self.agent_id is not None
            and self.isVisible()
        ):
            self.refresh()  # a save or review made in the main window meanwhile shows up here
        return super().event(event)
