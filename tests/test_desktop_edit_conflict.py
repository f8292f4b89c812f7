"""Another window changed the review meanwhile: the user's rating through the real key is not
saved, the status bar says in one sentence who changed it and when, and the panel shows their
change. On the file and, in the PostgreSQL pass, on a server store."""

from __future__ import annotations

from PySide6.QtCore import Qt

from review.operations import Actor, Call, run
from review.reviewing.reviews import review_of
from review.store import connect
from tests.gui import settle, show_main_window
from tests.teamdata import build_team

REVIEWER = "Lena Gruber"


def test_a_rating_that_lost_the_race_says_who_won(qtbot, qt_settings, db_path):
    setup = connect(db_path)
    ids = build_team(setup, "x")
    setup.close()
    window = show_main_window(qtbot, db_path, reviewer=REVIEWER, active=True)
    try:
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_J)
        conversation = window.current_conversation_id()
        qtbot.keyClick(window.table, Qt.Key.Key_2)  # pass the first category: the review starts
        settle(qtbot, window)
        shown = window.review_panel.review
        assert shown is not None and shown.ratings[ids["tone"]].rating == 1
        # the same reviewer in another window writes the overall comment first
        other = connect(db_path)
        run(other, Actor("other-window", REVIEWER), Call("overall-comment", {
            "conversation_id": conversation, "text": "Written in the other window",
            "expected_version": shown.version}))  # fmt: skip
        winner = review_of(other, conversation, REVIEWER)
        other.close()
        # before this window heard of it, the user fails the second category
        qtbot.keyClick(window.table, Qt.Key.Key_1)
        qtbot.waitUntil(
            lambda: "was not saved" in window.statusBar().currentMessage(), timeout=20_000
        )
        when = winner.updated_at.replace("T", " ").rstrip("Z")
        assert window.statusBar().currentMessage() == (
            f"Your change was not saved: this review was changed by {REVIEWER} at {when} UTC "
            "after you opened it; their change is shown now."
        )
        settle(qtbot, window)
        assert window.review_panel.overall.toPlainText() == "Written in the other window"
        check = connect(db_path)
        stored = review_of(check, conversation, REVIEWER)
        check.close()
        assert ids["accuracy"] not in stored.ratings  # the losing rating changed nothing
        assert stored.overall_comment == "Written in the other window"
    finally:
        window.close()
        window.db.close()
