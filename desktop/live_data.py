"""Changes another program made to the open database (an import from the command line, a
colleague on the team store) show up without the user losing their place.

The window's operation runner notices them (Store.others_changes: PRAGMA data_version on a
file, LISTEN/NOTIFY on a server; desktop/operation_runner.py) and calls `refresh`: the sidebar and chips are read again (counts off the GUI thread), the
list's ids are read again off the GUI thread and put in place with the same conversation
current at the same height on screen, and the reader and review panel are redrawn only when
what they show changed. A conversation deleted under the reader says so instead of failing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.first_paint import after_first_paint
from desktop.jobs import BackgroundCall
from review.reviewing import browse
from review.reviewing.browse import ListQuery


class LiveData(QObject):
    """Refreshes `window` (a MainWindow) after another program changed its database."""

    refreshed = Signal()  # the list holds what the database holds now

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._reading: BackgroundCall | None = None
        self._query: ListQuery | None = None
        self._again = False
        self.refreshes = 0  # for tests: how many outside changes were taken in

    def refresh(self) -> None:
        """Take in what another program changed."""
        w = self.window
        w.update_read_only()
        w.sidebar.reload()
        w.filter_bar.reload()
        w.review_panel.forget_agents()
        self._refresh_reader()
        w.review_panel.refresh()
        opener = getattr(w, "dashboard_opener", None)
        if opener is not None and opener.dashboard is not None:
            opener.dashboard.mark_stale()
        self.read_list()

    def _refresh_reader(self) -> None:
        reader = self.window.reader
        shown = reader.conversation_id()
        if shown is None:
            return
        detail = browse.thread(self.window.db, shown)
        if detail is None:
            reader.show_gone(shown)
        elif detail != reader.detail:
            reader.refresh()

    def read_list(self) -> None:
        """Read the list's whole content off the GUI thread and put it in place, keeping the
        user's place (after another program's change, or after the first page of a long list)."""
        if self._reading is not None and self._reading.is_running():
            self._again = True  # one more read once this one is back
            return
        w = self.window
        query, path = w.current_query(), w.db_path
        call = BackgroundCall(lambda: browse.ids_on_own_connection(path, query))
        call.done.connect(self._put_ids)  # a method: dropped if the window goes first
        self._reading, self._query = call, query
        after_first_paint(w.table.viewport(), call.start)

    def _put_ids(self, ids: list[int]) -> None:
        self._reading = None
        w = self.window
        if w.ops.runner is None:
            return  # the window closed meanwhile
        if self._again or w.current_query() != self._query:
            self._again = False
            self.read_list()
            return
        w.replace_list(ids)
        self.refreshes += 1
        self.refreshed.emit()
