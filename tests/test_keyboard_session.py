"""A review session from the keyboard alone, as the shortcut sheet (F1) teaches it: every key
goes to the widget that has the keyboard, as on a real desk. Five conversations of a queue and
two results of a search, every category rated once, the reviewer's name given up front."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from desktop import settings
from desktop.queues_section import queue_key
from review.reviewing.queues import list_queues
from review.reviewing.rubrics import current_rubric
from tests.gui import settle, show_main_window

DIGITS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]
CTRL = Qt.KeyboardModifier.ControlModifier


class Desk:
    """Keys sent to whatever widget has the keyboard."""

    def __init__(self, qtbot, window):
        self.qtbot = qtbot
        self.window = window

    def focused(self):
        return QApplication.focusWidget() or self.window

    def key(self, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifiers)

    def type(self, text: str) -> None:
        for char in text:  # one event per character: QTest.keyClicks knows Latin-1 only
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    self.focused(), QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def _point(category, i: int) -> int:
    """The point of the scale to press for the i-th category: never a critical fail."""
    points = category.scale_max - category.scale_min + 1
    return points if category.critical else 1 + (i * 3 + 1) % points


def _rate_every_category(desk: Desk, rubric, with_tabs: bool) -> dict[int, int]:
    """Rate each category once, following the sheet: a digit rates and moves on; a Tab
    straight after it (the other habit) must not skip the next category."""
    expected = {}
    for i, category in enumerate(rubric.categories):
        assert desk.window.review_panel.focused == i  # the focus is where the sheet says
        point = _point(category, i)
        desk.key(DIGITS[point - 1])
        expected[category.id] = category.scale_min + point - 1
        if with_tabs and i < len(rubric.categories) - 1:
            desk.key(Qt.Key.Key_Tab)
    return expected


def _stored(window, cid: int, reviewer: str) -> dict[int, int]:
    rows = window.db.execute(
        "select rr.category_id, rr.rating from review_ratings rr join reviews r "
        "on r.id = rr.review_id where r.conversation_id = ? and r.reviewer = ?",
        [cid, reviewer],
    ).fetchall()
    return dict(rows)


def _rate_steps(window, cid: int) -> int:
    """How many rating steps the session recorded on the conversation (each rating is one)."""
    return window.db.execute(
        "select count(*) from undo_log where session = ? and label like 'Rate %' "
        "and conversations = ?",
        [window.ops.session, f"[{cid}]"],
    ).fetchone()[0]


@pytest.fixture
def window(qtbot, qt_settings, demo_path, monkeypatch):
    monkeypatch.setenv("SAVEDESK_REVIEWER", "Kim Keys")  # the name, given before the app opens
    win = show_main_window(qtbot, demo_path, active=True)  # no name in the settings
    yield win
    win.close()
    win.db.close()


def test_five_of_a_queue_and_two_search_results_from_the_keyboard_alone(window, qtbot):
    desk = Desk(qtbot, window)
    rubric = current_rubric(window.db)
    queue = list_queues(window.db)[0]
    desk.key(Qt.Key.Key_1, CTRL)  # views and queues
    assert window.sidebar.hasFocus()
    for _ in range(40):
        if window.sidebar.current_key() == queue_key(queue.id):
            break
        desk.key(Qt.Key.Key_Down)
    assert window.sidebar.current_key() == queue_key(queue.id)
    first = window.current_conversation_id()
    assert first is not None  # the queue opened on its first item
    desk.key(Qt.Key.Key_2, CTRL)  # the list
    reviewed = {}
    for n in range(5):
        cid = window.current_conversation_id()
        reviewed[cid] = _rate_every_category(desk, rubric, with_tabs=n % 2 == 1)
        desk.key(Qt.Key.Key_J)
    assert len(reviewed) == 5
    # back to every conversation (a search within a queue searches the queue)
    desk.key(Qt.Key.Key_1, CTRL)
    for _ in range(40):
        if window.sidebar.current_key() == "all":
            break
        desk.key(Qt.Key.Key_Up)
    assert window.sidebar.current_key() == "all"
    # the search: Ctrl+F, type, Enter moves into the results on the first of them
    desk.key(Qt.Key.Key_F, CTRL)
    assert window.search.hasFocus()
    desk.type("refund")
    desk.key(Qt.Key.Key_Return)
    assert window.table.hasFocus()
    hits = window.model.ids()
    assert hits and window.current_conversation_id() == hits[0]
    for n in range(2):
        for _ in range(len(hits)):
            if window.current_conversation_id() not in reviewed:
                break
            desk.key(Qt.Key.Key_J)  # a hit from the queue, reviewed already: the next one
        cid = window.current_conversation_id()
        reviewed[cid] = _rate_every_category(desk, rubric, with_tabs=n == 0)
        desk.key(Qt.Key.Key_J)
    # Esc from the search goes back to the list and keeps what was typed
    desk.key(Qt.Key.Key_F, CTRL)
    desk.key(Qt.Key.Key_Escape)
    assert window.table.hasFocus() and window.search.text() == "refund"
    # Down from the search goes into the results too
    desk.key(Qt.Key.Key_F, CTRL)
    desk.key(Qt.Key.Key_Down)
    assert window.table.hasFocus()
    settle(qtbot, window)
    assert len(reviewed) == 7
    for cid, expected in reviewed.items():
        assert _stored(window, cid, "Kim Keys") == expected  # every category, as pressed
        assert _rate_steps(window, cid) == len(rubric.categories)  # each rated once


def test_keys_that_do_not_apply_say_why(window, qtbot):
    desk = Desk(qtbot, window)
    desk.key(Qt.Key.Key_2, CTRL)
    bar = window.statusBar()
    rubric = current_rubric(window.db)
    panel = window.review_panel
    binary = next(i for i, c in enumerate(rubric.categories) if c.scale == "pass_fail")
    panel.focused = binary
    desk.key(Qt.Key.Key_5)
    assert "does not apply" in bar.currentMessage() and "Pass" in bar.currentMessage()
    no_na = next(i for i, c in enumerate(rubric.categories) if not c.allow_na)
    panel.focused = no_na
    desk.key(Qt.Key.Key_N)
    assert "cannot be N/A" in bar.currentMessage()
    desk.key(Qt.Key.Key_K)
    assert "first conversation" in bar.currentMessage()
    desk.key(Qt.Key.Key_F3)
    assert bar.currentMessage().startswith("Search first")
    settle(qtbot, window)
    assert window.db.execute(
        "select count(*) from reviews where reviewer = 'Kim Keys'"
    ).fetchone() == (0,)


def test_the_name_is_asked_once_up_front_and_never_in_a_rating(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, active=True)
    try:
        desk = Desk(qtbot, win)
        desk.key(Qt.Key.Key_2, CTRL)
        # no name yet: a rating key opens nothing and says what to do
        desk.key(Qt.Key.Key_4)
        assert QApplication.activeModalWidget() is None
        assert "Give your name as a reviewer first" in win.statusBar().currentMessage()

        def answer() -> None:  # the user types the name into the prompt and presses Enter
            prompt = QApplication.activeModalWidget()
            assert isinstance(prompt, QInputDialog)
            if not prompt.isActiveWindow():  # shown, not yet given the keyboard: wait for it,
                QTimer.singleShot(50, answer)  # as a user waits to see the caret in it
                return
            for char in "Dana":
                qtbot.keyClick(QApplication.focusWidget(), char)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

        QTimer.singleShot(200, answer)
        assert win.ask_reviewer_up_front() == "Dana"  # what savedesk does on opening
        assert settings.get(settings.REVIEWER) == "Dana"
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=10_000)
        win.focus_list()
        cid = win.current_conversation_id()
        for key in (Qt.Key.Key_4, Qt.Key.Key_2):  # keys after the name go to the ratings
            desk.key(key)
        settle(qtbot, win)
        assert sorted(_stored(win, cid, "Dana").values()) == [2, 4]
        assert win.ask_reviewer_up_front() == "Dana"  # known: not asked again
    finally:
        win.close()
        win.db.close()
