"""Disputes (DOMAIN.md): an agent objects to a category or a whole review with a reason; the
reviewer or a manager amends, upholds or rejects it, each with a note. On the suite's store; who
may do what on a team store is in test_server_roles.py."""

from __future__ import annotations

import pytest

from review.errors import EditConflict, InvalidInput
from review.reviewing.disputes import open_dispute, open_disputes, resolve_dispute
from review.store import connect
from tests.teamdata import build_team


@pytest.fixture
def team_db(db_path):
    db = connect(db_path)
    ids = build_team(db, "x")
    yield db, ids
    db.close()


def test_a_dispute_is_open_until_resolved_with_a_note(team_db):
    db, ids = team_db
    on_tone = open_dispute(db, ids["a_c1"], "I did apologise.", category_id=ids["tone"], by="Ann")
    whole = open_dispute(db, ids["a_c3"], "Wrong agent: Bob took over.", by="Ann")
    assert (on_tone.status, on_tone.category_id, whole.category_id) == ("open", ids["tone"], None)
    assert on_tone.opened_by == (db.signed_in_as() or "Ann")
    assert [d.id for d in open_disputes(db)] == [on_tone.id, whole.id]
    with pytest.raises(InvalidInput, match="needs a note"):
        resolve_dispute(db, on_tone.id, "upheld", "  ", by="Lena")
    with pytest.raises(InvalidInput, match="not how a dispute ends"):
        resolve_dispute(db, on_tone.id, "ignored", "x", by="Lena")
    done = resolve_dispute(db, on_tone.id, "upheld", "The apology came after the refusal.",
                           by="Lena", expected_version=on_tone.version)  # fmt: skip
    assert (done.status, done.resolution_note) == ("upheld", "The apology came after the refusal.")
    assert done.resolved_by == (db.signed_in_as() or "Lena") and done.resolved_at
    assert [d.id for d in open_disputes(db)] == [whole.id]
    with pytest.raises(EditConflict, match="this dispute was changed by"):
        resolve_dispute(db, on_tone.id, "rejected", "Second thoughts", by="Mo")


def test_a_dispute_needs_a_reason_and_a_category_of_the_review(team_db):
    db, ids = team_db
    with pytest.raises(InvalidInput, match="needs the reason"):
        open_dispute(db, ids["a_c1"], " ")
    with pytest.raises(InvalidInput, match="not part of this review's rubric"):
        open_dispute(db, ids["a_c1"], "x", category_id=9999)
    assert open_disputes(db) == []


def test_figures_can_leave_out_reviews_under_open_dispute_and_say_so(team_db):
    from review.figures.quality import quality_by_category, quality_score
    from review.figures.scope import read_scope

    db, ids = team_db
    for key, value in (("a_c1", 0.0), ("b_c1", 100.0), ("b_c2", 100.0), ("a_c3", 100.0)):
        db.execute("update reviews set score = :s where id = :id", {"s": value, "id": ids[key]})
    disputed = open_dispute(db, ids["a_c1"], "I did apologise.", by="Ann")
    every = quality_score(read_scope(db))
    kept = quality_score(read_scope(db, without_disputed=True))
    assert (every.n, every.value, every.note) == (4, 75.0, "")
    assert (kept.n, kept.value) == (3, 100.0)
    assert kept.note == "1 review under open dispute left out"
    category = quality_by_category(read_scope(db, without_disputed=True))
    assert [(g.label, g.figure.n) for g in category] == [("tone", 3)]
    resolve_dispute(db, disputed.id, "upheld", "It stands.", by="Lena")
    again = quality_score(read_scope(db, without_disputed=True))
    assert (again.n, again.note) == (4, "")
