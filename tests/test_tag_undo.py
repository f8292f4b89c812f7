"""Saves and losses written with an undo session can be undone and redone (review.store.undo);
without one they leave no history, as before."""

from __future__ import annotations

from review.retention.losses import delete_loss, tag_loss, update_loss
from review.retention.saves import delete_save, saves_for_conversation, tag_save, update_save
from review.store import undo


def _conversation(db) -> int:
    db.insert(
        "conversations",
        {
            "source": "csv",
            "external_id": "c1",
            "subject": "Отмена",
            "created_at": "2024-05-01T00:00:00Z",
        },
    )
    return db.execute("select id from conversations").fetchone()[0]


def _rows(db, table):
    return db.execute(f"select mrr_cents, currency from {table}").fetchall()


def test_save_tag_update_delete_undo_redo(db):
    cid = _conversation(db)
    tag_save(db, cid, "49.00", "EUR", "discount", session="gui")
    assert undo.undo_label(db, "gui") == "Tag save EUR 49.00"
    [save] = saves_for_conversation(db, cid)
    update_save(db, save.id, mrr="39.00", session="gui")
    assert _rows(db, "saves") == [(3900, "EUR")]
    undo.undo(db, "gui")
    assert _rows(db, "saves") == [(4900, "EUR")]
    undo.undo(db, "gui")
    assert _rows(db, "saves") == []
    undo.redo(db, "gui")
    assert _rows(db, "saves") == [(4900, "EUR")]
    delete_save(db, save.id, session="gui")
    assert _rows(db, "saves") == []
    changes = undo.undo(db, "gui")
    assert _rows(db, "saves") == [(4900, "EUR")]
    assert "saves" in changes.tables and cid in changes.conversations


def test_loss_tag_update_delete_undo(db):
    cid = _conversation(db)
    tag_loss(db, cid, "120", "USD", 1, session="gui")
    [(loss_id,)] = db.execute("select id from losses").fetchall()
    update_loss(db, loss_id, mrr="100", session="gui")
    delete_loss(db, loss_id, session="gui")
    assert _rows(db, "losses") == []
    undo.undo(db, "gui")
    assert _rows(db, "losses") == [(10000, "USD")]
    undo.undo(db, "gui")
    assert _rows(db, "losses") == [(12000, "USD")]
    undo.undo(db, "gui")
    assert _rows(db, "losses") == []


def test_without_a_session_nothing_is_recorded(db):
    cid = _conversation(db)
    tag_save(db, cid, "49.00", "EUR", "discount")
    [save] = saves_for_conversation(db, cid)
    delete_save(db, save.id)
    tag_loss(db, cid, "10", "USD", 1)
    assert undo.undo_label(db, undo.DEFAULT_SESSION) is None
    assert db.execute("select count(*) from undo_log").fetchone() == (0,)
