"""Drafts of dialog text as operations: written through the runner as they are typed (journaled
like every edit), not undo steps."""

from __future__ import annotations

from review.changes import Changes
from review.operations.core import Actor, operation
from review.store import Store
from review.store.drafts import drop_draft, put_draft


@operation("draft", "Draft")
def draft(db: Store, actor: Actor, key: str, text: str) -> Changes:
    """Keep the text typed so far under `key`."""
    put_draft(db, key, text)
    return Changes()


@operation("drop-draft", "Draft")
def drop(db: Store, actor: Actor, key: str) -> Changes:
    """Forget the draft under `key`."""
    drop_draft(db, key)
    return Changes()
