"""Reviews: ratings write through, the score on reviews.score, N/A, agents, several reviewers."""

from __future__ import annotations

import sqlite3

import pytest

from review.errors import InvalidInput, NotFound
from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.reviewing.reviews import (
    comment_category,
    default_agent,
    delete_review,
    find_conversation,
    get_review,
    rate,
    reviews_for_conversation,
    set_overall_comment,
    set_review_agent,
    start_review,
    write_review,
)
from review.reviewing.rubrics import current_rubric
from review.store import open_store


def _agent_msg(n, agent, minute):
    return Message(
        f"m{n}", "agent", f"2024-05-01T09:{minute:02d}:00Z", "reply", author_external_id=agent
    )


def _store(db):
    """Conversation 1 assigned to Ana (a1) but mostly answered by Bo (a2); conversation 2
    assigned to Bo with no replies. Returns (conv1, conv2, ana, bo)."""
    ana = Person("zendesk", "a1", "agent", name="Ana")
    bo = Person("zendesk", "a2", "agent", name="Бо")
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                "100",
                created_at="2024-05-01T09:00:00Z",
                agent=ana,
                messages=[
                    Message(
                        "m0", "customer", "2024-05-01T09:00:00Z", "退款", author_external_id="c"
                    ),
                    _agent_msg(1, "a1", 1),
                    _agent_msg(2, "a2", 2),
                    _agent_msg(3, "a2", 3),
                    Message(
                        "m4",
                        "agent",
                        "2024-05-01T09:04:00Z",
                        "note",
                        is_internal=True,
                        author_external_id="a1",
                    ),
                    Message(
                        "m5",
                        "agent",
                        "2024-05-01T09:05:00Z",
                        "note",
                        is_internal=True,
                        author_external_id="a1",
                    ),
                ],
            ),
            Conversation("zendesk", "200", created_at="2024-05-02T09:00:00Z", agent=bo),
        ],
    )
    ids = dict(db.execute("select external_id, id from conversations").fetchall())
    agents = dict(db.execute("select external_id, id from agents").fetchall())
    return ids["100"], ids["200"], agents["a1"], agents["a2"]


def test_default_agent_wrote_most_public_replies_else_assigned(db):
    c1, c2, ana, bo = _store(db)
    assert default_agent(db, c1) == bo  # 2 public replies beat Ana's 1 (her notes do not count)
    assert default_agent(db, c2) == bo  # no replies: the assigned agent


def test_rating_writes_through_and_keeps_the_score_current(db):
    c1, _, _, bo = _store(db)
    rubric = current_rubric(db)
    review = start_review(db, c1, "Lead")
    assert review.agent_id == bo and review.score is None and review.rubric_id == rubric.id
    accuracy, tone, critical = (rubric.category(k) for k in ("accuracy", "tone", "critical"))
    changes = rate(db, review.id, accuracy.id, 4)  # 0.75 * 3
    assert changes.conversations == {c1} and {"review_ratings", "reviews"} <= changes.tables
    assert get_review(db, review.id).score == 75.0
    rate(db, review.id, tone.id, 2)  # 0.25 * 2: (2.25 + 0.5) / 5
    assert get_review(db, review.id).score == 55.0
    rate(db, review.id, critical.id, 1)  # pass, weight 1: (2.75 + 1) / 6
    assert get_review(db, review.id).score == pytest.approx(62.5)
    rate(db, review.id, critical.id, 0)  # critical fail
    stored = db.execute("select score, critical_failed from reviews").fetchone()
    assert stored == (0.0, 1)
    rate(db, review.id, critical.id, None)  # cleared: back to 55
    assert db.execute("select score, critical_failed from reviews").fetchone() == (55.0, 0)
    assert set(get_review(db, review.id).ratings) == {accuracy.id, tone.id}


def test_na_is_left_out_and_only_where_allowed(db):
    c1, *_ = _store(db)
    rubric = current_rubric(db)
    review = start_review(db, c1, "Lead")
    rate(db, review.id, rubric.category("curiosity").id, None, na=True)
    got = get_review(db, review.id)
    assert got.score is None and got.ratings[rubric.category("curiosity").id].is_na
    assert db.execute("select rating, is_na from review_ratings").fetchone() == (None, 1)
    with pytest.raises(InvalidInput, match="does not allow N/A"):
        rate(db, review.id, rubric.category("tone").id, None, na=True)
    with pytest.raises(InvalidInput, match="from 1 to 5"):
        rate(db, review.id, rubric.category("tone").id, 6)
    with pytest.raises(InvalidInput):
        rate(db, review.id, rubric.category("critical").id, 2)


def test_comments_agent_and_overall_comment(db):
    c1, _, ana, bo = _store(db)
    rubric = current_rubric(db)
    review = start_review(db, c1, "Lead")
    tone = rubric.category("tone").id
    comment_category(db, review.id, tone, "  Тёплый тон, 很好  ")
    rate(db, review.id, tone, 5)
    set_overall_comment(db, review.id, "Good save")
    set_review_agent(db, review.id, ana)
    got = get_review(db, review.id)
    assert got.ratings[tone].comment == "Тёплый тон, 很好" and got.ratings[tone].rating == 5
    assert got.overall_comment == "Good save" and got.agent_id == ana and got.score == 100.0
    comment_category(db, review.id, tone, "")
    assert get_review(db, review.id).ratings[tone].comment is None
    with pytest.raises(NotFound):
        set_review_agent(db, review.id, 9999)


def test_several_reviewers_and_one_review_each(db):
    c1, *_ = _store(db)
    first = start_review(db, c1, "Lead")
    assert start_review(db, c1, "Lead").id == first.id
    second = start_review(db, c1, "Coach")
    assert [r.reviewer for r in reviews_for_conversation(db, c1)] == ["Lead", "Coach"]
    delete_review(db, second.id)
    assert [r.id for r in reviews_for_conversation(db, c1)] == [first.id]


def test_a_category_of_another_rubric_or_a_missing_review_is_refused(db):
    c1, *_ = _store(db)
    review = start_review(db, c1, "Lead")
    with pytest.raises(NotFound):
        rate(db, review.id, 99999, 3)
    with pytest.raises(NotFound):
        rate(db, 4242, current_rubric(db).categories[0].id, 3)
    with pytest.raises(InvalidInput):
        start_review(db, c1, "  ")


def test_find_conversation_by_id_or_source_and_helpdesk_id(db):
    c1, c2, *_ = _store(db)
    assert find_conversation(db, str(c2)) == c2
    assert find_conversation(db, "zendesk:100") == c1
    with pytest.raises(NotFound):
        find_conversation(db, "zendesk:999")


def test_write_review_in_one_go_replaces_and_stays_out_of_undo(db):
    c1, _, ana, bo = _store(db)
    review_id = write_review(
        db,
        c1,
        "Demo",
        {"tone": 5, "accuracy": 3, "curiosity": "na", "effort": None},
        comments={"tone": "Warm 温暖"},
        overall_comment="Good",
        created_at="2024-05-03T10:00:00Z",
    )
    review = get_review(db, review_id)
    # tone 1.0 * 2 and accuracy 0.5 * 3: 100 * 3.5 / 5 = 70
    assert review.score == 70.0 and review.agent_id == bo and review.created_at.startswith("2024")
    assert len(review.ratings) == 3  # effort None: nothing stored
    assert db.execute("select count(*) from undo_log").fetchone()[0] == 0
    again = write_review(db, c1, "Demo", {"critical": 0}, agent_id=ana)
    assert again == review_id
    replaced = get_review(db, review_id)
    assert (replaced.score, replaced.critical_failed, replaced.agent_id) == (0.0, True, ana)
    assert list(replaced.ratings) == [current_rubric(db).category("critical").id]
    with pytest.raises(InvalidInput):
        write_review(db, c1, "Demo", {"tone": 7})


def test_m002_migrates_a_database_made_before_it(tmp_path):
    from tests.helpers import legacy_database

    path = legacy_database(tmp_path, "after-m001")
    old = sqlite3.connect(path)
    with old:
        assert "reviews" not in {r[0] for r in old.execute("select name from sqlite_master")}
        old.execute(
            "insert into conversations (source, external_id, message_count) values ('zendesk', '1', 0)"
        )
    old.close()
    db = open_store(path)
    try:
        assert {"reviews", "review_ratings", "undo_log", "queues"} <= set(db.tables())
        cid = db.execute("select id from conversations").fetchone()[0]
        review = start_review(db, cid, "Lead")
        assert review.rubric_id == current_rubric(db).id
        assert list(tmp_path.glob("old.db.before-0002*.bak"))
    finally:
        db.close()
