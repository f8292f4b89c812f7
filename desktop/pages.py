"""Go > Coaching page and Go > Calibration, and the sidebar's "Follow-ups due (N)" section.

Each page is one window beside the main window, made on first use and kept. The coaching page
opens on the agent at hand: the follow-up or agent chosen in the sidebar, else the agent of
the conversation shown. Writes made on the coaching page go through the main window's
operations (its runner and undo stack), so Ctrl+Z there (or on the page) undoes them too.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu, QPushButton

from desktop.shortcuts import add_action
from desktop.sidebar import View
from review.changes import Changes
from review.filters import Filters
from review.reviewing import browse
from review.reviewing.coaching import due_follow_ups

if TYPE_CHECKING:  # the pages load (QtCharts with them) when first opened, not at start-up
    from desktop.calibration_page import CalibrationPage
    from desktop.coaching_page import CoachingPage

FOLLOW_UPS = "Follow-ups due"
COACHING_KEYS = ["Ctrl+Shift+C"]
CALIBRATION_KEYS = ["Ctrl+Shift+A"]


def follow_up_views(db, today: date | None = None) -> list[tuple[View, str]]:
    """(view, follow-up date) per note whose follow-up date has come; the view (key
    "follow-up:<note id>", labelled with the agent) lists the agent's conversations."""
    names = dict(browse.agent_names(db))
    return [
        (
            View(
                f"follow-up:{note.id}",
                names.get(note.agent_id, f"Agent {note.agent_id}"),
                Filters(agent_ids=(note.agent_id,)),
            ),
            note.follow_up,
        )
        for note in due_follow_ups(db, today or date.today())
    ]


def agent_of_view(view: View | None) -> int | None:
    """The agent a sidebar view is about (an agent's or a follow-up's view), else None."""
    if view is None or not view.key.startswith(("agent:", "follow-up:")):
        return None
    return view.filters.agent_ids[0] if view.filters.agent_ids else None


class Pages(QObject):
    """Installs the page actions on `window` (a MainWindow) and keeps the page windows."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.coaching: CoachingPage | None = None
        self.calibration: CalibrationPage | None = None
        go = window.go_menu
        go.addSeparator()
        # a lambda: triggered(checked) would otherwise arrive as the agent id (False)
        self.coaching_action = add_action(
            window, go, "&Coaching page…", COACHING_KEYS, lambda: self.show_coaching(),
            "show-coaching",
        )  # fmt: skip
        self.calibration_action = add_action(
            window, go, "Ca&libration…", CALIBRATION_KEYS, self.show_calibration,
            "show-calibration",
        )  # fmt: skip
        self.offer = QPushButton(window)
        self.offer.setObjectName("offer-coaching")
        self.offer.setFlat(True)
        self.offer.hide()
        self.offer.clicked.connect(lambda: self.show_coaching())
        window.statusBar().addWidget(self.offer)
        sidebar = window.sidebar
        sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        sidebar.customContextMenuRequested.connect(self._sidebar_menu)
        sidebar.itemActivated.connect(lambda *_: self._activated())
        sidebar.view_chosen.connect(self._view_chosen)
        sidebar.extra_sections.append(self._add_follow_ups)  # shown at the window's reload
        window.undo.changed.connect(self.on_changes)
        window.ops.finished.connect(lambda ticket: self.on_changes(ticket.outcome.changes))
        window.database_changed.connect(self._database_changed)

    # --- the sidebar -------------------------------------------------------------------------
    def _add_follow_ups(self) -> None:
        due = follow_up_views(self.window.db)
        made = self.window.sidebar.add_section(
            f"{FOLLOW_UPS} ({len(due)})", [view for view, _ in due], highlight=True
        )
        for (_, item), (view, day) in zip(made, due, strict=True):
            item.setText(1, day[5:])  # "09-07": the name keeps the narrow sidebar's width
            item.setToolTip(0, f"{view.label}: follow-up due {day} — opens the coaching page")
            item.setToolTip(1, day)

    def _view_chosen(self, view: View) -> None:
        agent_id = agent_of_view(view)
        if agent_id is None:
            self.offer.hide()
            return
        name = self.window.sidebar.currentItem().text(0)
        self.offer.setText(f"Coaching page of {name} ({COACHING_KEYS[0]})")
        self.offer.show()
        if view.key.startswith("follow-up:") and self.window.isVisible():
            self.show_coaching(agent_id)

    def _activated(self) -> None:
        agent_id = agent_of_view(self.window.sidebar.current_view())
        if agent_id is not None:
            self.show_coaching(agent_id)

    def _sidebar_menu(self, pos) -> None:
        item = self.window.sidebar.itemAt(pos)
        view = (
            self.window.sidebar.view(item.data(0, Qt.ItemDataRole.UserRole + 1)) if item else None
        )
        agent_id = agent_of_view(view)
        if agent_id is None:
            return
        menu = QMenu(self.window.sidebar)
        menu.addAction("Open coaching page", lambda: self.show_coaching(agent_id))
        menu.popup(self.window.sidebar.viewport().mapToGlobal(pos))

    # --- pages -------------------------------------------------------------------------------
    def show_coaching(self, agent_id: int | None = None) -> CoachingPage:
        """Open the coaching page on `agent_id` (default: the agent at hand) and bring it up."""
        w = self.window
        if agent_id is None:
            agent_id = agent_of_view(w.sidebar.current_view())
        if agent_id is None and w.current_conversation_id() is not None:
            detail = browse.thread(w.db, w.current_conversation_id())
            agent_id = detail.agent_id if detail else None
        if self.coaching is None:
            from desktop.coaching_page import CoachingPage

            self.coaching = CoachingPage(w.db, w.ops.perform, w.reviewer_name, w)
            self.coaching.open_conversation.connect(self.open_conversation)
            self.coaching.addAction(w.review_actions.undo_action)
            self.coaching.addAction(w.review_actions.redo_action)
        if agent_id is not None:
            self.coaching.show_agent(agent_id)
        else:
            self.coaching.refresh()
        self._raise(self.coaching)
        return self.coaching

    def show_calibration(self) -> CalibrationPage:
        """Open the calibration page and bring it up."""
        if self.calibration is None:
            from desktop.calibration_page import CalibrationPage

            self.calibration = CalibrationPage(self.window.db, self.window)
            self.calibration.open_conversation.connect(self.open_conversation)
        else:
            self.calibration.refresh()
        self._raise(self.calibration)
        return self.calibration

    def _raise(self, page) -> None:
        page.show()
        page.raise_()
        page.activateWindow()

    def open_conversation(self, conversation_id: int) -> None:
        """Show a conversation in the main window's list and reader (widening the list to All
        when the current view or chips leave it out)."""
        w = self.window
        if not w.select_conversation(conversation_id):
            w.filter_bar.clear(emit=False)
            w.search.blockSignals(True)
            w.search.clear()
            w.search.blockSignals(False)
            w.sidebar.select_key("all", emit=False)
            w.refresh_list()
            w.select_conversation(conversation_id)
        self._raise(w)

    # --- changes -----------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """After a write or an undo: follow-ups in the sidebar, and the open pages."""
        if not changes:
            return
        if changes.tables & {"coaching_notes"}:
            self.window.sidebar.reload()
        if self.coaching is not None and self.coaching.isVisible():
            self.coaching.refresh()
        calibration = self.calibration
        if (
            changes.tables & {"reviews", "review_ratings"}
            and calibration
            and calibration.isVisible()
        ):
            calibration.show_chosen()

    def _database_changed(self) -> None:
        for page in (self.coaching, self.calibration):
            if page is not None:
                page.set_database(self.window.db)
