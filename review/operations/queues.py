"""Review queues: build, delete, and the reviewer's place in one (a bookmark, not undoable)."""

from __future__ import annotations

import json
from typing import Any

from review.changes import Changes
from review.operations.core import Actor, operation
from review.reviewing import queues
from review.store import Store


@operation("build-queue", "New queue")
def build_queue(
    db: Store,
    actor: Actor,
    name: str,
    filters: dict[str, Any],
    sample_per_agent_per_week: int | None = None,
    seed: int | None = None,
    lowest_auto_score: int | None = None,
    assign_to: str | None = None,
) -> tuple[Changes, int]:
    """Store a queue of the conversations `filters` select, whole, sampled, or the
    `lowest_auto_score` lowest automatic scores among them; value: its id. `assign_to`: whose
    queue it is (a team store's manager names a lead's login, or "" for a queue open to every
    lead); None: the one who builds it, as on a file."""
    reviewer = actor.reviewer if assign_to is None else (assign_to.strip() or None)
    queue = queues.build_queue(
        db,
        name,
        queues.filters_from_json(json.dumps(filters)),
        sample_per_agent_per_week,
        seed,
        reviewer=reviewer,
        lowest_auto_score=lowest_auto_score,
    )
    return Changes.of("queues"), queue.id


@operation("delete-queue", "Delete queue")
def delete_queue(db: Store, actor: Actor, queue_id: int) -> Changes:
    """Delete a queue; its conversations and their reviews stay."""
    return queues.delete_queue(db, queue_id)


@operation("queue-position", "Queue position")
def queue_position(db: Store, actor: Actor, queue_id: int, position: int) -> Changes:
    """Remember where the reviewer is in a queue: a bookmark, which changes nothing any view
    shows (so no view is redrawn for it)."""
    queues.set_queue_position(db, queue_id, position)
    return Changes()


@operation("claim-next", "Claim next conversation")
def claim_next(db: Store, actor: Actor, queue_id: int) -> tuple[Changes, int | None]:
    """Claim the queue's next free conversation for the actor; value: its id (None: the queue
    has nothing left to claim)."""
    claim = queues.claim_next(db, queue_id, actor.reviewer or "")
    return Changes.of("queue_items"), claim.conversation_id if claim else None
