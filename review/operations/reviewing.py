"""Reviewing a conversation: rate a category, comment, the overall comment, the agent reviewed.

Each acts on the actor's own review of the conversation and starts it when there is none
(its first write is then two undo steps, "Start review" and the edit, which the app undoes
together). Comments are written through as they are typed: consecutive writes of one comment
join into one undo step. Each takes the `expected_version` of the review its caller last saw:
when another session changed the review since, the write changes nothing and says who did
(review.errors.EditConflict). On a team store the reviewer is the signed-in login.
"""

from __future__ import annotations

from review.changes import Changes
from review.errors import InvalidInput
from review.operations.core import Actor, operation
from review.reviewing import reviews
from review.reviewing.calibration_sessions import scoring_rubric
from review.reviewing.stored_reviews import review_id_of
from review.store import Store


def _own_review(
    db: Store,
    actor: Actor,
    conversation_id: int,
    rubric_id: int | None,
    start: bool = True,
    calibration_session_id: int | None = None,
) -> int | None:
    # the id only: each write reads what it needs of the review itself
    name = db.signed_in_as() or actor.require_reviewer()
    if calibration_session_id is not None:
        # blind scoring: only while the session is open and the reviewer has not finished
        rubric_id = scoring_rubric(db, calibration_session_id, conversation_id, name)
    review_id = review_id_of(db, conversation_id, name, calibration_session_id)
    if review_id is not None or not start:
        return review_id
    return reviews.new_review(
        db, conversation_id, name, rubric_id, session=actor.session,
        calibration_session_id=calibration_session_id,
    )  # fmt: skip


@operation("rate", "Rate")
def rate(
    db: Store,
    actor: Actor,
    conversation_id: int,
    category_id: int,
    rating: int | None,
    na: bool = False,
    rubric_id: int | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Changes:
    """Rate one category of the actor's review (rating None and na False clears it)."""
    review_id = _own_review(db, actor, conversation_id, rubric_id, True, calibration_session_id)
    assert review_id is not None  # started when missing
    return reviews.rate(
        db, review_id, category_id, rating, na, session=actor.session,
        expected_version=expected_version,
    )  # fmt: skip


@operation("comment", "Comment")
def comment(
    db: Store,
    actor: Actor,
    conversation_id: int,
    category_id: int,
    text: str,
    rubric_id: int | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Changes:
    """Set the comment on one category (empty text removes it; none to remove: no-op)."""
    review_id = _own_review(
        db, actor, conversation_id, rubric_id, bool(text.strip()), calibration_session_id
    )
    if review_id is None:
        return Changes()
    return reviews.comment_category(
        db, review_id, category_id, text, session=actor.session, merge=True,
        expected_version=expected_version,
    )  # fmt: skip


@operation("overall-comment", "Overall comment")
def overall_comment(
    db: Store,
    actor: Actor,
    conversation_id: int,
    text: str,
    rubric_id: int | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Changes:
    """Set the review's overall comment (empty text removes it)."""
    review_id = _own_review(
        db, actor, conversation_id, rubric_id, bool(text.strip()), calibration_session_id
    )
    if review_id is None:
        return Changes()
    return reviews.set_overall_comment(
        db, review_id, text, session=actor.session, merge=True, expected_version=expected_version
    )


@operation("review-agent", "Agent reviewed")
def review_agent(
    db: Store,
    actor: Actor,
    conversation_id: int,
    agent_id: int | None,
    rubric_id: int | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Changes:
    """Change the agent the actor's review is about (None: nobody)."""
    review_id = _own_review(db, actor, conversation_id, rubric_id, True, calibration_session_id)
    assert review_id is not None  # started when missing
    return reviews.set_review_agent(
        db, review_id, agent_id, session=actor.session, expected_version=expected_version
    )


@operation("delete-review", "Delete review")
def delete_review(
    db: Store, actor: Actor, review_id: int, expected_version: int | None = None
) -> Changes:
    """Delete a review with its ratings."""
    return reviews.delete_review(
        db, review_id, session=actor.session, expected_version=expected_version
    )


@operation("accept-suggestion", "Accept suggestion")
def accept_suggestion(
    db: Store,
    actor: Actor,
    conversation_id: int,
    suggestion_id: int,
    rubric_id: int | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Changes:
    """Rate a category of the actor's review with an automatic suggestion's rating, marked as
    accepted from it (review.reviewing.autoqa.accept); undone like any rating. Only a
    suggestion offered as a score can be accepted: a hint (its category below the agreement
    bar in the conversation's language) or a flag is for the reviewer to weigh."""
    # the rules' modules load with the first acceptance, not with the first rating
    from review.reviewing.autoqa.accept import accept_suggestion as accept
    from review.reviewing.autoqa.conversation import SCORE
    from review.reviewing.autoqa.suggestions import get_suggestion

    suggestion = get_suggestion(db, suggestion_id)
    if suggestion is not None and suggestion.kind == SCORE and not suggestion.offered:
        raise InvalidInput(
            "That suggestion is a hint: the rules do not agree well enough with your reviewers "
            "on this category yet, so rate it yourself."
        )
    review_id = _own_review(db, actor, conversation_id, rubric_id, True, calibration_session_id)
    assert review_id is not None  # started when missing
    return accept(
        db, review_id, suggestion_id, session=actor.session, expected_version=expected_version
    )
