"""Saved customers: money exact to the cent, methods, agent credited, status, edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from review.errors import InvalidInput
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.retention.saves import (
    SAVE_METHODS,
    delete_save,
    find_conversation,
    get_save,
    saves_for_conversation,
    tag_save,
    update_save,
)


def _conversation(db, external_id="1", agent="a1") -> int:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                external_id,
                subject="Cancel?",
                created_at="2024-05-01T09:00:00Z",
                customer=Person("zendesk", "c" + external_id, "customer", email="x@example.com"),
                agent=Person("zendesk", agent, "agent", name="Ana"),
            )
        ],
    )
    return db.execute(
        "select id from conversations where external_id = ?", [external_id]
    ).fetchone()[0]


def test_a_save_keeps_money_exact_and_credits_the_conversations_agent(db):
    cid = _conversation(db)
    changes = tag_save(
        db, cid, "49.99", "usd", "discount", saved_on="2024-05-02", story="Gave a month"
    )
    assert changes.conversations == {cid} and "saves" in changes.tables
    (save,) = saves_for_conversation(db, cid)
    assert save.mrr_cents == 4999 and save.mrr == Decimal("49.99")
    assert save.arr_cents == 59988  # ARR = 12 * MRR, exact
    assert save.currency == "USD" and save.method == "discount" and save.status == "pending"
    agent = db.execute("select agent_id from conversations where id = ?", [cid]).fetchone()[0]
    assert save.agent_id == agent and agent is not None
    assert save.story == "Gave a month" and save.saved_on == "2024-05-02"


def _conversations(db, n: int) -> list[int]:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                f"m{i}",
                subject="Cancel?",
                created_at="2024-05-01T09:00:00Z",
                customer=Person("zendesk", f"cm{i}", "customer", email=f"m{i}@example.com"),
                agent=Person("zendesk", "a1", "agent", name="Ana"),
            )
            for i in range(n)
        ],
    )
    return [r[0] for r in db.execute("select id from conversations order by id").fetchall()]


def test_a_thousand_cents_add_up_exactly(db):
    for cid in _conversations(db, 1000):  # one save per conversation
        tag_save(db, cid, Decimal("0.10"), "EUR", "solved", saved_on="2024-05-02")
    total = db.execute("select sum(mrr_cents) from saves").fetchone()[0]
    assert total == 10000  # 1000 * 0.10 = 100.00, no float drift


@pytest.mark.parametrize(
    ("mrr", "problem"),
    [
        ("12.345", "fractions of a cent"),
        ("-5", "negative"),
        ("abc", "not an amount"),
        (9.5, "float"),
    ],
)
def test_bad_money_is_refused_with_the_reason(db, mrr, problem):
    cid = _conversation(db)
    with pytest.raises(InvalidInput, match=problem):
        tag_save(db, cid, mrr, "USD", "solved")
    assert saves_for_conversation(db, cid) == []


def test_bad_currency_method_date_and_conversation_are_refused(db):
    cid = _conversation(db)
    with pytest.raises(InvalidInput, match="ISO 4217"):
        tag_save(db, cid, "10", "dollars", "solved")
    with pytest.raises(InvalidInput, match="method"):
        tag_save(db, cid, "10", "USD", "begged")
    with pytest.raises(InvalidInput, match="date"):
        tag_save(db, cid, "10", "USD", "solved", saved_on="next tuesday")
    with pytest.raises(InvalidInput, match="does not exist"):
        tag_save(db, cid + 100, "10", "USD", "solved")


def test_every_domain_method_is_accepted_by_key_or_label(db):
    ids = iter(_conversations(db, 2 * len(SAVE_METHODS)))
    assert len(SAVE_METHODS) == 7
    for key, label in SAVE_METHODS.items():
        tag_save(db, next(ids), "1", "USD", key)
        tag_save(db, next(ids), "1", "USD", label)
    methods = [r[0] for r in db.execute("select method from saves").fetchall()]
    assert len(methods) == 14 and sorted(set(methods)) == sorted(SAVE_METHODS)


def test_partial_save_update_and_delete(db):
    cid = _conversation(db)
    tag_save(db, cid, "99.00", "USD", "plan_change")
    save = saves_for_conversation(db, cid)[0]
    # the customer downgraded: only the new plan's MRR is kept
    update_save(db, save.id, mrr="29.00", story="Moved to Basic")
    assert get_save(db, save.id).mrr_cents == 2900
    with pytest.raises(InvalidInput, match="status"):
        update_save(db, save.id, status="great")
    changes = delete_save(db, save.id)
    assert changes.conversations == {cid}
    assert saves_for_conversation(db, cid) == []


def test_find_conversation_by_id_or_helpdesk_id(db):
    cid = _conversation(db, external_id="4512")
    assert find_conversation(db, str(cid)) == cid
    assert find_conversation(db, "zendesk:4512") == cid
    assert find_conversation(db, "4512") == cid
    with pytest.raises(InvalidInput):
        find_conversation(db, "zendesk:999")
