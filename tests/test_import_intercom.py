"""Intercom: our fixtures (tests/data/intercom, written from FORMATS.md section 3) and the real
Airbyte Intercom records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.importing.formats import Head, detect, intercom
from review.importing.writer import store_records
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data" / "intercom"
FULL = DATA / "conversation-215468900012345.json"
AIRBYTE = "intercom/airbyte-intercom-expected_records.jsonl"


def _timeline(db_path, external_id):
    return stored_rows(
        db_path,
        "select m.external_id, m.kind, m.author_role, m.is_internal, m.created_at, m.body_text "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'intercom' and c.external_id = ? order by m.created_at",
        [external_id],
    )


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_every_fixture_is_detected_as_intercom(path):
    assert detect(Head(path.name, path.read_bytes()[:65536])).name == "intercom"


def test_one_conversation_with_its_parts(db_path):
    (file_report,) = import_paths(db_path, FULL).files
    assert (file_report.format, file_report.rejected) == ("intercom", [])
    assert stored_rows(
        db_path,
        "select external_id, channel, status, created_at, updated_at, closed_at, message_count, "
        "custom_fields from conversations",
    ) == [
        (
            "215468900012345",
            "chat",  # source.type "conversation": the Messenger
            "closed",
            "2024-05-06T08:00:00Z",  # epoch 1714982400
            "2024-05-06T09:30:00Z",
            "2024-05-06T09:30:00Z",
            7,
            json.dumps({"mrr": 99, "plan": "Annual Pro"}),
        )
    ]
    assert _timeline(db_path, "215468900012345") == [
        ("source:2004001", "message", "customer", 0, "2024-05-06T08:00:00Z", "你好，我的年度订阅被重复扣款了，请帮我退款。"),
        ("30001", "message", "bot", 0, "2024-05-06T08:00:10Z", "I've passed this to the billing team. They usually reply within an hour."),
        ("30002", "event", "bot", 0, "2024-05-06T08:00:11Z", "assignment"),
        ("30003", "message", "agent", 1, "2024-05-06T08:20:00Z", "已在 Stripe 核实：重复扣款 ¥1,188，已发起退款。"),
        ("30004", "message", "agent", 0, "2024-05-06T08:25:00Z", "李娜您好，重复扣款已退回，5 个工作日内到账。很抱歉给您带来不便！"),
        ("30005", "message", "customer", 0, "2024-05-06T08:40:00Z", "收到，谢谢！"),
        ("30006", "message", "customer", 0, "2024-05-06T08:41:00Z", "This message was deleted"),
        ("30007", "event", "agent", 0, "2024-05-06T08:45:00Z", "snoozed"),
        # a close with a body is a reply the customer saw
        ("30008", "message", "agent", 0, "2024-05-06T09:30:00Z", "不客气！如有其他问题随时联系我们。"),
    ]  # fmt: skip
    assert stored_rows(
        db_path,
        "select kind, scale, raw_value, score, positive, comment, created_at from ratings",
    ) == [("csat", "1-5", "5", 5.0, 1, "很快就解决了，谢谢", "2024-05-06T09:31:00Z")]
    assert stored_rows(
        db_path,
        "select cu.external_id, cu.name, cu.email, a.external_id, t.external_id "
        "from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id join teams t on t.id = c.team_id",
    ) == [("65f0c1a2b3c4d5e6f7a8b901", "李娜", "li.na@example.cn", "5551201", "6200001")]
    assert sorted(stored_rows(db_path, "select name from tags")) == [("billing",), ("退款",)]


def test_list_page_webhook_and_admins(db_path):
    report = import_paths(
        db_path,
        DATA / "conversations-page-1.json",
        DATA / "webhook-admin-replied.json",
        DATA / "admins.json",
    )
    listing, hook, admins = report.files
    assert listing.warnings and "one page" in listing.warnings[0]
    assert (listing.added, hook.added, hook.updated) == (2, 0, 1)  # the webhook adds two parts
    assert stored_rows(
        db_path,
        "select external_id, subject, channel, status, message_count from conversations order by 1",
    ) == [
        ("215468900023456", "Отмена подписки", "email", "closed", 1),
        ("215468900034567", "Your trial ends in 3 days", "email", "open", 3),
    ]
    # a lead (anonymous visitor) is a customer; an admin-initiated source is the agent's
    assert [m[2] for m in _timeline(db_path, "215468900023456")] == ["customer"]
    assert [(m[0], m[2]) for m in _timeline(db_path, "215468900034567")] == [
        ("source:2004003", "agent"),
        ("30101", "customer"),
        ("30102", "agent"),
    ]
    assert stored_rows(db_path, "select raw_value, positive, comment from ratings") == [
        ("2", 0, "Долго ждал ответа")
    ]
    # admin_assignee_id 0 means nobody
    assert stored_rows(
        db_path, "select agent_id from conversations where external_id = '215468900034567'"
    ) == [(None,)]
    assert sorted(stored_rows(db_path, "select a.external_id, a.name, t.external_id from agents a left join teams t on t.id = a.team_id")) == [
        ("5551201", "王芳", "6200001"),
        ("5551202", "Ольга Смирнова", None),
        ("5551203", "Maya Chen", "6200002"),
    ]  # fmt: skip
    assert admins.rejected == []


def test_reimport_adds_nothing_and_a_newer_export_updates(db_path, tmp_path):
    import_paths(db_path, FULL)
    again = import_paths(db_path, FULL).files[0]
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)

    conversation = json.loads(FULL.read_text())
    conversation.update(state="open", open=True, updated_at=1715000000)
    conversation["conversation_parts"]["conversation_parts"].append(
        {
            "type": "conversation_part",
            "id": "30009",
            "part_type": "comment",
            "body": "<p>又扣了一次款！</p>",
            "created_at": 1715000000,
            "author": {"type": "user", "id": "65f0c1a2b3c4d5e6f7a8b901", "name": "李娜"},
        }
    )
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(conversation, ensure_ascii=False))
    report = import_paths(db_path, newer).files[0]
    assert (report.added, report.updated) == (0, 1)
    assert stored_rows(db_path, "select status, closed_at, message_count from conversations") == [
        ("open", "2024-05-06T09:30:00Z", 8)  # an earlier close time is not erased
    ]
    assert _timeline(db_path, "215468900012345")[-1][:3] == ("30009", "message", "customer")


def test_bad_conversations_are_rejected_and_the_rest_land(db_path, tmp_path):
    listing = json.loads((DATA / "conversations-page-1.json").read_text())
    good, other = listing["conversations"]
    listing["conversations"] = [
        {**good, "created_at": "tomorrow"},
        {**other, "id": None},
        {**other, "id": "215468900045678", "conversation_rating": {"rating": 9}},
        {**other, "id": "215468900056789"},
        42,
    ]
    path = tmp_path / "page.json"
    path.write_text(json.dumps(listing, ensure_ascii=False))
    (file_report,) = import_paths(db_path, path).files
    assert [(r.record, r.helpdesk_id, r.field) for r in file_report.rejected] == [
        (1, "215468900023456", "created_at"),
        (2, None, "id"),
        (3, "215468900045678", "conversation_rating.rating"),
        (5, None, None),
    ]
    assert stored_rows(db_path, "select external_id from conversations") == [("215468900056789",)]


# -- the Airbyte records ------------------------------------------------------------------------


def _airbyte_records(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        handler = intercom.AIRBYTE_STREAMS.get(record["stream"])
        if handler:
            yield from handler(record["data"])


def test_airbyte_handlers_read_every_intercom_record(samples, db):
    writer = store_records(db, _airbyte_records(samples / AIRBYTE))
    assert writer.rejected == []
    assert db.execute("select count(*) from conversations").fetchone() == (3,)
    assert db.execute("select count(*) from messages").fetchone() == (6,)


def test_airbyte_intercom_file_imports_with_real_figures(samples, db_path):
    if not (Path(intercom.__file__).parent / "airbyte.py").exists():
        pytest.skip("the Airbyte reader is not there yet")
    (file_report,) = import_paths(db_path, samples / AIRBYTE).files
    assert (file_report.format, file_report.rejected) == ("airbyte", [])
    assert file_report.passed_over["tickets"] == 2
    assert stored_rows(
        db_path, "select external_id, channel, status, created_at, message_count from conversations order by 1"
    ) == [
        ("1", "chat", "open", "2020-12-09T22:34:03Z", 4),
        ("60", "chat", "open", "2023-02-15T11:38:53Z", 1),
        ("61", "chat", "open", "2023-02-15T11:39:56Z", 1),
    ]  # fmt: skip
    # conversation 1: a lead's opening message, the lead again, then the Operator bot twice
    assert [(m[0], m[2], m[4]) for m in _timeline(db_path, "1")] == [
        ("source:701718739", "customer", "2020-12-09T22:34:03Z"),
        ("7288120839", "customer", "2020-12-09T22:34:06Z"),
        ("7288121348", "bot", "2020-12-09T22:34:09Z"),
        ("7288121392", "bot", "2020-12-09T22:34:10Z"),
    ]
    assert stored_rows(db_path, "select count(*), sum(is_internal) from messages") == [(6, 0)]
    assert sorted(stored_rows(db_path, "select external_id, name from agents")) == [
        ("4423433", "Airbyte Team"),
        ("4423434", "Operator"),
        ("4425337", "Jared Rhizor"),
    ]
    assert stored_rows(db_path, "select count(*) from teams") == [(3,)]
    # 3 contacts records, plus the 3 contacts the conversations name
    assert stored_rows(db_path, "select count(*) from customers") == [(6,)]
    again = import_paths(db_path, samples / AIRBYTE).files[0]
    assert (again.added, again.updated) == (0, 0)


def test_airbyte_part_without_conversation_is_rejected_not_raised():
    (rejected,) = intercom.AIRBYTE_STREAMS["conversation_parts"](
        {"id": "9", "part_type": "comment"}
    )
    assert (rejected.record, rejected.helpdesk_id, rejected.field) == (None, "9", "conversation_id")


@pytest.mark.parametrize(
    "name",
    [
        "freshdesk/python-freshdesk-v2-ticket_1.json",
        "freshdesk/python-freshdesk-v2-conversations.json",
        "zendesk/api-incremental-tickets.json",
        "zendesk/api-ticket-audits.json",
        "intercom/airbyte-intercom-expected_records.jsonl",
        "twitter/twcs-sample.csv",
    ],
)
def test_intercom_sniffer_refuses_other_samples(samples, name):
    assert not intercom.sniff(Head(name, (samples / name).read_bytes()[:65536]))


@pytest.mark.parametrize("folder", ["helpscout", "front"])
def test_intercom_sniffer_refuses_other_vendors_fixtures(folder):
    for path in sorted((Path(__file__).parent / "data" / folder).glob("*.json")):
        assert not intercom.sniff(Head(path.name, path.read_bytes()[:65536])), path.name


# -- API 1.x, admin-initiated conversations, webhook logs, redaction --------------------------


def test_api_1_conversation_message_is_the_opening(db_path):
    """Before API 2.0 the opening message was `conversation_message` (2.x: `source`), and the
    customer `user`; a reader that only knew `source` lost every older opening."""
    [f] = import_paths(db_path, DATA / "v1-webhook-user-created.json").files
    assert (f.format, f.added, f.rejected) == ("intercom", 1, [])
    assert f.not_read == {}
    assert stored_rows(
        db_path,
        "select c.external_id, c.status, c.created_at, c.updated_at, cu.external_id, cu.name, "
        "cu.email, a.external_id, a.name from conversations c "
        "join customers cu on cu.id = c.customer_id join agents a on a.id = c.agent_id",
    ) == [
        (
            "147",
            "open",
            "2014-05-23T13:16:13Z",
            "2014-05-23T15:05:00Z",
            "536e564f316c83104c000020",
            "Jane Doe",  # API 1.x names the customer in `user`
            "jane@example.com",
            "25",
            "Maya Chen",  # known only as the author of a part: it lands on the agent's row
        )
    ]
    assert _timeline(db_path, "147") == [
        ("source:2001", "message", "customer", 0, "2014-05-23T13:16:13Z", "Hi, I was charged twice for May. Can you refund one?"),
        ("4412", "message", "agent", 0, "2014-05-23T15:04:54Z", "Hi Jane, sorry about that: the second charge is refunded."),
        ("4413", "message", "agent", 1, "2014-05-23T15:05:00Z", "Refund issued, ref re_1Nx."),
    ]  # fmt: skip
    assert stored_rows(
        db_path, "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id"
    ) == [("billing",)]


def test_a_conversation_an_admin_started_has_the_admins_opening_as_its_only_content(db_path):
    [f] = import_paths(db_path, DATA / "v1-conversation-admin-initiated.json").files
    assert (f.added, f.figure("messages", "added"), f.not_read) == (1, 1, {})
    assert _timeline(db_path, "148") == [
        ("source:457823463", "message", "agent", 0, "2024-05-09T15:00:00Z", "Hi Alex, your trial ends on Friday. Shall I set up a call?")
    ]  # fmt: skip
    assert stored_rows(
        db_path,
        "select c.subject, cu.external_id, cu.name, a.external_id from conversations c "
        "join customers cu on cu.id = c.customer_id join agents a on a.id = c.agent_id",
    ) == [("Your trial ends on Friday", "5e0691bc16f62626ff7f4183", "Alex Kim", "25")]


def test_a_webhook_log_lands_each_line_and_a_redaction_is_never_undone(db_path):
    """webhooks.ndjson: four notification events of one conversation (created, replied,
    a part redacted, closed) and an API 1.x automated message whose author type is null."""
    [log] = import_paths(db_path, DATA / "webhooks.ndjson").files
    assert (log.format, log.read, log.rejected, log.not_read) == ("webhook-log", 5, [], {})
    assert (log.added, log.updated) == (2, 0)  # 149 counted once though four lines fill it in
    assert _timeline(db_path, "149") == [
        ("source:3001", "message", "customer", 0, "2024-05-09T15:00:00Z", "The export button does nothing."),
        ("5000", "message", "bot", 0, "2024-05-09T15:01:00Z", "Have you tried the CSV export under Settings?"),
        ("5001", "message", "customer", 0, "2024-05-09T16:00:00Z", "This part was redacted"),
        ("5002", "message", "agent", 0, "2024-05-09T16:05:00Z", "Thanks Sam, never send card numbers here. Fixing the export now."),
        ("5003", "message", "agent", 1, "2024-05-09T16:06:00Z", "Bug EXP-12 filed."),
        ("5004", "event", "agent", 0, "2024-05-09T17:00:00Z", "close"),
    ]  # fmt: skip
    assert _timeline(db_path, "150") == [
        # the author is not the lead: an admin's automated message
        ("source:457823464", "message", "agent", 0, "2019-12-27T23:20:38Z", "Hi 😀 Have a look around! Let us know if you have any questions.")
    ]  # fmt: skip
    assert stored_rows(db_path, "select status from conversations where external_id = '149'") == [
        ("closed",)
    ]
    # GET /conversations/149 saved before the redaction: older, it changes nothing
    [older] = import_paths(db_path, DATA / "conversation-149-before-redaction.json").files
    assert (older.added, older.updated, older.figure("messages", "updated")) == (0, 0, 0)
    assert stored_rows(db_path, "select body_text from messages where external_id = '5001'") == [
        ("This part was redacted",)
    ]
    again = import_paths(db_path, DATA / "webhooks.ndjson").files[0]
    assert (again.added, again.updated) == (0, 0)
    assert (again.figure("messages", "added"), again.figure("messages", "updated")) == (0, 0)
