"""Freshdesk: the python-freshdesk v2 samples, the Airbyte Freshdesk records, a newer export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.importing.formats import Head, detect, freshdesk
from review.importing.writer import store_records
from tests.helpers import import_paths, stored_rows

SAMPLE_FILES = [
    "python-freshdesk-v2-agent_1.json",
    "python-freshdesk-v2-all_tickets.json",
    "python-freshdesk-v2-contact.json",
    "python-freshdesk-v2-conversations.json",
    "python-freshdesk-v2-note_1.json",
    "python-freshdesk-v2-reply_1.json",
    "python-freshdesk-v2-search_tickets.json",
    "python-freshdesk-v2-ticket_1.json",
]
AIRBYTE = "freshdesk/airbyte-freshdesk-expected_records.jsonl"


def _messages(db_path, external_id):
    return stored_rows(
        db_path,
        "select m.external_id, m.kind, m.author_role, m.is_internal, m.created_at, m.body_text, "
        "m.author_external_id from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'freshdesk' and c.external_id = ? order by m.created_at, m.external_id",
        [external_id],
    )


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_python_freshdesk_sample_is_detected_as_freshdesk(samples, name):
    data = (samples / "freshdesk" / name).read_bytes()
    assert detect(Head(name, data[:65536])).name == "freshdesk"


def test_v1_style_ticket_list_maps_codes_offsets_and_description(samples, db_path):
    report = import_paths(db_path, samples / "freshdesk/python-freshdesk-v2-all_tickets.json")
    assert report.files[0].format == "freshdesk"
    assert report.files[0].rejected == []
    (row,) = stored_rows(
        db_path,
        "select external_id, subject, channel, status, created_at, updated_at, custom_fields "
        "from conversations",
    )
    # "2014-12-31T12:27:09+10:00": a local offset, not UTC
    assert row[:6] == (
        "1",
        "This is a sample ticket",
        "web",  # source 2 = Portal
        "open",  # status 2
        "2014-12-31T02:27:09Z",
        "2015-01-01T00:58:39Z",
    )
    assert json.loads(row[6]) == {"priority": "low", "type": "Question"}
    assert _messages(db_path, "1") == [
        (
            "description",
            "message",
            "customer",
            0,
            "2014-12-31T02:27:09Z",
            "This is a sample ticket, feel free to delete it.",
            "5004272351",
        )
    ]
    assert stored_rows(db_path, "select external_id, name from customers") == [
        ("5004272351", "Rachel")
    ]
    assert stored_rows(db_path, "select external_id, name from agents") == [
        ("5004272350", "Sam Kingston")
    ]
    assert stored_rows(
        db_path, "select t.name from tags t join conversation_tags ct on ct.tag_id = t.id"
    ) == [("mytag",)]


def test_all_python_freshdesk_samples_land_together(samples, db_path):
    report = import_paths(db_path, *(samples / "freshdesk" / n for n in SAMPLE_FILES))
    assert [f.format for f in report.files] == ["freshdesk"] * len(SAMPLE_FILES)
    assert all(not f.rejected and not f.error for f in report.files)
    # every ticket file describes ticket 1; the newest by updated_at wins whatever the file
    # order: search_tickets.json's second record (updated 2020-01-01), "This is another ticket"
    (conversation,) = stored_rows(
        db_path,
        "select external_id, subject, status, channel, created_at, closed_at, message_count "
        "from conversations",
    )
    assert conversation == (
        "1",
        "This is another ticket",
        "open",
        "web",
        "2020-01-01T06:21:45Z",
        "2020-07-24T15:35:21Z",  # stats.resolved_at: closed_at is null
        3,
    )
    assert _messages(db_path, "1") == [
        (
            "description",
            "message",
            "customer",
            0,
            "2016-05-18T04:36:04Z",
            "This is a sample ticket, feel free to delete it.",
            "6012691534",
        ),
        ("1", "message", "agent", 1, "2016-05-19T05:36:12Z", "This is a private note", "1"),
        ("2", "message", "agent", 0, "2016-05-19T05:36:14Z", "This is a reply", "1"),
    ]
    # note_1 and reply_1 repeat conversations.json: nothing new
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["python-freshdesk-v2-note_1.json"].added == 0
    assert by_name["python-freshdesk-v2-reply_1.json"].added == 0
    # search_tickets holds ticket 1 twice: the second replaces the first
    assert by_name["python-freshdesk-v2-search_tickets.json"].updated >= 1
    assert sorted(stored_rows(db_path, "select external_id, name, email, phone from agents")) == [
        ("1", "Rachel", "rachel@freshdesk.com", "5678"),
        ("5004272350", "Sam Kingston", None, None),
        ("6010396333", None, None, None),
    ]
    assert sorted(stored_rows(db_path, "select external_id, name, email from customers")) == [
        ("1", "Rachel", "rachel@freshdesk.com"),
        ("5004272351", "Rachel", None),
        ("6012691534", None, None),  # the embedded requester has another id: not this person
    ]
    # the tags too are the newest record's; ticket_1.json's older "foo", "bar" come last in
    # the file order and used to take them over
    assert sorted(
        stored_rows(
            db_path, "select t.name from tags t join conversation_tags ct on ct.tag_id = t.id"
        )
    ) == [("myothertag",), ("mytag",)]


def test_reimport_adds_nothing_and_a_newer_export_updates(samples, db_path, tmp_path):
    ticket = samples / "freshdesk/python-freshdesk-v2-ticket_1.json"
    conversations = samples / "freshdesk/python-freshdesk-v2-conversations.json"
    import_paths(db_path, ticket, conversations)
    again = import_paths(db_path, ticket, conversations)
    assert [(f.added, f.updated) for f in again.files] == [(0, 0), (0, 0)]
    assert stored_rows(db_path, "select count(*) from messages") == [(3,)]

    newer = json.loads(ticket.read_text())
    newer.update(status=4, updated_at="2016-05-20T10:00:00Z")
    newer_ticket = tmp_path / "ticket_1-newer.json"
    newer_ticket.write_text(json.dumps(newer, indent=4))  # as saved by python-freshdesk
    reply = json.loads(conversations.read_text())
    reply.append(
        {
            "body": "<div>Спасибо, всё получилось! 谢谢</div>",
            "body_text": "Спасибо, всё получилось! 谢谢",
            "id": 3,
            "incoming": True,
            "private": False,
            "user_id": 6012691534,
            "source": 0,
            "ticket_id": 1,
            "created_at": "2016-05-20T09:59:00Z",
            "updated_at": "2016-05-20T09:59:00Z",
        }
    )
    newer_conversations = tmp_path / "conversations-newer.json"
    newer_conversations.write_text(json.dumps(reply, ensure_ascii=False))
    report = import_paths(db_path, newer_ticket, newer_conversations)
    assert report.files[0].updated == 1
    assert report.files[1].figure("messages", "added") == 1
    assert stored_rows(db_path, "select status, updated_at, message_count from conversations") == [
        ("resolved", "2016-05-20T10:00:00Z", 4)
    ]
    assert _messages(db_path, "1")[-1] == (
        "3",
        "message",
        "customer",
        0,
        "2016-05-20T09:59:00Z",
        "Спасибо, всё получилось! 谢谢",
        "6012691534",
    )


def test_a_bad_ticket_is_rejected_and_the_rest_land(db_path, tmp_path):
    path = tmp_path / "tickets.json"
    tickets = [
        {"id": 7, "subject": "Возврат", "status": 5, "source": 7, "priority": 4,
         "requester_id": 70, "responder_id": 71, "created_at": "2024-01-02T03:04:05Z",
         "description": "<p>Хочу вернуть деньги</p>"},
        {"id": 8, "subject": "bad time", "status": 2, "requester_id": 70, "responder_id": None,
         "created_at": "yesterday-ish"},
        {"subject": "no id", "status": 2, "requester_id": 70, "responder_id": None},
        {"id": 9, "subject": "custom status", "status": 12, "source": 99, "requester_id": 70,
         "responder_id": None, "created_at": "2024-01-02T03:04:05Z"},
    ]  # fmt: skip
    path.write_text(json.dumps(tickets, ensure_ascii=False))
    report = import_paths(db_path, path)
    rejected = report.files[0].rejected
    assert [(r.record, r.helpdesk_id, r.field) for r in rejected] == [
        (2, "8", "created_at"),
        (3, None, "id"),
    ]
    assert sorted(
        stored_rows(db_path, "select external_id, status, channel from conversations")
    ) == [
        ("7", "closed", "chat"),
        ("9", "status 12", "source 99"),
    ]
    assert _messages(db_path, "7")[0][2:6] == (
        "customer",
        0,
        "2024-01-02T03:04:05Z",
        "Хочу вернуть деньги",
    )


# -- the Airbyte records ------------------------------------------------------------------------


def _airbyte_records(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        handler = freshdesk.AIRBYTE_STREAMS.get(record["stream"])
        if handler:
            yield from handler(record["data"])


def test_airbyte_handlers_read_every_freshdesk_record(samples, db):
    writer = store_records(db, _airbyte_records(samples / AIRBYTE))
    assert writer.rejected == []
    assert db.execute("select count(*) from conversations").fetchone() == (6,)
    assert db.execute("select count(*) from agents").fetchone() == (13,)
    assert db.execute("select count(*) from teams").fetchone() == (9,)


def test_airbyte_freshdesk_file_imports_with_real_figures(samples, db_path):
    if not (Path(freshdesk.__file__).parent / "airbyte.py").exists():
        pytest.skip("the Airbyte reader is not there yet")
    report = import_paths(db_path, samples / AIRBYTE)
    (file_report,) = report.files
    assert file_report.format == "airbyte"
    assert file_report.rejected == []
    assert file_report.passed_over["companies"] == 13
    assert stored_rows(db_path, "select count(*) from conversations") == [(6,)]
    assert stored_rows(db_path, "select count(*), sum(is_internal) from messages") == [(10, 1)]
    assert stored_rows(db_path, "select count(*) from customers") == [
        (12,)
    ]  # 10 contacts + 2 requesters
    assert stored_rows(db_path, "select count(*) from agents") == [(13,)]
    assert stored_rows(db_path, "select count(*) from teams") == [(9,)]
    assert sorted(
        stored_rows(db_path, "select external_id, channel, status from conversations")
    ) == [
        ("18", "email", "open"),
        ("19", "email", "open"),
        ("20", "phone", "open"),
        ("21", "email", "closed"),
        ("22", "phone", "pending"),
        ("23", "email", "closed"),
    ]
    # ticket 22: an agent's reply, then an internal note
    assert [m[:5] for m in _messages(db_path, "22")] == [
        ("description", "message", "customer", 0, "2022-11-16T16:03:17Z"),
        ("67105086049", "message", "agent", 0, "2022-11-16T16:16:58Z"),
        ("67105086068", "message", "agent", 1, "2022-11-16T16:17:05Z"),
    ]
    # ticket 23 is an outbound email: the agent wrote the description, the customer answered
    assert [(m[0], m[2], m[6]) for m in _messages(db_path, "23")] == [
        ("description", "agent", "67013469919"),
        ("67105779551", "agent", "67013469919"),
        ("67105779604", "customer", "67042965499"),
    ]
    assert stored_rows(
        db_path,
        "select c.external_id, r.kind, r.scale, r.raw_value, r.positive, r.comment from ratings r "
        "join conversations c on c.id = r.conversation_id",
    ) == [("23", "csat", "freshdesk-103", "103", 1, "test")]
    assert stored_rows(
        db_path,
        "select t.name from conversations c join teams t on t.id = c.team_id "
        "where c.external_id = '18'",
    ) == [("Billing",)]
    again = import_paths(db_path, samples / AIRBYTE)
    assert again.files[0].added == 0 and again.files[0].updated == 0


@pytest.mark.parametrize(
    "value, positive",
    [(103, True), (102, True), (101, True), (100, False), (-101, False), (-103, False)],
)
def test_satisfaction_on_the_103_scale(value, positive):
    (rating,) = freshdesk.AIRBYTE_STREAMS["satisfaction_ratings"](
        {"id": 1, "ticket_id": 2, "ratings": {"default_question": value}}
    )
    assert (rating.positive, rating.score, rating.scale) == (
        positive,
        float(value),
        "freshdesk-103",
    )


def test_airbyte_handler_rejects_instead_of_raising():
    (rejected,) = freshdesk.AIRBYTE_STREAMS["conversations"]({"id": 5, "body": "x"})
    assert (rejected.record, rejected.helpdesk_id, rejected.field) == (None, "5", "ticket_id")


def test_a_compact_single_ticket_is_detected_as_freshdesk(samples):
    ticket = json.loads((samples / "freshdesk/python-freshdesk-v2-ticket_1.json").read_text())
    data = json.dumps(ticket, separators=(",", ":")).encode()  # as the API sends it
    assert detect(Head("ticket.json", data)).name == "freshdesk"


OTHER_SHAPES = [
    "zendesk/api-incremental-tickets.json",
    "zendesk/api-ticket-33-comments.json",
    "zendesk/api-ticket-audits.json",
    "zendesk/airbyte-zendesk-expected_records.jsonl",
    "intercom/airbyte-intercom-expected_records.jsonl",
    "twitter/twcs-sample.csv",
]


@pytest.mark.parametrize("name", OTHER_SHAPES)
def test_freshdesk_sniffer_refuses_other_samples(samples, name):
    data = (samples / name).read_bytes()[:65536]
    assert not freshdesk.sniff(Head(name, data))


@pytest.mark.parametrize("folder", ["helpscout", "intercom", "front"])
def test_freshdesk_sniffer_refuses_other_vendors_fixtures(folder):
    for path in sorted((Path(__file__).parent / "data" / folder).glob("*.json")):
        assert not freshdesk.sniff(Head(path.name, path.read_bytes()[:65536])), path.name


def test_a_ticket_fetched_with_its_conversations_lands_with_every_reply_and_note(db_path):
    """GET /api/v2/tickets/20?include=conversations embeds the replies and private notes in
    the ticket; a reader that took only the description lost all of them."""
    path = Path(__file__).parent / "data" / "freshdesk" / "ticket-20-include-conversations.json"
    [f] = import_paths(db_path, path).files
    assert (f.format, f.added, f.rejected) == ("freshdesk", 1, [])
    assert f.outcomes["messages"] == {"added": 4}
    assert f.not_read["conversations[].to_emails[]"] == 2  # listed, not silently dropped
    assert stored_rows(
        db_path,
        "select c.external_id, c.subject, c.status, c.channel, c.created_at, c.updated_at "
        "from conversations c",
    ) == [
        (
            "20",
            "Cannot reset my password",
            "resolved",
            "email",
            "2024-03-01T09:00:00Z",
            "2024-03-01T11:30:00Z",
        )
    ]
    assert stored_rows(
        db_path,
        "select external_id, author_role, author_external_id, is_internal, created_at, body_text "
        "from messages order by created_at",
    ) == [
        ("description", "customer", "5001", 0, "2024-03-01T09:00:00Z", "The reset link says it has expired."),
        ("70001", "agent", "6001", 0, "2024-03-01T09:20:00Z", "Hi Ana, I have sent a new link that is valid for 24 hours."),
        ("70002", "agent", "6001", 1, "2024-03-01T09:25:00Z", "Reset tokens expire after 15 minutes on SSO accounts: raised with the identity team."),
        ("70003", "customer", "5001", 0, "2024-03-01T11:30:00Z", "Obrigada, it worked!"),
    ]  # fmt: skip
    assert stored_rows(
        db_path, "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id"
    ) == [("login",)]
    again = import_paths(db_path, path).files[0]
    assert (again.added, again.updated, again.figure("messages", "added")) == (0, 0, 0)
