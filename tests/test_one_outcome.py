"""A conversation ends saved or lost, once: a second save or loss is refused in one sentence
naming what is there and how to change it; the store refuses a second row whatever writes;
editing the one there goes through its edit, guarded by its version."""

from __future__ import annotations

import pytest

from review.errors import EditConflict
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.operations import Actor, Call, run
from review.retention.losses import find_loss_reason, losses_for_conversation, tag_loss
from review.retention.outcome import AlreadyTagged, tagged
from review.retention.saves import delete_save, saves_for_conversation, tag_save


def _conversation(db, external_id="77") -> int:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                external_id,
                subject="Cancel my plan",
                created_at="2024-05-01T09:00:00Z",
                customer=Person("zendesk", "c" + external_id, "customer", email="c@example.com"),
                agent=Person("zendesk", "a1", "agent", name="Ana"),
            )
        ],
    )
    return db.execute(
        "select id from conversations where external_id = ?", [external_id]
    ).fetchone()[0]


def test_a_second_save_is_refused_naming_the_first_and_how_to_change_it(db):
    cid = _conversation(db)
    tag_save(db, cid, "49.00", "USD", "discount")
    with pytest.raises(AlreadyTagged) as refused:
        tag_save(db, cid, "49.00", "USD", "discount")
    text = str(refused.value)
    assert text.startswith("Conversation zendesk:77 already has a save (USD 49.00, tagged on ")
    assert "edit that save instead" in text and text.count(". ") == 0  # one sentence
    assert len(saves_for_conversation(db, cid)) == 1


def test_a_saved_conversation_cannot_also_be_lost_nor_a_lost_one_saved(db):
    saved, lost = _conversation(db, "1"), _conversation(db, "2")
    other = find_loss_reason(db, "Other").id
    tag_save(db, saved, "10", "EUR", "solved")
    tag_loss(db, lost, "20", "EUR", other)
    with pytest.raises(AlreadyTagged, match="is tagged saved.*remove that save first"):
        tag_loss(db, saved, "10", "EUR", other)
    with pytest.raises(AlreadyTagged, match="is tagged lost.*remove that loss first"):
        tag_save(db, lost, "20", "EUR", "solved")
    with pytest.raises(AlreadyTagged, match="already has a loss"):
        tag_loss(db, lost, "20", "EUR", other)
    assert losses_for_conversation(db, saved) == [] and saves_for_conversation(db, lost) == []


def test_a_failed_save_stays_a_save_and_removing_it_frees_the_conversation(db):
    cid = _conversation(db)
    tag_save(db, cid, "10", "USD", "solved")
    save = saves_for_conversation(db, cid)[0]
    run(db, Actor("gui"), Call("update-save", {"save_id": save.id, "values": {"status": "failed"},
                                               "expected_version": save.version}))  # fmt: skip
    with pytest.raises(AlreadyTagged, match="is tagged saved"):
        tag_loss(db, cid, "10", "USD", find_loss_reason(db, "Other").id)
    delete_save(db, save.id)
    tag_loss(db, cid, "10", "USD", find_loss_reason(db, "Other").id)
    found = tagged(db, cid)
    assert found is not None and found.kind == "loss"


def test_the_existing_save_is_edited_with_its_version_not_doubled(db):
    cid = _conversation(db)
    run(db, Actor("gui"), Call("tag-save", {"conversation_id": cid, "mrr": "30", "currency": "USD",
                                            "method": "solved"}))  # fmt: skip
    with pytest.raises(AlreadyTagged):
        run(db, Actor("gui"), Call("tag-save", {"conversation_id": cid, "mrr": "35",
                                                "currency": "USD", "method": "solved"}))  # fmt: skip
    found = tagged(db, cid)
    assert found is not None
    run(db, Actor("gui"), Call("update-save", {"save_id": found.id, "values": {"mrr": "35"},
                                               "expected_version": found.version}))  # fmt: skip
    with pytest.raises(EditConflict):  # an edit from what was there before is refused
        run(db, Actor("gui"), Call("update-save", {"save_id": found.id, "values": {"mrr": "99"},
                                                   "expected_version": found.version}))  # fmt: skip
    assert [s.mrr_cents for s in saves_for_conversation(db, cid)] == [3500]


@pytest.mark.parametrize("table", ["saves", "losses"])
def test_the_store_itself_refuses_a_second_row_whatever_writes(db, table):
    cid = _conversation(db)
    if table == "saves":
        tag_save(db, cid, "10", "USD", "solved")
        columns = "conversation_id, mrr_cents, currency, method, saved_on"
        values = "'USD', 'solved', '2024-05-02'"
    else:
        tag_loss(db, cid, "10", "USD", find_loss_reason(db, "Other").id)
        columns = "conversation_id, mrr_cents, currency, reason_id, lost_on"
        values = f"'USD', {find_loss_reason(db, 'Other').id}, '2024-05-02'"
    with pytest.raises(Exception, match="(?i)unique"), db.atomic():
        db.execute(f"insert into {table} ({columns}) values ({cid}, 1000, {values})")
    assert db.execute(f"select count(*) from {table}").scalar() == 1


def test_two_colleagues_tagging_one_conversation_at_once_take_turns(db, db_path):
    # one saves inside a transaction still open when the other tags a loss: the loss waits for
    # the save to commit, then sees it and is refused (no index can keep a save and a loss of
    # one conversation apart: they are two tables)
    import threading

    from review.store import connect

    cid = _conversation(db)
    other_reason = find_loss_reason(db, "Other").id
    colleague = connect(db_path)
    holding, outcome = threading.Event(), []

    def lose() -> None:
        holding.wait(10)
        try:
            tag_loss(colleague, cid, "20", "EUR", other_reason)
            outcome.append("tagged")
        except AlreadyTagged as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=lose)
    worker.start()
    try:
        with db.atomic():
            tag_save(db, cid, "49.00", "USD", "discount")
            holding.set()
            worker.join(0.5)  # the colleague is waiting for its turn, not writing
            assert outcome == []
    finally:
        worker.join(20)
        colleague.close()
    assert len(outcome) == 1 and "is tagged saved" in outcome[0]
    assert losses_for_conversation(db, cid) == [] and len(saves_for_conversation(db, cid)) == 1
