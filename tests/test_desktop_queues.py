"""Review queues in the main window, on the demo database (two queues): the sidebar section with
progress, a queue's conversations in queue order, the position kept as one moves and across runs,
the New queue dialog (OK and Escape) and deleting a queue."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop import settings
from desktop.queues_section import QUEUES, queue_key
from review.filters import Filters
from review.reviewing.browse import GIVEN_ORDER, ListQuery, conversation_ids
from review.reviewing.queues import (
    build_queue,
    get_queue,
    list_queues,
    queue_items,
    queue_progress,
    sample_conversations,
)
from review.store import connect
from tests.conftest import new_store
from tests.gui import settle, show_main_window


def _open(qtbot, path):
    return show_main_window(qtbot, path, reviewer="Hannah Reid", active=True)


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = _open(qtbot, demo_path)
    yield win
    win.close()
    win.db.close()


def _read(path, fn, *args):
    db = connect(path)
    try:
        return fn(db, *args)
    finally:
        db.close()


def _section(sidebar):
    for i in range(sidebar.topLevelItemCount()):
        header = sidebar.topLevelItem(i)
        if header.text(0) == QUEUES:
            return [(header.child(j).text(0), header.child(j).text(1))
                    for j in range(header.childCount())]  # fmt: skip
    return None


def _choose(window, queue_id):
    window.sidebar.setCurrentItem(window.sidebar.item(queue_key(queue_id)))


def test_the_list_keeps_a_given_order(db, demo_copy):
    demo = connect(demo_copy)
    try:
        ids = queue_items(demo, list_queues(demo)[0].id)
        shuffled = ids[1::2] + ids[::2]
        query = ListQuery(Filters(conversation_ids=tuple(shuffled)), sort=GIVEN_ORDER,
                          descending=False)  # fmt: skip
        assert conversation_ids(demo, query) == shuffled
        reviewed = replace(query, filters=replace(query.filters, reviewed=True))
        assert conversation_ids(demo, reviewed) == []  # other filters still apply
    finally:
        demo.close()


def test_the_sidebar_lists_the_queues_with_their_progress(window, demo_path):
    queues = _read(demo_path, list_queues)
    assert len(queues) == 2
    expected = []
    for q in queues:
        done, size = _read(demo_path, queue_progress, q.id)
        assert size == q.size > 0
        expected.append((q.name, f"{done}/{size}"))
    assert _section(window.sidebar) == expected
    # right under the basic views
    assert window.sidebar.topLevelItem(1).text(0) == QUEUES


def test_choosing_a_queue_lists_exactly_its_items_in_order(window, demo_path, qtbot):
    queue = next(q for q in _read(demo_path, list_queues) if q.sample_per_agent_per_week)
    items = _read(demo_path, queue_items, queue.id)
    window.filter_bar.chips["Channel"].select("email")  # chips are set aside
    _choose(window, queue.id)
    assert window.model.ids() == items
    assert items != sorted(items) and items != sorted(items, reverse=True)
    assert window.current_conversation_id() == items[queue.position] == items[0]
    assert window.count_label.text() == f"{len(items)} conversations"


def test_moving_stores_the_position_and_a_new_run_comes_back(qtbot, window, demo_path):
    queue = _read(demo_path, list_queues)[0]
    items = _read(demo_path, queue_items, queue.id)
    _choose(window, queue.id)
    window.table.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.current_conversation_id() == items[3]
    settle(qtbot, window)
    assert _read(demo_path, get_queue, queue.id).position == 3
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    settle(qtbot, window)
    assert _read(demo_path, get_queue, queue.id).position == 2
    window.select_conversation(items[5])  # a click on a row counts too
    settle(qtbot, window)
    assert _read(demo_path, get_queue, queue.id).position == 5
    window.close()
    window.db.close()

    again = _open(qtbot, demo_path)
    try:
        again.restore_state()
        assert again.sidebar.current_key() == queue_key(queue.id)
        assert again.model.ids() == items
        assert again.current_conversation_id() == items[5]
        assert again.queues.current_position() == 5
    finally:
        again.close()
        again.db.close()


def test_progress_follows_a_review(qtbot, window, demo_path):
    queue = _read(demo_path, list_queues)[-1]  # the churn-risk queue, nothing reviewed yet
    _choose(window, queue.id)
    item = window.sidebar.item(queue_key(queue.id))
    assert item.text(1) == f"0/{queue.size}"
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_4)  # rates the shown conversation: a review
    settle(qtbot, window)
    assert _read(demo_path, queue_progress, queue.id) == (1, queue.size)
    assert window.sidebar.item(queue_key(queue.id)).text(1) == f"1/{queue.size}"
    assert window.sidebar.current_key() == queue_key(queue.id)  # still in the queue, same item
    assert window.current_conversation_id() == _read(demo_path, queue_items, queue.id)[0]


def test_leaving_the_queue_is_remembered_too(qtbot, window, demo_path):
    queue = _read(demo_path, list_queues)[0]
    _choose(window, queue.id)
    window.sidebar.select_key("lost")
    assert settings.get(settings.LAST_QUEUE) == ""
    window.close()
    window.db.close()
    again = _open(qtbot, demo_path)
    try:
        again.restore_state()
        assert again.sidebar.current_key() == "lost"
    finally:
        again.close()
        again.db.close()


def _new_queue_dialog(qtbot, window):
    qtbot.keyClick(window.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    dialog = window.queues.last_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_new_sampled_queue_is_the_domain_sample(qtbot, window, demo_path):
    window.filter_bar.chips["Channel"].select("chat")
    chips = window.filter_bar.filters()
    assert chips == Filters(channels=("chat",))
    dialog = _new_queue_dialog(qtbot, window)
    assert not dialog.ok_button.isEnabled()  # no name yet
    qtbot.keyClicks(dialog.name, "Chat sample")
    dialog.sample.setChecked(True)
    assert not dialog.unreviewed.isEnabled() and dialog.unreviewed.isChecked()
    seed = dialog.seed.value()  # drawn at random and shown, so it can be drawn again
    dialog.per_week.setValue(1)
    with qtbot.waitSignal(dialog.finished, timeout=20_000) as done:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert done.args == [QDialog.DialogCode.Accepted.value]
    queues = _read(demo_path, list_queues)
    assert len(queues) == 3
    built = next(q for q in queues if q.name == "Chat sample")
    assert (built.sample_per_agent_per_week, built.seed, built.reviewer) == (1, seed, "Hannah Reid")
    expected = _read(demo_path, sample_conversations, replace(chips, reviewed=False), 1, seed)
    assert _read(demo_path, queue_items, built.id) == expected != []
    assert window.sidebar.current_key() == queue_key(built.id)  # the new queue is chosen
    assert window.model.ids() == expected


def test_new_queue_of_every_filtered_conversation(
    qtbot, window, demo_path, tmp_path, demo_template
):
    window.filter_bar.chips["Churn"].select(True)
    chips = window.filter_bar.filters()
    assert chips == Filters(churn_signal=True)
    dialog = _new_queue_dialog(qtbot, window)
    qtbot.keyClicks(dialog.name, "Churn, all of it")
    dialog.unreviewed.setChecked(False)
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    built = next(q for q in _read(demo_path, list_queues) if q.name == "Churn, all of it")
    # the same build on an untouched copy of the demo
    db = connect(new_store(tmp_path, "copy.db", demo_template))
    try:
        expected = queue_items(db, build_queue(db, "same", chips).id)
    finally:
        db.close()
    assert _read(demo_path, queue_items, built.id) == expected
    assert ("Churn, all of it", f"{_read(demo_path, queue_progress, built.id)[0]}/"
            f"{len(expected)}") in _section(window.sidebar)  # fmt: skip


def test_escape_builds_nothing(qtbot, window, demo_path):
    dialog = _new_queue_dialog(qtbot, window)
    qtbot.keyClicks(dialog.name, "Not wanted")
    with qtbot.waitSignal(dialog.finished, timeout=20_000) as done:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert done.args == [QDialog.DialogCode.Rejected.value]
    assert len(_read(demo_path, list_queues)) == 2


def test_delete_a_queue_after_confirming(qtbot, window, demo_path, monkeypatch):
    first, second = _read(demo_path, list_queues)
    _choose(window, first.id)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked = []

    def answer(box):
        asked.append((box.text(), box.textFormat()))
        return next(answers)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert not window.queues.delete(first.id)
    assert len(_read(demo_path, list_queues)) == 2
    assert f"“{first.name}”" in asked[0][0]
    assert asked[0][1] == Qt.TextFormat.PlainText  # the queue's name is shown as typed
    assert window.queues.delete(first.id)
    settle(qtbot, window)
    assert [q.id for q in _read(demo_path, list_queues)] == [second.id]
    assert [name for name, _ in _section(window.sidebar)] == [second.name]
    assert window.sidebar.current_key() == "all"
    assert window.model.rowCount() == _read(
        demo_path, lambda db: db.execute("select count(*) from conversations").scalar()
    )
