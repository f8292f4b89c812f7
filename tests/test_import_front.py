"""Front: our fixtures in tests/data/front, written from FORMATS.md section 5 (no real Front
file is public): a conversations page, a messages and a comments response, an export script's
conversations with messages nested."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.importing.formats import Head, detect, front
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data" / "front"
CONVERSATIONS = DATA / "conversations.json"
MESSAGES = DATA / "messages-cnv_55c8c149.json"
COMMENTS = DATA / "comments-cnv_55c8c149.json"
EXPORT = DATA / "export-with-messages.json"


def _timeline(db_path, external_id):
    return stored_rows(
        db_path,
        "select m.external_id, m.author_role, m.is_internal, m.created_at, m.author_external_id, "
        "m.author_name from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'front' and c.external_id = ? order by m.created_at",
        [external_id],
    )


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_every_fixture_is_detected_as_front(path):
    assert detect(Head(path.name, path.read_bytes()[:65536])).name == "front"


def test_conversations_then_their_messages_and_comments(db_path):
    report = import_paths(db_path, CONVERSATIONS, MESSAGES, COMMENTS)
    assert [f.format for f in report.files] == ["front"] * 3
    assert all(f.rejected == [] for f in report.files)
    assert report.files[1].passed_over == {"front draft": 1}
    assert stored_rows(
        db_path,
        "select external_id, subject, status, created_at, message_count from conversations order by 1",
    ) == [
        ("cnv_55c8c149", "Refund for annual plan", "archived", "2024-06-03T08:12:30Z", 3),
        ("cnv_6a1f0e2d", "Вопрос по счёту", "unassigned", "2024-06-04T06:00:00Z", 0),
        ("cnv_7d3e9b10", "无法导出报表", "assigned", "2024-06-05T01:00:00Z", 0),
    ]
    # newest first in the file; the draft left out; the comment is an internal note; the
    # inbound message's author is the "from" recipient (its own links name no conversation:
    # the envelope's self link does)
    assert _timeline(db_path, "cnv_55c8c149") == [
        ("msg_5t6y7u8i", "customer", 0, "2024-06-03T08:12:30Z", "dana.whitfield@example.com", "Dana Whitfield"),
        ("com_a1b2c3", "agent", 1, "2024-06-03T09:20:00Z", "tea_2b7", "Emma Larsen"),
        ("msg_1q2w3e4r", "agent", 0, "2024-06-03T09:40:00Z", "tea_2b7", "Emma Larsen"),
    ]  # fmt: skip
    assert stored_rows(
        db_path,
        "select cu.external_id, cu.name, cu.email, a.external_id, a.name, a.email "
        "from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id where c.external_id = 'cnv_55c8c149'",
    ) == [
        (
            "dana.whitfield@example.com",
            "Dana Whitfield",
            "dana.whitfield@example.com",
            "tea_2b7",
            "Emma Larsen",
            "emma@northwind.example",
        )
    ]
    assert stored_rows(
        db_path, "select phone from customers where external_id = '+79161234567'"
    ) == [("+79161234567",)]
    assert stored_rows(
        db_path, "select body_text from messages where external_id = 'msg_1q2w3e4r'"
    ) == [
        (
            "Hi Dana,\n\nI've refunded the unused 7 months ($273) to your card. It shows within "
            "5–10 days.\n\nEmma",
        )
    ]


def test_export_with_nested_messages(db_path):
    (file_report,) = import_paths(db_path, EXPORT).files
    assert file_report.rejected == []
    assert len(file_report.warnings) == 1  # _pagination.next: one page of several
    assert stored_rows(
        db_path, "select external_id, channel, message_count from conversations order by 1"
    ) == [("cnv_6a1f0e2d", "messaging", 3), ("cnv_7d3e9b10", "email", 4)]
    assert [(m[0], m[1], m[2]) for m in _timeline(db_path, "cnv_6a1f0e2d")] == [
        ("msg_ru000001", "customer", 0),
        ("com_ru0001", "agent", 1),
        ("msg_ru000002", "agent", 0),
    ]
    # an outbound message no teammate wrote (an auto-reply) is the system's
    assert [(m[0], m[1], m[2]) for m in _timeline(db_path, "cnv_7d3e9b10")] == [
        ("msg_cn000001", "customer", 0),
        ("msg_cn000003", "system", 0),
        ("com_cn0001", "agent", 1),
        ("msg_cn000002", "agent", 0),
    ]
    assert stored_rows(
        db_path, "select body_text from messages where external_id = 'msg_ru000002'"
    ) == [("Здравствуйте, Иван! Счёт исправлен, новая сумма 1 990 ₽.",)]
    assert sorted(stored_rows(db_path, "select name from tags")) == [("bug",), ("导出",)]


def test_reimport_adds_nothing_and_a_newer_export_updates(db_path, tmp_path):
    import_paths(db_path, CONVERSATIONS, MESSAGES, COMMENTS)
    again = import_paths(db_path, CONVERSATIONS, MESSAGES, COMMENTS)
    assert [(f.added, f.updated) for f in again.files] == [(0, 0)] * 3

    page = json.loads(MESSAGES.read_text())
    page["_results"].insert(
        0,
        {
            "id": "msg_0p9o8i7u",
            "type": "email",
            "is_inbound": True,
            "is_draft": False,
            "created_at": 1717408800.25,
            "author": None,
            "recipients": [{"handle": "dana.whitfield@example.com", "role": "from", "name": "Dana Whitfield"}],
            "body": "<p>Refund received, thank you.</p>",
            "text": "Refund received, thank you.",
        },
    )  # fmt: skip
    newer_messages = tmp_path / "messages.json"
    newer_messages.write_text(json.dumps(page, ensure_ascii=False))
    conversations = json.loads(CONVERSATIONS.read_text())
    conversations["_results"][1]["status"] = "archived"
    newer_conversations = tmp_path / "conversations.json"
    newer_conversations.write_text(json.dumps(conversations, ensure_ascii=False))
    report = import_paths(db_path, newer_conversations, newer_messages)
    assert [(f.added, f.updated) for f in report.files] == [(0, 1), (0, 0)]
    assert report.files[1].outcomes["messages"] == {"added": 1, "unchanged": 2}
    assert stored_rows(
        db_path, "select status from conversations where external_id = 'cnv_6a1f0e2d'"
    ) == [("archived",)]
    assert _timeline(db_path, "cnv_55c8c149")[-1][:4] == (
        "msg_0p9o8i7u",
        "customer",
        0,
        "2024-06-03T10:00:00Z",
    )


def test_bad_items_are_rejected_and_the_rest_land(db_path, tmp_path):
    page = json.loads(MESSAGES.read_text())
    del page["_links"]  # nothing names the conversation for a message without its own links
    page["_results"][0]["created_at"] = "a while ago"
    page["_results"].append(["not", "a", "message"])
    page["_results"].append({"id": "", "body": "x"})
    page["_results"].append({"id": "inb_1234", "name": "Support"})
    path = tmp_path / "messages.json"
    path.write_text(json.dumps(page, ensure_ascii=False))
    (file_report,) = import_paths(db_path, path).files
    assert [(r.record, r.helpdesk_id, r.field) for r in file_report.rejected] == [
        (1, "msg_1q2w3e4r", "created_at"),
        (3, "msg_5t6y7u8i", "_links.related.conversation"),
        (4, None, None),
        (5, None, "id"),
    ]
    assert file_report.passed_over == {"front draft": 1, "front inb": 1}
    assert stored_rows(db_path, "select count(*) from messages") == [(0,)]


@pytest.mark.parametrize(
    "name",
    [
        "freshdesk/python-freshdesk-v2-ticket_1.json",
        "freshdesk/python-freshdesk-v2-all_tickets.json",
        "zendesk/api-incremental-tickets.json",
        "zendesk/api-ticket-33-comments.json",
        "intercom/airbyte-intercom-expected_records.jsonl",
        "twitter/twcs-sample.csv",
    ],
)
def test_front_sniffer_refuses_other_samples(samples, name):
    assert not front.sniff(Head(name, (samples / name).read_bytes()[:65536]))


@pytest.mark.parametrize("folder", ["helpscout", "intercom"])
def test_front_sniffer_refuses_other_vendors_fixtures(folder):
    for path in sorted((Path(__file__).parent / "data" / folder).glob("*.json")):
        assert not front.sniff(Head(path.name, path.read_bytes()[:65536])), path.name


def test_a_front_webhook_log_lands_each_event(db_path):
    """Front's rule webhooks post events: the conversation as it is now, and the message or
    comment the event is about (`target.data`); a receiver's log holds one a line."""
    path = Path(__file__).parent / "data" / "front" / "webhooks.ndjson"
    [f] = import_paths(db_path, path).files
    assert (f.format, f.read, f.added, f.rejected, f.not_read) == ("webhook-log", 6, 1, [], {})
    assert stored_rows(
        db_path,
        "select c.subject, c.status, c.channel, cu.name, cu.email, a.name from conversations c "
        "join customers cu on cu.id = c.customer_id join agents a on a.id = c.agent_id",
    ) == [("Cancel my plan", "assigned", "email", "Mia Jensen", "mia@example.dk", "Emma Larsen")]
    assert stored_rows(
        db_path,
        "select external_id, author_role, is_internal, created_at, body_text from messages "
        "order by created_at",
    ) == [
        ("msg_in0001", "customer", 0, "2024-06-04T08:33:20Z", "Please cancel my plan at the end of the month."),
        ("msg_out0002", "agent", 0, "2024-06-04T09:33:20Z", "Hi Mia, we can offer two months at half price."),
        ("com_c0003", "agent", 1, "2024-06-04T09:35:00Z", "Offered the retention discount."),
    ]  # fmt: skip
    assert stored_rows(
        db_path, "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id"
    ) == [("billing",)]
    again = import_paths(db_path, path).files[0]
    assert (again.added, again.updated, again.figure("messages", "added")) == (0, 0, 0)
