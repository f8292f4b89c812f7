"""The server is the judge of who may do what (DOMAIN.md "A team on one store").

Each person signs in with a login of their own and sends raw SQL through their own connection,
as anyone with the credentials and psql could: every action DOMAIN.md forbids their role is
refused by the server (an error, or for another's rows, nothing there to change), every allowed
one succeeds. The tests use the session's throwaway PostgreSQL server themselves, so they run in
the SQLite pass too wherever PostgreSQL is installed, and skip cleanly where it is not.
"""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import errors

from review.errors import InvalidInput, SavedeskError
from review.reviewing.disputes import open_dispute, resolve_dispute
from review.store import connect, migrate
from review.store.rights import Person, signed_in
from review.store.roles import add_person, init_server, people, remove_person
from review.store.targets import safe_url
from tests.conftest import ON_SERVER
from tests.teamdata import NOW, Team, team_store


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def refused_sql(conn: psycopg.Connection, sql: str, params: dict | None = None) -> None:
    """The server refuses the statement: permission denied, or a row its policy forbids."""
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql, params)


def visible(conn: psycopg.Connection, table: str) -> set[int]:
    return {r[0] for r in conn.execute(f"select id from {table}")}


def review_sql(team: Team, conversation: str, agent: str, **extra) -> tuple[str, dict]:
    values = {
        "conversation_id": team.ids[conversation], "rubric_id": team.ids["rubric"],
        "agent_id": team.ids[agent], "created_at": NOW, "updated_at": NOW, **extra,
    }  # fmt: skip
    columns = ", ".join(values)
    return (
        f"insert into reviews ({columns}) values ({', '.join(f'%({c})s' for c in values)}) "
        "returning id, reviewer",
        values,
    )


# --- agents ---------------------------------------------------------------------------------------


def test_an_agent_reads_only_what_is_about_them(team):
    ids = team.ids
    with team.sql("agent_ann") as ann, team.sql("agent_bob") as bob:
        assert visible(ann, "reviews") == {ids["a_c1"], ids["b_c1"], ids["a_c3"]}
        assert visible(bob, "reviews") == {ids["b_c2"]}
        assert {r[0] for r in ann.execute("select review_id from review_ratings")} == {
            ids["a_c1"], ids["b_c1"], ids["a_c3"]
        }  # fmt: skip
        assert visible(ann, "coaching_notes") == {ids["note_ann"]}
        assert visible(bob, "coaching_notes") == {ids["note_bob"]}
        assert visible(ann, "conversations") == {ids["c1"], ids["c3"]}
        assert ann.execute("select count(*) from messages").fetchone()[0] == 2
        assert ann.execute("select count(*) from rubric_categories").fetchone()[0] > 0


def test_an_agent_writes_nothing_and_reads_no_business_data(team):
    ids = team.ids
    with team.sql("agent_ann") as ann:
        refused_sql(ann, *review_sql(team, "c4", "ann"))
        refused_sql(ann, "update reviews set score = 100 where id = %(id)s", {"id": ids["a_c1"]})
        refused_sql(ann, "delete from reviews where id = %(id)s", {"id": ids["a_c1"]})
        refused_sql(ann, "update review_ratings set rating = 0")
        refused_sql(
            ann, "insert into coaching_notes (agent_id, text, created_at, updated_at) "
            "values (%(a)s, 'me', 'x', 'x')", {"a": ids["ann"]},
        )  # fmt: skip
        refused_sql(ann, "insert into conversation_tags (conversation_id, tag_id, origin) "
                "values (%(c)s, 1, 'user')", {"c": ids["c1"]})  # fmt: skip
        # the customer of her conversations only (the reader shows it), no one else's
        assert visible(ann, "customers") == {ids["customer"]}
        for table in ("billing_records", "saves", "losses", "queues",
                      "savedesk.audit_log"):  # fmt: skip
            refused_sql(ann, f"select * from {table}")
        # her own undo history only (her disputes go through the operations too)
        assert (
            ann.execute("select count(*) from undo_log where login <> current_user").fetchone()[0]
            == 0
        )
        refused_sql(ann, "insert into conversations (source, external_id) values ('t', 'x')")
        refused_sql(ann, "update savedesk.people set role = 'admin'")
        refused_sql(ann, "set role savedesk_owner")
        refused_sql(ann, "create table mine (id int)")
        # the only person row an agent sees is their own
        assert ann.execute("select login, role from savedesk.people").fetchall() == [
            (team.logins["agent_ann"], "agent")
        ]


def test_an_agent_disputes_only_scores_about_themselves_and_resolves_none(team):
    ids = team.ids
    ann_store = connect(team.url("agent_ann"))
    dispute = open_dispute(ann_store, ids["a_c3"], "I did apologise.", category_id=ids["tone"])
    assert dispute.opened_by == team.logins["agent_ann"]  # the server's, whatever the app says
    ann_store.close()
    with team.sql("agent_ann") as ann, team.sql("agent_bob") as bob:
        refused_sql(
            ann,
            "insert into disputes (review_id, reason, opened_at) values (%(r)s, 'not me', 'x')",
            {"r": ids["b_c2"]},
        )  # Bob's review
        refused_sql(ann, "insert into disputes (review_id, reason, opened_by, opened_at) "
                    "values (%(r)s, 'x', 'someone', 'x')", {"r": ids["a_c1"]})  # fmt: skip
        refused_sql(ann, "update disputes set status = 'rejected'")
        refused_sql(ann, "delete from disputes")
        assert visible(bob, "disputes") == set()  # Ann's dispute is not Bob's business
        assert visible(ann, "disputes") == {dispute.id}


def test_the_reviewer_or_a_manager_resolves_a_dispute(team):
    ids = team.ids
    ann = connect(team.url("agent_ann"))
    first = open_dispute(ann, ids["a_c1"], "Too harsh.")
    second = open_dispute(ann, ids["b_c1"], "Wrong category.", category_id=ids["tone"])
    ann.close()
    other_lead = connect(team.url("lead_b"))
    with pytest.raises(InvalidInput, match="not yours to resolve"):
        resolve_dispute(other_lead, first.id, "rejected", "Not my review")  # lead A's review
    other_lead.close()
    lead = connect(team.url("lead_a"))
    done = resolve_dispute(lead, first.id, "upheld", "The score stands: no greeting.")
    assert (done.status, done.resolved_by) == ("upheld", team.logins["lead_a"])
    lead.close()
    with team.sql("admin") as adm:
        refused_sql(adm, "update disputes set status = 'rejected' where id = %(d)s",
                    {"d": second.id})  # fmt: skip
    with team.sql("manager") as m:
        refused_sql(m, "update disputes set status = 'rejected', resolved_by = 'someone' "
                    "where id = %(d)s", {"d": second.id})  # fmt: skip
        refused_sql(m, "insert into disputes (review_id, reason, opened_at) values "
                    "(%(r)s, 'x', 'x')", {"r": ids["a_c1"]})  # fmt: skip
    manager = connect(team.url("manager"))
    done = resolve_dispute(manager, second.id, "amended", "Tone re-rated after listening.")
    assert (done.status, done.resolved_by) == ("amended", team.logins["manager"])
    manager.close()
    with team.superuser() as root:
        trail = root.execute(
            "select actor, action, after ->> 'status' from savedesk.audit_log "
            "where table_name = 'disputes' and row_key = %(k)s::jsonb order by id",
            {"k": f'{{"id": {second.id}}}'},
        ).fetchall()
        assert trail == [
            (team.logins["agent_ann"], "insert", "open"),
            (team.logins["manager"], "update", "amended"),
        ]


# --- leads ----------------------------------------------------------------------------------------


def test_a_lead_reviews_their_teams_agents_as_themselves(team):
    ids, lead = team.ids, team.logins["lead_a"]
    with team.sql("lead_a") as a:
        review_id, reviewer = a.execute(*review_sql(team, "c4", "ann")).fetchone()
        assert reviewer == lead  # the server writes the reviewer: the login itself
        a.execute(
            "insert into review_ratings (review_id, category_id, rating, is_na) "
            "values (%(r)s, %(c)s, 1, 0)", {"r": review_id, "c": ids["category"]},
        )  # fmt: skip
        a.execute("update review_ratings set rating = 0 where review_id = %(r)s", {"r": review_id})
        changed = a.execute(
            "update reviews set overall_comment = 'ok', version = version + 1 where id = %(r)s "
            "returning updated_by", {"r": review_id},
        ).fetchone()  # fmt: skip
        assert changed == (lead,)
        tag = a.execute("insert into tags (name) values ('escalated') returning id").fetchone()[0]
        a.execute(
            "insert into conversation_tags (conversation_id, tag_id, origin) "
            "values (%(c)s, %(t)s, 'user')", {"c": ids["c1"], "t": tag},
        )  # fmt: skip
        a.execute(
            "insert into saves (conversation_id, mrr_cents, currency, method, saved_on) "
            "values (%(c)s, 4900, 'EUR', 'discount', '2026-01-05')", {"c": ids["c1"]},
        )  # fmt: skip
        author = a.execute(
            "insert into coaching_notes (agent_id, text, created_at, updated_at) "
            "values (%(a)s, 'Slow down', %(n)s, %(n)s) returning author",
            {"a": ids["ann"], "n": NOW},
        ).fetchone()[0]
        assert author == lead
        a.execute("delete from reviews where id = %(r)s and false", {"r": review_id})
        # reading the imported conversations of every team is allowed
        assert ids["c2"] in visible(a, "conversations")


def test_a_lead_cannot_review_as_someone_else_or_outside_their_teams(team):
    ids = team.ids
    with team.sql("lead_a") as a:
        refused_sql(a, *review_sql(team, "c4", "ann", reviewer=team.logins["lead_b"]))
        refused_sql(a, *review_sql(team, "c2", "bob"))  # Bob is in team B
        refused_sql(a, "update reviews set reviewer = 'x' where id = %(r)s", {"r": ids["a_c1"]})
        refused_sql(a, "update reviews set agent_id = %(b)s where id = %(r)s",
                {"b": ids["bob"], "r": ids["a_c1"]})  # fmt: skip
        refused_sql(a, "insert into conversation_tags (conversation_id, tag_id, origin) "
                "select %(c)s, id, 'user' from tags limit 1", {"c": ids["c2"]})  # fmt: skip
        refused_sql(a, "insert into saves (conversation_id, mrr_cents, currency, method, saved_on) "
                "values (%(c)s, 1, 'EUR', 'x', 'x')", {"c": ids["c2"]})  # fmt: skip
        refused_sql(a, "insert into coaching_notes (agent_id, text, created_at, updated_at) "
                "values (%(b)s, 'x', 'x', 'x')", {"b": ids["bob"]})  # fmt: skip
        refused_sql(a, "insert into coaching_notes (agent_id, author, text, created_at, updated_at) "
                "values (%(a)s, 'someone', 'x', 'x', 'x')", {"a": ids["ann"]})  # fmt: skip


def test_a_lead_sees_calibration_reviews_but_changes_only_their_own(team):
    ids = team.ids
    with team.sql("lead_a") as a, team.superuser() as root:
        # lead A reviewed c1, so lead B's review of c1 shows; lead B's own agent's does not
        assert visible(a, "reviews") >= {ids["a_c1"], ids["b_c1"], ids["a_c3"]}
        assert ids["b_c2"] not in visible(a, "reviews")
        assert ids["note_bob"] not in visible(a, "coaching_notes")
        refused_sql(a, "update reviews set overall_comment = 'mine now' where id = %(r)s",
                {"r": ids["b_c1"]})  # fmt: skip
        refused_sql(
            a,
            "insert into review_ratings (review_id, category_id, rating, is_na) "
            "values (%(r)s, %(c)s + 1, 1, 0)",
            {"r": ids["b_c1"], "c": ids["category"]},
        )
        # another's rows are not there to change or delete: nothing happens
        assert a.execute("update review_ratings set rating = 0 where review_id = %(r)s",
                         {"r": ids["b_c1"]}).rowcount == 0  # fmt: skip
        assert a.execute("delete from reviews where id = %(r)s", {"r": ids["b_c1"]}).rowcount == 0
        assert a.execute("delete from coaching_notes where id = %(n)s",
                         {"n": ids["note_bob"]}).rowcount == 0  # fmt: skip
        assert root.execute(
            "select rating from review_ratings where review_id = %(r)s", {"r": ids["b_c1"]}
        ).fetchone() == (1,)
        assert root.execute("select count(*) from reviews where id = %(r)s",
                            {"r": ids["b_c1"]}).fetchone() == (1,)  # fmt: skip


def test_a_lead_does_not_import_build_queues_or_manage_people(team):
    with team.sql("lead_a") as a:
        refused_sql(a, "insert into conversations (source, external_id) values ('t', 'x')")
        refused_sql(a, "delete from messages")
        refused_sql(a, "insert into rubrics (name, version, created_at) values ('r', 9, 'x')")
        refused_sql(a, "insert into billing_records (customer_key, status, mrr_cents, as_of) "
                "values ('k', 'active', 1, 'x')")  # fmt: skip
        refused_sql(a, "insert into queues (name, created_at) values ('q', 'x')")
        refused_sql(a, "insert into savedesk.people (login, role) values ('x', 'admin')")
        refused_sql(a, "select * from savedesk.audit_log")
        refused_sql(
            a, "insert into savedesk.audit_log (table_name, action) values ('reviews', 'x')"
        )
        refused_sql(a, "set role savedesk_owner")
        refused_sql(a, "create table mine (id int)")
        refused_sql(a, "create role someone login")


# --- managers -------------------------------------------------------------------------------------


def test_a_manager_reads_everything_and_builds_queues(team):
    ids = team.ids
    with team.sql("manager") as m, team.superuser() as root:
        assert visible(m, "reviews") == visible(root, "reviews")
        assert visible(m, "coaching_notes") == visible(root, "coaching_notes")
        assert m.execute("select count(*) from savedesk.audit_log").fetchone()[0] >= 0
        assert {r[0] for r in m.execute("select login from savedesk.people")} >= set(
            team.logins.values()
        )
        m.execute("select * from billing_records")
        queue = m.execute(
            "insert into queues (name, reviewer, created_at) values ('Week 2', %(l)s, 'x') "
            "returning id", {"l": team.logins["lead_a"]},
        ).fetchone()[0]  # fmt: skip
        m.execute(
            "insert into queue_items (queue_id, position, conversation_id) values (%(q)s, 1, %(c)s)",
            {"q": queue, "c": ids["c4"]},
        )


def test_a_manager_does_not_review_import_or_manage_people(team):
    ids = team.ids
    with team.sql("manager") as m:
        refused_sql(m, *review_sql(team, "c4", "ann"))
        refused_sql(m, "update reviews set score = 1 where id = %(r)s", {"r": ids["a_c1"]})
        refused_sql(m, "delete from review_ratings")
        refused_sql(m, "insert into conversations (source, external_id) values ('t', 'y')")
        refused_sql(m, "insert into rubrics (name, version, created_at) values ('r', 9, 'x')")
        refused_sql(m, "insert into savedesk.people (login, role) values ('x', 'admin')")
        refused_sql(m, "delete from savedesk.audit_log")
        refused_sql(m, "set role savedesk_owner")


# --- admins ---------------------------------------------------------------------------------------


def test_an_admin_imports_sets_rubrics_billing_and_people(team):
    with team.sql("admin") as adm:
        conversation = adm.execute(
            "insert into conversations (source, external_id) values ('t', 'imported') returning id"
        ).fetchone()[0]
        adm.execute(
            "insert into messages (conversation_id, external_id, body_text) "
            "values (%(c)s, 'm', 'x')", {"c": conversation},
        )  # fmt: skip
        adm.execute("insert into rubrics (name, version, created_at) values ('R', 99, 'x')")
        adm.execute("insert into billing_records (customer_key, status, mrr_cents, as_of) "
                    "values ('k', 'active', 1, 'x')")  # fmt: skip
        adm.execute("select * from savedesk.audit_log")
        # server upgrades: the owner's rights, taken on purpose
        adm.execute("set role savedesk_owner")
        adm.execute("alter table settings add column if not exists note text")
        adm.execute("alter table settings drop column note")
        adm.execute("reset role")
    # people: an admin adds and removes people signed in as themselves
    login = f"p{team.database}_newcomer"
    add_person(team.url("admin"), login, "lead", teams=("B",))
    assert login in {p.login for p in people(team.url("admin"))}
    remove_person(team.url("admin"), login)
    assert login not in {p.login for p in people(team.url())}


def test_an_admin_upgrades_the_store_and_nobody_else_does(team):
    from desktop.cli import cli

    runner = CliRunner()
    done = runner.invoke(cli, ["admin", "upgrade", team.url("admin")])
    assert done.exit_code == 0, done.output
    assert f"schema at {migrate.head()} (already); roles, row-level security" in done.output
    for who in ("lead_a", "manager", "agent_ann"):
        refused = runner.invoke(cli, ["admin", "upgrade", team.url(who)])
        assert refused.exit_code == 1
        assert refused.output.strip() == (
            f"Error: {team.logins[who]} may not set up or upgrade the team store at "
            f"{safe_url(team.url(who))}: that is an admin's job (savedesk admin user add LOGIN "
            "--role admin)."
        )
    # the rules still hold after an admin's upgrade
    with team.sql("lead_a") as a:
        refused_sql(a, *review_sql(team, "c2", "bob"))


def test_the_app_reads_who_is_signed_in(team, db):
    lead = connect(team.url("lead_a"))
    assert signed_in(lead) == Person(team.logins["lead_a"], "lead", None, ("A",))
    lead.close()
    agent = connect(team.url("agent_ann"))
    assert signed_in(agent) == Person(team.logins["agent_ann"], "agent", "Ann", ())
    agent.close()
    root = connect(team.url())
    assert signed_in(root) is None  # the superuser is nobody's person
    root.close()
    if not ON_SERVER:
        assert signed_in(db) is None  # a file has no people


def test_an_admin_does_not_review_or_build_queues(team):
    ids = team.ids
    with team.sql("admin") as adm:
        refused_sql(adm, *review_sql(team, "c4", "ann"))
        refused_sql(adm, "update reviews set score = 1 where id = %(r)s", {"r": ids["a_c1"]})
        refused_sql(adm, "insert into queues (name, created_at) values ('q', 'x')")
        refused_sql(adm, "insert into savedesk.audit_log (table_name, action) values ('x', 'x')")


# --- setting up -----------------------------------------------------------------------------------


def test_init_refuses_a_server_that_does_not_fold_cyrillic(pg_server, pg_databases):
    name = f"c{pg_databases.count + 1}"
    pg_databases.count += 1
    pg_databases.admin.execute(
        f"create database {name} template template0 encoding 'UTF8' lc_ctype 'C' lc_collate 'C'"
    )
    with pytest.raises(SavedeskError, match="lower\\('ОТМЕНА'\\) gives 'ОТМЕНА'"):
        init_server(pg_server.url(name))
    with psycopg.connect(pg_server.url(name)) as conn:  # nothing was made
        assert conn.execute("select to_regclass('public.reviews')").fetchone() == (None,)


def test_admin_commands_from_the_command_line(pg_server, pg_databases):
    from desktop.cli import cli

    database = pg_databases.create()
    url = pg_server.url(database)
    runner = CliRunner()
    done = runner.invoke(cli, ["admin", "init", url])
    assert done.exit_code == 0, done.output
    assert "Team store ready" in done.output and "schema created at" in done.output
    again = runner.invoke(cli, ["admin", "init", url])  # safe to run again
    assert again.exit_code == 0, again.output
    db = connect(url)
    db.insert("teams", {"source": "t", "external_id": "S", "name": "Support"})
    db.close()
    login = f"cli_{database}_lead"
    added = runner.invoke(cli, ["admin", "user", "add", login, "--url", url, "--role", "lead",
                                "--team", "Support"])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert f"{login} is now a lead leading Support." in added.output
    no_team = runner.invoke(cli, ["admin", "user", "add", "x1", "--url", url, "--role", "lead",
                                  "--team", "Nope"])  # fmt: skip
    assert no_team.exit_code == 1 and "no team named 'Nope'" in no_team.output
    no_agent = runner.invoke(cli, ["admin", "user", "add", "x2", "--url", url, "--role", "agent",
                                   "--agent", "Nobody"])  # fmt: skip
    assert no_agent.exit_code == 1 and "no agent named 'Nobody'" in no_agent.output
    listed = runner.invoke(cli, ["admin", "user", "list", "--url", url])
    assert f"{login}\tlead teams=Support" in listed.output
    with psycopg.connect(pg_server.url(database, user=login)) as c:
        assert c.execute("select current_user").fetchone() == (login,)
    removed = runner.invoke(cli, ["admin", "user", "remove", login, "--url", url])
    assert removed.exit_code == 0, removed.output
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(pg_server.url(database, user=login))
    again = runner.invoke(cli, ["admin", "user", "remove", login, "--url", url])
    assert again.exit_code == 1 and f"has no person '{login}'" in again.output
