"""The coaching page of one agent: quality over time and by category against the team, their
reviews, saves and losses, and their coaching notes with action items and follow-up dates.

A window of its own beside the main window. It reads through review.metrics, review.coaching
and review.agent_page, and writes only through review.coaching via `perform` (the main window's
UndoController.perform), so every write is undoable with Ctrl+Z. `changed` carries the Changes
of each write to the main window; `open_conversation` asks it to show a conversation.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
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
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop import errors
from desktop.coaching_charts import CategoryChart, TrendChart
from desktop.coaching_dialog import NoteDialog, Perform
from desktop.formatting import score_text
from review import browse, coaching
from review.agent_page import agent_info, agent_losses, agent_reviews, agent_saves
from review.billing import cents_to_decimal
from review.changes import Changes
from review.errors import SavedeskError
from review.filters import Filters
from review.metrics import quality_by_category, quality_by_period, quality_score
from review.saves import SAVE_METHODS

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
DUE_COLOUR = QColor("#c62828")


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


def effect_text(effect: coaching.CategoryEffect) -> str:
    """ "Tone: 3.1 (n 12) → 3.8 (n 5)", "no data" for a side with no ratings."""

    def side(mean: float | None, n: int) -> str:
        return "no data" if mean is None else f"{mean:.2f} (n {n})"

    return f"{effect.name}: {side(effect.before, effect.before_n)} → {side(effect.since, effect.since_n)}"


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
        self.tabs.addTab(self._notes_tab(), "Coaching notes")
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

    def _notes_tab(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.notes = QTreeWidget(split)
        self.notes.setObjectName("coaching-notes")
        self.notes.setColumnCount(3)
        self.notes.setHeaderLabels(["Note / action item (tick when done)", "Date", "Follow-up"])
        self.notes.setUniformRowHeights(True)
        header = self.notes.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.notes.itemChanged.connect(self._item_changed)
        self.notes.currentItemChanged.connect(lambda *_: self._show_details())
        self.notes.itemDoubleClicked.connect(lambda item, _: self._double_clicked(item))
        self.details = QTextBrowser(split)
        self.details.setObjectName("note-details")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        split.addWidget(self.notes)
        split.addWidget(self.details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        return split

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
        self._fill_notes()

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

    def _fill_notes(self) -> None:
        selected = self._selected()
        self._filling = True
        self.notes.clear()
        today = date.today().isoformat()
        for note in coaching.notes_for_agent(self.db, self.agent_id):
            versions = note.version
            first = note.text.splitlines()[0] if note.text else ""
            edited = f"  (edited, {versions} versions)" if versions > 1 else ""
            follow = note.follow_up or ""
            if note.followed_up_at:
                follow += " ✓ done"
            elif note.follow_up and note.follow_up <= today:
                follow += " due"
            top = QTreeWidgetItem([first + edited, note.created_at[:10], follow])
            top.setData(0, KIND_ROLE, "note")
            top.setData(0, ID_ROLE, note.id)
            top.setToolTip(0, note.text)
            if follow.endswith(" due"):
                top.setForeground(2, QBrush(DUE_COLOUR))
            self.notes.addTopLevelItem(top)
            for item in note.items:
                child = QTreeWidgetItem([item.text, f"due {item.due}" if item.due else "", ""])
                child.setData(0, KIND_ROLE, "item")
                child.setData(0, ID_ROLE, item.id)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(
                    0, Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
                )
                child.setToolTip(0, item.text)
                if not item.done and item.due and item.due < today:
                    child.setForeground(1, QBrush(DUE_COLOUR))
                top.addChild(child)
            top.setExpanded(True)
        self._filling = False
        self._select(selected)
        self._show_details()

    def _selected(self) -> tuple[str, int] | None:
        item = self.notes.currentItem()
        return (item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) if item else None

    def _select(self, key: tuple[str, int] | None) -> None:
        for i in range(self.notes.topLevelItemCount()):
            top = self.notes.topLevelItem(i)
            for item in [top] + [top.child(j) for j in range(top.childCount())]:
                if key is None or (item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) == key:
                    self.notes.setCurrentItem(item)
                    return

    def current_note_id(self) -> int | None:
        """The note selected (or the note of the selected action item)."""
        item = self.notes.currentItem()
        if item is None:
            return None
        if item.data(0, KIND_ROLE) == "item":
            item = item.parent()
        return item.data(0, ID_ROLE)

    def _show_details(self) -> None:
        note_id = self.current_note_id()
        self.edit_button.setEnabled(note_id is not None)
        if note_id is None:
            self.details.setHtml("<p><i>No coaching notes yet. New note… (Ctrl+N)</i></p>")
            self.follow_button.setEnabled(False)
            return
        note = coaching.get_note(self.db, note_id)
        self.follow_button.setEnabled(bool(note.follow_up) and not note.followed_up_at)
        history = coaching.note_history(self.db, note_id)
        esc = html.escape
        parts = [
            f"<p><b>{esc(note.author or 'unknown')}</b>, {note.created_at[:10]}"
            + (f" — <i>edited, {len(history)} versions</i>" if len(history) > 1 else "")
            + "</p>",
            "<p>" + esc(note.text).replace("\n", "<br>") + "</p>",
        ]
        if note.follow_up:
            state = f"done {note.followed_up_at[:10]}" if note.followed_up_at else "to do"
            parts.append(f"<p>Follow-up {note.follow_up} ({state})</p>")
        refs = {r.review_id: r for r in agent_reviews(self.db, note.agent_id)}
        if note.review_ids:
            links = []
            for review_id in note.review_ids:
                r = refs.get(review_id)
                if r is not None:
                    links.append(
                        f'<li><a href="conversation:{r.conversation_id}">'
                        f"{esc(r.subject or '(no subject)')}</a> — {esc(r.reviewer)}, "
                        f"{score_text(r.score) or 'no score'}</li>"
                    )
            parts.append("<p>Refers to reviews:</p><ul>" + "".join(links) + "</ul>")
        for item in note.items:
            done = "✓ done" if item.done else "open"
            parts.append(f"<p><b>{esc(item.text)}</b> — due {item.due or '—'}, {done}</p>")
            effects = coaching.category_effect(self.db, item.id)
            if effects:
                parts.append(
                    "<ul>" + "".join(f"<li>{esc(effect_text(e))}</li>" for e in effects) + "</ul>"
                )
        if len(history) > 1:
            parts.append("<p><i>Earlier versions:</i></p><ol>")
            for version in history[:-1]:
                parts.append(f"<li>{version.saved_at[:10]}: {esc(version.text)}</li>")
            parts.append("</ol>")
        self.details.setHtml("".join(parts))

    # --- actions -----------------------------------------------------------------------------
    def _write(self, action: Callable[[str], Changes]) -> bool:
        try:
            changes = self.perform(action)
        except SavedeskError as exc:
            errors.show_error(self, exc)
            return False
        self.changed.emit(changes)
        self.refresh()
        return True

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or item.data(0, KIND_ROLE) != "item":
            return
        done = item.checkState(0) == Qt.CheckState.Checked
        item_id = item.data(0, ID_ROLE)
        # after the view has finished with the item: the write redraws the tree
        QTimer.singleShot(
            0,
            lambda: self._write(
                lambda s: coaching.set_action_item_done(self.db, item_id, done, session=s)
            ),
        )

    def follow_up_done(self) -> None:
        """Record that the selected note's follow-up happened."""
        note_id = self.current_note_id()
        if note_id is not None:
            self._write(lambda s: coaching.mark_followed_up(self.db, note_id, True, session=s))

    def new_note(self) -> NoteDialog | None:
        """Ctrl+N: write a coaching note for this agent."""
        if self.agent_id is None:
            return None
        return self._open(
            NoteDialog(self.db, self.agent_id, self.perform, self.author(), None, self)
        )

    def edit_note(self) -> NoteDialog | None:
        """Ctrl+E: edit the selected note (its history is kept)."""
        note_id = self.current_note_id()
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

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, KIND_ROLE) == "note":
            self.edit_note()

    def _open_row(self, item: QTableWidgetItem) -> None:
        conversation_id = item.data(Qt.ItemDataRole.UserRole)
        if conversation_id is not None:
            self.open_conversation.emit(int(conversation_id))

    def _link(self, url) -> None:
        text = url.toString()
        if text.startswith("conversation:"):
            self.open_conversation.emit(int(text.split(":", 1)[1]))

    def event(self, event) -> bool:
        if (
            event.type() == QEvent.Type.WindowActivate
            and self.agent_id is not None
            and self.isVisible()
        ):
            self.refresh()  # a save or review made in the main window meanwhile shows up here
        return super().event(event)
