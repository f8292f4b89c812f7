"""Upsert semantics of the store writer: stable ids, nothing lost, nothing duplicated."""

from __future__ import annotations

from review.importing.records import Conversation, Message, Messages, Person, Rating, Team
from review.importing.writer import store_records


def _ticket(status="open", messages=None, tags=("billing",), subject="Refund please"):
    return Conversation(
        "zendesk",
        "42",
        subject=subject,
        status=status,
        channel="email",
        created_at="2024-05-01T09:00:00Z",
        customer=Person("zendesk", "7", "customer", "Lena", "lena@example.com"),
        agent=Person("zendesk", "9", "agent", "Omar"),
        team=Team("zendesk", "g1", "Billing"),
        tags=list(tags),
        messages=messages
        if messages is not None
        else [
            Message(
                "c1", "unknown", "2024-05-01T09:00:00Z", "I want a refund", author_external_id="7"
            ),
            Message("c2", "unknown", "2024-05-01T09:05:00Z", "On it", author_external_id="9"),
        ],
        ratings=[Rating("zendesk", "r1", "42", "csat", "good-bad", "good", 1.0, True)],
    )


def test_first_import_adds_and_resolves_roles_from_people(db):
    writer = store_records(db, [_ticket()])
    assert writer.outcomes["conversations"]["added"] == 1
    roles = [r[0] for r in db.execute("select author_role from messages order by created_at")]
    assert roles == ["customer", "agent"]
    assert db.execute("select message_count from conversations").fetchone()[0] == 2


def test_reimport_is_unchanged_and_keeps_ids(db):
    store_records(db, [_ticket()])
    ids = (
        db.execute("select id from conversations").fetchall(),
        db.execute("select id from messages").fetchall(),
    )
    writer = store_records(db, [_ticket()])
    assert writer.outcomes["conversations"] == {"unchanged": 1}
    assert writer.outcomes["messages"] == {"unchanged": 2}
    assert (
        db.execute("select id from conversations").fetchall(),
        db.execute("select id from messages").fetchall(),
    ) == ids


def test_newer_export_updates_status_and_adds_messages_without_deleting(db):
    store_records(db, [_ticket()])
    newer = _ticket(
        status="solved",
        messages=[
            Message("c3", "agent", "2024-05-02T10:00:00Z", "Refunded, sorry for the trouble")
        ],
    )
    writer = store_records(db, [newer])
    assert writer.outcomes["conversations"]["updated"] == 1
    assert db.execute("select status, message_count from conversations").fetchone() == ("solved", 3)


def test_missing_fields_never_erase_stored_ones(db):
    store_records(db, [_ticket()])
    store_records(db, [Conversation("zendesk", "42", status="closed")])
    row = db.execute("select subject, channel, status from conversations").fetchone()
    assert row == ("Refund please", "email", "closed")


def test_helpdesk_tags_are_replaced_but_tags_added_in_savedesk_are_kept(db):
    store_records(db, [_ticket(tags=("billing", "vip"))])
    db.execute("insert into tags (name) values ('saved')")
    db.execute(
        "insert into conversation_tags (conversation_id, tag_id, origin) "
        "select c.id, t.id, 'user' from conversations c, tags t where t.name = 'saved'"
    )
    store_records(db, [_ticket(tags=("billing",))])
    tags = sorted(
        db.execute(
            "select t.name, ct.origin from conversation_tags ct join tags t on t.id = ct.tag_id"
        ).fetchall()
    )
    assert tags == [("billing", "helpdesk"), ("saved", "user")]


def test_loose_messages_create_a_bare_conversation_that_the_ticket_fills_later(db):
    store_records(
        db, [Messages("zendesk", "42", [Message("c9", "unknown", "2024-05-01T08:00:00Z", "hello")])]
    )
    assert db.execute("select subject, created_at from conversations").fetchone() == (
        None,
        "2024-05-01T08:00:00Z",
    )
    store_records(db, [_ticket()])
    assert db.execute("select count(*), max(subject) from conversations").fetchone() == (
        1,
        "Refund please",
    )
    assert db.execute("select message_count from conversations").fetchone()[0] == 3


def test_rating_changes_are_updates_not_duplicates(db):
    store_records(db, [_ticket()])
    changed = _ticket()
    changed.ratings = [Rating("zendesk", "r1", "42", "csat", "good-bad", "bad", 0.0, False, "slow")]
    store_records(db, [changed])
    assert db.execute("select raw_value, positive, comment from ratings").fetchall() == [
        ("bad", 0, "slow")
    ]


def test_an_older_export_imported_after_a_newer_one_rolls_nothing_back(db):
    newer = _ticket(status="solved")
    newer.updated_at = "2024-05-03T00:00:00Z"
    store_records(db, [newer])
    older = _ticket(
        status="open",
        messages=[Message("c0", "customer", "2024-04-30T08:00:00Z", "An earlier message")],
    )
    older.updated_at = "2024-05-01T10:00:00Z"
    older.number = "1042"  # a field the newer export did not carry is still filled in
    writer = store_records(db, [older])
    assert writer.outcomes["conversations"]["updated"] == 1
    row = db.execute(
        "select status, updated_at, number, message_count from conversations"
    ).fetchone()
    assert row == ("solved", "2024-05-03T00:00:00Z", "1042", 3)
