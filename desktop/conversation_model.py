"""The conversation list: a table model that holds only ids and loads rows a page at a time.

STYLE.md section 3 (after Anki's browser table): `rowCount` is the length of one ordered id
query (its first page at once, the whole of it read off the GUI thread when longer); `data()` reads from a small page cache that loads a block of rows with one
`where id in (...)` query on a miss and forgets the least recently used pages. Sorting and
filtering re-run the id query in SQL. `headerData()` never touches the database; flags are
Qt's default. A page's display strings are made once, on its first paint.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.formatting import local_time, score_text
from desktop.plain import plain_tooltip
from review.reviewing import browse
from review.reviewing.browse import ListQuery, ListRow
from review.reviewing.first_page import first_ids
from review.store import Store

PAGE_SIZE = 256
MAX_PAGES = 24  # about 6,000 rows kept: a few screens either side of any scroll position

ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ANSWERED_ROLES = frozenset(
    {
        ID_ROLE,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)

# (header, sort key, how the cell reads)
COLUMNS: list[tuple[str, str | None]] = [
    ("Created", "created_at"),
    ("Subject", "subject"),
    ("Customer", "customer"),
    ("Agent", "agent"),
    ("Team", "team"),
    ("Channel", "channel"),
    ("Status", "status"),
    ("Msgs", "messages"),
    ("CSAT", "csat"),
    ("Score", "score"),
    ("Signals", None),
]
COLUMN = {name: i for i, (name, _) in enumerate(COLUMNS)}


def _flags_text(row: ListRow) -> str:
    marks = []
    if row.churn_signal:
        marks.append("⚑ churn")
    if row.saved:
        marks.append("✔ saved")
    if row.lost:
        marks.append("✘ lost")
    return " ".join(marks)


GONE = "(no longer in the database)"  # a row deleted under the list by another program


def _row_cells(row: ListRow) -> tuple[str, ...]:
    """A row's display strings, in COLUMNS' order: made in one go for each row the list
    paints, as a scroll shows a page of new rows at every step."""
    return (
        local_time(row.created_at),  # Created
        row.subject or "(no subject)",  # Subject
        row.customer or "",  # Customer
        row.agent or "",  # Agent
        row.team or "",  # Team
        row.channel or "",  # Channel
        row.status or "",  # Status
        str(row.message_count),  # Msgs
        row.csat or "",  # CSAT
        score_text(row.score),  # Score
        _flags_text(row),  # Signals
    )


_GONE_CELLS = tuple(GONE if name == "Subject" else "" for name, _ in COLUMNS)


_DISPLAY_INT = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN_INT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND_INT = int(Qt.ItemDataRole.ForegroundRole.value)
_RIGHT_ALIGNED = frozenset({COLUMN["Msgs"], COLUMN["Score"]})
_RIGHT = int(Qt.AlignmentFlag.AlignRight.value | Qt.AlignmentFlag.AlignVCenter.value)
_SIGNALS = COLUMN["Signals"]


class ConversationModel(QAbstractTableModel):
    """Conversations matching a ListQuery, in its order, loaded lazily from the store."""

    incomplete = Signal()  # the list shows its first page only: read the whole of it

    def __init__(self, db: Store, parent=None):
        super().__init__(parent)
        self.db = db
        self.query = ListQuery()
        self.complete = True  # False while only the first page of the list is known
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, list[ListRow | None]] = OrderedDict()
        # each page's rows as display strings, made on first paint: a repaint only indexes them
        self._page_cells: dict[int, list[tuple[str, ...] | None]] = {}
        self._memo: tuple[int, tuple[str, ...] | None] = (-1, None)  # the row painted last
        self.page_loads = 0  # for tests and the benchmark: how many page queries ran

    # --- the query ---------------------------------------------------------------------------
    def set_query(self, query: ListQuery) -> None:
        """Show the conversations `query` selects: its first page at once (one query); when
        that is not all of them, `incomplete` asks for the whole list, which `replace_ids`
        then puts in place."""
        ids, complete = first_ids(self.db, query)
        self.beginResetModel()
        self.query = query
        self._ids = ids
        self.complete = complete
        self._row_of = None
        self._pages.clear()
        self._page_cells.clear()
        self._memo = (-1, None)
        self.endResetModel()
        if not complete:
            self.incomplete.emit()

    def replace_ids(self, ids: list[int]) -> None:
        """Show `ids`, the whole list of the same query (read off the GUI thread, or again
        after another program changed the store)."""
        self.beginResetModel()
        self._ids = list(ids)
        self.complete = True
        self._row_of = None
        self._pages.clear()
        self._page_cells.clear()
        self._memo = (-1, None)
        self.endResetModel()

    def reload(self) -> None:
        """Run the current query again (after an import or a change of membership)."""
        self.set_query(self.query)

    def set_database(self, db: Store) -> None:
        """Point the model at another database and show its conversations."""
        self.db = db
        self.set_query(replace(self.query, search=""))

    def conversation_id(self, row: int) -> int | None:
        """The id shown on `row`, or None out of range."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, conversation_id: int) -> int | None:
        """The row showing `conversation_id`, or None when the query does not select it."""
        if self._row_of is None:
            self._row_of = {cid: i for i, cid in enumerate(self._ids)}
        return self._row_of.get(conversation_id)

    def ids(self) -> list[int]:
        """All ids in list order (a copy)."""
        return list(self._ids)

    def refresh_conversations(self, conversation_ids) -> None:
        """Re-read the rows of these conversations and repaint only them (after an edit)."""
        rows = [r for r in (self.row_of(cid) for cid in conversation_ids) if r is not None]
        if not rows:
            return
        fresh = browse.rows_by_ids(self.db, [self._ids[r] for r in rows])
        self._memo = (-1, None)
        last = self.columnCount() - 1
        for r in rows:
            page = self._pages.get(r // PAGE_SIZE)
            if page is not None:
                page[r % PAGE_SIZE] = fresh.get(self._ids[r])
                self._page_cells[r // PAGE_SIZE][r % PAGE_SIZE] = None
            self.dataChanged.emit(self.index(r, 0), self.index(r, last))

    # --- the cache ---------------------------------------------------------------------------
    def row_data(self, row: int) -> ListRow | None:
        """The ListRow on `row`, loading its page if needed."""
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE_SIZE
            ids = self._ids[start : start + PAGE_SIZE]
            found = browse.rows_by_ids(self.db, ids)
            page = [found.get(cid) for cid in ids]
            self._pages[page_no] = page
            self._page_cells[page_no] = [None] * len(page)
            self.page_loads += 1
            while len(self._pages) > MAX_PAGES:
                evicted, _ = self._pages.popitem(last=False)
                del self._page_cells[evicted]
        else:
            self._pages.move_to_end(page_no)
        return page[row % PAGE_SIZE]

    def _cells(self, row: int) -> tuple[str, ...] | None:
        data = self.row_data(row)
        if data is None:
            return _GONE_CELLS if 0 <= row < len(self._ids) else None
        cells = self._page_cells[row // PAGE_SIZE]
        found = cells[row % PAGE_SIZE]
        if found is None:
            found = cells[row % PAGE_SIZE] = _row_cells(data)
        return found

    def cached_pages(self) -> int:
        """How many pages are held (stays at most MAX_PAGES however far one scrolls)."""
        return len(self._pages)

    # --- Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # called several times per visible cell per paint: the text first, from the page's
        # strings, and the common "no" answers cheap
        if role == _DISPLAY:
            cells = self._cells(index.row()) if index.isValid() else None
            return cells[index.column()] if cells else None
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[column][0] in ("Msgs", "Score"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        row = self.row_data(index.row())
        if row is None:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#9e9e9e")  # gone: drawn greyed, like Anki's deleted rows
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if COLUMNS[column][0] == "Signals" and row.churn_signal and not row.saved:
                return QColor("#c62828")
            return None
        text = self._cells(index.row())[column]  # the page's strings, made once
        if role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[column][0] in ("Subject", "Customer", "Signals"):
                return plain_tooltip(text)
            return None
        return text

    def multiData(self, index, roleDataSpan) -> None:  # noqa: N802, N803 - Qt's names
        # Qt asks each painted cell for seven roles at once: one call into Python answers them
        # all from the page's strings, and a role with no answer is not even set (a setData
        # of None per role cost a third of a page's paint).
        row, column = index.row(), index.column()
        memo_row, cells = self._memo
        if memo_row != row:  # Qt paints a row's cells one after another: look the row up once
            cells = self._cells(row)
            self._memo = (row, cells)
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == _DISPLAY_INT:
                if cells is not None:
                    role_data.setData(cells[column])
            elif role == _ALIGN_INT:
                if column in _RIGHT_ALIGNED:
                    role_data.setData(_RIGHT)
            elif role == _FOREGROUND_INT and (column == _SIGNALS or cells is _GONE_CELLS):
                role_data.setData(self.data(index, Qt.ItemDataRole.ForegroundRole))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return
        self.set_query(
            replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder)
        )
