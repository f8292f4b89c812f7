"""Accepting a suggestion: it becomes a normal rating of the reviewer's review, marked as
accepted from a suggestion, written and undone exactly like any rating
(review.reviewing.reviews.rate records it in the undo history)."""

from __future__ import annotations

from review.changes import Changes
from review.errors import InvalidInput, NotFound
from review.reviewing.autoqa.conversation import SCORE
from review.reviewing.autoqa.suggestions import get_suggestion
from review.reviewing.reviews import rate
from review.reviewing.rubrics import get_rubric
from review.reviewing.stored_reviews import get_review
from review.store import Store
from review.store.undo import DEFAULT_SESSION


def accept_suggestion(
    db: Store,
    review_id: int,
    suggestion_id: int,
    *,
    session: str = DEFAULT_SESSION,
    expected_version: int | None = None,
) -> Changes:
    """Rate the suggestion's category in review `review_id` with the suggested rating (or N/A),
    marked `suggested_by` the rule-set version. Undo takes it back like any rating.

    Raises NotFound for an unknown review or suggestion, InvalidInput for a suggestion of
    another conversation, a flag (it has no rating), or a category the review's rubric lacks.
    """
    suggestion = get_suggestion(db, suggestion_id)
    if suggestion is None:
        raise NotFound("suggestion", suggestion_id)
    review = get_review(db, review_id)
    if review.conversation_id != suggestion.conversation_id:
        raise InvalidInput("That suggestion belongs to another conversation.")
    if suggestion.kind != SCORE:
        raise InvalidInput("A flag is for a person to read: it has no rating to accept.")
    category = get_rubric(db, review.rubric_id).category(suggestion.category_key)
    if suggestion.is_na:
        what = "N/A"
    elif category.scale == "pass_fail":
        what = "pass" if suggestion.rating else "fail"
    else:
        what = str(suggestion.rating)
    return rate(
        db,
        review_id,
        category.id,
        None if suggestion.is_na else suggestion.rating,
        suggestion.is_na,
        session=session,
        suggested_by=suggestion.ruleset,
        label=f"Accept suggested '{category.name}' {what}",
        expected_version=expected_version,
    )
