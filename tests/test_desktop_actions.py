"""Every action of the main window and its pages, triggered as a user triggers it: its shortcut
sent to the widget that has the keyboard, or, without one, a click on its menu entry. Never the
slot. Each must raise nothing and show what it promises, on the demo database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMenu

from desktop import settings
from desktop.calibration_sessions_section import NEEDS_TEAM
from desktop.shortcuts import ShortcutSheet
from desktop.tag_dialogs import LossDialog, SaveDialog
from review.reviewing.rubrics import current_rubric
from tests.gui import settle, show_main_window

REVIEWER = "Lena Gruber"


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer=REVIEWER, active=True)
    yield win
    for page in (win.pages.coaching, win.pages.calibration):
        if page is not None:
            page.close()
    if win.dashboard_opener.dashboard is not None:
        win.dashboard_opener.dashboard.close()
    win.close()
    win.db.close()


def menu_actions(window) -> dict[str, QAction]:
    """Every action in the window's menus, by its text without the & marks."""
    found: dict[str, QAction] = {}

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator():
                found[action.text().replace("&", "")] = action

    for top in window.menuBar().actions():
        walk(top.menu())
    return found


def press(qtbot, window, action: QAction) -> None:
    """The action's first shortcut, sent to the widget that has the keyboard."""
    combination = action.shortcuts()[0][0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())


def click_in_menu(qtbot, window, action: QAction) -> None:
    """Open the menu that holds `action` and click its entry."""
    menu = next(m for m in action.associatedObjects() if isinstance(m, QMenu))
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def trigger(qtbot, window, action: QAction) -> None:
    """As a user would: the shortcut where there is one, else the menu entry."""
    if action.shortcuts():
        press(qtbot, window, action)
    else:
        click_in_menu(qtbot, window, action)


def _rating(window, cid, category_id):
    return window.db.execute(
        "select rr.rating, rr.is_na from review_ratings rr join reviews r on r.id = rr.review_id "
        "where r.conversation_id = ? and r.reviewer = ? and rr.category_id = ?",
        [cid, REVIEWER, category_id],
    ).fetchone()


def test_every_menu_action_through_its_shortcut_or_menu_entry(window, qtbot, monkeypatch):
    actions = menu_actions(window)
    seen: set[str] = set()
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: asked.append("open") or ("", "")
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("new") or ("", "")
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: asked.append("import") or ([], "")
    )
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (REVIEWER, True))

    def run(text: str) -> QAction:
        seen.add(text)
        action = actions[text]
        trigger(qtbot, window, action)
        return action

    window.focus_list()
    # File
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append("folder") or ""
    )
    for text, word in (("Open database…", "open"), ("New database…", "new"), ("Import exports…", "import"), ("Import a folder of exports…", "folder")):  # fmt: skip
        run(text)
        assert asked[-1] == word
    for text, opened in (("Connect to server…", "last_connect"), ("Import history…", "last_history")):  # fmt: skip
        run(text)
        dialog = getattr(window.file_menu, opened)
        qtbot.waitUntil(dialog.isVisible, timeout=5_000)
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible(), timeout=5_000)
        window.activateWindow()
        window.focus_list()
    # Go: move, panes, hits
    ids = window.model.ids()
    start = window.table.currentIndex().row()  # the list took the keyboard on its first row
    run("Next conversation")
    assert window.current_conversation_id() == ids[start + 1]
    run("Next conversation")
    run("Previous conversation")
    assert window.current_conversation_id() == ids[start + 1]
    run("Views and queues")
    assert window.sidebar.hasFocus()
    run("Conversation list")
    assert window.table.hasFocus()
    for text in ("Next search hit", "Previous search hit"):
        window.statusBar().clearMessage()
        run(text)
        assert window.statusBar().currentMessage()  # says what F3 needs first
    # Review: rate, N/A, move between categories, comment, leave
    cid = window.current_conversation_id()
    rubric = current_rubric(window.db)
    panel = window.review_panel
    panel.focused = 0
    for n in range(1, 6):
        panel.focused = 0
        run(f"Rate {n}")
        settle(qtbot, window)
        assert _rating(window, cid, rubric.categories[0].id) == (n, 0)
        assert panel.focused == 1  # a rating moves to the next category
    na = next(i for i, c in enumerate(rubric.categories) if c.allow_na)
    panel.focused = na
    run("Not applicable")
    settle(qtbot, window)
    assert _rating(window, cid, rubric.categories[na].id) == (None, 1)
    panel.focused = 3
    panel.next_category(0)  # a move of nothing: the next Tab is not one straight after a rating
    run("Next category")
    assert panel.focused == 4
    run("Previous category")
    assert panel.focused == 3
    run("Comment on category")
    assert panel.rows[3].comment.hasFocus()
    seen.add("Leave field")
    press(qtbot, window, next(a for a in window.actions() if a.objectName() == "leave-field"))
    panel.focused = 0  # accuracy: judgement only, the rules suggest nothing for it
    window.statusBar().clearMessage()
    run("Accept suggested rating")
    assert "suggestion" in window.statusBar().currentMessage()  # says why nothing happened
    run("Comment on category")
    seen.add("Leave field")
    press(qtbot, window, next(a for a in window.actions() if a.objectName() == "leave-field"))
    assert window.table.hasFocus()
    # Edit: undo and redo the N/A
    run("Undo")
    settle(qtbot, window)
    assert _rating(window, cid, rubric.categories[na].id) is None
    run("Redo")
    settle(qtbot, window)
    assert _rating(window, cid, rubric.categories[na].id) == (None, 1)
    settings.put(settings.REVIEWER, "")
    run("Reviewer name…")
    assert settings.get(settings.REVIEWER) == REVIEWER
    run("Preferences…")
    assert window.preferences.dialog.isVisible()
    window.preferences.dialog.reject()
    # dialogs of the Review menu
    for text, kind in (("Tag saved customer…", SaveDialog), ("Tag lost customer…", LossDialog)):
        window.focus_list()
        run(text)
        dialog = window.review_actions.last_dialog
        assert isinstance(dialog, kind) and dialog.isVisible()
        dialog.reject()
    window.focus_list()
    run("New queue…")
    assert window.queues.last_dialog.isVisible()
    window.queues.last_dialog.reject()
    # disputes: the dialog on the reviewed conversation; nothing disputed, so none to resolve
    window.focus_list()
    run("Dispute this review…")
    assert window.disputes.last_dialog.isVisible()
    window.disputes.last_dialog.reject()
    window.focus_list()
    run("Resolve dispute…")
    assert "no open dispute" in window.statusBar().currentMessage()
    # calibration sessions: a store without people (a file, or a server nobody signs in to
    # as themselves) has none, and each action says so in one sentence
    for text in ("New calibration session…", "Finish my calibration scoring",
                 "Calibration results…", "Close calibration session"):  # fmt: skip
        window.focus_list()
        run(text)
        assert window.statusBar().currentMessage() == NEEDS_TEAM
    # Reports: every report and export, and the current one
    for text, action in actions.items():
        if action.objectName().startswith("report-"):
            window.focus_list()
            run(text)
            dialog = window.reports_menu.dialog
            assert dialog.isVisible()
            qtbot.addWidget(dialog)
            dialog.reject()
    # Help
    window.focus_list()
    run("Keyboard shortcuts")
    sheet = window.review_actions.last_dialog
    assert isinstance(sheet, ShortcutSheet) and sheet.isVisible()
    sheet.reject()
    # pages (each a window of its own)
    window.focus_list()
    run("Coaching page…")
    assert window.pages.coaching.isVisible()
    window.pages.coaching.close()
    window.activateWindow()
    run("Calibration…")
    assert window.pages.calibration.isVisible()
    window.pages.calibration.close()
    window.activateWindow()
    run("Dashboard")
    assert window.dashboard_opener.dashboard.isVisible()
    window.dashboard_opener.dashboard.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    window.focus_list()
    with qtbot.waitSignal(window.review_actions.score_all.done, timeout=300_000) as scored:
        run("Score every conversation automatically…")
    assert scored.args[0] is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    window.focus_list()
    run("Quit")
    assert not window.isVisible()
    assert seen >= set(actions), f"not triggered: {sorted(set(actions) - seen)}"


@pytest.mark.parametrize("how", ["shortcut", "menu"])
def test_the_coaching_page_opens_from_ctrl_shift_c_and_from_the_go_menu(window, qtbot, how):
    action = window.pages.coaching_action
    window.focus_list()
    qtbot.keyClick(window.table, Qt.Key.Key_J)  # a conversation shown: its agent is at hand
    agent = window.reader.detail.agent_id
    if how == "shortcut":
        qtbot.keyClick(
            window.table,
            Qt.Key.Key_C,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    else:
        click_in_menu(qtbot, window, action)
    page = window.pages.coaching
    assert page is not None and page.isVisible()
    assert page.agent_id == agent  # not "There is no agent False"


def test_the_coaching_pages_own_actions(window, qtbot):
    window.focus_list()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    page = window.pages.show_coaching()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    by_key = {a.shortcut().toString(): a for a in page.actions()}
    assert {"Ctrl+N", "Ctrl+E", "Esc", "Ctrl+Z", "Ctrl+Shift+Z"} <= set(by_key)
    press(qtbot, page, by_key["Ctrl+N"])
    assert page.last_dialog is not None and page.last_dialog.isVisible()
    page.last_dialog.reject()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    if page.current_note_id() is not None:
        press(qtbot, page, by_key["Ctrl+E"])
        assert page.last_dialog.note is not None and page.last_dialog.isVisible()
        page.last_dialog.reject()
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    press(qtbot, page, by_key["Esc"])
    assert not page.isVisible()
    calibration = window.pages.show_calibration()
    calibration.activateWindow()
    qtbot.waitUntil(calibration.isActiveWindow, timeout=10_000)
    press(qtbot, calibration, calibration.actions()[0])
    assert not calibration.isVisible()
