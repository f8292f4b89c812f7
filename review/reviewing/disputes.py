"""Disputes: an agent's objection to one category or a whole review (DOMAIN.md).

A dispute stays open until the reviewer or a manager amends the rating (then says so here),
upholds it, or rejects the dispute, each with a note. On a team store the server decides who
may: an agent disputes only reviews about themselves, and only the review's own reviewer or a
manager resolves (review/store/policies.py); the person is the signed-in login.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.errors import EditConflict, InvalidInput, NotFound
from review.store import Store
from review.store.undo import now_utc

OUTCOMES = ("amended", "upheld", "rejected")


@dataclass(frozen=True)
class Dispute:
    """One dispute; `category_id` None disputes the whole review."""

    id: int
    review_id: int
    category_id: int | None
    reason: str
    opened_by: str | None
    opened_at: str
    status: str
    resolution_note: str | None
    resolved_by: str | None
    resolved_at: str | None
    version: int


_COLUMNS = (
    "id, review_id, category_id, reason, opened_by, opened_at, status, resolution_note, "
    "resolved_by, resolved_at, version"
)


def open_dispute(
    db: Store, review_id: int, reason: str, *, category_id: int | None = None, by: str = ""
) -> Dispute:
    """Dispute a review (or one of its categories) with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A dispute needs the reason the score is wrong.")
    who = db.signed_in_as() or by.strip() or None
    with db.atomic():
        row = db.execute("select rubric_id from reviews where id = :r", {"r": review_id}).fetchone()
        if row is None:
            raise NotFound("review", review_id)
        if (
            category_id is not None
            and not db.execute(
                "select 1 from rubric_categories where id = :c and rubric_id = :r",
                {"c": category_id, "r": row[0]},
            ).fetchone()
        ):
            raise InvalidInput(f"Category {category_id} is not part of this review's rubric.")
        dispute_id = db.insert(
            "disputes",
            {"review_id": review_id, "category_id": category_id, "reason": reason,
             "opened_by": who, "opened_at": now_utc(), "status": "open"},
        )  # fmt: skip
    return get_dispute(db, dispute_id)


def resolve_dispute(
    db: Store,
    dispute_id: int,
    outcome: str,
    note: str,
    *,
    by: str = "",
    expected_version: int | None = None,
) -> Dispute:
    """Close an open dispute as amended, upheld or rejected, with a note."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"'{outcome}' is not how a dispute ends: {', '.join(OUTCOMES)}.")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Resolving a dispute needs a note for the agent.")
    who = db.signed_in_as() or by.strip() or None
    with db.atomic():
        current = get_dispute(db, dispute_id)
        done = db.execute(
            "update disputes set status = :s, resolution_note = :n, resolved_by = :w, "
            "resolved_at = :t, version = version + 1 where id = :id and status = 'open' "
            "and (cast(:v as integer) is null or version = :v)",
            {"s": outcome, "n": note, "w": who, "t": now_utc(), "id": dispute_id,
             "v": expected_version},
        ).rowcount  # fmt: skip
        if not done:
            moved = expected_version is not None and current.version != expected_version
            if current.status != "open" or moved:
                raise EditConflict(
                    "this dispute", current.resolved_by or "someone else", current.resolved_at
                )
            raise InvalidInput("This dispute is not yours to resolve.")
    return get_dispute(db, dispute_id)


def get_dispute(db: Store, dispute_id: int) -> Dispute:
    """The dispute; NotFound if there is none (or it is not visible to the signed-in person)."""
    row = db.execute(
        f"select {_COLUMNS} from disputes where id = :id", {"id": dispute_id}
    ).fetchone()
    if row is None:
        raise NotFound("dispute", dispute_id)
    return Dispute(*row)


def open_disputes(db: Store, conversation_id: int | None = None) -> list[Dispute]:
    """Every open dispute the signed-in person may see (of one conversation's reviews when
    `conversation_id` is given), oldest first."""
    return [
        Dispute(*row)
        for row in db.execute(
            f"select {_COLUMNS} from disputes where status = 'open' "
            "and (cast(:c as integer) is null or review_id in "
            "(select id from reviews where conversation_id = :c)) order by opened_at, id",
            {"c": conversation_id},
        )
    ]


def disputes_of(db: Store, conversation_id: int) -> list[Dispute]:
    """Every dispute (open or resolved) of the conversation's reviews, oldest first."""
    return [
        Dispute(*row)
        for row in db.execute(
            f"select {_COLUMNS} from disputes where review_id in "
            "(select id from reviews where conversation_id = :c) order by opened_at, id",
            {"c": conversation_id},
        )
    ]


@dataclass(frozen=True)
class DisputableReview:
    """A review of a conversation as the dispute dialog lists it."""

    id: int
    reviewer: str
    score: float | None
    categories: tuple[tuple[int, str], ...]  # (category id, name) in the rubric's order


def reviews_to_dispute(db: Store, conversation_id: int) -> list[DisputableReview]:
    """The conversation's reviews the signed-in person may see (on a team store an agent sees
    only those about themselves), with their rubric's categories."""
    found = []
    for review_id, reviewer, value, rubric_id in db.execute(
        "select id, reviewer, score, rubric_id from reviews where conversation_id = :c "
        "and calibration_session_id is null order by id",
        {"c": conversation_id},
    ).fetchall():
        categories = db.execute(
            "select id, name from rubric_categories where rubric_id = :r order by position, id",
            {"r": rubric_id},
        ).fetchall()
        found.append(
            DisputableReview(review_id, reviewer or "", value, tuple((c, n) for c, n in categories))
        )
    return found


def disputed_conversations(db: Store) -> list[int]:
    """The conversations with a review under open dispute (that the signed-in person sees)."""
    return [
        row[0]
        for row in db.execute(
            "select distinct r.conversation_id from disputes d join reviews r "
            "on r.id = d.review_id where d.status = 'open' order by r.conversation_id"
        )
    ]
