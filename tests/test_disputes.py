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
