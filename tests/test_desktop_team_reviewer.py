"""On a team store a person reviews as their login: the window never asks for a name (neither
up front nor from Edit > Reviewer name…, which says so in one sentence), whatever name an
earlier file or $SAVEDESK_REVIEWER gave, and a rating by key is stored under the login. On the
session's throwaway PostgreSQL server (skipped cleanly where there is none)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop import settings
from desktop.window_state import REVIEWER_VARIABLE
from tests.gui import settle, show_main_window


def test_a_lead_reviews_as_their_login_and_is_never_asked_a_name(qtbot, team, monkeypatch):
    monkeypatch.setenv(REVIEWER_VARIABLE, "Env Name")
    settings.put(settings.REVIEWER, "Name From A File")
    login = team.logins["lead_a"]
    window = show_main_window(qtbot, team.url("lead_a"), active=True)
    try:
        assert window.ask_reviewer_up_front() == login
        assert QApplication.activeModalWidget() is None  # no name prompt
        qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=20_000)
        c4 = team.ids["c4"]  # Ann's, of lead A's team, not reviewed yet
        assert window.select_conversation(c4)
        qtbot.waitUntil(lambda: window.current_conversation_id() == c4)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_2)  # pass the first category
        settle(qtbot, window)
        with team.superuser() as conn:
            reviewers = [r[0] for r in conn.execute(
                "select reviewer from reviews where conversation_id = %(c)s", {"c": c4})]  # fmt: skip
        assert reviewers == [login]
        window.findChild(QAction, "reviewer").trigger()  # Edit > Reviewer name…
        assert QApplication.activeModalWidget() is None
        assert window.statusBar().currentMessage() == (
            f"On this team store you review as your login, {login}."
        )
    finally:
        window.close()
        window.db.close()
