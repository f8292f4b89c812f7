"""Re-scoring old reviews under a newer rubric version, side by side with their original scores,
without touching them (DOMAIN.md: old reviews keep the version they were made with).

Each rating is carried over to the category of the new version with the same key and scale;
a category the new version no longer has is dropped, and one it adds is unrated. The score is
then worked out with the new version's weights and critical categories, exactly as a review
made under it would be (review.reviewing.scoring).
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.values import Figure, mean_figure
from review.filters import Filters, conversation_where
from review.reviewing.rubrics import Rubric, get_rubric
from review.reviewing.scoring import score
from review.store import Store


@dataclass(frozen=True)
class Rescored:
    """One review: its score under the version it was made with, and under the new one."""

    review_id: int
    conversation_id: int
    reviewer: str
    rubric: str  # "name vN" it was made under
    original: float | None
    rescored: float | None
    carried: int  # ratings carried over to the new version
    dropped: int  # ratings of categories the new version no longer has

    @property
    def change(self) -> float | None:
        """Rescored minus original, in points; None unless both have a score."""
        if self.original is None or self.rescored is None:
            return None
        return self.rescored - self.original


@dataclass(frozen=True)
class Rescoring:
    """Reviews of older versions re-scored under `target`, and the quality score both ways
    over the reviews that have a score both ways (the same n)."""

    target: str
    rows: tuple[Rescored, ...]
    original: Figure
    rescored: Figure

    def as_dict(self) -> dict:
        """Plain data for --json."""
        return {
            "target": self.target,
            "original": self.original.as_dict(),
            "rescored": self.rescored.as_dict(),
            "reviews": [
                {
                    "review_id": r.review_id,
                    "conversation_id": r.conversation_id,
                    "reviewer": r.reviewer,
                    "rubric": r.rubric,
                    "original": r.original,
                    "rescored": r.rescored,
                    "change": r.change,
                    "carried": r.carried,
                    "dropped": r.dropped,
                }
                for r in self.rows
            ],
        }


def _label(rubric: Rubric) -> str:
    return f"{rubric.name} v{rubric.version}"


def _paired_mean(values: list[float]) -> Figure:
    n = len(values)
    if not n:
        return mean_figure(0, None, None)
    return mean_figure(n, sum(values) / n, sum(v * v for v in values) / n)


def rescore(db: Store, rubric_id: int, filters: Filters | None = None) -> Rescoring:
    """Re-score every review made under another version of rubric `rubric_id`'s name (on the
    conversations `filters` selects) under `rubric_id`. Reads only: no score is changed."""
    target = get_rubric(db, rubric_id)
    by_key = {(c.key, c.scale): c for c in target.categories}
    where, params = conversation_where(filters or Filters(), "c")
    params.update(name=target.name, target=target.id)
    reviews = db.execute(
        f"""select r.id, r.conversation_id, r.reviewer, r.rubric_id, r.score
            from reviews r join rubrics ru on ru.id = r.rubric_id
            join conversations c on c.id = r.conversation_id
            where ru.name = :name and r.rubric_id <> :target and {where}
              and r.calibration_session_id is null
              and r.calibration_session_id is null
            order by c.created_at, r.id""",
        params,
    ).fetchall()
    ratings: dict[int, list[tuple]] = {}
    ids = [r[0] for r in reviews]
    for start in range(0, len(ids), 900):
        chunk = ", ".join(str(int(i)) for i in ids[start : start + 900])
        for review_id, key, scale, rating, na in db.execute(
            f"""select rr.review_id, rc.key, rc.scale, rr.rating, rr.is_na
                from review_ratings rr join rubric_categories rc on rc.id = rr.category_id
                where rr.review_id in ({chunk})"""
        ):
            ratings.setdefault(review_id, []).append((key, scale, rating, na))
    versions: dict[int, str] = {}
    rows = []
    for review_id, conversation_id, reviewer, old_rubric, original in reviews:
        if old_rubric not in versions:
            versions[old_rubric] = _label(get_rubric(db, old_rubric))
        carried: dict[int, int | None] = {}
        dropped = 0
        for key, scale, rating, na in ratings.get(review_id, []):
            category = by_key.get((key, scale))
            if category is None:
                dropped += rating is not None and not na
                continue
            carried[category.id] = None if na else rating
        result = score(target.categories, carried)
        rows.append(
            Rescored(
                review_id,
                conversation_id,
                reviewer,
                versions[old_rubric],
                original,
                result.score,
                sum(1 for v in carried.values() if v is not None),
                dropped,
            )
        )
    both = [r for r in rows if r.original is not None and r.rescored is not None]
    return Rescoring(
        _label(target),
        tuple(rows),
        _paired_mean([r.original for r in both if r.original is not None]),
        _paired_mean([r.rescored for r in both if r.rescored is not None]),
    )
