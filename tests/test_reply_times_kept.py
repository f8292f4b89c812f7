"""Reply times (review.figures.reply_times) are kept by the import writer batch by batch: a
figure read right after an import reads them as they are, never rebuilding, and they always
equal what a full build from the messages gives."""

from __future__ import annotations

import contextlib
import json

import pytest

from review.figures import reply_times
from review.figures.responsiveness import fcr, first_response_times
from review.figures.scope import read_scope
from review.figures.values import Figure
from review.filters import Filters
from review.importing.run import import_files
from review.progress import run_to_end
from review.store import connect
from tests.conftest import DATA, ON_SERVER

ROWS = "select * from reply_times order by conversation_id"


def ticket(number: int, comments: list[tuple[int, str, bool]], **fields) -> dict:
    """A Zendesk export ticket: comments are (author id, time, public); requester 7000."""
    return {
        "id": number,
        "subject": f"Ticket {number}",
        "status": fields.get("status", "solved"),
        "created_at": comments[0][1] if comments else "2024-05-01T09:00:00Z",
        "updated_at": fields.get("updated_at", "2024-05-02T09:00:00Z"),
        "requester_id": 7000,
        "assignee_id": fields.get("assignee", 9000),
        "group_id": fields.get("group", 500),
        "via": {"channel": fields.get("channel", "chat")},
        "tags": [],
        "comments": [
            {
                "id": number * 100 + i,
                "type": "Comment",
                "author_id": author,
                "body": f"message {i}",
                "plain_body": f"message {i}",
                "html_body": f"<p>message {i}</p>",
                "public": public,
                "created_at": at,
            }
            for i, (author, at, public) in enumerate(comments)
        ],
    }


def write_tickets(path, *tickets: dict):
    path.write_text("".join(json.dumps(t) + "\n" for t in tickets), "utf-8")
    return path


def imported(db_path, *paths) -> None:
    report = run_to_end(import_files(db_path, list(paths)))
    assert not report.failed, [f.error for f in report.failed]


class _Undo(Exception):
    pass


def full_build(db_path, tmp_path) -> list[tuple]:
    """The rows a full build from the stored messages gives (in a transaction rolled back)."""
    db = connect(db_path)
    rows: list[tuple] = []
    try:
        with contextlib.suppress(_Undo), db.atomic():
            reply_times.build_all(db)
            rows = db.execute(ROWS).fetchall()
            raise _Undo
        return rows
    finally:
        db.close()


def kept(db_path) -> list[tuple]:
    db = connect(db_path)
    try:
        return db.execute(ROWS).fetchall()
    finally:
        db.close()


def test_a_figure_read_right_after_an_import_reads_the_new_reply_time_without_rebuilding(
    db_path, tmp_path
):
    first = write_tickets(
        tmp_path / "first.json",
        ticket(1, [(7000, "2024-05-01T09:00:00Z", True), (9000, "2024-05-01T09:04:00Z", True)]),
    )
    imported(db_path, first)
    reader = connect(db_path)  # the dashboard's connection, open across the next import
    statements: list[str] = []
    if not ON_SERVER:  # the server gives no statement trace: there the figures are checked
        reader.conn.set_trace_callback(statements.append)
    assert first_response_times(read_scope(reader)).median == Figure(240.0, 1, "s")

    second = write_tickets(
        tmp_path / "second.json",
        ticket(2, [(7000, "2024-05-03T10:00:00Z", True), (9000, "2024-05-03T10:02:00Z", True)]),
    )
    imported(db_path, second)
    statements.clear()
    times = first_response_times(read_scope(reader))
    chat = first_response_times(read_scope(reader, Filters(channels=("chat",))))
    assert times.median == Figure(180.0, 2, "s")  # the new conversation's 120 s is in
    assert chat.median == Figure(180.0, 2, "s")
    assert fcr(read_scope(reader)).n == 2
    # nothing was made, refreshed or copied to answer: only reads
    assert ON_SERVER or statements
    assert all(s.lstrip().lower().startswith("select") for s in statements), [
        s for s in statements if not s.lstrip().lower().startswith("select")
    ]
    reader.close()


def test_a_later_import_that_changes_status_team_or_messages_refigures_the_row(db_path, tmp_path):
    opening = [(7000, "2024-05-01T09:00:00Z", True)]
    imported(
        db_path,
        write_tickets(tmp_path / "a.json", ticket(1, opening, status="open", channel="email")),
    )
    assert kept(db_path) == full_build(db_path, tmp_path)
    assert kept(db_path)[0][5:] == (0, "2024-05-01T09:00:00Z", None, 0)  # no reply yet
    newer = ticket(
        1,
        [*opening, (9000, "2024-05-01T09:10:00Z", False), (9000, "2024-05-01T09:30:00Z", True)],
        status="solved",
        group=501,
        assignee=9001,
        updated_at="2024-05-03T09:00:00Z",
    )
    imported(db_path, write_tickets(tmp_path / "b.json", newer))
    rows = kept(db_path)
    assert rows == full_build(db_path, tmp_path)
    conversation, _, agent, team, channel, resolved, asked, waited, replies = rows[0]
    assert (resolved, asked, replies) == (1, "2024-05-01T09:00:00Z", 1)
    assert waited == pytest.approx(1800.0)  # the internal note before it is no reply
    db = connect(db_path)
    assert (agent, team) == db.execute(
        "select agent_id, team_id from conversations where id = :id", {"id": conversation}
    ).fetchone()
    db.close()


def test_an_author_known_as_an_agent_only_from_a_later_users_file(db_path, tmp_path):
    """Comments by someone neither requester nor assignee have no role until a users file
    names them: importing it later makes their replies count in the earlier conversations."""
    comments = [(7000, "2024-05-01T09:00:00Z", True), (9100, "2024-05-01T09:05:00Z", True)]
    imported(db_path, write_tickets(tmp_path / "t.json", ticket(1, comments, assignee=None)))
    assert kept(db_path)[0][6:] == ("2024-05-01T09:00:00Z", None, 0)
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps({"id": 9100, "name": "Olga", "email": "olga@acme.com", "role": "agent"})
        + "\n"
        + json.dumps({"id": 7000, "name": "Jane", "email": "jane@example.com", "role": "end-user"})
        + "\n",
        "utf-8",
    )
    imported(db_path, users)
    asked, waited, replies = kept(db_path)[0][6:]
    assert (asked, waited, replies) == ("2024-05-01T09:00:00Z", pytest.approx(300.0), 1)
    assert kept(db_path) == full_build(db_path, tmp_path)


@pytest.mark.parametrize(
    "imports",
    [
        ["zendesk/export/tickets.json", "zendesk/export/users.json", "zendesk/export-newer"],
        ["zendesk/export/users.json", "zendesk/export/tickets.json"],
        ["zendesk/api", "zendesk/archives/tickets.json.gz"],
        ["intercom", "intercom/conversation-149-before-redaction.json"],
        ["helpscout", "front", "freshdesk", "twitter"],
    ],
    ids=["zendesk-export", "users-first", "zendesk-api", "intercom", "others"],
)
def test_reply_times_equal_a_full_build_after_each_import(db_path, tmp_path, imports):
    for name in imports:
        run_to_end(import_files(db_path, [DATA / name]))
        assert kept(db_path) == full_build(db_path, tmp_path), name
        # the import writes without the engine checking each reference (review.store.bulk):
        # every reference it wrote holds all the same
        if not ON_SERVER:  # the server checks every reference as it is written
            db = connect(db_path)
            assert db.execute("pragma foreign_key_check").fetchall() == [], name
            db.close()
    assert kept(db_path)  # the fixtures have conversations the customer saw replies in


def test_a_store_from_before_the_writer_kept_them_gets_them_built_once_on_opening(tmp_path):
    """Revision 0009 makes every row from the stored messages (a store whose table was empty
    or stale: the lazy rebuild of before left it so after each import)."""
    from alembic import command

    from review.store import open_store
    from review.store.database import create_private_file, migration_engine
    from review.store.migrate import _config

    path = tmp_path / "old.db"
    create_private_file(path)
    engine = migration_engine(path)
    with engine.connect() as conn, conn.begin():
        command.upgrade(_config(conn), "0008")
    engine.dispose()
    imported(path, DATA / "zendesk" / "export", DATA / "intercom")
    old = connect(path)
    expected = old.execute(ROWS).fetchall()
    with old.atomic():
        old.execute("delete from reply_times")  # as the lazy rebuild left it after an import
    assert "derived_tables" in old.tables()
    old.close()
    assert expected  # the writer of today made them
    db = open_store(path)  # upgrades to 0009
    assert db.execute(ROWS).fetchall() == expected
    assert "derived_tables" not in db.tables()
    db.close()
