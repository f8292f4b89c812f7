"""A dispute walked end to end in the app on a team store, as two logins (DOMAIN.md "A team on
one store"): the agent, signed in as herself, disputes her lead's tone rating with Review >
Dispute this review… (Ctrl+Shift+D); the lead's window counts it under Open disputes and her
dashboard can leave the disputed review out of the quality score, saying so; another lead who
reviewed the conversation too sees the dispute but may not resolve it (one sentence); the lead
upholds it with a note (Ctrl+Shift+R) and the count goes. Each window is on its own login's URL, on the
session's throwaway PostgreSQL server (skipped cleanly where there is none)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.disputes_section import OPEN_KEY
from tests.gui import CTRL_SHIFT, settle, shot, team_window
from tests.teamdata import Team


def _show(qtbot, window, conversation_id: int) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    assert window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: window.current_conversation_id() == conversation_id)


def _press(qtbot, window, key):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    qtbot.keyClick(window.table, key, CTRL_SHIFT)
    dialog = window.disputes.last_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _ok(qtbot, dialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def _status(team: Team, dispute_reason: str):
    with team.superuser() as conn:
        return conn.execute(
            "select status, opened_by, resolved_by, resolution_note, category_id, review_id "
            "from disputes where reason = %(r)s",
            {"r": dispute_reason},
        ).fetchone()


def test_an_agent_disputes_and_her_lead_upholds_through_the_windows(qtbot, team):
    ids, reason = team.ids, "I apologised in my second message."
    with team.superuser() as conn:
        conn.execute("update reviews set score = 100")
    agent = team_window(qtbot, team, "agent_ann")
    lead = team_window(qtbot, team, "lead_a")
    try:
        assert lead.sidebar.item(OPEN_KEY) is None  # nothing disputed yet

        _show(qtbot, agent, ids["c1"])
        dialog = _press(qtbot, agent, Qt.Key.Key_D)
        labels = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
        lead_a = team.logins["lead_a"]
        tone = labels.index(f"tone in {lead_a}'s review (100)")
        dialog.choice.setCurrentIndex(tone)
        _ok(qtbot, dialog)  # no reason yet: refused in one sentence, the dialog stays
        qtbot.waitUntil(lambda: dialog.problem.text() != "", timeout=20_000)
        assert dialog.problem.text() == "A dispute needs the reason the score is wrong."
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.text, reason)
        shot(dialog, "dispute-dialog")
        with qtbot.waitSignal(dialog.finished, timeout=20_000):
            _ok(qtbot, dialog)
        settle(qtbot, agent)
        assert _status(team, reason) == (
            "open",
            team.logins["agent_ann"],
            None,
            None,
            ids["tone"],
            ids["a_c1"],
        )
        qtbot.waitUntil(lambda: agent.disputes.open_count() == 1, timeout=20_000)

        # the agent's window offers no Resolve (the server would refuse it: tested in
        # test_server_roles); lead B, who reviewed c1 too, sees the dispute but it is not hers
        assert not agent.disputes.resolve_action.isVisible()
        other = team_window(qtbot, team, "lead_b")
        try:
            qtbot.waitUntil(lambda: other.disputes.open_count() == 1, timeout=30_000)
            assert not other.disputes.dispute_action.isVisible()
            _show(qtbot, other, ids["c1"])
            attempt = _press(qtbot, other, Qt.Key.Key_R)
            qtbot.keyClicks(attempt.text, "Fine by me.")
            _ok(qtbot, attempt)
            qtbot.waitUntil(lambda: attempt.problem.text() != "", timeout=20_000)
            assert attempt.problem.text() == "This dispute is not yours to resolve."
            shot(attempt, "other-lead-resolve-refused")
            qtbot.keyClick(attempt, Qt.Key.Key_Escape)
        finally:
            other.close()
            other.db.close()
        assert _status(team, reason)[0] == "open"

        # the lead's window hears of it (another login's commit) and counts it
        qtbot.waitUntil(lambda: lead.disputes.open_count() == 1, timeout=30_000)
        # her dashboard can leave the disputed review out of the quality score, and says so
        lead.activateWindow()
        qtbot.waitUntil(lead.isActiveWindow, timeout=20_000)
        qtbot.keyClick(lead.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        board = lead.dashboard_opener.dashboard
        qtbot.waitUntil(board.isVisible, timeout=20_000)
        assert board.data.quality.n == 3  # a_c1, a_c3 and lead B's b_c1 on her c1, all 100
        board.without_disputed.click()
        assert board.data.quality.n == 2
        assert "1 review under open dispute left out" in board.cards["quality"].note.text()
        shot(board, "dashboard-without-disputed")
        board.close()
        lead.sidebar.select_key(OPEN_KEY)
        qtbot.waitUntil(lambda: lead.model.rowCount() == 1, timeout=20_000)
        _show(qtbot, lead, ids["c1"])
        resolve = _press(qtbot, lead, Qt.Key.Key_R)
        assert reason in resolve.choice.currentText() and "tone" in resolve.choice.currentText()
        resolve.outcome.setCurrentIndex(resolve.outcome.findData("upheld"))
        qtbot.keyClicks(resolve.text, "The apology came after the refusal.")
        shot(lead, "lead-window-open-disputes")
        shot(resolve, "resolve-dialog")
        with qtbot.waitSignal(resolve.finished, timeout=20_000):
            _ok(qtbot, resolve)
        settle(qtbot, lead)
        assert _status(team, reason)[:4] == (
            "upheld",
            team.logins["agent_ann"],
            lead_a,
            "The apology came after the refusal.",
        )
        qtbot.waitUntil(lambda: lead.disputes.open_count() == 0, timeout=20_000)
        qtbot.waitUntil(lambda: agent.disputes.open_count() == 0, timeout=30_000)
        # the agent reads how it ended where she disputed it
        _show(qtbot, agent, ids["c1"])
        again = _press(qtbot, agent, Qt.Key.Key_D)
        assert again.earlier.text().startswith(f"tone: upheld by {lead_a} on 20")
        assert again.earlier.text().endswith(": The apology came after the refusal.")
        shot(again, "agent-reads-the-outcome")
        qtbot.keyClick(again, Qt.Key.Key_Escape)
    finally:
        for window in (agent, lead):
            window.close()
            window.db.close()
