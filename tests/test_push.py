"""`savedesk push`: two leads' laptops that imported the same export go into one team store
without duplicate conversations, and pushing again adds nothing. On the session's throwaway
PostgreSQL server (skipped where PostgreSQL is not installed)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from review.errors import SavedeskError
from review.importing.push import push
from review.store import connect, open_store
from tests.teamdata import Team, team_store

LATER = "2026-01-06T09:00:00Z"


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def _laptop(
    path, conversations: list[str], reviews: dict[str, dict[str, int]], comment: str, when=LATER
):
    """A lead's SQLite file with the same export's people, the conversations named (as the
    team store's builder names them: source 't'), the same rubric, and rated reviews."""
    db = open_store(path)
    team = db.insert("teams", {"source": "t", "external_id": "A", "name": "A"})
    ann = db.insert("agents", {"source": "t", "external_id": "ann", "name": "Ann", "team_id": team})
    ids = {}
    for name in conversations:
        ids[name] = db.insert(
            "conversations",
            {"source": "t", "external_id": name, "subject": name, "team_id": team,
             "agent_id": ann if name == "c1" else None, "created_at": LATER},
        )  # fmt: skip
        db.insert(
            "messages",
            {"conversation_id": ids[name], "external_id": f"{name}-1", "body_text": "Отмена",
             "author_role": "customer", "created_at": LATER},
        )  # fmt: skip
    rubric = db.insert("rubrics", {"name": "Default", "version": 1, "created_at": LATER})
    categories = {
        key: db.insert(
            "rubric_categories",
            {
                "rubric_id": rubric,
                "position": n,
                "key": key,
                "name": key,
                "scale": "pass_fail",
                "scale_min": 0,
                "scale_max": 1,
            },
        )  # fmt: skip
        for n, key in enumerate(("tone", "accuracy"), 1)
    }
    for name, ratings in reviews.items():
        review = db.insert(
            "reviews",
            {"conversation_id": ids[name], "rubric_id": rubric, "reviewer": "Laptop name",
             "agent_id": ann if name == "c1" else None, "overall_comment": comment,
             "created_at": when, "updated_at": when},
        )  # fmt: skip
        for key, rating in ratings.items():
            db.insert(
                "review_ratings",
                {"review_id": review, "category_id": categories[key], "rating": rating,
                 "is_na": 0},
                returning="review_id",
            )  # fmt: skip
    db.close()
    return path


def _counts(team: Team) -> tuple:
    with team.superuser() as root:
        return root.execute(
            "select (select count(*) from conversations), (select count(*) from messages), "
            "(select count(*) from reviews), (select count(*) from review_ratings)"
        ).fetchone()


def test_two_leads_pushing_one_export_make_no_duplicates(team, tmp_path):
    lena = _laptop(tmp_path / "lena.db", ["c1", "c9"],
                   {"c1": {"tone": 1, "accuracy": 0}, "c9": {"tone": 1}}, "Lena's")  # fmt: skip
    omar = _laptop(tmp_path / "omar.db", ["c1", "c9", "c10"],
                   {"c9": {"tone": 0}, "c10": {"tone": 1, "accuracy": 1}}, "Omar's")  # fmt: skip
    admin = connect(team.url("admin"))
    before = _counts(team)

    def run(path, lead, dry_run=False):
        source = connect(path)
        try:
            return push(source, admin, as_login=team.logins[lead], dry_run=dry_run)
        finally:
            source.close()

    dry = run(lena, "lead_a", dry_run=True)
    assert _counts(team) == before  # a dry run writes nothing
    report = run(lena, "lead_a")
    assert report.counts == dry.counts
    assert report.reviewer == team.logins["lead_a"]
    assert report.get("conversations", "already there") == 1
    assert report.get("conversations", "added") == 1 and report.get("messages", "added") == 1
    assert report.get("reviews", "updated") == 1  # lead A's review of c1, older on the server
    assert report.get("reviews", "added") == 1
    report = run(omar, "lead_b")
    assert report.get("conversations", "already there") == 2  # c9 came from Lena's laptop
    assert report.get("conversations", "added") == 1
    assert report.get("reviews", "added") == 2
    after = _counts(team)
    assert after[0] == before[0] + 2  # c9 and c10, once each
    with team.superuser() as root:
        assert (
            root.execute(
                "select source, external_id from conversations group by 1, 2 having count(*) > 1"
            ).fetchall()
            == []
        )
        reviewers = root.execute(
            "select c.external_id, r.reviewer, r.overall_comment, r.score from reviews r "
            "join conversations c on c.id = r.conversation_id "
            "where c.external_id in ('c9', 'c10') order by 1, 2"
        ).fetchall()
        assert reviewers == [
            ("c10", team.logins["lead_b"], "Omar's", 100.0),
            ("c9", team.logins["lead_a"], "Lena's", 100.0),
            ("c9", team.logins["lead_b"], "Omar's", 0.0),
        ]
        # the audit trail names who wrote: the admin who pushed
        actors = root.execute(
            "select distinct actor from savedesk.audit_log where table_name = 'reviews' "
            "and after ->> 'overall_comment' = 'Omar''s'",
        ).fetchall()  # fmt: skip
        assert actors == [(team.logins["admin"],)]
    # pushing again adds nothing
    for path, lead in ((lena, "lead_a"), (omar, "lead_b")):
        again = run(path, lead)
        assert again.get("conversations", "added") == 0
        assert again.get("reviews", "already there") == 2
        assert set(again.counts["reviews"]) == {"already there"}
    assert _counts(team) == after
    admin.close()


def test_a_lead_pushes_their_own_reviews_and_nothing_an_admin_does(team, tmp_path):
    from desktop.cli import cli

    laptop = _laptop(tmp_path / "kai.db", ["c1", "c11"],
                     {"c1": {"tone": 1}, "c11": {"tone": 1}}, "Kai's",
                     when="2026-01-07T09:00:00Z")  # fmt: skip
    before = _counts(team)
    done = CliRunner().invoke(cli, ["push", str(laptop), team.url("lead_a")])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0] == f"Pushed as {team.logins['lead_a']}:"
    assert "  conversations: 1 already there, 1 not on the team store (an admin imports them)" in (
        lines
    )
    assert "  reviews: 1 updated, 1 left out (conversation or rubric not on the team store)" in (
        lines
    )
    assert _counts(team)[0] == before[0]  # a lead adds no conversation
    lead = connect(team.url("lead_a"))
    source = connect(laptop)
    with pytest.raises(SavedeskError, match="may push only their own work"):
        push(source, lead, as_login=team.logins["lead_b"])
    source.close()
    lead.close()
