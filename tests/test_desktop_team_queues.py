"""A manager builds review queues for the leads in the app (DOMAIN.md: "manager: ... builds and
assigns review queues"): New queue… offers For: every lead (an open queue, claimed one
conversation at a time) or one lead's login; the lead it names sees it in the sidebar and the
other does not, and an open queue shows to both. On the session's throwaway PostgreSQL server
(skipped cleanly where there is none)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.queues_section import queue_key
from tests.gui import CTRL_SHIFT, settle, team_window
from tests.teamdata import Team


def _build(qtbot, window, name: str, assignee_index: int) -> None:
    window.activateWindow()  # back from the last dialog
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Q, CTRL_SHIFT)  # Review > New queue…
    dialog = window.queues.last_dialog
    assert dialog is not None and dialog.isVisible() and dialog.assignee is not None
    dialog.unreviewed.setChecked(False)
    dialog.assignee.setCurrentIndex(assignee_index)
    qtbot.keyClicks(dialog.name, name)
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    settle(qtbot, window)


def _queues(team: Team) -> dict[str, tuple[int, str | None]]:
    with team.superuser() as conn:
        return {n: (i, r) for i, n, r in conn.execute("select id, name, reviewer from queues")}


def _sees(qtbot, team: Team, login: str, queue_id: int) -> bool:
    window = team_window(qtbot, team, login, focus_list=True)
    try:
        return window.sidebar.item(queue_key(queue_id)) is not None
    finally:
        window.close()
        window.db.close()


def test_a_manager_builds_one_leads_queue_and_an_open_one(qtbot, team):
    manager = team_window(qtbot, team, "manager", focus_list=True)
    try:
        qtbot.keyClick(manager.table, Qt.Key.Key_Q, CTRL_SHIFT)
        offered = manager.queues.last_dialog.assignee
        names = [offered.itemData(i) for i in range(offered.count())]
        assert names == ["", team.logins["lead_a"], team.logins["lead_b"]]  # open, then leads
        manager.queues.last_dialog.reject()
        _build(qtbot, manager, "Lead A's week", names.index(team.logins["lead_a"]))
        _build(qtbot, manager, "Anyone's", 0)
    finally:
        manager.close()
        manager.db.close()
    stored = _queues(team)
    mine, anyone = stored["Lead A's week"], stored["Anyone's"]
    assert mine[1] == team.logins["lead_a"] and anyone[1] is None
    assert _sees(qtbot, team, "lead_a", mine[0]) and not _sees(qtbot, team, "lead_b", mine[0])
    assert _sees(qtbot, team, "lead_a", anyone[0]) and _sees(qtbot, team, "lead_b", anyone[0])
