"""The coaching page of one agent: quality over time and by category against the team, their
reviews, saves and losses, and their coaching notes with action items and follow-up dates.

A window of its own beside the main window. It reads through review.figures, review.reviewing.coaching
and review.figures.agent_page, and writes only through review.reviewing.coaching via `perform` (the main window's
WindowOperations.perform, its runner), so every write is undoable with Ctrl+Z. `changed` carries the Changes
of each write to the main window; `open_conversation` asks it to show a conversation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop.coaching_charts import CategoryChart, TrendChart
from desktop.coaching_dialog import NoteDialog, Perform
from desktop.coaching_notes import NotesPanel
from desktop.formatting import score_text
from review.figures import quality_by_category, quality_by_period, quality_score
from review.figures.agent_page import agent_info, agent_losses, agent_reviews, agent_saves
from review.filters import Filters
from review.operations import Call
from review.retention.billing import cents_to_decimal
from review.retention.saves import SAVE_METHODS
from review.reviewing import browse, coaching


def _item(text: str, sort=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if sort is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort)
    return item


def _table(name: str, headers: list[str], parent) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def _money(cents: int, currency: str) -> str:
    return f"{cents_to_decimal(cents):,.2f} {currency}"


class CoachingPage(QWidget):
    """One agent's coaching page; `show_agent` switches agent."""

    changed = Signal(object)  # Changes of a write made here
    open_conversation = Signal(int)

    def __init__(
        self,
        db: Database,
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
        self.period_box = QComboBox(self)
        self.period_box.setObjectName("coaching-period")
        self.period_box.addItem("By week", "week")
        self.period_box.addItem("By month", "month")
        self.period_box.currentIndexChanged.connect(lambda _: self._draw_charts())
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
        top.addWidget(self.period_box)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.follow_button)
        layout.addLayout(top)
        self.summary = QLabel(self)
        self.summary.setObjectName("coaching-summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

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
        self.reviews = _table("agent-reviews", ["Date", "Conversation", "Reviewer", "Score"], self)
        self.reviews.itemDoubleClicked.connect(self._open_row)
        self.reviews.itemActivated.connect(self._open_row)
        self.reviews.setToolTip("Double-click or Enter opens the conversation in the main window")
        self.saves = _table(
            "agent-saves", ["Saved on", "Conversation", "MRR", "How", "Status"], self
        )
        self.losses = _table(
            "agent-losses", ["Lost on", "Conversation", "MRR", "Reason", "Preventable"], self
        )
        for table in (self.saves, self.losses):
            table.itemDoubleClicked.connect(self._open_row)
            table.itemActivated.connect(self._open_row)
        self.tabs.addTab(self.reviews, "Reviews")
        self.tabs.addTab(self.saves, "Saves")
        self.tabs.addTab(self.losses, "Losses")
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
    def set_database(self, db: Database) -> None:
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
        self._filling = False
        if self.agent_id is None:
            self.setWindowTitle("Coaching — savedesk")
            return
        info = agent_info(self.db, self.agent_id)
        self.info = info
        self.setWindowTitle(f"Coaching: {info.name} — savedesk")
        self.team_label.setText(f"Team: {info.team_name}" if info.team_name else "No team")
        self._draw_charts()
        self._fill_tables()
        self.panel.show_notes(self.db, self.agent_id)

    def _agent_chosen(self, index: int) -> None:
        if not self._filling and index >= 0:
            self.show_agent(self.agent_box.itemData(index))

    def _scopes(self) -> tuple[Filters, Filters]:
        team = self.info.team_agent_ids or (self.agent_id,)
        return Filters(agent_ids=(self.agent_id,)), Filters(agent_ids=team)

    def _draw_charts(self) -> None:
        if self.agent_id is None:
            return
        mine, team = self._scopes()
        period = self.period_box.currentData()
        team_name = f"Team {self.info.team_name}" if self.info.team_name else "Team"
        self.trend.show_figures(
            self.info.name,
            quality_by_period(self.db, mine, period),
            "Team",
            quality_by_period(self.db, team, period),
        )
        self.categories.show_figures(
            self.info.name,
            quality_by_category(self.db, mine),
            "Team",
            quality_by_category(self.db, team),
        )
        own, theirs = quality_score(self.db, mine), quality_score(self.db, team)
        saves, losses = agent_saves(self.db, self.agent_id), agent_losses(self.db, self.agent_id)

        def figure(g) -> str:
            return "no data" if g.value is None else f"{g.value:.1f}"

        self.summary.setText(
            f"Quality score <b>{figure(own)}</b> (n={own.n} reviews) · "
            f"{team_name}: {figure(theirs)} (n={theirs.n}) · "
            f"{len(saves)} save{'s' * (len(saves) != 1)}, "
            f"{len(losses)} loss{'es' * (len(losses) != 1)}"
        )

    def _fill_tables(self) -> None:
        reviews = agent_reviews(self.db, self.agent_id)
        self._fill(
            self.reviews,
            [
                (
                    r.conversation_id,
                    [
                        (r.created_at or "")[:10],
                        r.subject or "(no subject)",
                        r.reviewer,
                        score_text(r.score) or "no score",
                    ],
                )
                for r in reviews
            ],
        )
        saves = agent_saves(self.db, self.agent_id)
        self._fill(
            self.saves,
            [
                (
                    s.conversation_id,
                    [
                        s.saved_on,
                        s.subject or "(no subject)",
                        _money(s.mrr_cents, s.currency),
                        SAVE_METHODS.get(s.method, s.method),
                        s.status,
                    ],
                )
                for s in saves
            ],
        )
        losses = agent_losses(self.db, self.agent_id)
        self._fill(
            self.losses,
            [
                (x.conversation_id, [x.lost_on, x.subject or "(no subject)",
                                     _money(x.mrr_cents, x.currency), x.reason,
                                     {True: "yes", False: "no", None: "not judged"}[x.preventable]])
                for x in losses
            ],
        )  # fmt: skip
        self.tabs.setTabText(1, f"Reviews ({len(reviews)})")
        self.tabs.setTabText(2, f"Saves ({len(saves)})")
        self.tabs.setTabText(3, f"Losses ({len(losses)})")

    def _fill(self, table: QTableWidget, rows: list[tuple[int, list[str]]]) -> None:
        table.setRowCount(len(rows))
        for row, (conversation_id, texts) in enumerate(rows):
            for column, text in enumerate(texts):
                table.setItem(row, column, _item(text, conversation_id))

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

    def _open_row(self, item: QTableWidgetItem) -> None:
        conversation_id = item.data(Qt.ItemDataRole.UserRole)
        if conversation_id is not None:
            self.open_conversation.emit(int(conversation_id))

    def event(self, event) -> bool:
        if (
            event.type() == QEvent.Type.WindowActivate
            and self.agent_id is not None
            and self.isVisible()
        ):
            self.refresh()  # a save or review made in the main window meanwhile shows up here
        return super().event(event)
