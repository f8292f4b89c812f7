"""Several sessions editing one review: no update is lost, a write that lost the race changes
nothing and says who won and when, undo never overwrites someone else's later change, and on a
team store every row a write changes leaves exactly one audit row, written by the server.

The first tests run on the suite's store (a SQLite file; a server database in the PostgreSQL
pass); the others need a server and use the session's throwaway one (skipped where PostgreSQL
is not installed).
"""

from __future__ import annotations

import threading

import pytest

from review.errors import EditConflict
from review.operations import Actor, Call, run
from review.reviewing.reviews import get_review, review_of
from review.store import connect
from review.store.undo import undo
from tests.teamdata import Team, build_team, team_store


def _overall(db, actor, conversation, text, expected=None):
    args = {"conversation_id": conversation, "text": text}
    if expected is not None:
        args["expected_version"] = expected
    return run(db, actor, Call("overall-comment", args))


def _rate(db, actor, conversation, category, rating, expected=None):
    args = {"conversation_id": conversation, "category_id": category, "rating": rating}
    if expected is not None:
        args["expected_version"] = expected
    return run(db, actor, Call("rate", args))


@pytest.fixture
def two_sessions(db_path):
    """Two connections to one store, and two windows of one reviewer, one on each."""
    first, second = connect(db_path), connect(db_path)
    ids = build_team(first, "x")
    yield ids, (first, Actor("window-1", "Ann Lead")), (second, Actor("window-2", "Ann Lead"))
    first.close()
    second.close()


def test_the_write_that_lost_the_race_changes_nothing_and_names_the_winner(two_sessions):
    ids, (db1, one), (db2, two) = two_sessions
    c4 = ids["c4"]
    _overall(db1, one, c4, "Opened")
    review = review_of(db1, c4, db1.signed_in_as() or "Ann Lead")
    seen = review.version  # both windows show this version now
    _overall(db1, one, c4, "Ann was polite and quick.", expected=seen)
    with pytest.raises(EditConflict) as lost:
        _overall(db2, two, c4, "Too slow.", expected=seen)
    with pytest.raises(EditConflict):
        _rate(db2, two, c4, ids["tone"], 0, expected=seen)
    winner = get_review(db2, review.id)
    assert winner.overall_comment == "Ann was polite and quick."  # no update lost
    assert winner.ratings == {}  # the losing rating changed nothing
    message = str(lost.value)
    when = winner.updated_at.replace("T", " ").rstrip("Z")
    assert message == (
        f"Your change was not saved: this review was changed by {winner.updated_by or winner.reviewer}"
        f" at {when} UTC after you opened it; their change is shown now."
    )
    # having seen the winner's version, the other window writes
    _overall(db2, two, c4, "Polite, a little slow.", expected=winner.version)
    assert get_review(db1, review.id).overall_comment == "Polite, a little slow."
    # a session's own later writes never conflict with the version it saw first
    _rate(db2, two, c4, ids["tone"], 1, expected=winner.version)


def test_undo_refuses_to_overwrite_a_later_change_from_another_session(two_sessions):
    ids, (db1, one), (db2, two) = two_sessions
    c4 = ids["c4"]
    _overall(db1, one, c4, "Mine")
    _overall(db2, two, c4, "Theirs, later")
    with pytest.raises(EditConflict, match="Undoing 'Overall comment' was not saved: this review"):
        undo(db1, "window-1")
    review = review_of(db1, c4, db1.signed_in_as() or "Ann Lead")
    assert review.overall_comment == "Theirs, later"
    # the other session's own undo is theirs to make, and a row put back gets a new version
    before = review.version
    undo(db2, "window-2")
    after = get_review(db1, review.id)
    assert after.overall_comment == "Mine" and after.version > before


# --- on a server ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def _lead_store(team: Team):
    return connect(team.url("lead_a"))


def test_concurrent_writes_of_one_review_lose_nothing(team):
    """Two connections of one lead rate two categories of one review at the same time, many
    times: every write is kept and the stored score agrees with the ratings."""
    rounds = 15  # odd: tone ends failed (0), accuracy passed (1)
    stores = [_lead_store(team), _lead_store(team)]
    actors = [Actor("laptop"), Actor("desktop")]
    categories = [team.ids["tone"], team.ids["accuracy"]]
    c3 = team.ids["c3"]
    version = review_of(stores[0], c3, team.logins["lead_a"]).version
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(rounds):
                _rate(stores[n], actors[n], c3, categories[n], (i + n) % 2)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    review = review_of(stores[0], c3, team.logins["lead_a"])
    assert {c: r.rating for c, r in review.ratings.items()} == {
        categories[0]: (rounds - 1) % 2,
        categories[1]: rounds % 2,
    }
    assert review.version == version + 2 * rounds
    # two pass/fail categories of equal weight, one passed: the score saw both last writes
    assert review.score == 50.0
    assert review.updated_by == team.logins["lead_a"]
    for store in stores:
        store.close()


def test_a_race_on_one_version_has_one_winner(team):
    stores = [_lead_store(team), _lead_store(team)]
    actors = [Actor("laptop"), Actor("desktop")]
    c1 = team.ids["c1"]
    seen = review_of(stores[0], c1, team.logins["lead_a"]).version
    start = threading.Barrier(2)
    results: list[object] = [None, None]

    def write(n: int) -> None:
        start.wait()
        try:
            results[n] = _overall(stores[n], actors[n], c1, f"Window {n}", expected=seen)
        except EditConflict as exc:
            results[n] = exc

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    lost = [r for r in results if isinstance(r, EditConflict)]
    assert len(lost) == 1, results
    winner = results.index(next(r for r in results if not isinstance(r, EditConflict)))
    review = review_of(stores[0], c1, team.logins["lead_a"])
    assert review.overall_comment == f"Window {winner}"
    assert lost[0].who == team.logins["lead_a"] and lost[0].when == review.updated_at
    for store in stores:
        store.close()


def test_every_audited_write_leaves_exactly_one_audit_row(team):
    with team.superuser() as root:

        def audit_rows() -> list[tuple]:
            return root.execute(
                "select id, actor, table_name, action, row_key, before, after "
                "from savedesk.audit_log order by id"
            ).fetchall()

        done = len(audit_rows())
        lead = _lead_store(team)
        actor = Actor("audit")
        c4, tone = team.ids["c4"], team.ids["tone"]
        _rate(lead, actor, c4, tone, 1)  # one operation: starts the review, then rates it
        review = review_of(lead, c4, team.logins["lead_a"])
        rows = audit_rows()[done:]
        # the review was written three times in that transaction (made, taken, scored): one row
        assert [(r[2], r[3], r[4]) for r in rows] == [
            ("reviews", "insert", {"id": review.id}),
            ("review_ratings", "insert", {"review_id": review.id, "category_id": tone}),
        ]
        assert {r[1] for r in rows} == {team.logins["lead_a"]}  # the login, from the server
        assert rows[0][5] is None and rows[0][6]["score"] == 100.0
        assert rows[1][5] is None and rows[1][6]["rating"] == 1
        done += len(rows)
        _rate(lead, actor, c4, tone, 0)
        rows = audit_rows()[done:]
        assert [(r[2], r[3]) for r in rows] == [("reviews", "update"), ("review_ratings", "update")]
        assert (rows[0][5]["score"], rows[0][6]["score"]) == (100.0, 0.0)
        assert (rows[1][5]["rating"], rows[1][6]["rating"]) == (1, 0)
        done += len(rows)
        _overall(lead, actor, c4, "Fine")
        rows = audit_rows()[done:]
        assert [(r[2], r[3], r[4]) for r in rows] == [("reviews", "update", {"id": review.id})]
        assert rows[0][5]["overall_comment"] is None
        assert rows[0][6]["overall_comment"] == "Fine"
        # the manager reads the trail; the lead cannot, nor write to it
        with team.sql("manager") as manager:
            assert manager.execute("select count(*) from savedesk.audit_log").fetchone()[0] >= 4
        lead.close()


def test_an_edit_of_a_saved_customer_another_session_changed_is_refused(two_sessions):
    from review.retention.saves import get_save, saves_for_conversation, tag_save

    ids, (db1, one), (db2, two) = two_sessions
    tag_save(db1, ids["c1"], "49.00", "EUR", "discount", session="window-1")
    [save] = saves_for_conversation(db1, ids["c1"])
    seen = save.version
    run(db1, one, Call("update-save", {"save_id": save.id, "values": {"story": "Kept them"},
                                      "expected_version": seen}))  # fmt: skip
    with pytest.raises(EditConflict, match="this saved customer was changed by someone else"):
        run(db2, two, Call("update-save", {"save_id": save.id, "values": {"story": "Lost"},
                                          "expected_version": seen}))  # fmt: skip
    after = get_save(db2, save.id)
    assert after.story == "Kept them" and after.version == seen + 1


def test_a_lead_undoes_their_own_rating_on_the_team_store(team):
    lead = _lead_store(team)
    actor = Actor("undo-window")
    c4, accuracy = team.ids["c4"], team.ids["accuracy"]
    _rate(lead, actor, c4, accuracy, 0)
    review = review_of(lead, c4, team.logins["lead_a"])
    assert review.ratings[accuracy].rating == 0
    undo(lead, "undo-window")  # writes only what differs: never the review's reviewer
    assert accuracy not in review_of(lead, c4, team.logins["lead_a"]).ratings
    lead.close()
