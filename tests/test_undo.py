"""Undo and redo in the store, per session, with labels; a new step drops the redo steps."""

from __future__ import annotations

import pytest

from review.errors import InvalidInput
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.reviews import (
    delete_review,
    get_review,
    rate,
    set_overall_comment,
    start_review,
)
from review.reviewing.rubrics import current_rubric
from review.store import connect
from review.store.undo import redo, redo_label, undo, undo_label


def _review(db, reviewer="Lead", session="s1"):
    store_records(
        db, [Conversation("zendesk", "1", agent=Person("zendesk", "a1", "agent", name="Ana"))]
    )
    cid = db.execute("select id from conversations").fetchone()[0]
    return cid, start_review(db, cid, reviewer, session=session), current_rubric(db)


def _score(db, review_id):
    return db.execute("select score from reviews where id = ?", [review_id]).fetchone()[0]


def test_undo_and_redo_ratings_with_labels(db):
    cid, review, rubric = _review(db)
    tone, accuracy = rubric.category("tone"), rubric.category("accuracy")
    rate(db, review.id, tone.id, 4, session="s1")  # 75
    rate(db, review.id, accuracy.id, 1, session="s1")  # (1.5 + 0) / 5 = 30
    rate(db, review.id, tone.id, 5, session="s1")  # (2 + 0) / 5 = 40
    assert _score(db, review.id) == 40.0
    assert undo_label(db, "s1") == "Rate 'Tone and personal touch' 5"
    changes = undo(db, "s1")
    assert changes.conversations == {cid} and "review_ratings" in changes.tables
    assert _score(db, review.id) == 30.0
    assert get_review(db, review.id).ratings[tone.id].rating == 4
    assert redo_label(db, "s1") == "Rate 'Tone and personal touch' 5"
    undo(db, "s1")
    assert _score(db, review.id) == 75.0 and accuracy.id not in get_review(db, review.id).ratings
    redo(db, "s1")
    assert _score(db, review.id) == 30.0
    assert redo_label(db, "s1") == "Rate 'Tone and personal touch' 5"
    # a new step drops what could have been redone
    set_overall_comment(db, review.id, "ok", session="s1")
    assert redo_label(db, "s1") is None and redo(db, "s1") is None
    assert undo_label(db, "s1") == "Overall comment"


def test_sessions_undo_only_their_own_steps(db):
    _, review, rubric = _review(db)
    rate(db, review.id, rubric.category("tone").id, 3, session="s1")
    rate(db, review.id, rubric.category("critical").id, 1, session="s2")
    assert undo_label(db, "s2") == "Rate 'Critical' pass"
    undo(db, "s2")
    assert set(get_review(db, review.id).ratings) == {rubric.category("tone").id}
    assert _score(db, review.id) == 50.0
    assert undo(db, "s3") is None and undo_label(db, "s3") is None


def test_undo_survives_reopening_the_database(db, db_path):
    _, review, rubric = _review(db)
    rate(db, review.id, rubric.category("tone").id, 2, session="s1")
    db.close()
    again = connect(db_path)
    try:
        assert undo_label(again, "s1") == "Rate 'Tone and personal touch' 2"
        undo(again, "s1")
        assert get_review(again, review.id).ratings == {}
        assert _score(again, review.id) is None
    finally:
        again.close()


def test_undo_a_deleted_review_brings_it_back_with_its_ratings(db):
    cid, review, rubric = _review(db)
    rate(db, review.id, rubric.category("tone").id, 5, session="s1")
    delete_review(db, review.id, session="s1")
    assert db.execute("select count(*) from reviews").fetchone()[0] == 0
    undo(db, "s1")
    back = get_review(db, review.id)
    assert back.score == 100.0 and back.ratings[rubric.category("tone").id].rating == 5
    redo(db, "s1")
    assert db.execute("select count(*) from review_ratings").fetchone()[0] == 0


def test_undo_all_the_way_removes_the_started_review(db):
    _, review, rubric = _review(db)
    rate(db, review.id, rubric.category("tone").id, 5, session="s1")
    undo(db, "s1")
    assert undo_label(db, "s1").startswith("Start review")
    undo(db, "s1")
    assert db.execute("select count(*) from reviews").fetchone()[0] == 0
    assert undo(db, "s1") is None
    redo(db, "s1")
    redo(db, "s1")
    assert get_review(db, review.id).score == 100.0


def test_a_refused_write_records_nothing(db):
    _, review, rubric = _review(db)
    before = db.execute("select count(*) from undo_log").fetchone()[0]
    with pytest.raises(InvalidInput):
        rate(db, review.id, rubric.category("tone").id, 9, session="s1")
    assert db.execute("select count(*) from undo_log").fetchone()[0] == before


def test_the_history_keeps_the_latest_steps_and_a_new_step_drops_the_redo_ones(db, monkeypatch):
    from review.store import undo as history

    monkeypatch.setattr(history, "KEEP_STEPS", 3)
    cid, review, rubric = _review(db)
    tone = rubric.category("tone")
    for rating in (1, 2, 3, 4, 5):
        rate(db, review.id, tone.id, rating, session="s1")
    steps = "select label, undone from undo_log where session = 's1' order by id"
    assert db.execute(steps).fetchall() == [
        ("Rate 'Tone and personal touch' 3", 0),
        ("Rate 'Tone and personal touch' 4", 0),
        ("Rate 'Tone and personal touch' 5", 0),
    ]
    undo(db, "s1")
    undo(db, "s1")
    rate(db, review.id, tone.id, 1, session="s1")
    assert db.execute(steps).fetchall() == [
        ("Rate 'Tone and personal touch' 3", 0),
        ("Rate 'Tone and personal touch' 1", 0),
    ]
