"""A calibration session walked end to end in the app on a team store, as a manager and two
leads, each window on its own login's URL on the session's throwaway PostgreSQL server (DOMAIN.md
"A team on one store"): the manager builds a session from the list with Review > New
calibration session… (Ctrl+Shift+K), ticking conversations and the two leads; each lead chooses
it in the sidebar's Calibration section and scores its conversations from the keyboard in the
normal review panel, blind (their ordinary review of the same conversation untouched, nobody
else's ratings shown, Calibration results… (Ctrl+Shift+G) refused in one sentence), and finishes
(Ctrl+Shift+F); then the results show both leads' answers side by side with the agreement per
category, and the manager records a reference rating with a note (Return) and closes the
session (Ctrl+Shift+X). On a file, the action says in one sentence that it needs a team store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.calibration_sessions_section import NEEDS_TEAM, session_key
from review.reviewing.calibration_sessions import HIDDEN
from tests.gui import CTRL_SHIFT, settle, shot, show_main_window, team_window
from tests.teamdata import Team


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)


def _key(qtbot, window, key, modifier=CTRL_SHIFT) -> None:
    _activate(qtbot, window)
    qtbot.keyClick(window.table, key, modifier)


def _click_view(qtbot, window, key: str) -> None:
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.item(key) is not None, timeout=20_000)
    item = sidebar.item(key)
    sidebar.scrollToItem(item)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(item).center())  # fmt: skip
    qtbot.waitUntil(lambda: sidebar.current_key() == key, timeout=20_000)


def _show(qtbot, window, conversation_id: int) -> None:
    _activate(qtbot, window)
    qtbot.waitUntil(lambda: window.model.row_of(conversation_id) is not None, timeout=20_000)
    assert window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: window.current_conversation_id() == conversation_id)


def _tick(box, labels: set[str]) -> None:
    for i in range(box.count()):
        if box.item(i).text() in labels:
            box.item(i).setCheckState(Qt.CheckState.Checked)


def _score(qtbot, window, conversation_id: int, keys) -> None:
    _show(qtbot, window, conversation_id)
    panel = window.review_panel
    qtbot.waitUntil(lambda: panel.calibration_session_id is not None, timeout=20_000)
    panel.focused = 0
    for key in keys:
        _key(qtbot, window, key, Qt.KeyboardModifier.NoModifier)
    settle(qtbot, window)


def _session_ratings(team: Team, session_id: int) -> dict:
    with team.superuser() as conn:
        rows = conn.execute(
            "select r.reviewer, c.subject, k.key, rr.rating from reviews r "
            "join review_ratings rr on rr.review_id = r.id "
            "join conversations c on c.id = r.conversation_id "
            "join rubric_categories k on k.id = rr.category_id "
            "where r.calibration_session_id = %(s)s",
            {"s": session_id},
        ).fetchall()
    return {(w, s, k): v for w, s, k, v in rows}


def test_the_shown_conversation_is_offered_however_long_the_list(qtbot, team, monkeypatch):
    monkeypatch.setattr("desktop.calibration_sessions_section.MAX_OFFERED", 1)
    manager = team_window(qtbot, team, "manager")
    try:
        qtbot.waitUntil(lambda: manager.model.rowCount() > 2, timeout=20_000)
        first, later = manager.model.ids()[0], manager.model.ids()[2]
        _show(qtbot, manager, later)
        _key(qtbot, manager, Qt.Key.Key_K)
        dialog = manager.calibration_sessions.last_dialog
        assert dialog is not None and dialog.isVisible()
        box = dialog.conversations
        offered = {box.item(i).data(Qt.ItemDataRole.UserRole): box.item(i).checkState()
                   for i in range(box.count())}  # fmt: skip
        assert offered == {later: Qt.CheckState.Checked, first: Qt.CheckState.Unchecked}
        assert "the list's first 1 and the one shown" in dialog.offered.text()
        shot(dialog, "calibration-new-session-long-list")
        dialog.reject()
    finally:
        manager.close()
        manager.db.close()


def test_a_manager_and_two_leads_run_a_calibration_session(qtbot, team):
    ids, logins = team.ids, team.logins
    manager = team_window(qtbot, team, "manager")
    windows = [manager]
    try:
        # the manager builds the session from the list: c1 shown (ticked), c3 ticked too
        _show(qtbot, manager, ids["c1"])
        _key(qtbot, manager, Qt.Key.Key_K)
        dialog = manager.calibration_sessions.last_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.name, "Week 12")
        dialog.name.insert(" калибровка")  # QTest types ASCII only; the name is international
        _tick(dialog.conversations, {"c3"})
        _tick(dialog.reviewers, {logins["lead_a"], logins["lead_b"]})
        shot(dialog, "calibration-new-session")
        with qtbot.waitSignal(dialog.finished, timeout=20_000):
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)  # fmt: skip
        with team.superuser() as conn:
            session_id, created_by = conn.execute(
                "select id, created_by from calibration_sessions where name = %(n)s",
                {"n": "Week 12 калибровка"},
            ).fetchone()
            assert created_by == logins["manager"]
        key = session_key(session_id)
        qtbot.waitUntil(lambda: manager.sidebar.current_key() == key, timeout=20_000)
        assert manager.calibration_sessions.session_progress(session_id) == "0/2"

        lead_a = team_window(qtbot, team, "lead_a")
        windows.append(lead_a)
        _click_view(qtbot, lead_a, key)
        qtbot.waitUntil(lambda: lead_a.model.rowCount() == 2, timeout=20_000)
        _score(qtbot, lead_a, ids["c1"], [Qt.Key.Key_2, Qt.Key.Key_2])  # tone pass, accuracy pass
        assert "Calibration" in lead_a.review_panel.title.text()
        _score(qtbot, lead_a, ids["c3"], [Qt.Key.Key_1, Qt.Key.Key_2])  # fail, pass
        shot(lead_a, "calibration-lead-a-scoring")
        assert _session_ratings(team, session_id) == {
            (logins["lead_a"], "c1", "tone"): 1, (logins["lead_a"], "c1", "accuracy"): 1,
            (logins["lead_a"], "c3", "tone"): 0, (logins["lead_a"], "c3", "accuracy"): 1,
        }  # fmt: skip
        with team.superuser() as conn:  # her ordinary review of c1 is as it was
            assert conn.execute(
                "select count(*) from review_ratings where review_id = %(r)s", {"r": ids["a_c1"]}
            ).fetchone()[0] == 1  # fmt: skip
        _key(qtbot, lead_a, Qt.Key.Key_G)
        assert lead_a.statusBar().currentMessage() == HIDDEN
        _key(qtbot, lead_a, Qt.Key.Key_F)
        settle(qtbot, lead_a)
        qtbot.waitUntil(lambda: lead_a.calibration_sessions.session_progress(session_id)
                        == "1/2", timeout=20_000)  # fmt: skip
        # finished: her panel is out of the session, her ratings locked
        assert lead_a.review_panel.calibration_session_id is None

        lead_b = team_window(qtbot, team, "lead_b")
        windows.append(lead_b)
        _click_view(qtbot, lead_b, key)
        _show(qtbot, lead_b, ids["c1"])
        panel = lead_b.review_panel
        qtbot.waitUntil(lambda: panel.calibration_session_id == session_id, timeout=20_000)
        # blind: lead B reviewed c1 herself before (b_c1); in the session she starts empty and
        # sees nothing of lead A's answers
        assert panel.review is None
        assert all(rating is None and not na for rating, na, *_ in panel._ratings().values())
        _key(qtbot, lead_b, Qt.Key.Key_G)
        assert lead_b.statusBar().currentMessage() == HIDDEN
        _score(qtbot, lead_b, ids["c1"], [Qt.Key.Key_2, Qt.Key.Key_1])  # pass, fail
        _score(qtbot, lead_b, ids["c3"], [Qt.Key.Key_1, Qt.Key.Key_1])  # fail, fail
        _key(qtbot, lead_b, Qt.Key.Key_F)
        settle(qtbot, lead_b)
        qtbot.waitUntil(lambda: lead_b.calibration_sessions.session_progress(session_id)
                        == "2/2", timeout=20_000)  # fmt: skip

        # everyone finished: the answers side by side and the agreement per category
        _key(qtbot, lead_b, Qt.Key.Key_G)
        results = lead_b.calibration_sessions.last_dialog
        assert results is not None and results.isVisible()
        assert not results.record.isVisible()  # a lead reads; the manager records
        agreement = {results.agreement.item(r, 0).text(): results.agreement.item(r, 1).text()
                     for r in range(results.agreement.rowCount())}  # fmt: skip
        assert agreement == {"tone": "100%", "accuracy": "0%"}
        headers = [results.grid.horizontalHeaderItem(c).text()
                   for c in range(results.grid.columnCount())]  # fmt: skip
        assert headers == ["Category", "Conversation", logins["lead_a"], logins["lead_b"],
                           "Reference", "Note"]  # fmt: skip
        row = next(r for r in range(results.grid.rowCount())
                   if results.grid.item(r, 0).text() == "accuracy"
                   and results.grid.item(r, 1).text() == "c1")  # fmt: skip
        assert (results.grid.item(row, 2).text(), results.grid.item(row, 3).text()) == (
            "pass", "fail"
        )  # fmt: skip
        shot(results, "calibration-results-lead")
        qtbot.keyClick(results, Qt.Key.Key_Escape)

        # the manager records the reference for c1's accuracy with a note, then closes
        _click_view(qtbot, manager, "all")
        manager.sidebar.reload()
        _click_view(qtbot, manager, key)
        _key(qtbot, manager, Qt.Key.Key_G)
        results = manager.calibration_sessions.last_dialog
        assert results is not None and results.isVisible() and results.record.isVisible()
        results.conversation.setCurrentIndex(results.conversation.findData(ids["c1"]))
        results.category.setCurrentIndex(results.category.findData(ids["accuracy"]))
        results.rating.setCurrentIndex(results.rating.findText("pass"))
        qtbot.keyClicks(results.note, "The help link answered the next question.")
        qtbot.keyClick(results.note, Qt.Key.Key_Return)
        settle(qtbot, manager)
        with team.superuser() as conn:
            qtbot.waitUntil(lambda: conn.execute(
                "select count(*) from calibration_references").fetchone()[0] == 1,
                timeout=20_000)  # fmt: skip
            assert conn.execute(
                "select rating, is_na, note, recorded_by from calibration_references"
            ).fetchone() == (1, 0, "The help link answered the next question.", logins["manager"])
        qtbot.waitUntil(lambda: any(
            results.grid.item(r, 5).text() == "The help link answered the next question."
            for r in range(results.grid.rowCount())), timeout=20_000)  # fmt: skip
        shot(results, "calibration-results-manager")
        qtbot.keyClick(results, Qt.Key.Key_Escape)
        _key(qtbot, manager, Qt.Key.Key_X)
        settle(qtbot, manager)
        with team.superuser() as conn:
            assert conn.execute(
                "select status, closed_by from calibration_sessions where id = %(s)s",
                {"s": session_id},
            ).fetchone() == ("closed", logins["manager"])
        qtbot.waitUntil(lambda: manager.calibration_sessions.session_progress(session_id)
                        == "closed", timeout=20_000)  # fmt: skip
    finally:
        for window in windows:
            window.close()
            window.db.close()


def test_on_a_file_calibration_sessions_say_they_need_a_team_store(qtbot, qt_settings, db_path):
    if str(db_path).startswith("postgresql"):
        pytest.skip("a file's window: the SQLite pass shows it")
    window = show_main_window(qtbot, db_path, reviewer="Lena", active=True)
    try:
        _key(qtbot, window, Qt.Key.Key_K)
        assert window.statusBar().currentMessage() == NEEDS_TEAM
        assert window.calibration_sessions.last_dialog is None
        _key(qtbot, window, Qt.Key.Key_F)
        assert window.statusBar().currentMessage() == NEEDS_TEAM
    finally:
        window.close()
        window.db.close()
