"""The score of one review, exactly as DOMAIN.md defines it.

    score = 100 * sum(w * (r - min) / (max - min)) / sum(w)

over the rated categories (N/A and unrated ones are left out of both sums). A critical
category rated at its minimum makes the score 0; a review with no rated category has no score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


class ScaledCategory(Protocol):
    """What scoring needs of a category (review.reviewing.rubrics.Category has it); read-only,
    so a property answers as well as a field."""

    @property
    def id(self) -> int: ...
    @property
    def scale_min(self) -> int: ...
    @property
    def scale_max(self) -> int: ...
    @property
    def weight(self) -> float: ...
    @property
    def critical(self) -> bool: ...


@dataclass(frozen=True)
class ScoreResult:
    """`score` in percent (None = no rated category), whether a critical category failed,
    and how many categories were rated."""

    score: float | None
    critical_failed: bool
    rated: int


def score(categories: Iterable[ScaledCategory], ratings: Mapping[int, int | None]) -> ScoreResult:
    """Score `ratings` (category id -> rating; None or absent = N/A or unrated).

    Ratings of ids that are not among `categories` are ignored. Ratings are not range-checked
    here: review.reviewing.reviews refuses out-of-scale values before they are stored.
    """
    weighted = 0.0
    weights = 0.0
    rated = 0
    critical_failed = False
    for category in categories:
        rating = ratings.get(category.id)
        if rating is None:
            continue
        rated += 1
        span = category.scale_max - category.scale_min
        weighted += category.weight * (rating - category.scale_min) / span
        weights += category.weight
        if category.critical and rating <= category.scale_min:
            critical_failed = True
    if rated == 0:
        return ScoreResult(None, False, 0)
    if critical_failed:
        return ScoreResult(0.0, True, rated)
    return ScoreResult(100.0 * weighted / weights, False, rated)
