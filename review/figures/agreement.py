"""Do reviewers agree? Which conversations several reviewers reviewed, each reviewer's rating
per category side by side, and per category the percent agreement (with its Wilson interval over
the reviewer pairs) and Krippendorff's alpha, from review.reviewing.calibration.

Categories are matched across rubric versions by key and scale, the way the calibration matches
them, so a row of the grid is a row of the agreement table. The calibration page and the
quality report read `reviewer_agreement`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from review.figures.values import Figure, rate_figure
from review.reviewing.calibration import ScoreSpread, calibration
from review.store import Store


@dataclass(frozen=True)
class MultiReviewed:
    """A conversation reviewed by two or more reviewers, with their overall scores (None = no
    score) in reviewer order."""

    conversation_id: int
    subject: str | None
    created_at: str | None
    agent: str | None
    reviewers: tuple[str, ...]
    scores: tuple[float | None, ...]


@dataclass(frozen=True)
class Cell:
    """One reviewer's answer on one category: a rating, or N/A."""

    rating: int | None
    na: bool


@dataclass(frozen=True)
class GridRow:
    """One category; `cells` line up with RatingGrid.columns (None = not rated there)."""

    key: str
    name: str
    scale: str
    scale_min: int
    scale_max: int
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class RatingGrid:
    """Ratings side by side: one column per (conversation id, reviewer)."""

    columns: tuple[tuple[int, str], ...]
    rows: list[GridRow]


def multi_reviewed(db: Store) -> list[MultiReviewed]:
    """Conversations reviewed by 2+ distinct reviewers, newest first; reviewers by name."""
    rows = db.execute(
        """select c.id, c.subject, c.created_at, a.name, r.reviewer, r.score
           from reviews r
           join conversations c on c.id = r.conversation_id
           left join agents a on a.id = c.agent_id
           where r.calibration_session_id is null
             and r.conversation_id in (select conversation_id from reviews
                                       where calibration_session_id is null
                                       group by conversation_id
                                       having count(distinct reviewer) >= 2)
           order by c.created_at desc, c.id desc, r.reviewer"""
    ).fetchall()
    out = []
    for (cid, subject, created, agent), group in groupby(rows, key=lambda r: r[:4]):
        reviews = list(group)
        out.append(
            MultiReviewed(
                cid,
                subject,
                created,
                agent,
                tuple(r[4] for r in reviews),
                tuple(r[5] for r in reviews),
            )
        )
    return out


def rating_grid(db: Store, conversation_ids: Iterable[int]) -> RatingGrid:
    """Each reviewer's rating per category on the chosen conversations, categories in rubric
    order (matched by key and scale across rubric versions)."""
    ids = sorted({int(c) for c in conversation_ids})
    if not ids:
        return RatingGrid((), [])
    marks = ",".join(f":c{i}" for i in range(len(ids)))
    named = {f"c{i}": cid for i, cid in enumerate(ids)}
    columns = tuple(
        (r[0], r[1])
        for r in db.execute(
            f"select conversation_id, reviewer from reviews where conversation_id in ({marks}) "
            "and calibration_session_id is null order by conversation_id, reviewer",
            named,
        )
    )
    where = {column: i for i, column in enumerate(columns)}
    cells: dict[tuple[str, str], list] = {}
    meta: dict[tuple[str, str], tuple] = {}
    for key, name, scale, low, high, position, cid, reviewer, rating, na in db.execute(
        f"""select rc.key, rc.name, rc.scale, rc.scale_min, rc.scale_max, rc.position,
                   r.conversation_id, r.reviewer, rr.rating, rr.is_na
            from reviews r join review_ratings rr on rr.review_id = r.id
            join rubric_categories rc on rc.id = rr.category_id
            where r.conversation_id in ({marks}) and r.calibration_session_id is null
            order by rc.rubric_id desc, rc.position, r.conversation_id, r.reviewer""",
        named,
    ):
        ident = (key, scale)
        meta.setdefault(ident, (name, low, high, position))
        row = cells.setdefault(ident, [None] * len(columns))
        if rating is not None or na:
            row[where[cid, reviewer]] = Cell(rating, bool(na))
    order = sorted(meta, key=lambda k: (meta[k][3], meta[k][0]))
    return RatingGrid(
        columns,
        [GridRow(k[0], meta[k][0], k[1], meta[k][1], meta[k][2], tuple(cells[k])) for k in order],
    )


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement on one category: `agreement` is the percent of reviewer pairs giving the same
    rating (n = pairs, Wilson interval); `units`: conversations with two or more ratings."""

    key: str
    name: str
    scale: str
    agreement: Figure
    alpha: float | None
    units: int


@dataclass(frozen=True)
class Agreement:
    """Reviewer agreement over `conversations` (those reviewed by two or more reviewers)."""

    conversations: int
    reviewers: tuple[str, ...]
    categories: tuple[CategoryAgreement, ...]
    spreads: tuple[ScoreSpread, ...]
    spread: Figure  # mean range (highest - lowest overall score) in points; n = conversations
    grid: RatingGrid


def reviewer_agreement(
    db: Store, conversation_ids: Iterable[int] | None = None, *, with_grid: bool = True
) -> Agreement:
    """Agreement between reviewers on the conversations (default: all) reviewed by two or
    more of them; `with_grid` adds each reviewer's ratings side by side."""
    conversation_ids = None if conversation_ids is None else list(conversation_ids)
    result = calibration(db, conversation_ids)
    ranges = [s.maximum - s.minimum for s in result.spreads]
    spread = Figure(sum(ranges) / len(ranges) if ranges else None, len(ranges), "points")
    grid = RatingGrid((), [])
    if with_grid:
        chosen = conversation_ids
        if chosen is None:
            chosen = [m.conversation_id for m in multi_reviewed(db)]
        grid = rating_grid(db, chosen)
    return Agreement(
        result.conversations,
        result.reviewers,
        tuple(
            CategoryAgreement(
                c.key,
                c.name,
                c.scale,
                _agreement(c.percent_agreement, c.pairs),
                c.alpha,
                c.units,
            )
            for c in result.categories
        ),
        tuple(result.spreads),
        spread,
        grid,
    )


def _agreement(percent: float | None, pairs: int) -> Figure:
    if percent is None or not pairs:
        return rate_figure(0, 0)
    return rate_figure(round(percent * pairs / 100), pairs)
