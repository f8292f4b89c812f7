"""Revision 0013 on a store an earlier savedesk made with second tags (S pressed twice, a
conversation tagged both saved and lost): the upgrade does not fail, deletes nobody's save,
keeps per conversation the tag written last, sets the others aside with the reason, and
`savedesk stats` says once how many. On the SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import json

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import text

from desktop.cli import cli
from review.store import connect, open_store
from review.store.migrate import _config
from tests.conftest import ON_SERVER

SAVE = (
    "insert into saves (id, conversation_id, mrr_cents, currency, method, saved_on, status, "
    "created_at, updated_at, author) values (:id, :c, :cents, 'USD', 'solved', '2024-05-02', "
    "'pending', :at, :at, :who)"
)
LOSS = (
    "insert into losses (id, conversation_id, mrr_cents, currency, reason_id, lost_on, "
    "created_at, updated_at, author) values (:id, :c, :cents, 'USD', "
    "(select min(id) from loss_reasons), '2024-05-03', :at, :at, :who)"
)


def _old_rows(conn) -> None:
    """Four conversations: 1 saved twice (the second a correction), 2 lost twice, 3 saved then
    lost later, 4 lost then saved later, 5 saved once."""
    for n in range(1, 6):
        conn.execute(
            text(
                "insert into conversations (id, source, external_id, subject, created_at) "
                "values (:n, 'zendesk', :ext, 'Отмена', '2024-05-01T00:00:00Z')"
            ),
            {"n": n, "ext": str(n)},
        )
    for id_, c, cents, at in (
        (1, 1, 4900, "2024-05-02T10:00:00Z"),
        (2, 1, 3900, "2024-05-02T10:05:00Z"),
        (3, 3, 1000, "2024-05-02T10:00:00Z"),
        (4, 4, 2000, "2024-05-09T10:00:00Z"),
        (5, 5, 500, "2024-05-02T10:00:00Z"),
    ):
        conn.execute(text(SAVE), {"id": id_, "c": c, "cents": cents, "at": at, "who": "ann"})
    for id_, c, cents, at in (
        (1, 2, 7000, "2024-05-03T10:00:00Z"),
        (2, 2, 7000, "2024-05-03T09:00:00Z"),
        (3, 3, 1000, "2024-05-08T10:00:00Z"),
        (4, 4, 2000, "2024-05-01T10:00:00Z"),
    ):
        conn.execute(text(LOSS), {"id": id_, "c": c, "cents": cents, "at": at, "who": "bo"})


@pytest.fixture
def upgraded(tmp_path, request):
    """A store made at revision 0012 with second tags, then upgraded to head as savedesk does
    (a file on opening; a server by `admin upgrade`); its path or URL."""
    if not ON_SERVER:
        from review.store.database import create_private_file, migration_engine

        path = tmp_path / "old.db"
        create_private_file(path)
        engine = migration_engine(path)
        with engine.connect() as conn, conn.begin():
            command.upgrade(_config(conn), "0012")
            _old_rows(conn)
        engine.dispose()
        open_store(path).close()
        return path
    from review.store.server import server_engine, upgrade_server

    server, databases = (
        request.getfixturevalue("pg_server"),
        request.getfixturevalue("pg_databases"),
    )
    url = server.url(databases.create())
    engine = server_engine(url)
    with engine.connect() as conn, conn.begin():
        command.upgrade(_config(conn), "0012")
        _old_rows(conn)
    engine.dispose()
    upgrade_server(url)
    return url


def test_the_upgrade_keeps_the_tag_written_last_and_sets_the_others_aside(upgraded):
    db = connect(upgraded)
    assert db.execute(
        "select id, conversation_id, mrr_cents from saves order by id"
    ).fetchall() == [
        (2, 1, 3900),  # the correction written last
        (4, 4, 2000),  # saved after it was tagged lost
        (5, 5, 500),
    ]
    assert db.execute("select id, conversation_id from losses order by id").fetchall() == [
        (1, 2),
        (3, 3),  # lost after it was tagged saved
    ]
    aside = db.execute(
        "select id, conversation_id, mrr_cents, author, reason from saves_set_aside order by id"
    ).fetchall()
    assert [row[:4] for row in aside] == [(1, 1, 4900, "ann"), (3, 3, 1000, "ann")]
    assert "second save" in aside[0][4] and "tagged lost, later" in aside[1][4]
    lost_aside = db.execute(
        "select id, conversation_id, reason from losses_set_aside order by id"
    ).fetchall()
    assert [row[:2] for row in lost_aside] == [(2, 2), (4, 4)]
    assert "second loss" in lost_aside[0][2] and "tagged saved, later" in lost_aside[1][2]
    # nothing lost: every old row is in one table or the other
    assert db.execute("select count(*) from saves").scalar() + len(aside) == 5
    assert db.execute("select count(*) from losses").scalar() + len(lost_aside) == 4
    with pytest.raises(Exception, match="(?i)unique"), db.atomic():
        db.execute(SAVE.replace(":id", "99"), {"c": 5, "cents": 1, "at": "2024-06-01", "who": "x"})
    db.close()


def test_stats_says_once_how_many_were_set_aside(upgraded):
    runner = CliRunner()
    out = runner.invoke(cli, ["stats", "--db", str(upgraded)])
    assert out.exit_code == 0, out.output
    flat = " ".join(out.output.split())
    assert flat.count("were set aside") == 1
    assert "2 saves and 2 losses tagged a second time" in flat
    data = json.loads(runner.invoke(cli, ["stats", "--db", str(upgraded), "--json"]).output)
    assert data["set_aside"] == {"saves": 2, "losses": 2}
    assert data["saved_mrr"]["n"] == 3  # each saved conversation once


def test_the_app_says_it_on_opening_the_store(qtbot, qt_settings, upgraded):
    from tests.gui import show_main_window

    window = show_main_window(qtbot, upgraded, reviewer="Lena Gruber")
    try:
        said = window.statusBar().currentMessage()
        assert said.startswith("2 saves and 2 losses tagged a second time") and "set aside" in said
    finally:
        window.close()
        window.db.close()
