"""The sidebar's "Queues" section, Review > New queue… (Ctrl+Shift+Q), and where the reviewer is.

Choosing a queue lists exactly its conversations in queue order (chips and search cleared, the
header's sort set aside) and shows the one the reviewer stopped at. Moving through it (J/K, a
click) stores the position in the database (review.reviewing.queues.set_queue_position); the queue being
worked is remembered in the settings, so the next run opens on it at that position. Deleting a
queue (the section's context menu) asks first and leaves its conversations and reviews alone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop import settings
from desktop.queue_dialog import QueueDialog
from desktop.shortcuts import add_action
from desktop.sidebar import KEY_ROLE, View
from review.changes import Changes
from review.errors import NotFound
from review.filters import Filters
from review.operations import Call
from review.reviewing.browse import GIVEN_ORDER
from review.reviewing.queues import Queue, get_queue, list_queues, queue_items, queue_progress
from review.store.rights import leads, may_see_queues

QUEUES = "Queues"
NEW_QUEUE_KEYS = ["Ctrl+Shift+Q"]
_PREFIX = "queue:"


def queue_key(queue_id: int) -> str:
    """The sidebar key of a queue's view."""
    return f"{_PREFIX}{queue_id}"


def queue_of_key(key: str | None) -> int | None:
    """The queue id of a sidebar key, None for other views."""
    if not key or not key.startswith(_PREFIX):
        return None
    return int(key[len(_PREFIX) :])


def queue_view(queue: Queue, items: list[int]) -> View:
    """The sidebar view of a queue: exactly its conversations, in queue order."""
    return View(queue_key(queue.id), queue.name, Filters(conversation_ids=tuple(items)), None,
                GIVEN_ORDER)  # fmt: skip


class QueueSection(QObject):
    """Installs the queue section and action on `window` (a MainWindow) and follows the
    reviewer's position in the chosen queue."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.queue_id: int | None = None  # the queue being worked through
        self._index: dict[int, int] = {}  # conversation id -> position in that queue
        self._position: int | None = None
        self.last_dialog: QueueDialog | None = None
        review = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Review"), None)
        if review is not None:
            review.addSeparator()
        self.new_action = add_action(
            window, review, "New &queue…", NEW_QUEUE_KEYS, self.new_queue, "new-queue"
        )
        sidebar = window.sidebar
        sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        sidebar.customContextMenuRequested.connect(self._sidebar_menu)
        sidebar.extra_sections.insert(0, self._add_section)  # right under the basic views
        sidebar.view_chosen.connect(self._view_chosen)
        window.conversation_changed.connect(self._conversation_changed)
        window.review_panel.changed.connect(self._changed)
        window.undo.changed.connect(self._changed)
        window.database_changed.connect(self._database_changed)

    # --- the section -------------------------------------------------------------------------
    def _add_section(self) -> None:
        db = self.window.db
        if not may_see_queues(self.window.person):
            return  # an agent's login: the server refuses them the queues
        queues = list_queues(db)
        views = [queue_view(q, queue_items(db, q.id)) for q in queues]
        for (_, item), queue in zip(self.window.sidebar.add_section(QUEUES, views), queues,
                                    strict=True):  # fmt: skip
            self._show_progress(item, queue)

    def _show_progress(self, item, queue: Queue) -> None:
        done, size = queue_progress(self.window.db, queue.id)
        item.setText(1, f"{done}/{size}")
        how = f"{queue.sample_per_agent_per_week} per agent per week, seed {queue.seed}; " if (
            queue.sample_per_agent_per_week
        ) else ""  # fmt: skip
        item.setToolTip(
            0,
            f"{queue.name}\n{done} of {size} reviewed; at item {min(queue.position + 1, size)}\n"
            f"{how}{queue.filters.describe()}",
        )
        item.setToolTip(1, f"{done} of {size} reviewed")

    def refresh_progress(self) -> None:
        """Recount each queue's reviewed items (after a review was written or undone)."""
        sidebar = self.window.sidebar
        if not may_see_queues(self.window.person):
            return
        for queue in list_queues(self.window.db):
            item = sidebar.item(queue_key(queue.id))
            if item is not None:
                self._show_progress(item, queue)

    def _changed(self, changes: Changes) -> None:
        if changes and changes.tables & {"reviews"}:
            self.refresh_progress()

    # --- choosing and moving -----------------------------------------------------------------
    def _view_chosen(self, view: View) -> None:
        queue_id = queue_of_key(view.key)
        self.window.table.horizontalHeader().setSortIndicatorShown(queue_id is None)
        if queue_id is None:
            if self.queue_id is not None:
                settings.put(settings.LAST_QUEUE, "")
            self.queue_id = None
            return
        self.open_queue(queue_id)

    def open_queue(self, queue_id: int) -> bool:
        """List the queue's conversations (nothing else narrowing them) and show the one at
        its stored position; False when the sidebar has no such queue."""
        w = self.window
        view = w.sidebar.view(queue_key(queue_id))
        if view is None:
            return False
        if w.sidebar.current_key() != view.key:
            return w.sidebar.select_key(view.key)  # comes back here through view_chosen
        items = list(view.filters.conversation_ids or ())
        self.queue_id = queue_id
        self._index = {cid: i for i, cid in reversed(list(enumerate(items)))}
        self._position = get_queue(w.db, queue_id).position
        settings.put(settings.LAST_QUEUE, f"{queue_id}@{w.store_key()}")
        w.filter_bar.clear(emit=False)
        w.search.blockSignals(True)
        w.search.clear()
        w.search.blockSignals(False)
        w.refresh_list()
        if items:
            w.select_conversation(items[min(self._position, len(items) - 1)])
        return True

    def current_position(self) -> int | None:
        """The reviewer's position in the chosen queue (None outside a queue)."""
        return self._position if self.queue_id is not None else None

    def _conversation_changed(self, conversation_id: int | None) -> None:
        w = self.window
        if self.queue_id is None or conversation_id is None:
            return
        if queue_of_key(w.sidebar.current_key()) != self.queue_id:
            return  # the list moved elsewhere without choosing a view (a page opened one)
        position = self._index.get(conversation_id)
        if position is None or position == self._position:
            return
        # not an undoable edit: a bookmark, written through the runner like every other write
        w.ops.perform(
            Call("queue-position", {"queue_id": self.queue_id, "position": position}),
            key=f"queue-position|{self.queue_id}",
        )
        self._position = position

    def restore(self) -> bool:
        """Open the queue worked in the last run on this database, at its position; False when
        there is none (or it was deleted)."""
        value = settings.get(settings.LAST_QUEUE) or ""
        queue_id, _, path = value.partition("@")
        if path != self.window.store_key() or not queue_id.isdigit():
            return False
        return self.open_queue(int(queue_id))

    # --- new and delete ----------------------------------------------------------------------
    def new_queue(self) -> QueueDialog:
        """Review > New queue…: the dialog over the filter bar's filters (not exec'd)."""
        w = self.window
        person = w.person
        builds_for_leads = person is not None and person.role == "manager"
        dialog = QueueDialog(
            w.db, w.filter_bar.filters(), w.reviewer_name(), w,
            leads=leads(w.db) if builds_for_leads else None,
        )  # fmt: skip
        dialog.perform = w.ops.perform
        dialog.built.connect(self._built)
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _built(self, queue: Queue) -> None:
        sidebar = self.window.sidebar
        sidebar.reload()
        self.open_queue(queue.id)
        sidebar.scrollToItem(sidebar.currentItem())

    def delete(self, queue_id: int, ask: bool = True) -> bool:
        """Delete a queue after asking; its conversations and reviews stay. True if deleted."""
        w = self.window
        try:
            queue = get_queue(w.db, queue_id)
        except NotFound:
            return False
        if ask:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Delete queue",
                f"Delete the queue “{queue.name}” ({queue.size} conversations)?\n"
                "Its conversations and their reviews are kept.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                w,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)  # the name is the user's own text
            box.setDefaultButton(QMessageBox.StandardButton.No)
            if box.exec() != QMessageBox.StandardButton.Yes:
                return False
        if w.sidebar.current_key() == queue_key(queue_id):
            w.sidebar.select_key("all")
        w.ops.perform(
            Call("delete-queue", {"queue_id": queue_id}), on_done=lambda _t: w.sidebar.reload()
        )
        return True

    def _sidebar_menu(self, pos) -> None:
        sidebar = self.window.sidebar
        item = sidebar.itemAt(pos)
        queue_id = queue_of_key(item.data(0, KEY_ROLE)) if item else None
        if queue_id is None:
            return
        menu = QMenu(sidebar)
        menu.addAction("Open queue", lambda: self.open_queue(queue_id))
        menu.addAction("Delete queue…", lambda: self.delete(queue_id))
        menu.popup(sidebar.viewport().mapToGlobal(pos))

    def _database_changed(self) -> None:
        self.queue_id = None
        self._index = {}
        self._position = None
        queue_id = queue_of_key(self.window.sidebar.current_key())
        if queue_id is not None:  # the other file has a queue of that id: it is now this one
            self.open_queue(queue_id)
