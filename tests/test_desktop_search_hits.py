"""The list's search shaded in the reader: the words it matched, in every language, and a hit
deep in a long thread brought into view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.store import connect
from tests.gui import show_main_window


def _conversation(external_id: str, subject: str, bodies: list[str]) -> Conversation:
    return Conversation(
        "zendesk",
        external_id,
        subject=subject,
        created_at=f"2024-03-0{external_id}T10:00:00Z",
        customer=Person("zendesk", "c1", "customer", "Mia"),
        messages=[
            Message(f"m{i}", "customer" if i % 2 else "agent", f"2024-03-01T10:{i:02d}:00Z", body)
            for i, body in enumerate(bodies, start=1)
        ],
    )


@pytest.fixture
def window(qtbot, qt_settings, db_path):
    db = connect(db_path)
    long_thread = [f"Message {i}: still waiting on the export." for i in range(1, 60)]
    long_thread[52] = "Could you refund the kumquat order instead?"
    store_records(
        db,
        [
            _conversation("1", "Refund please", ["I want a refund.", "Refunded today."]),
            _conversation("2", "Долгая переписка", long_thread),
            _conversation("3", "退款", ["我要退款", "Хочу отменить подписку"]),
        ],
    )
    db.close()
    win = show_main_window(qtbot, db_path)
    yield win
    win.close()
    win.db.close()


def _shaded(reader) -> list[str]:
    """The runs of the reader's text drawn on the search-hit colour."""
    runs = []
    for start, end in reader.hit_spans():
        cursor = QTextCursor(reader.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        runs.append(cursor.selectedText())
    return runs


def _search(window, qtbot, text: str) -> None:
    window.search.setText(text)
    window._search_now()
    qtbot.waitUntil(lambda: window.reader.search == text, timeout=5_000)


def test_the_searched_words_are_shaded_in_the_thread_and_subject(window, qtbot):
    _search(window, qtbot, "refund")
    window.select_conversation(window.model.conversation_id(window.model.rowCount() - 1))
    assert window.reader.detail.subject == "Refund please"
    assert _shaded(window.reader) == ["Refund", "refund", "Refunded"]
    _search(window, qtbot, "")
    assert _shaded(window.reader) == []  # clearing the search clears the shading


@pytest.mark.parametrize(("query", "shaded"), [("退款", ["退款", "退款"]), ("отмен", ["отменить"])])
def test_chinese_and_russian_hits_are_shaded(window, qtbot, query, shaded):
    _search(window, qtbot, query)
    assert window.model.rowCount() == 1
    window.select_conversation(window.model.conversation_id(0))
    assert _shaded(window.reader) == shaded


def test_a_hit_deep_in_a_long_thread_is_scrolled_into_view(window, qtbot):
    _search(window, qtbot, "kumquat")
    window.select_conversation(window.model.conversation_id(0))
    reader = window.reader
    assert _shaded(reader) == ["kumquat"]
    bar = reader.verticalScrollBar()
    assert bar.value() > reader.viewport().height()  # moved well past the first screen
    top = reader.cursorForPosition(reader.viewport().rect().topLeft()).position()
    bottom = reader.cursorForPosition(reader.viewport().rect().bottomRight()).position()
    hit = reader.document().find("kumquat").position()
    assert top <= hit <= bottom, (top, hit, bottom)


def test_a_hit_on_the_first_screen_leaves_the_header_in_view(window, qtbot):
    _search(window, qtbot, "refund")
    window.select_conversation(window.model.conversation_id(window.model.rowCount() - 1))
    assert window.reader.verticalScrollBar().value() == 0


def test_f3_walks_the_hits_and_wraps_round(window, qtbot):
    _search(window, qtbot, "refund")
    window.select_conversation(window.model.conversation_id(window.model.rowCount() - 1))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    seen = []
    for key, modifier in [(Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier)] * 4 + [
        (Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    ]:
        qtbot.keyClick(window.table, key, modifier)
        seen.append(
            (window.reader.textCursor().selectedText(), window.statusBar().currentMessage())
        )
    assert seen == [
        ("Refund", "Search hit 1 of 3"),
        ("refund", "Search hit 2 of 3"),
        ("Refunded", "Search hit 3 of 3"),
        ("Refund", "Search hit 1 of 3"),  # past the last, round to the first
        ("Refunded", "Search hit 3 of 3"),  # and back before the first
    ]


def test_f3_without_a_search_says_what_to_do(window, qtbot):
    window.select_conversation(window.model.conversation_id(0))
    window.go_to_hit(1)
    assert window.statusBar().currentMessage().startswith("Search first (Ctrl+F)")
    _search(window, qtbot, "Message")
    window.select_conversation(window.model.conversation_id(0))
    window.go_to_hit(1)
    assert window.statusBar().currentMessage() == "Search hit 1 of 58"  # 59 messages, one without


def test_the_hit_count_goes_with_the_conversation_it_counted(window, qtbot):
    _search(window, qtbot, "refund")
    window.select_conversation(window.model.conversation_id(window.model.rowCount() - 1))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "Search hit 1 of 3"
    qtbot.keyClick(window.table, Qt.Key.Key_Up)  # another conversation: its hits are not counted
    assert window.reader.detail.subject != "Refund please"
    assert window.statusBar().currentMessage() == ""
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "Search hit 1 of 3"
    qtbot.keyClicks(window.search, "ed")  # "refunded": a new search, the old count goes too
    qtbot.waitUntil(lambda: window.reader.search == "refunded", timeout=5_000)
    assert not window.statusBar().currentMessage().startswith("Search hit")
