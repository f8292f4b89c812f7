"""Help Scout (and FreeScout, and the retired 1.0 API): our fixtures in tests/data/helpscout,
written from FORMATS.md section 2 (no real 2.0 file is public)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.importing.formats import Head, detect, helpscout
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data" / "helpscout"
LIST = DATA / "conversations-embed-threads.json"


def _timeline(db_path, external_id):
    return stored_rows(
        db_path,
        "select m.external_id, m.kind, m.author_role, m.is_internal, m.created_at, m.author_name "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'helpscout' and c.external_id = ? order by m.created_at",
        [external_id],
    )


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_every_fixture_is_detected_as_helpscout(path):
    assert detect(Head(path.name, path.read_bytes()[:65536])).name == "helpscout"


def test_hal_list_with_embedded_threads(db_path):
    report = import_paths(db_path, LIST)
    (file_report,) = report.files
    assert (file_report.format, file_report.rejected, file_report.warnings) == ("helpscout", [], [])
    assert stored_rows(
        db_path,
        "select external_id, number, subject, channel, status, created_at, updated_at, closed_at, "
        "message_count from conversations order by external_id",
    ) == [
        (
            "1001",
            "3417",
            "Cancel my subscription",
            "email",
            "closed",
            "2024-03-04T09:15:00Z",
            "2024-03-04T11:02:00Z",
            "2024-03-04T11:02:00Z",
            4,
        ),
        ("1002", "3418", "申请退款", "chat", "active", "2024-03-05T02:10:05Z", "2024-03-05T02:14:40Z", None, 3),
        # createdAt "2024-03-06T12:00:00+03:00"
        ("1003", "3419", "Не могу войти в аккаунт", "phone", "pending", "2024-03-06T09:00:00Z", "2024-03-06T10:20:00Z", None, 2),
    ]  # fmt: skip
    # newest first in the file, oldest first in the store; the draft reply (50014) is left out;
    # line items are events, the note is internal
    assert _timeline(db_path, "1001") == [
        ("50011", "message", "customer", 0, "2024-03-04T09:15:00Z", "Dana Whitfield"),
        ("50012", "event", "agent", 0, "2024-03-04T10:30:00Z", "Jonas Berg"),
        ("50013", "message", "agent", 1, "2024-03-04T10:31:00Z", "Emma Larsen"),
        ("50015", "message", "agent", 0, "2024-03-04T10:40:00Z", "Emma Larsen"),
        ("50016", "message", "customer", 0, "2024-03-04T10:58:00Z", "Dana Whitfield"),
        ("50017", "event", "agent", 0, "2024-03-04T11:02:00Z", "Emma Larsen"),
    ]
    # chat threads take their role from createdBy.type
    assert [(m[0], m[2], m[3]) for m in _timeline(db_path, "1002")] == [
        ("50021", "customer", 0),
        ("50022", "agent", 0),
        ("50023", "agent", 1),
    ]
    assert stored_rows(
        db_path,
        "select body_text, body_html is not null from messages where external_id = '50015'",
    ) == [
        (
            "Hi Dana,\n\nI'm sorry the price stopped making sense. I've applied a 20% discount for "
            "the next 12 months, so you keep every project.\n\nEmma",
            1,
        )
    ]
    assert stored_rows(db_path, "select body_text from messages where external_id = '50017'") == [
        ("Emma Larsen marked as Closed",)
    ]
    assert sorted(
        stored_rows(
            db_path,
            "select c.external_id, t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
            "join conversations c on c.id = ct.conversation_id",
        )
    ) == [("1001", "cancellation"), ("1001", "saved"), ("1002", "退款"), ("1003", "вход")]
    assert sorted(stored_rows(db_path, "select external_id, name, email from customers")) == [
        ("7781", "Dana Whitfield", "dana.whitfield@example.com"),
        ("8802", "娜 李", "li.na@example.cn"),
        ("9120", "Иван Петров", "ivan.petrov@example.ru"),
    ]
    assert stored_rows(
        db_path, "select custom_fields from conversations where external_id = '1001'"
    ) == [(json.dumps({"MRR": "49", "Plan": "Pro (monthly)"}),)]


def test_separate_threads_response_names_its_conversation_by_link(db_path):
    report = import_paths(db_path, DATA / "threads-1004.json")
    assert report.files[0].rejected == []
    assert [(m[0], m[2]) for m in _timeline(db_path, "1004")] == [
        ("50041", "customer"),
        ("50042", "agent"),
    ]


def test_threads_response_without_a_link_is_rejected(db_path, tmp_path):
    threads = json.loads((DATA / "threads-1004.json").read_text())
    del threads["_links"]
    path = tmp_path / "threads.json"
    path.write_text(json.dumps(threads))
    (rejected,) = import_paths(db_path, path).files[0].rejected
    assert rejected.field == "_links.self"
    assert stored_rows(db_path, "select count(*) from messages") == [(0,)]


def test_freescout_names_and_message_type(db_path):
    import_paths(db_path, DATA / "freescout-conversation-2001.json")
    assert _timeline(db_path, "2001") == [
        ("901", "message", "customer", 0, "2024-04-10T08:00:00Z", "Priya Raman"),
        ("902", "message", "agent", 0, "2024-04-10T09:40:00Z", "Sam Okafor"),
        ("903", "message", "agent", 1, "2024-04-10T09:45:00Z", "Sam Okafor"),
    ]
    assert stored_rows(db_path, "select a.name from agents a") == [("Sam Okafor",)]
    assert stored_rows(db_path, "select name from tags") == [("churn-risk",)]


def test_retired_v1_shape_is_mapped(db_path):
    report = import_paths(db_path, DATA / "v1-conversation-3001.json")
    assert report.files[0].rejected == []
    assert stored_rows(
        db_path, "select status, updated_at, closed_at, message_count from conversations"
    ) == [("closed", "2016-01-04T08:10:00Z", "2016-01-04T08:10:00Z", 3)]
    assert [(m[0], m[1], m[2], m[3]) for m in _timeline(db_path, "3001")] == [
        ("3124897", "message", "customer", 0),
        ("3124901", "message", "agent", 1),
        ("3124902", "message", "agent", 0),  # type "message": a reply in 1.0
        ("3124903", "event", "agent", 0),
    ]
    assert stored_rows(db_path, "select external_id, name from agents") == [("101", "Emma Larsen")]
    assert sorted(stored_rows(db_path, "select name from tags")) == [("billing",), ("refund",)]


def test_reimport_adds_nothing_and_a_newer_export_updates(db_path, tmp_path):
    import_paths(db_path, LIST)
    again = import_paths(db_path, LIST)
    assert (again.files[0].added, again.files[0].updated, again.files[0].unchanged) == (0, 0, 3)

    export = json.loads(LIST.read_text())
    chat = export["_embedded"]["conversations"][1]
    chat.update(
        status="closed", closedAt="2024-03-05T03:00:00Z", userUpdatedAt="2024-03-05T03:00:00Z"
    )
    chat["_embedded"]["threads"].insert(
        0,
        {
            "id": 50024,
            "type": "chat",
            "state": "published",
            "body": "退款已到账，谢谢！",
            "createdBy": {"id": 8802, "type": "customer", "first": "娜", "last": "李"},
            "createdAt": "2024-03-05T02:59:00Z",
        },
    )
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(export, ensure_ascii=False))
    report = import_paths(db_path, newer)
    assert (report.files[0].added, report.files[0].updated, report.files[0].unchanged) == (0, 1, 2)
    assert stored_rows(
        db_path,
        "select status, closed_at, message_count from conversations where external_id = '1002'",
    ) == [("closed", "2024-03-05T03:00:00Z", 4)]
    assert _timeline(db_path, "1002")[-1][:3] == ("50024", "message", "customer")
    assert stored_rows(db_path, "select count(*) from messages") == [
        (13,)
    ]  # 12 rows before, one new


def test_partial_page_warns_and_bad_conversations_are_rejected(db_path, tmp_path):
    export = json.loads(LIST.read_text())
    export["page"] = {"size": 3, "totalElements": 7, "totalPages": 3, "number": 1}
    export["_embedded"]["conversations"][0]["id"] = None
    export["_embedded"]["conversations"][1]["_embedded"]["threads"][0]["createdAt"] = "soon"
    export["_embedded"]["conversations"].append("not a conversation")
    path = tmp_path / "page.json"
    path.write_text(json.dumps(export, ensure_ascii=False))
    (file_report,) = import_paths(db_path, path).files
    assert [(r.record, r.helpdesk_id, r.field) for r in file_report.rejected] == [
        (1, None, "id"),
        (2, "1002", "threads.createdAt"),
        (4, None, None),
    ]
    assert len(file_report.warnings) == 1
    assert stored_rows(db_path, "select external_id from conversations") == [("1003",)]


@pytest.mark.parametrize(
    "name",
    [
        "freshdesk/python-freshdesk-v2-ticket_1.json",
        "freshdesk/python-freshdesk-v2-search_tickets.json",
        "zendesk/api-incremental-tickets.json",
        "zendesk/api-ticket-33-comments.json",
        "intercom/airbyte-intercom-expected_records.jsonl",
        "twitter/twcs-sample.csv",
    ],
)
def test_helpscout_sniffer_refuses_other_samples(samples, name):
    assert not helpscout.sniff(Head(name, (samples / name).read_bytes()[:65536]))


@pytest.mark.parametrize("folder", ["intercom", "front"])
def test_helpscout_sniffer_refuses_other_vendors_fixtures(folder):
    for path in sorted((Path(__file__).parent / "data" / folder).glob("*.json")):
        assert not helpscout.sniff(Head(path.name, path.read_bytes()[:65536])), path.name


# -- the bare 1.0 conversation of a webhook, thread tags, webhook logs -------------------------


def _hs_timeline(db_path, external_id):
    return stored_rows(
        db_path,
        "select m.external_id, m.kind, m.author_role, m.is_internal, m.created_at, m.body_text "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'helpscout' and c.external_id = ? order by m.created_at",
        [external_id],
    )


def test_a_bare_v1_conversation_as_webhooks_send_it_is_detected_and_read(db_path):
    """Help Scout's webhooks post the 1.0 conversation itself, without the API's `item`."""
    path = DATA / "v1-webhook-conversation-3002.json"
    assert detect(Head(path.name, path.read_bytes())).name == "helpscout"
    [f] = import_paths(db_path, path).files
    assert (f.format, f.added, f.rejected) == ("helpscout", 1, [])
    assert f.not_read == {"threads[].to[]": 1}  # the reply's recipients
    assert stored_rows(
        db_path,
        "select c.number, c.subject, c.channel, c.status, c.created_at, c.updated_at, cu.name, "
        "cu.email, a.name from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id",
    ) == [
        (
            "124",
            "无法导出报表",
            "email",
            "active",
            "2016-02-10T09:00:00Z",
            "2016-02-10T10:30:00Z",
            "Li Wei",
            "li.wei@example.cn",
            "Ivan Petrov",
        )
    ]
    assert _hs_timeline(db_path, "3002") == [
        ("4001", "message", "customer", 0, "2016-02-10T09:00:00Z", "导出按钮没有反应。"),
        ("4002", "event", "system", 0, "2016-02-10T09:05:00Z", "workflow: Tag as export"),
        ("4003", "message", "agent", 0, "2016-02-10T10:30:00Z", "Здравствуйте! Мы уже чиним экспорт."),
    ]  # fmt: skip
    # the conversation's tag, and the one a workflow's line item set on its thread
    assert sorted(
        stored_rows(
            db_path, "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id"
        )
    ) == [("export",), ("needs-engineering",)]


def test_a_help_scout_webhook_log_updates_the_conversation_line_by_line(db_path):
    import_paths(db_path, DATA / "v1-webhook-conversation-3002.json")
    [log] = import_paths(db_path, DATA / "webhooks.ndjson").files
    assert (log.format, log.read, log.added, log.updated, log.rejected) == (
        "webhook-log",
        2,
        0,
        1,
        [],
    )
    assert log.figure("messages", "added") == 1
    assert stored_rows(
        db_path, "select status, closed_at from conversations where external_id = '3002'"
    ) == [("closed", "2016-02-11T08:00:00Z")]
    assert _hs_timeline(db_path, "3002")[-1] == (
        "4004",
        "message",
        "agent",
        1,
        "2016-02-11T08:00:00Z",
        "Fixed in 4.2.1.",
    )
    again = import_paths(db_path, DATA / "webhooks.ndjson").files[0]
    assert (again.added, again.updated, again.figure("messages", "added")) == (0, 0, 0)
