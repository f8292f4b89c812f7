"""Coaching notes: a note with its action items written as one operation, ticks, follow-ups."""

from __future__ import annotations

from typing import Any

from review.changes import Changes
from review.operations.core import Actor, operation
from review.reviewing import coaching
from review.store import Store


@operation("save-note", "Coaching note")
def save_note(
    db: Store,
    actor: Actor,
    agent_id: int,
    text: str,
    review_ids: list[int],
    follow_up: str | None,
    items: list[dict[str, Any]],
    note_id: int | None = None,
    author: str | None = None,
) -> tuple[Changes, int]:
    """Write a new note (note_id None) or a new version of one, and add `items` (each
    {text, due, category_ids}) to it, all or nothing. The value is the note's id."""
    author = author or actor.reviewer
    if note_id is None:
        added = coaching.add_note(
            db, agent_id, author, text, review_ids, follow_up, session=actor.session
        )
        note_id = added.id
        changes = Changes(added.conversations, added.tables)
    else:
        changes = coaching.edit_note(
            db, note_id, text, follow_up, review_ids, author, session=actor.session
        )
    for item in items:
        added = coaching.add_action_item(
            db,
            note_id,
            item["text"],
            item.get("due"),
            item.get("category_ids") or (),
            session=actor.session,
        )
        changes |= Changes(added.conversations, added.tables)
    return changes | Changes.of("coaching_notes"), note_id


@operation("action-item-done", "Action item")
def action_item_done(db: Store, actor: Actor, item_id: int, done: bool) -> Changes:
    """Tick an action item done, or not done."""
    return coaching.set_action_item_done(db, item_id, done, session=actor.session)


@operation("follow-up-done", "Follow-up")
def follow_up_done(db: Store, actor: Actor, note_id: int, done: bool = True) -> Changes:
    """Record that a note's follow-up happened (or is still to do)."""
    return coaching.mark_followed_up(db, note_id, done, session=actor.session)
