"""The reader highlights the words the focused category's suggestion rests on: the highlighted
text is the evidence's own text, in Chinese and Russian, with an emoji before the span (an
emoji is one Python character but two UTF-16 units in Qt's document: the offsets must be
converted), in a colour of its own, scrolled into view. Keys sent as a reviewer sends them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from desktop.thread_document import LIGHT, document_offset
from review.reviewing.autoqa.suggestions import suggestions_for_conversation
from tests.chat_csv import import_chats
from tests.gui import show_main_window

FILLER = "\n\n".join(
    f"{n}. Подробности шага {n}: здесь описано, что происходит с данными в это время."
    for n in range(40)
)
ROWS = [
    # (conversation, time, author, role, message, customer)
    ("zh-1", "2026-05-04 08:00:00Z", "王伟", "customer",
     "你好，我们的项目导出以后是空白的，明天要给客户看 😟", "王伟"),
    ("zh-1", "2026-05-04 08:20:00Z", "李娜", "agent",
     "😀 王先生您好！非常抱歉给您带来不便。请打开「设置 > 导出」，选择“重新导出”，"
     "帮助文档：https://help.example.com/zh/export 。祝您工作顺利！", "王伟"),
    ("ru-1", "2026-05-05 09:00:00Z", "Мария Петрова", "customer",
     "Здравствуйте! Не могу выгрузить отчёт, всё время пустой файл 😞", "Мария Петрова"),
    ("ru-1", "2026-05-05 09:30:00Z", "Олег", "agent",
     "🙂👍 Мария, добрый день! Извините за неудобства. " + FILLER
     + "\n\nОткройте Настройки > Экспорт и нажмите «Выгрузить». Хорошего дня!", "Мария Петрова"),
]  # fmt: skip


@pytest.fixture
def window(qtbot, qt_settings, db_path, tmp_path):
    import_chats(db_path, tmp_path, ROWS, subject="Экспорт / 导出", channel="email",
                 status="open", agent=lambda cid: "李娜" if cid.startswith("zh") else "Олег")  # fmt: skip
    win = show_main_window(qtbot, db_path, reviewer="Rita Reader", active=True)
    yield win
    win.close()
    win.db.close()


def _conversation(window, external_id: str) -> int:
    return window.db.execute(
        "select id from conversations where external_id = :e", {"e": external_id}
    ).fetchone()[0]


def _open_and_focus(qtbot, window, cid: int, category_key: str):
    """Show the conversation, wait for its suggestions (the import made them), and Tab to
    the category."""
    panel = window.review_panel
    assert window.select_conversation(cid)
    qtbot.waitUntil(lambda: category_key in panel.suggestions, timeout=30_000)
    window.focus_list()
    for _ in range(len(panel.rows)):
        if panel.focused_row().category.key == category_key:
            break
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    assert panel.focused_row().category.key == category_key
    return panel.suggestions[category_key]


def _highlighted(window) -> list[str]:
    return [
        s.cursor.selectedText().replace("\u2029", "\n") for s in window.reader.extraSelections()
    ]


@pytest.mark.parametrize(("external_id", "greeting"), [("zh-1", "您好"), ("ru-1", "добрый")])
def test_the_reader_highlights_exactly_the_evidence_after_an_emoji(
    window, qtbot, external_id, greeting
):
    cid = _conversation(window, external_id)
    suggestion = _open_and_focus(qtbot, window, cid, "tone")
    texts = [e["text"] for e in suggestion.evidence]
    assert greeting in texts  # the greeting, after the emoji (and the name)
    assert _highlighted(window) == texts
    stored = {
        m: t for m, t in window.db.execute(
            "select id, body_text from messages where conversation_id = :c", {"c": cid}
        )
    }  # fmt: skip
    for e in suggestion.evidence:  # the spans are Python offsets into the stored text
        assert stored[e["message_id"]][e["start"] : e["end"]] == e["text"]
    emoji_first = stored[suggestion.evidence[0]["message_id"]]
    assert len(emoji_first[:4].encode("utf-16-le")) > 8  # an emoji (two UTF-16 units) first
    # the evidence's colour is its own: not a search hit's, not a churn phrase's
    selection = window.reader.extraSelections()[0]  # kept: its format lives with it
    look = QColor(selection.format.background().color())
    assert look == QColor(LIGHT["evidence"])
    assert look not in (QColor(LIGHT["hit"]), QColor(LIGHT["mark"]))


def test_moving_to_another_category_highlights_its_evidence_and_scrolls_it_into_view(window, qtbot):
    cid = _conversation(window, "ru-1")
    reader = window.reader
    _open_and_focus(qtbot, window, cid, "tone")
    reader.verticalScrollBar().setValue(0)
    suggestion = _open_and_focus(qtbot, window, cid, "anticipate")  # the solution, far down
    texts = [e["text"] for e in suggestion.evidence]
    assert "Откройте Настройки > Экспорт" in texts and _highlighted(window) == texts
    assert reader.verticalScrollBar().value() > 0  # scrolled down to it
    start, end = reader.evidence_spans()[texts.index("Откройте Настройки > Экспорт")]
    cursor = reader.textCursor()
    cursor.setPosition(start)
    assert 0 <= reader.cursorRect(cursor).top() < reader.viewport().height()
    # a category without a suggestion (judgement only): nothing highlighted
    window.focus_list()
    while window.review_panel.focused_row().category.key != "accuracy":
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Backtab)
    assert reader.extraSelections() == []
    assert suggestions_for_conversation(window.db, cid)  # stored by the window's rules


def test_document_offsets_count_utf16_units_and_one_break_for_crlf():
    """Each character of the text, at the offset given, is that character in a real
    document (an emoji before it counts two units, "\r\n" one block break)."""
    text = "😀 A\r\nБ 𠀀\r\n你"
    document = QTextDocument()
    QTextCursor(document).insertText(text)
    for index, char in enumerate(text):
        if char in "\r\n":
            continue
        cursor = QTextCursor(document)
        cursor.setPosition(document_offset(text, index))
        cursor.setPosition(document_offset(text, index + 1), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == char, (index, char)
    assert document_offset(text, 2) == 3  # after the emoji: two units
    assert document_offset(text, 5) == 5  # after "\r\n": one block break
