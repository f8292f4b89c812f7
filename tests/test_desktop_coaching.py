"""The coaching page, the follow-ups in the sidebar, and undo of tags, through the real widgets
on the demo database; every check reads the database back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from review.reviewing import browse
from review.reviewing.coaching import due_follow_ups, note_history, notes_for_agent
from review.reviewing.rubrics import current_rubric
from review.store import connect
from tests.gui import settle, show_main_window

REVIEWER = "Lena Gruber"


def _open(qtbot, path):
    return show_main_window(qtbot, path, reviewer=REVIEWER)


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = _open(qtbot, demo_path)
    yield win
    for page in (win.pages.coaching, win.pages.calibration):
        if page is not None:
            page.close()
    win.close()
    win.db.close()


def _agent_without_notes(db) -> tuple[int, str]:
    noted = {n for (n,) in db.execute("select agent_id from coaching_notes")}
    return next((a.id, a.name) for a in browse.agents(db) if a.id not in noted)


def _type(widget, text):
    """Type text one key event per character (QTest.keyClicks only knows Latin-1 keys)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _toggle(qtbot, list_widget, text):
    """Tick the list entry whose text contains `text`, with the keyboard (Space)."""
    for row in range(list_widget.count()):
        if text in list_widget.item(row).text():
            list_widget.setCurrentRow(row)
            qtbot.keyClick(list_widget, Qt.Key.Key_Space)
            assert list_widget.item(row).checkState() == Qt.CheckState.Checked
            return
    raise AssertionError(f"no entry {text!r}")


def _write_note(qtbot, page, text, follow_up: QDate, item_text, category_name):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.last_dialog
    _type(dialog.text, text)
    first_review = dialog.reviews.item(0).text()
    _toggle(qtbot, dialog.reviews, first_review)
    dialog.follow_up.setDate(follow_up)
    qtbot.keyClicks(dialog.item_text, item_text)
    _toggle(qtbot, dialog.item_categories, category_name)
    qtbot.mouseClick(dialog.add_item_button, Qt.MouseButton.LeftButton)
    assert dialog.items.count() == 1
    with qtbot.waitSignal(dialog.finished, timeout=20_000) as finished:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return finished.args[0]  # the dialog's result (it is deleted once finished)


def _tree_item(page, kind, ident):
    tree = page.notes
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for item in [top] + [top.child(j) for j in range(top.childCount())]:
            if item.data(0, Qt.ItemDataRole.UserRole) == kind and (
                item.data(0, Qt.ItemDataRole.UserRole + 1) == ident
            ):
                return item
    raise AssertionError(f"no {kind} {ident} in the tree")


def test_write_a_note_tick_its_item_edit_it_and_find_it_all_after_reopening(
    window, qtbot, demo_path, qt_settings
):
    agent_id, name = _agent_without_notes(window.db)
    page = window.pages.show_coaching(agent_id)
    qtbot.waitExposed(page)
    assert name in page.windowTitle()
    assert page.notes.topLevelItemCount() == 0
    tone = next(c for c in current_rubric(window.db).categories if c.key == "tone")
    due = QDate(2026, 12, 1)
    result = _write_note(
        qtbot,
        page,
        "Warm replies; 使用客户的名字 and say спасибо.",
        due,
        "Use the customer's name in every reply",
        tone.name,
    )
    assert result == QDialog.DialogCode.Accepted.value

    check = connect(demo_path)
    [(note_id, text, follow_up, author)] = check.execute(
        "select id, text, follow_up, author from coaching_notes where agent_id = ?", [agent_id]
    ).fetchall()
    assert text == "Warm replies; 使用客户的名字 and say спасибо."
    assert (follow_up, author) == ("2026-12-01", REVIEWER)
    [(item_id, item_text, item_due, done)] = check.execute(
        "select id, text, due, done from action_items where note_id = ?", [note_id]
    ).fetchall()
    assert (item_text, done) == ("Use the customer's name in every reply", 0)
    assert item_due is not None
    assert check.execute(
        "select category_id from action_item_categories where item_id = ?", [item_id]
    ).fetchall() == [(tone.id,)]
    assert check.execute(
        "select count(*) from coaching_note_reviews where note_id = ?", [note_id]
    ).fetchone() == (1,)
    check.close()

    # tick the action item done with Space in the notes tree
    item = _tree_item(page, "item", item_id)
    page.notes.setCurrentItem(item)
    qtbot.keyClick(page.notes, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: notes_for_agent(window.db, agent_id)[0].items[0].done, timeout=20_000)
    assert "Tone and personal touch:" in page.details.toPlainText()  # before/since shown

    # edit: a new version, the old one kept, and the page says so
    page.notes.setCurrentItem(_tree_item(page, "note", note_id))
    dialog = page.edit_note()
    dialog.text.selectAll()
    qtbot.keyClicks(dialog.text, "Warmer replies, and close the loop.")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert [v.text for v in note_history(window.db, note_id)] == [
        "Warm replies; 使用客户的名字 and say спасибо.",
        "Warmer replies, and close the loop.",
    ]
    assert "edited, 2 versions" in _tree_item(page, "note", note_id).text(0)

    # reopen the database in a new window (its own connection): all of it is there
    again = _open(qtbot, demo_path)
    try:
        page = again.pages.show_coaching(agent_id)
        [note] = notes_for_agent(again.db, agent_id)
        assert note.text == "Warmer replies, and close the loop."
        assert note.follow_up == "2026-12-01"
        assert len(note.review_ids) == 1
        assert [(i.text, i.done, i.category_ids) for i in note.items] == [
            ("Use the customer's name in every reply", True, (tone.id,))
        ]
        assert _tree_item(page, "item", item_id).checkState(0) == Qt.CheckState.Checked
        page.notes.setCurrentItem(_tree_item(page, "note", note_id))
        assert "edited, 2 versions" in page.details.toPlainText()
        page.close()
    finally:
        again.close()
        again.db.close()


def test_a_follow_up_past_due_shows_in_the_sidebar_and_opens_the_agent(window, qtbot):
    today = date.today()
    before = len(due_follow_ups(window.db, today))
    section = _section(window.sidebar, "Follow-ups due")
    assert section.text(0) == f"Follow-ups due ({before})"
    agent_id, name = _agent_without_notes(window.db)
    page = window.pages.show_coaching(agent_id)
    yesterday = today - timedelta(days=1)
    _write_note(
        qtbot,
        page,
        "Check the refund follow-ups together.",
        QDate(yesterday.year, yesterday.month, yesterday.day),
        "Reply to refund requests the same day",
        "Follow-up",
    )
    [note] = notes_for_agent(window.db, agent_id)
    assert note.id in {n.id for n in due_follow_ups(window.db, today)}
    section = _section(window.sidebar, "Follow-ups due")
    assert section.text(0) == f"Follow-ups due ({before + 1})"
    entry = next(
        section.child(i)
        for i in range(section.childCount())
        if (section.child(i).text(0), section.child(i).text(1)) == (name, yesterday.isoformat()[5:])
    )
    # choosing the entry lists the agent's conversations and opens their coaching page
    page.show_agent(_agent_with_notes(window.db, agent_id))
    window.sidebar.setCurrentItem(entry)
    assert page.agent_id == agent_id
    assert window.current_query().filters.agent_ids == (agent_id,)
    assert window.pages.offer.isVisible() and name in window.pages.offer.text()
    # the follow-up done: it leaves the sidebar
    page.notes.setCurrentItem(_tree_item(page, "note", note.id))
    qtbot.mouseClick(page.follow_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert notes_for_agent(window.db, agent_id)[0].followed_up_at is not None
    assert _section(window.sidebar, "Follow-ups due").text(0) == f"Follow-ups due ({before})"


def _agent_with_notes(db, other_than: int) -> int:
    return next(n for (n,) in db.execute("select agent_id from coaching_notes") if n != other_than)


def _section(sidebar, title):
    for i in range(sidebar.topLevelItemCount()):
        if sidebar.topLevelItem(i).text(0).startswith(title):
            return sidebar.topLevelItem(i)
    raise AssertionError(f"no section {title!r}")


def test_review_double_click_opens_the_conversation_in_the_main_window(window, qtbot):
    agent_id = _agent_with_notes(window.db, 0)
    page = window.pages.show_coaching(agent_id)
    table = page.reviews
    page.tabs.setCurrentWidget(table)
    assert table.rowCount() > 0
    cid = table.item(0, 0).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClicks(window.search, "no such words anywhere zzzz")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # searches now (no timer left running)
    assert window.model.rowCount() == 0
    rect = table.visualItemRect(table.item(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_conversation_id() == cid
    assert window.search.text() == ""  # the list was widened to show it
    # Enter on another row does the same
    other = next(
        r for r in range(table.rowCount()) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) != cid
    )
    table.setCurrentCell(other, 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.current_conversation_id() == table.item(other, 0).data(Qt.ItemDataRole.UserRole)


def _saves(path, cid):
    db = connect(path)
    try:
        return db.execute(
            "select mrr_cents, currency from saves where conversation_id = ?", [cid]
        ).fetchall()
    finally:
        db.close()


def test_tag_a_save_then_undo_and_redo_with_the_keyboard(window, qtbot, demo_path):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    saved = {r for (r,) in window.db.execute("select conversation_id from saves")}
    window.table.setFocus()
    cid = None
    while cid is None or cid in saved:
        qtbot.keyClick(window.table, Qt.Key.Key_J)
        cid = window.current_conversation_id()
    qtbot.keyClick(window.table, Qt.Key.Key_S)
    dialog = window.review_actions.last_dialog
    qtbot.keyClicks(dialog.mrr, "49.00")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert _saves(demo_path, cid) == [(4900, "USD")]
    assert "save" in window.review_actions.undo_action.text().lower()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert _saves(demo_path, cid) == []
    qtbot.keyClick(
        window.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    settle(qtbot, window)
    assert _saves(demo_path, cid) == [(4900, "USD")]
