"""Calibration: do reviewers rate the same conversations the same way?

For conversations reviewed by two or more reviewers, per rubric category (matched by key, so
versions of a rubric compare): the percent of reviewer pairs that gave the exact same rating,
and Krippendorff's alpha for ordinal data, which corrects for the agreement chance would give,
takes any number of reviewers and tolerates missing ratings (N/A and unrated count as missing).
And per conversation, the spread of the reviewers' overall scores.

Alpha follows Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): a coincidence
matrix of pairable values, and the ordinal difference
    delta(c, k)^2 = (sum of n_g for g from c to k  -  (n_c + n_k) / 2)^2.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from review.store import Store

# reviews written in a calibration session are the session's (calibration_sessions.py)
ORDINARY = "where calibration_session_id is null"


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement on one category. `units`: conversations with 2+ ratings of it; `pairs`:
    reviewer pairs compared; `percent_agreement` and `alpha` are None with nothing to compare
    (alpha is also None when every rating is the same value: there is no variation to judge)."""

    key: str
    name: str
    scale: str
    units: int
    pairs: int
    percent_agreement: float | None
    alpha: float | None


@dataclass(frozen=True)
class ScoreSpread:
    """The overall scores reviewers gave one conversation (reviews with no score left out).

    `stdev` is the population standard deviation of those scores."""

    conversation_id: int
    reviewers: tuple[str, ...]
    scores: tuple[float, ...]
    minimum: float
    maximum: float
    stdev: float


@dataclass(frozen=True)
class CalibrationResult:
    """Calibration over `conversations` (those reviewed by 2+ reviewers) by `reviewers`."""

    conversations: int
    reviewers: tuple[str, ...]
    categories: list[CategoryAgreement]
    spreads: list[ScoreSpread]


def percent_agreement(units: Iterable[Sequence[Hashable | None]]) -> tuple[float | None, int]:
    """(percent of pairs within units that agree exactly, number of pairs); None values are
    missing."""
    pairs = agree = 0
    for unit in units:
        values = [v for v in unit if v is not None]
        for a, b in combinations(values, 2):
            pairs += 1
            agree += a == b
    return (100.0 * agree / pairs if pairs else None), pairs


def krippendorff_alpha(
    units: Iterable[Sequence[float | None]], level: str = "ordinal"
) -> float | None:
    """Krippendorff's alpha over `units` (each a sequence of values; None = missing).

    `level` is "ordinal" or "nominal". Units with fewer than two values are not pairable and
    are left out. None when no unit is pairable or all pairable values are equal.
    """
    if level not in ("ordinal", "nominal"):
        raise ValueError(f"unknown level {level!r}")
    coincidence: dict[tuple, float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[a, b] += 1.0 / (m - 1)
    if not coincidence:
        return None
    marginal: dict = defaultdict(float)
    for (a, _), count in coincidence.items():
        marginal[a] += count
    n = sum(marginal.values())
    order = sorted(marginal)
    if len(order) < 2:
        return None
    if level == "nominal":

        def delta(a, b) -> float:
            return 0.0 if a == b else 1.0

    else:
        cumulative = {}
        running = 0.0
        for value in order:
            running += marginal[value]
            cumulative[value] = running  # n_g summed over g <= value

        def delta(a, b) -> float:
            low, high = (a, b) if a <= b else (b, a)
            between = cumulative[high] - cumulative[low] + marginal[low]
            return (between - (marginal[low] + marginal[high]) / 2) ** 2

    observed = sum(count * delta(a, b) for (a, b), count in coincidence.items())
    expected = sum(marginal[a] * marginal[b] * delta(a, b) for a in order for b in order)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def calibration(db: Store, conversation_ids: Iterable[int] | None = None) -> CalibrationResult:
    """Agreement between reviewers on the conversations (default: all) reviewed by 2+ of them."""
    chosen = None if conversation_ids is None else sorted({int(c) for c in conversation_ids})
    where = (
        ORDINARY
        if chosen is None
        else (f"{ORDINARY} and conversation_id in ({','.join(map(str, chosen))})")
    )
    if chosen == []:
        where = "where 1 = 0"
    multi = [
        r[0]
        for r in db.execute(
            f"select conversation_id from reviews {where} group by conversation_id "
            "having count(distinct reviewer) >= 2 order by conversation_id"
        )
    ]
    ids = ",".join(map(str, multi)) or "null"
    reviewers = tuple(
        r[0]
        for r in db.execute(
            f"select distinct reviewer from reviews {ORDINARY} and conversation_id in ({ids}) "
            "order by reviewer"
        )
    )
    # per category key: the latest definition names it; units are conversations
    names: dict[str, tuple[str, str]] = {}
    units: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for key, name, scale, conversation_id, rating in db.execute(
        f"""select c.key, c.name, c.scale, r.conversation_id, rr.rating
              from reviews r
              join review_ratings rr on rr.review_id = r.id
              join rubric_categories c on c.id = rr.category_id
             where r.conversation_id in ({ids}) and r.calibration_session_id is null
             order by c.rubric_id, c.position, r.conversation_id, r.reviewer"""
    ):
        names.setdefault(key, (name, scale))
        units[key, scale][conversation_id].append(rating)
    categories = []
    for (key, scale), by_unit in units.items():
        values = list(by_unit.values())
        percent, pairs = percent_agreement(values)
        categories.append(
            CategoryAgreement(
                key=key,
                name=names[key][0],
                scale=scale,
                units=sum(1 for v in values if sum(x is not None for x in v) >= 2),
                pairs=pairs,
                percent_agreement=percent,
                alpha=krippendorff_alpha(values, "ordinal"),
            )
        )
    return CalibrationResult(len(multi), reviewers, categories, _spreads(db, ids))


def _spreads(db: Store, ids: str) -> list[ScoreSpread]:
    by_conversation: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for conversation_id, reviewer, value in db.execute(
        f"select conversation_id, reviewer, score from reviews {ORDINARY} and conversation_id "
        f"in ({ids}) and score is not null order by conversation_id, reviewer"
    ):
        by_conversation[conversation_id].append((reviewer, value))
    spreads = []
    for conversation_id, rows in by_conversation.items():
        if len(rows) < 2:
            continue
        scores = tuple(s for _, s in rows)
        spreads.append(
            ScoreSpread(
                conversation_id,
                tuple(r for r, _ in rows),
                scores,
                min(scores),
                max(scores),
                statistics.pstdev(scores),
            )
        )
    return spreads


NA = "N/A"  # an N/A answer, as a value of its own (None stays "not rated": missing)


def percent_agreement_na(units: Iterable[Sequence[int | str | None]]) -> tuple[float | None, int]:
    """percent_agreement where an N/A (the value NA) is an answer like a rating: N/A against
    N/A agrees, a rating against an N/A disagrees; None (not rated) is missing."""
    return percent_agreement(units)


def krippendorff_alpha_na(
    units: Iterable[Sequence[int | str | None]], scale_min: int, scale_max: int
) -> float | None:
    """Krippendorff's ordinal alpha over ratings on the scale scale_min..scale_max, where an
    N/A (the value NA) is a value of its own and a rating against an N/A counts as a
    disagreement.

    How N/A enters: ratings keep the ordinal metric (Krippendorff 2011, over the ratings'
    marginals, scale points nobody used counting zero); N/A sits outside the order, at the
    largest ordinal distance the scale has, that between its lowest and highest point:
        delta(NA, rating)^2 = delta(scale_min, scale_max)^2,   delta(NA, NA) = 0.
    N/A takes part in the coincidence matrix, its marginal and n like any value, so it weighs
    in the disagreement expected by chance too. None (not rated) is missing and left out.
    None when no unit is pairable or there is no variation to judge.
    """
    coincidence: dict[tuple, float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[a, b] += 1.0 / (m - 1)
    if not coincidence:
        return None
    marginal: dict = defaultdict(float)
    for (a, _), count in coincidence.items():
        marginal[a] += count
    n = sum(marginal.values())
    cumulative: dict[int, float] = {}
    running = 0.0
    for point in range(scale_min, scale_max + 1):
        running += marginal.get(point, 0.0)
        cumulative[point] = running  # n_g summed over the ratings g <= point

    def ordinal(low: int, high: int) -> float:
        low, high = min(low, high), max(low, high)
        between = cumulative[high] - cumulative[low] + marginal.get(low, 0.0)
        return (between - (marginal.get(low, 0.0) + marginal.get(high, 0.0)) / 2) ** 2

    farthest = ordinal(scale_min, scale_max)

    def delta(a, b) -> float:
        if a == b:
            return 0.0
        if a == NA or b == NA:
            return farthest
        return ordinal(a, b)

    values = list(marginal)
    observed = sum(count * delta(a, b) for (a, b), count in coincidence.items())
    expected = sum(marginal[a] * marginal[b] * delta(a, b) for a in values for b in values)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected
