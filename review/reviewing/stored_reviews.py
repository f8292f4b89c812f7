"""Reviews as stored, read back: one review with its ratings, a reviewer's review of a
conversation, every review of it, and the agent a new review is of by default.

review.reviewing.reviews writes them (and re-exports these for its callers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from review.errors import NotFound
from review.store import Store


@dataclass(frozen=True)
class Rating:
    """One category of a review: a rating (None = N/A or not rated), N/A, a comment."""

    category_id: int
    rating: int | None
    is_na: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class Review:
    """A stored review with its ratings by category id."""

    id: int
    conversation_id: int
    rubric_id: int
    reviewer: str
    agent_id: int | None
    score: float | None
    critical_failed: bool
    overall_comment: str | None
    created_at: str
    updated_at: str
    ratings: dict[int, Rating] = field(default_factory=dict)
    version: int = 1
    updated_by: str | None = None  # the login that wrote last (a team store)


def default_agent(db: Store, conversation_id: int) -> int | None:
    """The agent who wrote most public replies in the conversation, else its assigned agent.

    Ties go to the assigned agent, then to the agent who replied first.
    """
    row = db.execute(
        """select a.id
             from messages m
             join conversations c on c.id = m.conversation_id
             join agents a on a.source = c.source and a.external_id = m.author_external_id
            where m.conversation_id = :c and m.author_role = 'agent' and m.is_internal = 0
              and m.kind = 'message'
            group by a.id
            order by count(*) desc, max(case when a.id = c.agent_id then 1 else 0 end) desc,
                        min(m.created_at), a.id
            limit 1""",
        {"c": conversation_id},
    ).fetchone()
    if row is not None:
        return row[0]
    row = db.execute(
        "select agent_id from conversations where id = ?", [conversation_id]
    ).fetchone()
    return row[0] if row else None


# a review's row with each of its ratings (one row with no rating when it has none): the review
# and its ratings in one statement, as the review panel reads them after every write
_REVIEW_WITH_RATINGS = (
    "select r.id, r.conversation_id, r.rubric_id, r.reviewer, r.agent_id, r.score, "
    "r.critical_failed, r.overall_comment, r.created_at, r.updated_at, r.version, r.updated_by, "
    "rr.category_id, rr.rating, rr.is_na, rr.comment "
    "from reviews r left join review_ratings rr on rr.review_id = r.id where "
)


def _review(rows: list) -> Review | None:
    if not rows:
        return None
    row = rows[0]
    ratings = {r[12]: Rating(r[12], r[13], bool(r[14]), r[15]) for r in rows if r[12] is not None}
    return Review(
        id=row[0],
        conversation_id=row[1],
        rubric_id=row[2],
        reviewer=row[3],
        agent_id=row[4],
        score=row[5],
        critical_failed=bool(row[6]),
        overall_comment=row[7],
        created_at=row[8],
        updated_at=row[9],
        ratings=ratings,
        version=row[10],
        updated_by=row[11],
    )


def get_review(db: Store, review_id: int) -> Review:
    """The review with its ratings; NotFound if there is none."""
    review = _review(db.execute(_REVIEW_WITH_RATINGS + "r.id = :id", {"id": review_id}).fetchall())
    if review is None:
        raise NotFound("review", review_id)
    return review


# the review in calibration session :s, or the ordinary one when :s is None
_IN_SESSION = (
    "(r.calibration_session_id = :s or (cast(:s as integer) is null "
    "and r.calibration_session_id is null))"
)


def review_id_of(
    db: Store, conversation_id: int, reviewer: str, session_id: int | None = None
) -> int | None:
    """The id of the reviewer's own review of the conversation (in calibration session
    `session_id`, or their ordinary review when None), or None."""
    row = db.execute(
        "select r.id from reviews r where r.conversation_id = :c and r.reviewer = :r and "
        + _IN_SESSION,
        {"c": conversation_id, "r": reviewer, "s": session_id},
    ).fetchone()
    return row[0] if row else None


def review_of(
    db: Store, conversation_id: int, reviewer: str, session_id: int | None = None
) -> Review | None:
    """The reviewer's own review of the conversation (in calibration session `session_id`,
    or their ordinary review when None), or None."""
    return _review(
        db.execute(
            _REVIEW_WITH_RATINGS + "r.conversation_id = :c and r.reviewer = :r and " + _IN_SESSION,
            {"c": conversation_id, "r": reviewer, "s": session_id},
        ).fetchall()
    )


def reviews_for_conversation(db: Store, conversation_id: int) -> list[Review]:
    """Every ordinary review of the conversation (none from a calibration session), oldest
    first."""
    ids = db.execute(
        "select id from reviews where conversation_id = ? and calibration_session_id is null "
        "order by created_at, id",
        [conversation_id],
    ).fetchall()
    return [get_review(db, i) for (i,) in ids]
