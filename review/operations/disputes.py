"""Disputes (DOMAIN.md): an agent disputes a score, the reviewer or a manager resolves it.
Neither is undoable: a dispute is a message to a colleague, and the next step answers it."""

from __future__ import annotations

from review.changes import Changes
from review.operations.core import Actor, operation
from review.reviewing import disputes
from review.store import Store


def _conversation(db: Store, review_id: int) -> tuple[int, ...]:
    row = db.execute(
        "select conversation_id from reviews where id = :r", {"r": review_id}
    ).fetchone()
    return (row[0],) if row else ()


@operation("open-dispute", "Dispute")
def open_dispute(
    db: Store, actor: Actor, review_id: int, reason: str, category_id: int | None = None
) -> tuple[Changes, int]:
    """Dispute a review (or one category of it) with a reason; value: the dispute's id."""
    dispute = disputes.open_dispute(
        db, review_id, reason, category_id=category_id, by=actor.reviewer or ""
    )
    return Changes.of("disputes", _conversation(db, review_id)), dispute.id


@operation("resolve-dispute", "Resolve dispute")
def resolve_dispute(
    db: Store,
    actor: Actor,
    dispute_id: int,
    outcome: str,
    note: str,
    expected_version: int | None = None,
) -> Changes:
    """Close an open dispute as amended, upheld or rejected, with a note."""
    dispute = disputes.resolve_dispute(
        db, dispute_id, outcome, note, by=actor.reviewer or "", expected_version=expected_version
    )
    return Changes.of("disputes", _conversation(db, dispute.review_id))
