"""The ledger of an import: what was read, added, updated, unchanged, rejected, passed over
and not read, per file, the same in the CLI table, its --json, and the history kept in the
database; and whole records or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.importing.ledger import import_history, past_report
from review.store import connect
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data"
TICKETS = DATA / "zendesk" / "export" / "tickets.json"


def _with_unknown_lists(tmp_path: Path) -> Path:
    """The NDJSON fixture with a list no reader knows on each ticket and on each comment."""
    lines = []
    for line in TICKETS.read_text(encoding="utf-8").splitlines():
        ticket = json.loads(line)
        ticket["sla_breaches"] = [{"metric": "first_reply_time", "minutes": 42}]
        for comment in ticket.get("comments") or []:
            comment["reactions"] = [{"emoji": "👍", "by": 9001}]
        lines.append(json.dumps(ticket, ensure_ascii=False))
    path = tmp_path / "tickets-with-more.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unknown_nested_list_is_listed_by_name_with_its_count(tmp_path, db_path):
    path = _with_unknown_lists(tmp_path)
    tickets = sum(1 for _ in TICKETS.open(encoding="utf-8"))
    comments = sum(len(json.loads(line).get("comments") or []) for line in TICKETS.open())
    runner = CliRunner(env={"COLUMNS": "200"})
    shown = runner.invoke(cli, ["import", str(path), "--db", str(db_path)])
    assert shown.exit_code == 0, shown.output
    assert f"Not read: {tickets} `sla_breaches[]` fields" in shown.stderr
    assert f"Not read: {comments} `comments[].reactions[]` fields" in shown.stderr
    # into a new database: records unchanged since the last import are not read again
    as_json = runner.invoke(cli, ["import", str(path), "--db", str(tmp_path / "new.db"), "--json"])
    [f] = json.loads(as_json.stdout)["files"]
    assert f["not_read"]["sla_breaches[]"] == tickets
    assert f["not_read"]["comments[].reactions[]"] == comments
    # the fixture as it is has none of them: the count comes from the added lists
    [plain] = import_paths(db_path, TICKETS).files
    assert "sla_breaches[]" not in plain.not_read
    assert "comments[].reactions[]" not in plain.not_read


def test_the_ledger_counts_conversations_messages_and_people_apart(db_path):
    report = import_paths(db_path, DATA / "zendesk" / "export")  # tickets.json, users.json
    tickets, users = report.files
    assert (tickets.read, users.read) == (4, 6)
    assert tickets.outcomes == {
        "conversations": {"added": 4},
        "messages": {"added": 9},
        "people": {"added": 5},
    }
    assert users.outcomes["people"] == {"updated": 5}  # the tickets named them, users name them
    again = import_paths(db_path, DATA / "zendesk" / "export")
    for f in again.files:
        for kind in ("conversations", "messages", "people"):
            assert f.figure(kind, "added") == f.figure(kind, "updated") == 0, (f.path, kind)


def test_the_cli_table_shows_the_ledger_and_the_history_shows_it_again(tmp_path, db_path):
    runner = CliRunner(env={"COLUMNS": "200"})
    first = runner.invoke(cli, ["import", str(DATA / "zendesk" / "export"), "--db", str(db_path)])
    assert first.exit_code == 0, first.output
    row = next(line for line in first.stdout.splitlines() if "tickets.json" in line)
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells == [
        "tickets.json",
        "zendesk-ndjson",
        "4",
        "4 / 0 / 0",
        "9 / 0 / 0",
        "5 / 0 / 0",
        "0",
        "0",
        "27",  # fields holding a value that savedesk does not keep (priority, type...)
    ]
    assert "This import is #1 in the history" in first.stderr
    history = runner.invoke(cli, ["imports", "--db", str(db_path)])
    assert history.exit_code == 0 and history.stdout.startswith("#1  ")
    assert "4 conversations added" in history.stdout
    again = runner.invoke(cli, ["imports", "1", "--db", str(db_path), "--json"])
    assert json.loads(again.stdout)["files"][0]["by_kind"]["messages"] == {"added": 9}
    missing = runner.invoke(cli, ["imports", "7", "--db", str(db_path)])
    assert missing.exit_code == 1 and "There is no import 7" in missing.output
    db = connect(db_path)
    try:
        [past] = import_history(db)
        assert (past.run_id, past.status, past.files, past.conversations_added) == (1, "done", 2, 4)
        stored = past_report(db, 1)
        assert stored is not None and stored.files[0].figure("people", "added") == 5
    finally:
        db.close()


def test_a_strict_refusal_is_kept_in_the_history(tmp_path, db_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    report = import_paths(db_path, TICKETS, broken, strict=True)
    assert report.failed
    db = connect(db_path)
    try:
        [past] = import_history(db)
        assert (past.status, past.failed, past.conversations_added) == ("refused", 1, 0)
    finally:
        db.close()
    assert stored_rows(db_path, "select count(*) from conversations") == [(0,)]


# -- whole records or nothing -------------------------------------------------------------------


def _bad_page(tmp_path: Path) -> Path:
    """A create response (`{"ticket", "audit"}`) whose ticket cannot be read: its audit would
    otherwise make an empty conversation of it."""
    page = {
        "ticket": {
            "id": 901,
            "subject": "Bad times",
            "created_at": "not a time",
            "requester_id": 5,
            "via": {"channel": "web"},
            "url": "https://acme.zendesk.com/api/v2/tickets/901.json",
        },
        "audit": {
            "id": 1,
            "ticket_id": 901,
            "created_at": "2024-01-01T00:00:00Z",
            "author_id": 5,
            "events": [
                {"id": 2, "type": "Comment", "author_id": 5, "body": "hello", "public": True},
                {"id": 3, "type": "Create", "field_name": "subject", "value": "Bad times"},
            ],
        },
    }
    path = tmp_path / "create-response.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, content",
    [
        ("create-response.json", None),
        ("bad.ndjson", '{"id": 902, "requester_id": 5, "via": "web", "created_at": "yesterday", "comments": [{"id": 1, "body": "x"}]}\n'),
        ("bad-intercom.json", json.dumps({"type": "conversation", "id": "77", "created_at": "soon", "source": {"body": "<p>x</p>", "author": {"type": "user", "id": "1"}}})),
        ("bad-freshdesk.json", json.dumps({"id": 5, "requester_id": 1, "responder_id": 2, "status": 2, "created_at": "never", "description": "x", "conversations": [{"id": 9, "body": "y", "incoming": True, "private": False, "created_at": "2024-01-01T00:00:00Z"}]})),
    ],
)  # fmt: skip
def test_a_rejected_record_leaves_no_row(tmp_path, db_path, name, content):
    if content is None:
        path = _bad_page(tmp_path)
    else:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
    [f] = import_paths(db_path, path).files
    assert f.error is None and f.rejected, f
    for table in ("conversations", "messages", "customers", "agents", "ratings"):
        assert stored_rows(db_path, f"select count(*) from {table}") == [(0,)], table
