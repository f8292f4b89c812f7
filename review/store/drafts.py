"""Drafts: text typed into a dialog and not confirmed yet (a save's story, a loss's customer's
words, a coaching note), written as it is typed so that a crash loses none of it, offered
again when the same dialog opens, and dropped once the dialog's OK has written it."""

from __future__ import annotations

from review.store import Store
from review.store.undo import now_utc


def get_draft(db: Store, key: str) -> str | None:
    """The draft kept under `key`, or None."""
    row = db.execute("select text from drafts where key = :key", {"key": key}).fetchone()
    return row[0] if row else None


def put_draft(db: Store, key: str, text: str) -> None:
    """Keep `text` under `key` (empty text drops the draft)."""
    if not text.strip():
        drop_draft(db, key)
        return
    db.execute(
        "insert into drafts (key, text, updated_at) values (:key, :text, :now) "
        "on conflict (key) do update set text = excluded.text, updated_at = excluded.updated_at",
        {"key": key, "text": text, "now": now_utc()},
    )


def drop_draft(db: Store, key: str) -> None:
    """Forget the draft under `key` (written, or given up)."""
    db.execute("delete from drafts where key = :key", {"key": key})
