"""Imported text is shown as text: a subject, a customer's or an agent's name that looks like
markup is shown as those characters in the reader, the list's tooltips, the sidebar and both
tagging dialogs, and never loads a file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.conversation_model import COLUMN
from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.store import connect
from tests.gui import show_main_window

SUBJECT = '<img src="file:///etc/hostname"><b>Refund</b> & <i>now</i>'
CUSTOMER = "<b>Mallory</b>"
AGENT = '<a href="file:///etc/passwd">Eve</a>'


@pytest.fixture
def window(qtbot, qt_settings, db_path):
    db = connect(db_path)
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                "1",
                subject=SUBJECT,
                created_at="2024-03-01T10:00:00Z",
                customer=Person("zendesk", "c1", "customer", CUSTOMER),
                agent=Person("zendesk", "a1", "agent", AGENT),
                messages=[
                    Message("m1", "customer", "2024-03-01T10:00:00Z", "<script>x</script> hi"),
                    Message("m2", "agent", "2024-03-01T10:05:00Z", "Hello <b>there</b>"),
                ],
            )
        ],
    )
    db.close()
    win = show_main_window(qtbot, db_path, reviewer="<i>Lena</i>", active=True)
    win.focus_list()
    qtbot.keyClick(win.table, Qt.Key.Key_J)
    yield win
    win.close()
    win.db.close()


def _labels_showing(widget, text: str) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if text in label.text()]


def test_the_reader_shows_markup_as_written_and_loads_nothing(window):
    text = window.reader.toPlainText()
    assert SUBJECT in text and CUSTOMER in text and AGENT in text
    assert "<script>x</script> hi" in text and "Hello <b>there</b>" in text
    block = window.reader.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            assert not fragments.fragment().charFormat().isImageFormat()
            fragments += 1
        block = block.next()


def test_tooltips_show_markup_as_written(window):
    model = window.model
    tip = model.data(model.index(0, COLUMN["Subject"]), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img" in tip  # escaped inside a rich-text tooltip
    agent = next(
        window.sidebar.item(key) for key in window.sidebar._items if key.startswith("agent:")
    )
    assert agent.text(0) == AGENT
    assert "&lt;a href" in agent.toolTip(0) and "<a href" not in agent.toolTip(0)


@pytest.mark.parametrize("key", [Qt.Key.Key_S, Qt.Key.Key_L])
def test_both_tagging_dialogs_show_the_subject_as_plain_text(window, qtbot, key):
    qtbot.keyClick(window.table, key)
    dialog = window.review_actions.last_dialog
    shown = _labels_showing(dialog, SUBJECT)
    assert shown, "the subject is not shown"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
    agents = [dialog.agent.itemText(i) for i in range(dialog.agent.count())]
    assert AGENT in agents  # a combo box item is plain text
    dialog.reject()


def test_the_review_panel_names_the_reviewer_as_written(window):
    title = window.review_panel.title.text()
    assert "&lt;i&gt;Lena&lt;/i&gt;" in title  # escaped in the bold title, shown as typed
