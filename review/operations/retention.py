"""Saved and lost customers: tag, edit, remove; loss reasons. Thin wrappers over
review.retention, which does the checking; the tags are undoable in the actor's session."""

from __future__ import annotations

from typing import Any

from review.changes import Changes
from review.operations.core import Actor, operation
from review.retention import losses, saves
from review.store import Store


@operation("tag-save", "Tag saved customer")
def tag_save(
    db: Store,
    actor: Actor,
    conversation_id: int,
    mrr: str,
    currency: str,
    method: str,
    agent_id: int | None = None,
    saved_on: str | None = None,
    story: str | None = None,
) -> Changes:
    """Tag the conversation as a saved customer (pending until a billing list confirms it);
    refused when it already has a save or a loss (edit or remove that one)."""
    return saves.tag_save(
        db,
        conversation_id,
        mrr,
        currency,
        method,
        agent_id,
        saved_on,
        story,
        session=actor.session,
    )


@operation("tag-loss", "Tag lost customer")
def tag_loss(
    db: Store,
    actor: Actor,
    conversation_id: int,
    mrr: str,
    currency: str,
    reason_id: int,
    preventable: bool | None = None,
    customer_words: str | None = None,
    agent_id: int | None = None,
    lost_on: str | None = None,
) -> Changes:
    """Tag the conversation as a lost customer with its primary reason; refused when it
    already has a save or a loss (edit or remove that one)."""
    return losses.tag_loss(
        db,
        conversation_id,
        mrr,
        currency,
        reason_id,
        preventable,
        customer_words,
        agent_id,
        lost_on,
        session=actor.session,
    )


@operation("update-save", "Edit save")
def update_save(
    db: Store,
    actor: Actor,
    save_id: int,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> Changes:
    """Change fields of a save (see review.retention.saves.update_save)."""
    return saves.update_save(
        db, save_id, session=actor.session, expected_version=expected_version, **values
    )


@operation("delete-save", "Delete save")
def delete_save(
    db: Store, actor: Actor, save_id: int, expected_version: int | None = None
) -> Changes:
    """Remove a save (the one shown, at `expected_version`)."""
    return saves.delete_save(db, save_id, session=actor.session, expected_version=expected_version)


@operation("update-loss", "Edit loss")
def update_loss(
    db: Store,
    actor: Actor,
    loss_id: int,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> Changes:
    """Change fields of a loss (see review.retention.losses.update_loss)."""
    return losses.update_loss(
        db, loss_id, session=actor.session, expected_version=expected_version, **values
    )


@operation("delete-loss", "Delete loss")
def delete_loss(
    db: Store, actor: Actor, loss_id: int, expected_version: int | None = None
) -> Changes:
    """Remove a loss (the one shown, at `expected_version`)."""
    return losses.delete_loss(db, loss_id, session=actor.session, expected_version=expected_version)


@operation("add-loss-reason", "Add loss reason")
def add_loss_reason(
    db: Store, actor: Actor, name: str, parent: int | None = None, **extra: Any
) -> tuple[Changes, int]:
    """Add a team's own loss reason; the value is its id."""
    reason = losses.add_loss_reason(db, name, parent, **extra)
    return Changes.of("loss_reasons"), reason.id
