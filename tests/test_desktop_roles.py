"""What each role's window offers on a team store (DOMAIN.md "A team on one store"): the app
reads the signed-in person's role only to hide what the server would refuse anyway. An agent
reads her lead's review of her conversation, read only: a rating key or S says in one sentence
why nothing happens and how to disagree (a dispute), and nothing is written; a manager reads the
same way; a lead rates. On the session's throwaway PostgreSQL server (skipped cleanly where
there is none)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from review.store.rights import why_not_reviewing
from tests.gui import settle, shot, team_window
from tests.teamdata import Team


def _window(qtbot, team: Team, login: str, conversation: str):
    window = team_window(qtbot, team, login)
    assert window.select_conversation(team.ids[conversation])
    qtbot.waitUntil(lambda: window.current_conversation_id() == team.ids[conversation])
    window.table.setFocus()
    return window


def _ratings(team: Team) -> int:
    with team.superuser() as conn:
        return conn.execute("select count(*) from review_ratings").fetchone()[0]


@pytest.mark.parametrize("login", ["agent_ann", "manager"])
def test_a_person_who_does_not_review_reads_the_review_and_cannot_rate_or_tag(qtbot, team, login):
    before = _ratings(team)
    window = _window(qtbot, team, login, "c3")  # Ann's, reviewed by lead A
    try:
        panel = window.review_panel
        reason = why_not_reviewing(window.person)
        assert reason is not None and panel.read_only_reason == reason
        assert panel.title.text() == f"Review by <b>{team.logins['lead_a']}</b> (read only)"
        assert panel.rows[0].buttons[1][1].isChecked()  # lead A's Pass, shown
        assert not panel.rows[0].isEnabled() and panel.overall.isReadOnly()
        assert not panel.save_button.isVisible() and not panel.loss_button.isVisible()
        shot(window, f"role-{login}")
        qtbot.keyClick(window.table, Qt.Key.Key_2)  # a rating key
        assert window.statusBar().currentMessage() == reason
        window.statusBar().clearMessage()
        qtbot.keyClick(window.table, Qt.Key.Key_S)  # tag a save
        assert window.statusBar().currentMessage() == reason
        assert QApplication.activeModalWidget() is None  # no dialog opened
        settle(qtbot, window)
        assert _ratings(team) == before  # nothing written
    finally:
        window.close()
        window.db.close()


def test_a_lead_rates_in_the_same_panel(qtbot, team):
    window = _window(qtbot, team, "lead_a", "c4")
    try:
        panel = window.review_panel
        assert panel.read_only_reason is None and panel.save_button.isVisible()
        before = _ratings(team)
        qtbot.keyClick(window.table, Qt.Key.Key_2)
        settle(qtbot, window)
        assert _ratings(team) == before + 1
    finally:
        window.close()
        window.db.close()
