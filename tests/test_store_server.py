"""Opening a team store on a PostgreSQL server: URLs, libpq's password file and service file,
one sentence for every way the server can refuse, the admin's upgrade, live changes between
two savedesks, and a connection lost and found again."""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.errors import NotASavedeskDatabase, SavedeskError, StoreBehind, StoreTooNew
from review.store import connect, migrate, open_store
from review.store.failures import UNREACHABLE, store_problem
from review.store.server import upgrade_server
from review.store.targets import (
    default_target,
    describe_url,
    parse_target,
    safe_url,
    url_from_parts,
)
from tests.conftest import TEAM_PASSWORD, fresh_database


# --- naming a store ---------------------------------------------------------------------------
def test_a_password_never_reaches_the_title_or_the_settings():
    url = "postgresql://mia:hunter2@db.example.com:5433/team?sslmode=verify-full&password=x"
    assert "hunter2" not in safe_url(url) and "password" not in safe_url(url)
    assert safe_url(url) == "postgresql://mia@db.example.com:5433/team?sslmode=verify-full"
    assert parse_target(url).key() == safe_url(url)
    socket = "postgresql://mia@/team?host=/run/pg&password=x&port=5432"
    assert safe_url(socket) == "postgresql://mia@/team?host=/run/pg&port=5432"  # as written
    assert safe_url("postgresql:///?service=reviews") == "postgresql:///?service=reviews"
    assert parse_target(url).title() == "mia @ db.example.com/team"
    assert parse_target("/home/mia/reviews.db").title() == "reviews.db"


def test_fields_typed_one_by_one_make_the_url_and_a_service_stands_alone():
    assert url_from_parts("db.example.com", "5433", "team", "mia") == (
        "postgresql://mia@db.example.com:5433/team"
    )
    assert url_from_parts("/run/pg", 5432, "team", "mia") == (
        "postgresql://mia@/team?host=/run/pg&port=5432"
    )
    assert url_from_parts("", "", "", service="reviews") == "postgresql:///?service=reviews"
    assert describe_url("postgresql:///?service=reviews") == "service reviews"


def test_savedesk_db_may_name_a_server(monkeypatch):
    url = "postgresql://mia@db.example.com/team"
    monkeypatch.setenv("SAVEDESK_DB", url)
    assert default_target() == url  # a Path would have folded the // away


# --- opening: one sentence for each refusal ----------------------------------------------------
def test_an_empty_database_is_behind_until_the_admin_upgrades_it(pg_server, pg_databases):
    url = pg_server.url(pg_databases.create())
    with pytest.raises(StoreBehind, match="has no savedesk store yet.*admin upgrade"):
        open_store(url)
    result = CliRunner().invoke(cli, ["admin", "upgrade", url])
    assert result.exit_code == 0, result.output
    assert f"was empty and now holds savedesk's schema {migrate.head()}" in result.output
    result = CliRunner().invoke(cli, ["admin", "upgrade", url])
    assert f"schema at {migrate.head()} (already)" in result.output
    with open_store(url) as db:
        assert "conversations" in db.tables()


def test_a_server_behind_or_ahead_is_one_sentence_on_the_command_line(pg_server, pg_databases):
    url = pg_server.url(pg_databases.create())
    upgrade_server(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update alembic_version set version_num = '0007'")
    result = CliRunner().invoke(cli, ["stats", "--db", url])
    assert result.exit_code == 1
    assert "is at schema 0007 and this savedesk needs" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update alembic_version set version_num = '0099'")
    with pytest.raises(StoreTooNew, match="upgraded by a newer savedesk"):
        open_store(url)
    result = CliRunner().invoke(cli, ["admin", "upgrade", url])
    assert result.exit_code == 1 and "newer savedesk" in result.output


def test_a_database_that_is_not_savedesks_is_refused_and_left_alone(pg_server, pg_databases):
    url = pg_server.url(pg_databases.create())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table invoices (id int)")
    with pytest.raises(NotASavedeskDatabase, match="holds other tables \\(invoices\\)"):
        open_store(url)
    with pytest.raises(NotASavedeskDatabase):
        upgrade_server(url)
    with psycopg.connect(url) as conn:
        tables = conn.execute("select tablename from pg_tables where schemaname = 'public'")
        assert [t for (t,) in tables] == ["invoices"]


def test_a_server_nobody_answers_at_is_one_sentence(pg_server):
    url = f"postgresql://mia@/team?host={pg_server.socket_dir}&port=1"
    with pytest.raises(SavedeskError, match="the server is not answering") as caught:
        open_store(url)
    assert str(caught.value).count(".") <= 2 and "\n" not in str(caught.value)


def test_a_missing_database_is_named(pg_server):
    with pytest.raises(SavedeskError, match="There is no database nosuch on the server"):
        open_store(pg_server.url("nosuch"))


def test_libpqs_password_file_is_honoured_and_a_wrong_password_is_one_sentence(
    pg_locked_server, pgpass, monkeypatch
):
    url = fresh_database(pg_locked_server, "team_pass")
    assert "password" not in url
    upgrade_server(url)  # the password came from PGPASSFILE
    with open_store(url) as db:
        assert db.execute("select count(*) from conversations").scalar() == 0
    pgpass.write_text(pgpass.read_text().replace(TEAM_PASSWORD, "wrong"))
    with pytest.raises(SavedeskError, match="refused the password of .*~/.pgpass") as caught:
        open_store(url)
    assert "wrong" not in str(caught.value)
    monkeypatch.setenv("PGPASSFILE", str(pgpass.parent / "none"))
    with pytest.raises(SavedeskError, match="asks for a password"):
        open_store(url)


def test_a_service_name_is_found_in_the_service_file(
    pg_locked_server, pgpass, tmp_path, monkeypatch
):
    url = fresh_database(pg_locked_server, "team_service")
    upgrade_server(url)
    services = tmp_path / "pg_service.conf"
    s = pg_locked_server
    services.write_text(
        f"[reviews]\nhost={s.socket_dir}\nport={s.port}\ndbname=team_service\nuser={s.superuser}\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    with open_store("postgresql:///?service=reviews") as db:
        assert db.describe() == "service reviews"
        assert "conversations" in db.tables()
    result = CliRunner().invoke(cli, ["--db", "postgresql:///?service=reviews", "tag", "reasons"])
    assert result.exit_code == 0, result.output
    assert "Not a fit" in result.output
    with pytest.raises(SavedeskError, match="no service nosuch"):
        open_store("postgresql:///?service=nosuch")


def test_savedesk_db_names_the_server_for_every_command(pg_server, pg_databases, monkeypatch):
    url = pg_server.url(pg_databases.create())
    upgrade_server(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into loss_reasons (name, outcome) values ('Moved to a spreadsheet', 'loss')"
        )
    monkeypatch.setenv("SAVEDESK_DB", url)
    result = CliRunner().invoke(cli, ["tag", "reasons"])
    assert result.exit_code == 0, result.output
    assert "Moved to a spreadsheet" in result.output


# --- two savedesks on one server ---------------------------------------------------------------
def test_a_write_on_one_store_is_heard_by_another_and_not_by_itself(pg_server, pg_databases):
    url = pg_server.url(pg_databases.create())
    upgrade_server(url)
    with open_store(url) as mine, connect(url) as theirs:
        seen_mine, seen_theirs = mine.others_changes(), theirs.others_changes()
        theirs.execute("insert into settings (key, value) values ('base_currency', 'EUR')")
        assert theirs.others_changes() == seen_theirs  # its own write
        assert _changes(mine) != seen_mine
        seen_mine = mine.others_changes()
        theirs.execute("select count(*) from conversations")
        with theirs.atomic():
            theirs.execute("select count(*) from reviews")
        assert _changes(mine, wait=0.3) == seen_mine  # reads say nothing
        with theirs.atomic():
            theirs.update("settings", "base_currency", {"value": "USD"}, by="key")
        assert _changes(mine) != seen_mine
        seen_mine = mine.others_changes()
        with pytest.raises(RuntimeError), theirs.atomic():
            theirs.update("settings", "base_currency", {"value": "GBP"}, by="key")
            raise RuntimeError("rolled back")
        assert _changes(mine, wait=0.3) == seen_mine  # nothing committed, nothing heard


def _changes(db, wait: float = 2.0) -> int:
    first = db.others_changes()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        now = db.others_changes()
        if now != first:
            return now
        time.sleep(0.05)
    return first


# --- a lost connection -------------------------------------------------------------------------
def test_a_restarted_server_is_a_passing_problem_and_the_store_reconnects(pg_locked_server, pgpass):
    url = fresh_database(pg_locked_server, "team_restart")
    upgrade_server(url)
    with open_store(url) as db:
        seen = db.others_changes()
        pg_locked_server.halt()
        try:
            with pytest.raises(Exception) as caught:
                db.execute("insert into settings (key, value) values ('a', '1')")
            assert store_problem(caught.value).kind == UNREACHABLE
            with pytest.raises(Exception) as caught:
                connect(url)
            assert store_problem(caught.value).kind == UNREACHABLE
        finally:
            pg_locked_server.resume()
        db.execute("insert into settings (key, value) values ('a', '1')")  # a new connection
        assert db.execute("select value from settings where key = 'a'").scalar() == "1"
        assert db.others_changes() != seen  # what happened while away may have been missed


def test_the_command_line_says_a_lost_server_in_one_sentence(pg_locked_server, pgpass):
    url = fresh_database(pg_locked_server, "team_down")
    upgrade_server(url)
    pg_locked_server.halt()
    try:
        result = CliRunner().invoke(cli, ["stats", "--db", url], env={"PGPASSFILE": str(pgpass)})
    finally:
        pg_locked_server.resume()
    assert result.exit_code == 1
    assert "the server is not answering" in result.output
    assert "Traceback" not in result.output and "\n" not in result.output.strip()
    assert os.environ.get("PGPASSFILE") == str(pgpass)


def test_a_read_after_the_server_restarted_is_answered_on_a_new_connection(
    pg_locked_server, pgpass
):
    url = fresh_database(pg_locked_server, "team_idle")
    upgrade_server(url)
    with open_store(url) as db:
        assert db.execute("select count(*) from conversations").scalar() == 0
        pg_locked_server.halt()  # while the store sits idle (a window nobody touches)
        pg_locked_server.resume()
        assert db.execute("select count(*) from conversations").scalar() == 0
        pg_locked_server.halt()
        pg_locked_server.resume()
        with pytest.raises(Exception) as caught:  # a write is never sent twice
            db.execute("insert into settings (key, value) values ('b', '2')")
        assert store_problem(caught.value).kind == UNREACHABLE
        db.execute("insert into settings (key, value) values ('b', '2')")
        assert db.execute("select count(*) from settings where key = 'b'").scalar() == 1
