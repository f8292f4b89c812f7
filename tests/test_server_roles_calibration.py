"""Calibration sessions on a team store, as each role with raw SQL (DOMAIN.md "A team on one
store"): a manager creates, closes and records references; a lead rates only in a session
naming them, on its conversations, while it is open and they have not finished, and reads the
others' ratings only once every reviewer has finished or the session is closed; an agent sees
none of it. Every forbidden action is refused by the server (an error, or for another's rows,
nothing there to change); every allowed one succeeds."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.teamdata import NOW, Team, team_store


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def refused(conn: psycopg.Connection, sql: str, params: dict | None = None) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql, params)


def _session(conn: psycopg.Connection, team: Team, name: str, conversations, leads) -> int:
    sid = conn.execute(
        "insert into calibration_sessions (name, rubric_id, created_at) "
        "values (%(n)s, %(r)s, %(t)s) returning id",
        {"n": name, "r": team.ids["rubric"], "t": NOW},
    ).fetchone()[0]
    for position, c in enumerate(conversations):
        conn.execute(
            "insert into calibration_session_conversations (session_id, conversation_id, "
            "position) values (%(s)s, %(c)s, %(p)s)",
            {"s": sid, "c": team.ids[c], "p": position},
        )
    for lead in leads:
        conn.execute(
            "insert into calibration_session_reviewers (session_id, reviewer) values (%(s)s, %(w)s)",
            {"s": sid, "w": team.logins[lead]},
        )
    return sid


def _review(conn, team: Team, conversation: str, session: int | None) -> int:
    review = conn.execute(
        "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
        "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s) returning id",
        {"c": team.ids[conversation], "r": team.ids["rubric"], "t": NOW, "s": session},
    ).fetchone()[0]
    conn.execute(
        "insert into review_ratings (review_id, category_id, rating, is_na) "
        "values (%(r)s, %(c)s, 0, 0)",
        {"r": review, "c": team.ids["tone"]},
    )
    return review


def _ids(conn, sql: str, params: dict | None = None) -> set:
    return {r[0] for r in conn.execute(sql, params)}


def test_only_a_manager_runs_a_session(team):
    with team.sql("lead_a") as lead, team.sql("agent_ann") as agent, team.sql("admin") as admin:
        for conn in (lead, admin):
            refused(conn, "insert into calibration_sessions (name, rubric_id, created_at) "
                    "values ('x', %(r)s, %(t)s)", {"r": team.ids["rubric"], "t": NOW})  # fmt: skip
        refused(agent, "select * from calibration_sessions")
        refused(agent, "select * from calibration_session_reviewers")
    with team.sql("manager") as manager:
        sid = _session(manager, team, "Roles 1", ["c1"], ["lead_a"])
        who = manager.execute(
            "select created_by from calibration_sessions where id = %(s)s", {"s": sid}
        ).fetchone()[0]
        assert who == team.logins["manager"]  # the server names the creator: no forging
        refused(manager, "insert into calibration_sessions (name, rubric_id, created_at, "
                "created_by) values ('x', %(r)s, %(t)s, 'someone')",
                {"r": team.ids["rubric"], "t": NOW})  # fmt: skip
        # nor may a manager score: reviews are the leads'
        refused(manager, *(
            "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
            "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s)",
            {"c": team.ids["c1"], "r": team.ids["rubric"], "t": NOW, "s": sid},
        ))  # fmt: skip
    with team.sql("lead_a") as lead, team.sql("lead_b") as other:
        assert _ids(lead, "select id from calibration_sessions") >= {sid}
        assert sid not in _ids(other, "select id from calibration_sessions")  # not named
        refused(lead, "update calibration_sessions set status = 'closed' where id = %(s)s",
                {"s": sid})  # fmt: skip
        refused(lead, "insert into calibration_session_reviewers (session_id, reviewer) "
                "values (%(s)s, %(w)s)", {"s": sid, "w": team.logins["lead_b"]})  # fmt: skip
        refused(lead, "delete from calibration_session_conversations")


def test_scoring_is_blind_until_everyone_finished(team):
    ids, logins = team.ids, team.logins
    with team.sql("manager") as manager:
        # c2 is Bob's (team B): lead A scores it in the session all the same
        sid = _session(manager, team, "Blind", ["c1", "c2"], ["lead_a", "lead_b"])
        other_sid = _session(manager, team, "Not hers", ["c1"], ["lead_b"])
    with team.sql("lead_a") as a, team.sql("lead_b") as b, team.sql("agent_ann") as ann:
        a_c1 = _review(a, team, "c1", sid)
        a_c2 = _review(a, team, "c2", sid)
        b_c1 = _review(b, team, "c1", sid)
        refused(a, *(
            "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
            "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s)",
            {"c": ids["c3"], "r": ids["rubric"], "t": NOW, "s": sid},
        ))  # not one of the session's conversations  # fmt: skip
        refused(a, *(
            "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
            "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s)",
            {"c": ids["c1"], "r": ids["rubric"], "t": NOW, "s": other_sid},
        ))  # a session not naming her  # fmt: skip
        # blind: lead B reviewed c1 herself (b_c1 ordinary) yet sees nothing of A's session
        # reviews, and the agent sees no session review about her at all
        assert _ids(b, "select id from reviews where calibration_session_id = %(s)s",
                    {"s": sid}) == {b_c1}  # fmt: skip
        assert _ids(b, "select review_id from review_ratings where review_id in "
                    "(%(x)s, %(y)s)", {"x": a_c1, "y": a_c2}) == set()  # fmt: skip
        assert _ids(a, "select id from reviews where calibration_session_id = %(s)s",
                    {"s": sid}) == {a_c1, a_c2}  # fmt: skip
        assert not _ids(ann, "select id from reviews where id in (%(x)s, %(y)s)",
                        {"x": a_c1, "y": b_c1})  # fmt: skip
        # nor may B touch A's ratings; A changes hers while scoring
        assert b.execute("update review_ratings set rating = 1 where review_id = %(r)s",
                         {"r": a_c1}).rowcount == 0  # fmt: skip
        assert a.execute("update review_ratings set rating = 1 where review_id = %(r)s",
                         {"r": a_c1}).rowcount == 1  # fmt: skip
        # B may not finish for A; A finishes her own, once, then her ratings are locked
        assert b.execute("update calibration_session_reviewers set finished_at = %(t)s "
                         "where reviewer = %(w)s", {"t": NOW, "w": logins["lead_a"]}
                         ).rowcount == 0  # fmt: skip
        assert a.execute("update calibration_session_reviewers set finished_at = %(t)s "
                         "where session_id = %(s)s and reviewer = %(w)s",
                         {"t": NOW, "s": sid, "w": logins["lead_a"]}).rowcount == 1  # fmt: skip
        refused(a, "update calibration_session_reviewers set reviewer = 'x' "
                "where session_id = %(s)s", {"s": sid})  # fmt: skip
        # locked: her finished ratings are no longer hers to change (nothing there to change)
        assert a.execute("update review_ratings set rating = 0 where review_id = %(r)s",
                         {"r": a_c1}).rowcount == 0  # fmt: skip
        assert a.execute("select rating from review_ratings where review_id = %(r)s",
                         {"r": a_c1}).fetchone()[0] == 1  # fmt: skip
        refused(a, "update reviews set overall_comment = 'later' where id = %(r)s", {"r": a_c1})
        refused(a, *(
            "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
            "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s)",
            {"c": ids["c2"], "r": ids["rubric"], "t": NOW, "s": sid},
        ))  # fmt: skip
        # one reviewer still scoring: A (finished) still sees only her own
        assert _ids(a, "select id from reviews where calibration_session_id = %(s)s",
                    {"s": sid}) == {a_c1, a_c2}  # fmt: skip
        assert b.execute("update calibration_session_reviewers set finished_at = %(t)s "
                         "where session_id = %(s)s and reviewer = %(w)s",
                         {"t": NOW, "s": sid, "w": logins["lead_b"]}).rowcount == 1  # fmt: skip
        # everyone finished: the session's reviewers see each other's ratings
        for conn in (a, b):
            assert _ids(conn, "select id from reviews where calibration_session_id = %(s)s",
                        {"s": sid}) == {a_c1, a_c2, b_c1}  # fmt: skip
            assert _ids(conn, "select review_id from review_ratings where review_id in "
                        "(%(x)s, %(y)s, %(z)s)", {"x": a_c1, "y": a_c2, "z": b_c1}
                        ) == {a_c1, a_c2, b_c1}  # fmt: skip
        assert not _ids(ann, "select id from reviews where id in (%(x)s, %(y)s)",
                        {"x": a_c1, "y": b_c1})  # fmt: skip
    with team.sql("manager") as manager:
        assert _ids(manager, "select id from reviews where calibration_session_id = %(s)s",
                    {"s": sid}) == {a_c1, a_c2, b_c1}  # fmt: skip


def test_references_after_the_reveal_by_a_manager(team):
    ids = team.ids
    reference = (
        "insert into calibration_references (session_id, conversation_id, category_id, rating, "
        "is_na, note, recorded_at) values (%(s)s, %(c)s, %(k)s, 1, 0, 'Agreed', %(t)s)"
    )
    with team.sql("manager") as manager:
        sid = _session(manager, team, "Refs", ["c1"], ["lead_a", "lead_b"])
        params = {"s": sid, "c": ids["c1"], "k": ids["tone"], "t": NOW}
        refused(manager, reference, params)  # hidden still: nothing to agree on yet
    with team.sql("lead_a") as lead:
        refused(lead, reference, params)
        _review(lead, team, "c1", sid)
    with team.sql("manager") as manager:
        manager.execute(
            "update calibration_sessions set status = 'closed', closed_by = session_user, "
            "closed_at = %(t)s where id = %(s)s",
            {"t": NOW, "s": sid},
        )
        manager.execute(reference, params)
        assert manager.execute(
            "select recorded_by from calibration_references where session_id = %(s)s", {"s": sid}
        ).fetchone()[0] == team.logins["manager"]  # fmt: skip
        audited = _ids(manager, "select table_name from savedesk.audit_log where actor = %(a)s",
                       {"a": team.logins["manager"]})  # fmt: skip
        assert {"calibration_sessions", "calibration_references"} <= audited
    with team.sql("lead_a") as lead, team.sql("lead_b") as other:
        refused(lead, "update calibration_references set rating = 0")
        refused(lead, "delete from calibration_references")
        assert lead.execute("select note from calibration_references where session_id = %(s)s",
                            {"s": sid}).fetchone()[0] == "Agreed"  # fmt: skip
        # closed: lead B (who never finished) sees A's rating now, and rates no more
        assert len(_ids(other, "select id from reviews where calibration_session_id = %(s)s",
                        {"s": sid})) == 1  # fmt: skip
        refused(other, *(
            "insert into reviews (conversation_id, rubric_id, created_at, updated_at, "
            "calibration_session_id) values (%(c)s, %(r)s, %(t)s, %(t)s, %(s)s)",
            {"c": ids["c1"], "r": ids["rubric"], "t": NOW, "s": sid},
        ))  # fmt: skip
        assert (
            other.execute(
                "update calibration_session_reviewers set finished_at = %(t)s "
                "where session_id = %(s)s",
                {"t": NOW, "s": sid},
            ).rowcount
            == 0
        )
