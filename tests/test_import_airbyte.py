"""Airbyte JSON Lines: the real Zendesk record file, and dispatch to other helpdesks' handlers.

Figures on airbyte-zendesk-expected_records.jsonl were counted by reading it: 71 lines, 32
streams; tickets 145, 1 and 146; two ticket_comments on ticket 1 by user 360786799676 (the
admin assigned to ticket 1); three end-users, three groups; three satisfaction ratings, all
"offered" (asked, never answered); line 35 (ticket_activities) ends with a stray "}".
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from review.importing.formats import Head, ReadOptions, airbyte, detect
from review.importing.records import Conversation, Messages, PassedOver, Person, Rejected
from review.store import connect
from tests.helpers import import_paths, stored_rows

ZENDESK_FILE = "airbyte-zendesk-expected_records.jsonl"


def _snapshot(db_path) -> dict:
    db = connect(db_path)
    try:
        skip = ("search_", "_sqlite", "import")  # the import logs grow by design
        tables = [t for t in db.tables() if not t.startswith(skip)]
        return {t: db.execute(f'select * from "{t}" order by 1').fetchall() for t in tables}
    finally:
        db.close()


def _write_lines(path: Path, records: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return path


def test_airbyte_zendesk_sample(samples, db_path):
    f = import_paths(db_path, samples / "zendesk" / ZENDESK_FILE).files[0]
    assert f.format == "airbyte" and f.error is None
    assert [(r.record, r.helpdesk_id) for r in f.rejected] == [(35, "11836244663055")]
    assert "ticket_activities" in f.rejected[0].problem
    assert "not valid JSON" in f.rejected[0].problem
    assert f.outcomes["conversations"] == {"added": 3}  # once each, though comments came first
    # 2 comments, and each ticket's description as its opening (the comments are later ones)
    assert f.outcomes["messages"] == {"added": 5}
    assert f.outcomes["people"] == {"added": 7}  # 3 users; 4 only named by the tickets
    assert f.outcomes["teams"] == {"added": 3}
    assert f.passed_over["brands"] == 1
    assert f.passed_over["macros"] == 2
    assert f.passed_over["articles"] == 3
    assert f.passed_over["ticket_metrics"] == 3
    assert f.passed_over["organizations"] == 3
    assert f.passed_over["satisfaction_ratings (unanswered)"] == 3
    assert "ticket_activities" not in f.passed_over  # its only record is the rejected one
    # 71 lines: 11 kept (3 tickets, 2 comments, 3 users, 3 groups), 1 rejected, 59 passed over.
    assert sum(f.passed_over.values()) == 59
    assert stored_rows(
        db_path,
        "select external_id, status, channel, subject, created_at, updated_at from conversations "
        "order by created_at",
    ) == [
        (
            "1",
            "closed",
            "other",
            "6X/BPh9kL+8K2NGI",
            "2020-12-11T18:34:09Z",
            "2023-05-26T23:02:01Z",
        ),
        (
            "145",
            "new",
            "phone",
            "Voicemail from: Caller +1 (234) 601-8567",
            "2022-09-19T14:53:49Z",
            "2023-04-12T14:04:56Z",
        ),
        ("146", "open", "web", "hhhhhhh", "2023-06-19T16:28:23Z", "2023-06-26T10:10:06Z"),
    ]
    assert stored_rows(
        db_path,
        "select m.external_id, m.author_role, m.is_internal, m.created_at, m.body_text "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where m.external_id != 'opening-stand-in' order by 1",
    ) == [
        ("407609531716", "agent", 0, "2021-06-24T08:05:49Z", "thank you !"),
        ("409721317155", "agent", 0, "2021-07-17T21:22:47Z", "test message"),
    ]
    assert stored_rows(
        db_path,
        "select c.external_id, m.author_role, m.created_at, substr(m.body_text, 1, 14) "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where m.external_id = 'opening-stand-in' order by 1",
    ) == [
        ("1", "agent", "2020-12-11T18:34:09Z", "Hi Team,\n\nThis"),
        ("145", "customer", "2022-09-19T14:53:49Z", "Call from: +1 "),
        ("146", "agent", "2023-06-19T16:28:23Z", "nnnnn"),
    ]
    assert stored_rows(db_path, "select count(*) from ratings") == [(0,)]
    assert stored_rows(db_path, "select name from teams where name is not null order by 1") == [
        ("Airbyte Department 1",),
        ("Department 1",),
        ("Department 2",),
    ]


def test_airbyte_zendesk_reimport_adds_nothing(samples, db_path):
    path = samples / "zendesk" / ZENDESK_FILE
    import_paths(db_path, path)
    before = _snapshot(db_path)
    f = import_paths(db_path, path).files[0]
    assert (f.added, f.updated, len(f.rejected)) == (0, 0, 1)
    assert _snapshot(db_path) == before


def test_airbyte_strict_refuses_the_sample_at_line_35(samples, db_path):
    f = import_paths(db_path, samples / "zendesk" / ZENDESK_FILE, strict=True).files[0]
    assert "record 35" in f.error and "ticket_activities" in f.error
    assert stored_rows(db_path, "select count(*) from conversations") == [(0,)]


def test_every_airbyte_sample_is_detected_as_airbyte(samples):
    for path in sorted(samples.glob("*/airbyte-*.jsonl")):
        assert detect(Head(path.name, path.read_bytes()[: 64 * 1024])).name == "airbyte", path


def test_protocol_messages_and_raw_destination_files(tmp_path):
    ticket = {
        "url": "https://acme.zendesk.com/api/v2/tickets/9.json",
        "id": 9,
        "requester_id": 5,
        "via": {"channel": "email"},
        "status": "open",
        "created_at": "2024-01-01T00:00:00Z",
    }
    protocol = _write_lines(
        tmp_path / "out.jsonl",
        [
            {"type": "LOG", "log": {"level": "INFO", "message": "starting"}},
            {"type": "RECORD", "record": {"stream": "tickets", "data": ticket, "emitted_at": 1}},
            {"type": "STATE", "state": {"data": {}}},
        ],
    )
    assert airbyte.sniff(Head("out.jsonl", protocol.read_bytes())) is False  # a LOG line first
    records = list(airbyte.read(protocol.open("rb"), str(protocol), ReadOptions()))
    assert [type(r) for r in records] == [PassedOver, Conversation, PassedOver]
    assert records[1].external_id == "9" and records[1].channel == "email"
    raw = _write_lines(
        tmp_path / "_airbyte_raw_tickets.jsonl",
        [{"_airbyte_ab_id": "x", "_airbyte_emitted_at": 1, "_airbyte_data": ticket}],
    )
    assert airbyte.sniff(Head(raw.name, raw.read_bytes()))
    records = list(airbyte.read(raw.open("rb"), str(raw), ReadOptions()))
    assert [(type(r), r.external_id) for r in records] == [(Conversation, "9")]


# -- dispatch to the Intercom / Freshdesk modules' AIRBYTE_STREAMS --------------------------------


@pytest.fixture
def fake_vendors(monkeypatch):
    """Stand-ins for review.importing.formats.intercom / freshdesk's AIRBYTE_STREAMS."""
    seen: list[tuple[str, str]] = []

    def conversation(vendor):
        def handle(data):
            seen.append((vendor, data["id"]))
            yield Conversation(vendor, str(data["id"]))

        return handle

    def broken(data):
        raise KeyError("author")

    intercom = types.ModuleType("fake_intercom")
    intercom.AIRBYTE_STREAMS = {
        "conversations": conversation("intercom"),
        "conversation_parts": broken,
    }
    freshdesk = types.ModuleType("fake_freshdesk")
    freshdesk.AIRBYTE_STREAMS = {
        "tickets": conversation("freshdesk"),
        "groups": conversation("freshdesk"),
    }
    monkeypatch.setitem(sys.modules, "review.importing.formats.intercom", intercom)
    monkeypatch.setitem(sys.modules, "review.importing.formats.freshdesk", freshdesk)
    return seen


def test_intercom_streams_go_to_the_intercom_handlers(tmp_path, fake_vendors):
    path = _write_lines(
        tmp_path / "intercom.jsonl",
        [
            {"stream": "admins", "data": {"type": "admin", "id": "1"}, "emitted_at": 1},
            {
                "stream": "conversations",
                "data": {"type": "conversation", "id": "60"},
                "emitted_at": 1,
            },
            {
                "stream": "conversation_parts",
                "data": {"type": "conversation_part", "id": "7"},
                "emitted_at": 1,
            },
            {"stream": "segments", "data": {"type": "segment", "id": "s"}, "emitted_at": 1},
        ],
    )
    records = list(airbyte.read(path.open("rb"), str(path), ReadOptions()))
    assert fake_vendors == [("intercom", "60")]
    assert isinstance(records[0], PassedOver) and records[0].kind == "admins"
    assert isinstance(records[1], Conversation) and records[1].source == "intercom"
    assert isinstance(records[2], Rejected) and records[2].record == 3
    assert records[2].helpdesk_id == "7" and "conversation_parts" in records[2].problem
    assert records[3] == PassedOver("segments")


def test_freshdesk_records_wait_until_the_file_says_which_helpdesk_it_is(tmp_path, fake_vendors):
    path = _write_lines(
        tmp_path / "freshdesk.jsonl",
        [
            {"stream": "groups", "data": {"id": 67000260063, "name": "Billing"}, "emitted_at": 1},
            {"stream": "roles", "data": {"id": 3, "name": "Agent"}, "emitted_at": 1},
            {
                "stream": "tickets",
                "data": {"id": 18, "status": 2, "requester_id": 5, "responder_id": 6},
                "emitted_at": 1,
            },
            '{"stream": "tickets", "data": {"id": 19,',
        ],
    )
    records = list(airbyte.read(path.open("rb"), str(path), ReadOptions()))
    assert fake_vendors == [("freshdesk", 67000260063), ("freshdesk", 18)]
    assert [type(r) for r in records] == [Conversation, PassedOver, Conversation, Rejected]
    assert records[3].record == 4 and records[3].helpdesk_id == "19"


def test_records_from_no_known_helpdesk_are_passed_over_by_stream(tmp_path, fake_vendors):
    path = _write_lines(
        tmp_path / "unknown.jsonl",
        [
            {"stream": "widgets", "data": {"id": 1}, "emitted_at": 1},
            {"stream": "widgets", "data": {"id": 2}, "emitted_at": 1},
            {"stream": "gadgets", "data": {"id": 3}, "emitted_at": 1},
            [1, 2],
            {"stream": "gadgets", "data": "not an object"},
        ],
    )
    records = list(airbyte.read(path.open("rb"), str(path), ReadOptions()))
    assert [r for r in records if isinstance(r, PassedOver)] == [
        PassedOver("widgets"),
        PassedOver("widgets"),
        PassedOver("gadgets"),
    ]
    assert [(r.record, r.field) for r in records if isinstance(r, Rejected)] == [
        (4, None),
        (5, "data"),
    ]


def test_zendesk_users_stream_tells_comment_roles_in_the_same_file(tmp_path, db_path):
    base = "https://acme.zendesk.com/api/v2"
    path = _write_lines(
        tmp_path / "zendesk.jsonl",
        [
            {
                "stream": "users",
                "data": {"url": f"{base}/users/1.json", "id": 1, "role": "agent", "name": "Олег"},
            },
            {
                "stream": "users",
                "data": {"url": f"{base}/users/2.json", "id": 2, "role": "end-user"},
            },
            {
                "stream": "ticket_comments",
                "data": {
                    "id": 10,
                    "ticket_id": 5,
                    "author_id": 1,
                    "plain_body": "已退款",
                    "public": False,
                    "created_at": "2024-01-01T08:00:00+08:00",
                },
            },
            {
                "stream": "ticket_comments",
                "data": {
                    "id": 11,
                    "ticket_id": 5,
                    "author_id": 2,
                    "html_body": "<p>Спасибо!</p>",
                    "created_at": "2024-01-01T01:00:00Z",
                },
            },
        ],
    )
    records = list(airbyte.read(path.open("rb"), str(path), ReadOptions()))
    assert [type(r) for r in records] == [Person, Person, Messages, Messages]
    assert [m.author_role for r in records[2:] for m in r.messages] == ["agent", "customer"]
    f = import_paths(db_path, path).files[0]
    assert f.format == "airbyte" and f.rejected == []
    assert stored_rows(
        db_path,
        "select external_id, author_role, is_internal, created_at, body_text from messages order by 1",
    ) == [
        ("10", "agent", 1, "2024-01-01T00:00:00Z", "已退款"),
        ("11", "customer", 0, "2024-01-01T01:00:00Z", "Спасибо!"),
    ]
