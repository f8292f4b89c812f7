"""The main window: sidebar of views | search, filter chips and the conversation list | reader.

It wires the parts together and owns no domain logic: the list model, reader and sidebar read
through review.reviewing.browse; every user action is a review.operations call handed to the
window's runner (desktop/window_operations.py), whose Changes `apply_changes` hands to each
part so it refreshes only what changed. What other programs change comes in through
desktop/live_data.py.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import settings
from desktop.calibration_sessions_section import CalibrationSessionsSection
from desktop.column_menu import ColumnMenu
from desktop.conversation_model import COLUMNS, ConversationModel
from desktop.dashboard_menu import DashboardOpener
from desktop.disputes_section import DisputesSection
from desktop.file_menu import FileMenu
from desktop.filter_bar import FilterBar, merge
from desktop.gui_garbage import collect_on_gui_thread
from desktop.live_data import LiveData
from desktop.pages import Pages
from desktop.preferences_menu import PreferencesMenu
from desktop.queues_section import QueueSection
from desktop.reader import Reader
from desktop.reports_menu import ReportsMenu
from desktop.review_actions import ReviewActions
from desktop.review_panel import ReviewPanel
from desktop.shortcuts import add_action
from desktop.sidebar import Sidebar, View
from desktop.suggestion_source import SuggestionSource
from desktop.window_keys import WindowKeys
from desktop.window_operations import WindowOperations
from desktop.window_state import WindowState
from review.changes import Changes
from review.retention.set_aside import set_aside_sentence
from review.reviewing.browse import ListQuery
from review.store import Store
from review.store.rights import signed_in, why_not_reviewing

UNDO_SESSION = "desktop"  # the store keeps one undo history per session name
# Tables whose change can alter which conversations a list selects (not only how a row reads).
_MEMBERSHIP_TABLES = {"conversations", "reviews", "saves", "losses", "churn_signals", "queues"}
_DEFAULT_WIDTHS = {
    "Created": 118,
    "Subject": 260,
    "Customer": 130,
    "Agent": 120,
    "Team": 90,
    "Channel": 70,
    "Status": 64,
    "Msgs": 44,
    "CSAT": 48,
    "Score": 48,
    "Signals": 110,
}


class MainWindow(WindowKeys, WindowState, QMainWindow):
    """One open database. `conversation_changed` fires with the id now shown (or None)."""

    conversation_changed = Signal(object)
    database_changed = Signal()

    def __init__(self, db_path: str | Path, db: Store, parent=None):
        super().__init__(parent)
        collect_on_gui_thread()  # before any of the window's worker threads starts
        self.setObjectName("main-window")
        self.db_path = str(db_path)
        self.db = db
        self.person = signed_in(db)  # on a team store: who, and their role (None on a file)
        self.setAcceptDrops(True)
        self.read_only = False
        self.model = ConversationModel(db, self)
        self.ops = WindowOperations(self, UNDO_SESSION)
        self.undo = self.ops.undo
        self.live = LiveData(self)
        self.model.incomplete.connect(self.live.read_list)
        self._wanted: int | None = None  # a conversation to show once the whole list is read
        self._build_widgets()
        self.file_menu = FileMenu(self)
        self._build_shortcuts()
        self.review_actions = ReviewActions(self)
        self.preferences = PreferencesMenu(self)  # Edit > Preferences… (Ctrl+,)
        self.pages = Pages(self)  # Go > Coaching page / Calibration, follow-ups due
        self.queues = QueueSection(self)  # the Queues section, Review > New queue…
        self.disputes = DisputesSection(self)  # Review > Dispute / Resolve, open disputes
        # Review > New calibration session / Finish / Results / Close, the Calibration section
        self.calibration_sessions = CalibrationSessionsSection(self)
        self.sidebar.reload()  # once, now that every section has registered
        self.reports_menu = ReportsMenu(self)
        self.dashboard_opener = DashboardOpener(self)
        self.undo.changed.connect(self.apply_changes)
        self.review_panel.changed.connect(self._on_review_written)
        self.review_panel.status.connect(self.say)
        self.review_panel.comment_left.connect(self.focus_list)
        self.conversation_changed.connect(self.review_panel.show_conversation)
        self._hit_said: str | None = None  # F3's last count, taken back when it goes stale
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh_list)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.go_to_results)
        self.search.installEventFilter(self)
        self.filter_bar.changed.connect(self.refresh_list)
        self.sidebar.view_chosen.connect(self._on_view)
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self.refresh_list())
        self.statusBar().addPermanentWidget(self.ops.label)
        self.ops.open(self.db_path)
        self.update_read_only()
        self.refresh_list()
        self.say_set_aside()

    def say_set_aside(self) -> None:
        """Once, on opening a store whose upgrade set second saves or losses aside (revision
        0013), the sentence saying how many and where they are kept."""
        sentence = set_aside_sentence(self.db)
        if sentence:
            self.say(sentence, 30_000)

    # --- building ----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.sidebar = Sidebar(self.db, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search messages and subjects (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.filter_bar = FilterBar(self.db, self)
        self.table = QTableView(self)
        self.table.setObjectName("conversation-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.hide()
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for i, (name, _) in enumerate(COLUMNS):
            header.resizeSection(i, _DEFAULT_WIDTHS.get(name, 80))
        self.column_menu = ColumnMenu(
            self.table, always_shown={"Subject"}, hidden_by_default={"Team", "Msgs"}
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count-label")

        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(4, 4, 4, 0)
        column.setSpacing(4)
        column.addWidget(self.search)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        self.reader = Reader(self.db, self)
        self.suggestion_source = SuggestionSource(self)
        self.review_panel = ReviewPanel(
            self.db, self.ops, self.reviewer_name, self, self.suggestion_source
        )
        self.review_panel.evidence_changed.connect(self.reader.show_evidence)
        self.review_panel.read_only(why_not_reviewing(self.person))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.review_panel)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setStretchFactor(3, 1)
        self.splitter.setSizes([210, 420, 400, 290])
        self.splitter.setStretchFactor(0, 1)
        self.review_panel.setMinimumWidth(250)
        self.splitter.setChildrenCollapsible(False)
        self.sidebar.setMinimumWidth(150)
        middle.setMinimumWidth(320)
        self.reader.setMinimumWidth(320)
        self.setCentralWidget(self.splitter)
        self.statusBar().addPermanentWidget(self.count_label)

    def _build_shortcuts(self) -> None:
        go = self.menuBar().addMenu("&Go")
        self.next_action = QAction("Next conversation", self)
        self.next_action.setShortcuts([QKeySequence("J")])
        self.next_action.triggered.connect(lambda: self.move(1))
        self.previous_action = QAction("Previous conversation", self)
        self.previous_action.setShortcuts([QKeySequence("K")])
        self.previous_action.triggered.connect(lambda: self.move(-1))
        go.addAction(self.next_action)
        go.addAction(self.previous_action)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        go.addSeparator()
        add_action(self, go, "Views and queues", ["Ctrl+1"], self.focus_sidebar, "focus-sidebar")
        add_action(self, go, "Conversation list", ["Ctrl+2"], self.focus_list, "focus-list")
        go.addSeparator()
        for text, keys, step, name in (
            ("Next search hit", ["F3"], 1, "next-hit"),
            ("Previous search hit", ["Shift+F3"], -1, "previous-hit"),
        ):
            add_action(self, go, text, keys, lambda _=False, s=step: self.go_to_hit(s), name)
        self.go_menu = go

    # --- the list ----------------------------------------------------------------------------
    def current_query(self) -> ListQuery:
        """The query the list shows: the sidebar's view, the chips, the search and the order."""
        view = self.sidebar.current_view()
        header = self.table.horizontalHeader()
        sort = COLUMNS[header.sortIndicatorSection()][1] or "created_at"
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        if view.sort:  # a queue keeps its own order
            sort, descending = view.sort, False
        return ListQuery(
            filters=merge(view.filters, self.filter_bar.filters()),
            search=self.search.text().strip(),
            outcome=view.outcome,
            sort=sort,
            descending=descending,
        )

    def refresh_list(self) -> None:
        """Run the list's query again, keeping the shown conversation selected if still listed."""
        current = self.current_conversation_id()
        query = self.current_query()
        self.model.set_query(query)
        self._update_count()
        if current is not None and self.model.row_of(current) is not None:
            self.select_conversation(current, scroll=True)
        elif self.model.rowCount() and current is None:
            pass  # nothing chosen yet: leave the reader empty until the user picks
        else:
            self.reader.show_conversation(None)
            self.conversation_changed.emit(None)
        # last: a conversation the new search drops is cleared, not redrawn with its hits first
        self.reader.set_search(query.search)
        self.forget_hit()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.refresh_list()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if not self.model.complete:
            self.count_label.setText(f"first {n:,} conversations (reading the rest…)")
            return
        self.count_label.setText(f"{n:,} conversation{'s' if n != 1 else ''}")

    def _on_view(self, view: View) -> None:
        settings.put(settings.LAST_VIEW, view.key)
        self.refresh_list()

    def current_conversation_id(self) -> int | None:
        """The conversation shown in the reader, if any."""
        return self.reader.conversation_id()

    def select_conversation(self, conversation_id: int, scroll: bool = True) -> bool:
        """Make `conversation_id` the current row (and show it); False if the list lacks it."""
        row = self.model.row_of(conversation_id)
        if row is None:
            if not self.model.complete:
                self._wanted = conversation_id  # shown once the rest of the list is read
            return False
        self._wanted = None
        self._select_row(row, scroll)
        return True

    def _select_row(self, row: int, scroll: bool = True) -> None:
        index = self.model.index(row, max(0, self.table.currentIndex().column()))
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def move(self, step: int) -> None:
        """Show the next (step 1) or previous (-1) conversation in the list."""
        rows = self.model.rowCount()
        if not rows:
            self.say("The list is empty: choose another view or clear the search.")
            return
        current = self.table.currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else rows - 1)
        if not 0 <= row < rows:
            self.say(f"This is the {'last' if step > 0 else 'first'} conversation in the list.")
            return
        self._select_row(row)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        conversation_id = self.model.conversation_id(current.row()) if current.isValid() else None
        if conversation_id == self.reader.conversation_id():
            return
        self.reader.show_conversation(conversation_id)
        self.forget_hit()
        self.conversation_changed.emit(conversation_id)

    def show_dashboard(self):
        """Go > Dashboard (Ctrl+D): open the dashboard window; returns it."""
        return self.dashboard_opener.show()

    # --- changes -----------------------------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        """Refresh what `changes` names: rows of the list, the reader, the sidebar counts."""
        if not changes:
            return
        if changes.tables & {"conversations", "messages", "agents", "teams"}:
            self.sidebar.reload()
            self.filter_bar.reload()
        if changes.tables & _MEMBERSHIP_TABLES:
            self.refresh_list()
            if "conversations" not in changes.tables:
                self.sidebar.reload()
        else:
            self.model.refresh_conversations(changes.conversations)
        shown = self.reader.conversation_id()
        if shown is not None and (shown in changes.conversations or "messages" in changes.tables):
            self.reader.refresh()
            self.review_panel.refresh()

    def _on_review_written(self, changes: Changes) -> None:
        # the list row (score column) and counts follow the panel
        if changes.tables & {"reviews"}:
            self.sidebar.refresh_counts()

    def on_external_change(self) -> None:
        """Another program changed the database: take it in without losing the user's place."""
        if self.ops.runner is not None:  # not once the window has closed
            self.live.refresh()

    def replace_list(self, ids: list[int]) -> None:
        """Show `ids` (the list's query read again) with the same conversation current and at
        the same height on screen."""
        current = self.current_conversation_id()
        bar = self.table.verticalScrollBar()
        row = self.model.row_of(current) if current is not None else None
        offset = (row - bar.value()) if row is not None else None
        top = self.model.conversation_id(self.table.rowAt(0)) if self.model.rowCount() else None
        self.model.replace_ids(ids)
        self._update_count()
        if self._wanted is not None and self.model.row_of(self._wanted) is not None:
            current, offset = self._wanted, None
            self._wanted = None
        new_row = self.model.row_of(current) if current is not None else None
        if new_row is not None:
            self._select_row(new_row, scroll=offset is None)
            if offset is not None:
                bar.setValue(max(0, new_row - offset))
        elif top is not None and self.model.row_of(top) is not None:
            bar.setValue(self.model.row_of(top))

    # --- the database ------------------------------------------------------------------------
    def set_database(self, db_path: str, db: Store) -> None:
        """Switch to another open database (File > Open / New)."""
        self.ops.flush()
        old = self.db
        self.db_path = str(db_path)
        self.db = db
        self.person = signed_in(db)
        self.ops.open(self.db_path)  # writes what the old one still held first
        self.reader.set_database(db)
        self.suggestion_source.reload()
        self.review_panel.read_only(why_not_reviewing(self.person))
        self.review_panel.set_database(db)
        self.sidebar.set_database(db)
        self.filter_bar.set_database(db)
        self.model.db = db
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.refresh_list()
        self.update_read_only()
        self.database_changed.emit()
        self.say_set_aside()
        if old is not db:
            old.close()
