"""Coaching notes: versions, review references, action items, follow-ups, and the effect on the
agent's ratings in the targeted categories before the note and since."""

from __future__ import annotations

import pytest

from review.errors import InvalidInput, NotFound
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.coaching import (
    add_action_item,
    add_note,
    category_effect,
    due_follow_ups,
    edit_note,
    get_note,
    mark_followed_up,
    note_history,
    notes_for_agent,
    set_action_item_done,
)
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubrics import current_rubric
from review.store.undo import undo


def _world(db):
    """Ana's conversations on May 1, 2, 3 (before the note of May 10) and May 20, 21 (since)."""
    ana = Person("zendesk", "a1", "agent", name="Ana")
    days = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-20", "2024-05-21"]
    store_records(
        db,
        [
            Conversation("zendesk", str(i), created_at=f"{d}T10:00:00Z", agent=ana)
            for i, d in enumerate(days)
        ],
    )
    agent = db.execute("select id from agents").fetchone()[0]
    conv = [r[0] for r in db.execute("select id from conversations order by created_at")]
    return agent, conv


def test_note_with_reviews_versions_and_follow_up(db):
    agent, conv = _world(db)
    review = start_review(db, conv[0], "Coach")
    added = add_note(db, agent, "Coach", "Ask more questions", [review.id], "2024-06-01")
    assert added.id and "coaching_notes" in added.tables
    edit_note(db, added.id, text="Ask two questions before answering", author="Lead")
    edit_note(db, added.id, follow_up="2024-06-15")
    note = get_note(db, added.id)
    assert (note.version, note.follow_up, note.review_ids) == (3, "2024-06-15", (review.id,))
    history = note_history(db, added.id)
    assert [(v.version, v.author, v.text, v.follow_up) for v in history] == [
        (1, "Coach", "Ask more questions", "2024-06-01"),
        (2, "Lead", "Ask two questions before answering", "2024-06-01"),
        (3, "Coach", "Ask two questions before answering", "2024-06-15"),
    ]
    edit_note(db, added.id, review_ids=[])
    assert get_note(db, added.id).review_ids == () and get_note(db, added.id).version == 3

    assert due_follow_ups(db, "2024-06-14") == []
    assert [n.id for n in due_follow_ups(db, "2024-06-15")] == [added.id]
    mark_followed_up(db, added.id)
    assert due_follow_ups(db, "2024-07-01") == []
    edit_note(db, added.id, follow_up="2024-07-01")  # a new date: a follow-up to do again
    assert [n.id for n in due_follow_ups(db, "2024-07-01")] == [added.id]


def test_action_items_done_and_undo(db):
    agent, _ = _world(db)
    note = add_note(db, agent, "Coach", "Тон: теплее 更温暖", follow_up=None, session="c")
    first = add_action_item(db, note.id, "Use the customer's name", "2024-06-01", session="c")
    second = add_action_item(db, note.id, "Close the loop", session="c")
    set_action_item_done(db, first.id, True, session="c")
    items = get_note(db, note.id).items
    assert [(i.text, i.due, i.done) for i in items] == [
        ("Use the customer's name", "2024-06-01", True),
        ("Close the loop", None, False),
    ]
    assert items[0].done_at is not None
    undo(db, "c")
    assert get_note(db, note.id).items[0].done is False
    undo(db, "c")
    assert [i.id for i in get_note(db, note.id).items] == [first.id]
    assert second.id not in [i.id for n in notes_for_agent(db, agent) for i in n.items]


def test_bad_input_is_refused(db):
    agent, _ = _world(db)
    with pytest.raises(InvalidInput):
        add_note(db, agent, "Coach", "  ")
    with pytest.raises(InvalidInput, match="not a date"):
        add_note(db, agent, "Coach", "x", follow_up="next week")
    with pytest.raises(NotFound):
        add_note(db, 999, "Coach", "x")
    with pytest.raises(NotFound):
        add_note(db, agent, "Coach", "x", review_ids=[42])
    note = add_note(db, agent, "Coach", "x")
    with pytest.raises(NotFound):
        add_action_item(db, note.id, "y", category_ids=[123456])


def test_category_effect_compares_mean_rating_before_and_since(db):
    agent, conv = _world(db)
    rubric = current_rubric(db)
    tone, effort = rubric.category("tone"), rubric.category("effort")
    # tone: 2, 3, (N/A-free) 1 before; 4, 5 since. effort: 3 before only.
    for cid, tone_rating in zip(conv, [2, 3, 1, 4, 5], strict=True):
        review = start_review(db, cid, "Coach")
        rate(db, review.id, tone.id, tone_rating)
    rate(db, start_review(db, conv[0], "Coach").id, effort.id, 3)
    rate(db, start_review(db, conv[1], "Lead").id, tone.id, 5)  # a second reviewer counts too
    note = add_note(db, agent, "Coach", "Warmer", at="2024-05-10T12:00:00Z")
    item = add_action_item(db, note.id, "Use names", category_ids=[tone.id, effort.id])
    by_key = {e.key: e for e in category_effect(db, item.id)}
    assert (by_key["tone"].before, by_key["tone"].before_n) == (pytest.approx(11 / 4), 4)
    assert (by_key["tone"].since, by_key["tone"].since_n) == (4.5, 2)
    assert (by_key["effort"].before, by_key["effort"].since, by_key["effort"].since_n) == (
        3.0,
        None,
        0,
    )
