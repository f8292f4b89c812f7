"""The review panel's automatic suggestions, used as a reviewer uses them: keys sent to the
widget that has the keyboard, the Accept button clicked, Ctrl+Z. On the demo database, whose
rules ran (and whose agreement was measured) when it was built: churn handling in English
passes the bar and is offered as a score, the rest are hints, rude words are flags."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from review.reviewing.autoqa.engine import Rules
from review.reviewing.autoqa.suggestions import suggestions_for_conversation
from tests.gui import settle, show_main_window

REVIEWER = "Ada Accept"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path, reviewer=REVIEWER, active=True)
    yield win
    win.close()
    win.db.close()


def key(qtbot, window, which, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, which, modifiers)


def _offered(db) -> tuple[int, str]:
    """An English conversation with a rated (not N/A) suggestion offered as a score."""
    return db.execute(
        "select s.conversation_id, s.category_key from autoqa_suggestions s join autoqa_scores "
        "sc on sc.conversation_id = s.conversation_id join autoqa_agreement a on "
        "a.category_key = s.category_key and a.language = sc.language where a.offered = 1 "
        "and s.rating is not null and s.conversation_id not in (select conversation_id from "
        "reviews) order by s.conversation_id limit 1"
    ).fetchone()


def _rude(db, language: str) -> int:
    return db.execute(
        "select s.conversation_id from autoqa_suggestions s join autoqa_scores sc on "
        "sc.conversation_id = s.conversation_id where s.kind = 'flag' and s.category_key = "
        "'critical' and sc.language = :l order by s.conversation_id limit 1",
        {"l": language},
    ).fetchone()[0]


def _open(qtbot, window, cid: int) -> None:
    """Show the conversation and wait for the panel's rows to be drawn."""
    assert window.select_conversation(cid)
    qtbot.waitUntil(lambda: all(r.isVisible() for r in window.review_panel.rows), timeout=5_000)


def _focus(qtbot, window, category_key: str) -> None:
    """Tab through the categories, as the reviewer does, to the one named."""
    panel = window.review_panel
    window.focus_list()
    for _ in range(len(panel.rows)):
        if panel.focused_row().category.key == category_key:
            return
        key(qtbot, window, Qt.Key.Key_Tab)
    assert panel.focused_row().category.key == category_key


def _stored(window, cid: int, category_key: str):
    return window.db.execute(
        "select rr.rating, rr.is_na, rr.suggested_by from review_ratings rr join reviews r on "
        "r.id = rr.review_id join rubric_categories rc on rc.id = rr.category_id where "
        "r.conversation_id = :c and r.reviewer = :who and rc.key = :k",
        {"c": cid, "who": REVIEWER, "k": category_key},
    ).fetchone()


def test_offered_hint_and_flag_look_different_and_only_the_offered_one_has_accept(window, qtbot):
    cid, key_ = _offered(window.db)
    _open(qtbot, window, cid)
    panel = window.review_panel
    kinds = {row.category.key: row.suggestion_kind for row in panel.rows}
    row = next(r for r in panel.rows if r.category.key == key_)
    assert kinds[key_] == "offered" and row.accept_button.isVisible()
    assert row.suggestion.text().startswith("<b>Suggested: ")
    assert ", because " in row.suggestion.text()
    hints = [r for r in panel.rows if r.suggestion_kind == "hint"]
    assert hints and all(not r.accept_button.isVisible() for r in hints)
    assert all(r.suggestion.text().startswith("Hint: ") for r in hints)
    assert {r.suggestion.styleSheet() for r in hints} != {row.suggestion.styleSheet()}
    # judgement-only categories get nothing at all
    assert kinds["accuracy"] is None and not panel.rows[0].suggestion.isVisible()
    assert "A accepts" in panel.suggestions_label.text()
    # a flag: rude words, for the reviewer to read, whatever the rating, never accepted
    _open(qtbot, window, _rude(window.db, "ru"))
    critical = next(r for r in panel.rows if r.category.key == "critical")
    assert critical.suggestion_kind == "flag" and critical.suggestion.isVisible()
    assert "For you to read" in critical.suggestion.text()
    assert "Как я уже писал" in critical.suggestion.text()
    assert not critical.accept_button.isVisible()


def test_a_accepts_the_focused_suggestion_ctrl_z_undoes_it_and_a_rating_clears_the_mark(
    window, qtbot
):
    cid, key_ = _offered(window.db)
    suggestion = next(
        s for s in suggestions_for_conversation(window.db, cid) if s.category_key == key_
    )
    _open(qtbot, window, cid)
    _focus(qtbot, window, key_)
    panel = window.review_panel
    at = panel.focused
    key(qtbot, window, Qt.Key.Key_A)
    assert panel.focused == at + 1  # accepting moves on like a rating
    settle(qtbot, window)
    assert _stored(window, cid, key_) == (suggestion.rating, 0, suggestion.ruleset)
    row = panel.rows[at]
    assert row.accepted.isVisible() and row.suggestion_kind is None  # rated: the line goes
    assert window.undo.stack.undoText().startswith("Accept suggested")
    key(qtbot, window, Qt.Key.Key_Z, CTRL)  # undone like any rating
    settle(qtbot, window)
    assert _stored(window, cid, key_) is None
    assert row.suggestion_kind == "offered" and row.accept_button.isVisible()
    key(qtbot, window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    settle(qtbot, window)
    assert _stored(window, cid, key_) == (suggestion.rating, 0, suggestion.ruleset)
    # the reviewer rates it themselves afterwards: a human rating, the mark cleared
    _focus(qtbot, window, key_)
    key(qtbot, window, Qt.Key.Key_1)
    settle(qtbot, window)
    rating, na, by = _stored(window, cid, key_)
    assert (rating, na, by) == (row.value_at(1), 0, None)
    assert not row.accepted.isVisible()


def test_the_accept_button_accepts_with_a_click(window, qtbot):
    cid, key_ = _offered(window.db)
    _open(qtbot, window, cid)
    row = next(r for r in window.review_panel.rows if r.category.key == key_)
    qtbot.mouseClick(row.accept_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert _stored(window, cid, key_)[2] is not None  # accepted from the suggestion


def test_a_hint_a_flag_or_nothing_is_never_accepted_and_the_status_bar_says_why(window, qtbot):
    cid = _rude(window.db, "en")
    _open(qtbot, window, cid)
    panel = window.review_panel
    for category_key, words in (
        ("tone", "only a hint"),
        ("critical", "carries a flag for you to read"),
        ("accuracy", "no automatic suggestion"),
    ):
        _focus(qtbot, window, category_key)
        at = panel.focused
        key(qtbot, window, Qt.Key.Key_A)
        assert words in window.statusBar().currentMessage()
        assert panel.focused == at  # nothing happened: the focus stays
    settle(qtbot, window)
    assert window.db.execute(
        "select count(*) from reviews where conversation_id = :c and reviewer = :who",
        {"c": cid, "who": REVIEWER},
    ).fetchone() == (0,)


def test_a_conversation_the_current_rules_have_not_read_is_scored_off_the_gui_thread(window, qtbot):
    """Its suggestions are made in the background and shown when ready; keys keep working
    meanwhile (the rules load once per window, off the GUI thread)."""
    db = window.db
    cid = _rude(db, "ru")
    with db.atomic():  # as if the rules had never read it
        db.execute("delete from autoqa_suggestions where conversation_id = :c", {"c": cid})
        db.execute("delete from autoqa_scores where conversation_id = :c", {"c": cid})
    panel = window.review_panel
    window.focus_list()
    started = time.perf_counter()
    assert window.select_conversation(cid)
    assert time.perf_counter() - started < 0.5  # nothing waited for the rules
    assert not panel.suggestions
    qtbot.waitUntil(lambda: "Как я уже писал" in _critical_text(panel), timeout=30_000)
    version = Rules.load(db).version
    assert db.execute(
        "select ruleset from autoqa_scores where conversation_id = :c", {"c": cid}
    ).fetchone() == (version,)
    # the rules stay loaded for the window: the next one is read without loading them again
    assert window.suggestion_source.rules is not None


def _critical_text(panel) -> str:
    row = next(r for r in panel.rows if r.category.key == "critical")
    return row.suggestion.text() if row.suggestion.isVisible() else ""
