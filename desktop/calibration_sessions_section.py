"""Calibration sessions in the main window (DOMAIN.md "A team on one store").

Review > New calibration session… (Ctrl+Shift+K): a manager names a session, ticks conversations
from the list and the leads who score it. The sidebar's "Calibration" section lists the sessions
the login may see (a lead: those naming them) with how many reviewers have finished. Choosing a
session lists its conversations; while a lead is still scoring it, the review panel scores in the
session, blind (their own review in it, apart from their ordinary one; nobody else's ratings).
Review > Finish my calibration scoring (Ctrl+Shift+F) locks the lead's ratings; Review >
Calibration results… (Ctrl+Shift+G) shows, once every reviewer finished or the session closed,
the answers side by side with the agreement per category, where a manager records the reference
rating and note; Review > Close calibration session (Ctrl+Shift+X) ends it early.

On a file (one person) each action says in one sentence that sessions need a team store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.shortcuts import add_action
from desktop.sidebar import View
from review.errors import SavedeskError
from review.filters import Filters
from review.operations import Call
from review.reviewing.browse import GIVEN_ORDER, rows_by_ids
from review.reviewing.calibration_sessions import (
    CalibrationSession,
    get_session,
    list_sessions,
    unrated,
)
from review.store.rights import leads

if TYPE_CHECKING:
    from desktop.calibration_dialogs import NewSessionDialog, ResultsDialog

# The dialogs and the agreement figures are imported when first opened: the section is built
# with every window, and they cost a tenth of a second of every launch.

CALIBRATION = "Calibration"
NEW_KEYS = ["Ctrl+Shift+K"]
FINISH_KEYS = ["Ctrl+Shift+F"]
RESULTS_KEYS = ["Ctrl+Shift+G"]
CLOSE_KEYS = ["Ctrl+Shift+X"]
NEEDS_TEAM = (
    "Calibration sessions need a team store, where each reviewer signs in as themselves and "
    "scores blind (File > Connect to a team store…)."
)
MAX_OFFERED = 200  # conversations of the list the new-session dialog offers to tick
_PREFIX = "calibration:"


def session_key(session_id: int) -> str:
    """The sidebar key of a session's view."""
    return f"{_PREFIX}{session_id}"


def session_of_key(key: str | None) -> int | None:
    """The session id of a sidebar key, None for other views."""
    return int(key[len(_PREFIX) :]) if key and key.startswith(_PREFIX) else None


def progress(session: CalibrationSession) -> str:
    """What the sidebar counts for a session: finished reviewers, or closed."""
    if session.status == "closed":
        return "closed"
    return f"{session.finished}/{len(session.reviewers)}"


class CalibrationSessionsSection(QObject):
    """Installs the actions and the sidebar section on `window` (a MainWindow) and puts the
    review panel into a session while its lead is scoring it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session_id: int | None = None  # the session chosen in the sidebar
        self.last_dialog: NewSessionDialog | ResultsDialog | None = None
        review = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Review"), None)
        if review is not None:
            review.addSeparator()
        self.new_action = add_action(window, review, "New &calibration session…", NEW_KEYS,
                                     self.new_session, "new-calibration-session")  # fmt: skip
        self.finish_action = add_action(window, review, "&Finish my calibration scoring",
                                        FINISH_KEYS, self.finish, "finish-calibration")  # fmt: skip
        self.results_action = add_action(window, review, "Calibration &results…", RESULTS_KEYS,
                                         self.results, "calibration-results")  # fmt: skip
        self.close_action = add_action(window, review, "Close calibration session", CLOSE_KEYS,
                                       self.close_session, "close-calibration")  # fmt: skip
        window.sidebar.extra_sections.append(self._add_section)
        window.sidebar.view_chosen.connect(self._view_chosen)
        window.ops.finished.connect(self._written)
        window.database_changed.connect(self._database_changed)
        self._show_for_role()

    # --- who sees what -----------------------------------------------------------------------
    def on_team_store(self) -> bool:
        """True on a team store signed in as one of its people, where sessions are offered
        at all (a file, or a server login that is nobody's, has no reviewers to name)."""
        return self.window.person is not None

    def _role(self) -> str | None:
        person = self.window.person
        return person.role if person is not None else None

    def _show_for_role(self) -> None:
        # only to hide what the server would refuse; on a file every action says why not
        role = self._role()
        team = self.on_team_store()
        self.new_action.setVisible(not team or role == "manager")
        self.close_action.setVisible(not team or role == "manager")
        self.finish_action.setVisible(not team or role == "lead")
        self.results_action.setVisible(not team or role in ("lead", "manager", "admin"))

    def _me(self) -> str | None:
        return self.window.db.signed_in_as()

    # --- the section -------------------------------------------------------------------------
    def _add_section(self) -> None:
        if not self.on_team_store() or self._role() not in ("lead", "manager", "admin"):
            return
        sessions = list_sessions(self.window.db)
        views = [View(session_key(s.id), s.name, Filters(conversation_ids=s.conversations),
                      None, GIVEN_ORDER) for s in sessions]  # fmt: skip
        made = self.window.sidebar.add_section(CALIBRATION, views)
        for (_, item), session in zip(made, sessions, strict=True):
            item.setText(1, progress(session))
            names = ", ".join(f"{r.reviewer}{' ✓' if r.finished_at else ''}"
                              for r in session.reviewers)  # fmt: skip
            item.setToolTip(0, f"{session.name}\n{len(session.conversations)} conversations; "
                               f"reviewers: {names}")  # fmt: skip

    def session_progress(self, session_id: int) -> str | None:
        """What the sidebar shows for the session (None: not listed)."""
        item = self.window.sidebar.item(session_key(session_id))
        return item.text(1) if item is not None else None

    def _view_chosen(self, view: View) -> None:
        self.session_id = session_of_key(view.key)
        self._follow_session()

    def _follow_session(self) -> None:
        panel = self.window.review_panel
        if self.session_id is None:
            panel.score_in_session(None)
            return
        try:
            found = get_session(self.window.db, self.session_id)
        except SavedeskError:
            panel.score_in_session(None)
            return
        # a lead still scoring rates in the session; anyone else sees no session review here
        if found.scoring(self._me()):
            panel.score_in_session(found.id, found.name)
        else:
            panel.score_in_session(None)

    def _written(self, ticket) -> None:
        outcome = ticket.outcome
        tables = outcome.changes.tables if outcome is not None else frozenset()
        if tables & {"calibration_sessions", "calibration_session_reviewers"}:
            self.window.sidebar.reload()
            self._follow_session()

    def _database_changed(self) -> None:
        self.session_id = session_of_key(self.window.sidebar.current_key())
        self._show_for_role()
        self._follow_session()

    def _chosen(self, what: str) -> CalibrationSession | None:
        if not self.on_team_store():
            self.window.say(NEEDS_TEAM)
            return None
        if self.session_id is None:
            self.window.say(f"Choose a calibration session in the sidebar first to {what}.")
            return None
        try:
            return get_session(self.window.db, self.session_id)
        except SavedeskError as exc:
            self.window.say(str(exc))
            return None

    # --- the actions -------------------------------------------------------------------------
    def new_session(self) -> NewSessionDialog | None:
        """Ctrl+Shift+K: a new session from the list's conversations and the store's leads."""
        w = self.window
        if not self.on_team_store():
            w.say(NEEDS_TEAM)
            return None
        from desktop.calibration_dialogs import NewSessionDialog

        listed = w.model.ids()
        ids = listed[:MAX_OFFERED]
        shown = w.current_conversation_id()
        if shown is not None and shown not in ids:  # the one on screen is always offered
            ids = [shown, *ids]
        rows = rows_by_ids(w.db, ids)
        offered = [(cid, f"{rows[cid].subject or '#' + str(cid)}") for cid in ids if cid in rows]
        first = MAX_OFFERED if len(listed) > MAX_OFFERED else None
        dialog = NewSessionDialog(w, offered, shown, leads(w.db), first_of_list=first)
        dialog.accepted.connect(lambda: self._made(dialog.session_id))
        self._open(dialog)
        return dialog

    def _made(self, session_id: int | None) -> None:
        self.window.sidebar.reload()
        if session_id is not None:
            self.window.sidebar.select_key(session_key(session_id))

    def finish(self) -> None:
        """Ctrl+Shift+F: mark my scoring of the chosen session finished (ratings lock)."""
        found = self._chosen("finish your scoring")
        if found is None:
            return
        me = self._me()
        if not found.scoring(me):
            self.window.say(f"You are not scoring “{found.name}” (finished, closed, or not "
                            "yours).")  # fmt: skip
            return
        left = unrated(self.window.db, found.id, me or "")
        self.window.ops.perform(
            Call("finish-calibration-scoring", {"session_id": found.id}),
            on_done=lambda _t: self.window.say(
                f"Finished scoring “{found.name}”"
                + (f" ({left} answers left blank)." if left else ".")
            ),
            on_failed=lambda t: self.window.say(str(t.error)),
        )

    def close_session(self) -> None:
        """Ctrl+Shift+X: close the chosen session (its ratings are shown)."""
        found = self._chosen("close it")
        if found is None:
            return
        self.window.ops.perform(
            Call("close-calibration-session",
                 {"session_id": found.id, "expected_version": found.version}),
            on_done=lambda _t: self.window.say(f"Closed “{found.name}”."),
            on_failed=lambda t: self.window.say(str(t.error)),
        )  # fmt: skip

    def results(self) -> ResultsDialog | None:
        """Ctrl+Shift+G: the chosen session's answers side by side, once revealed."""
        found = self._chosen("see its results")
        if found is None:
            return None
        from desktop.calibration_dialogs import ResultsDialog
        from review.figures.session_agreement import session_agreement

        try:
            agreement = session_agreement(self.window.db, found.id)
        except SavedeskError as exc:
            self.window.say(str(exc))
            return None
        dialog = ResultsDialog(self.window, agreement, self._role() == "manager")
        self._open(dialog)
        return dialog

    def _open(self, dialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        self.last_dialog = dialog
        dialog.open()
