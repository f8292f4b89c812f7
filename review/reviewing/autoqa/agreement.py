"""How far the rules agree with people, per rubric category and language, and the bar a
category must pass before its suggestion is offered as a score (below it, a hint).

Pairs are (suggested, human) ratings of the same conversation and category, over every review
whose rating was not accepted from a suggestion. A rating against an N/A is a disagreement,
both N/A an agreement. Cohen's kappa uses quadratic weights over the scale, with N/A at full
distance from every rating; its 95% interval comes from a seeded bootstrap over the pairs.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from review.reviewing.autoqa.conversation import SCORE
from review.store import Store
from review.store.undo import now_utc

KAPPA_BAR = 0.6
MIN_PAIRS = 50
LOWER_BOUND_BAR = 0.4
RESAMPLES = 1000
SEED = 16


@dataclass(frozen=True)
class Agreement:
    """Agreement of the rules with people on one category in one language."""

    category_key: str
    language: str
    pairs: int
    kappa: float | None
    agreement: float | None  # percent
    kappa_low: float | None
    kappa_high: float | None

    @property
    def offered(self) -> bool:
        """True when the category passes the bar: kappa >= KAPPA_BAR on at least MIN_PAIRS
        pairs, with the interval's lower bound >= LOWER_BOUND_BAR."""
        return (
            self.pairs >= MIN_PAIRS
            and self.kappa is not None
            and self.kappa >= KAPPA_BAR
            and self.kappa_low is not None
            and self.kappa_low >= LOWER_BOUND_BAR
        )


def _weights(low: int, high: int) -> tuple[list[object], list[list[float]]]:
    values: list[object] = [*range(low, high + 1), "na"]
    span = max(high - low, 1)
    weights = [
        [
            (0.0 if a == b else 1.0) if "na" in (a, b) else ((int(a) - int(b)) / span) ** 2  # type: ignore[call-overload]
            for b in values
        ]
        for a in values
    ]
    return values, weights


def weighted_kappa(codes: list[int], size: int, weights: list[list[float]]) -> float | None:
    """Cohen's weighted kappa of pairs coded as a * size + b; None when the expected
    disagreement is zero (every pair on one value)."""
    n = len(codes)
    if not n:
        return None
    counts = Counter(codes)
    rows = [0] * size
    cols = [0] * size
    observed = 0.0
    for code, count in counts.items():
        a, b = divmod(code, size)
        rows[a] += count
        cols[b] += count
        observed += weights[a][b] * count
    expected = sum(weights[a][b] * rows[a] * cols[b] for a in range(size) for b in range(size))
    if expected == 0:
        return None
    return 1.0 - observed * n / expected


def measure(pairs: list[tuple[int | None, int | None]], low: int, high: int) -> tuple:
    """(kappa, percent agreement, interval low, interval high) for (suggested, human) pairs on
    a scale from `low` to `high` (None = N/A)."""
    values, weights = _weights(low, high)
    index = {v: i for i, v in enumerate(values)}
    size = len(values)
    codes = [
        index["na" if a is None else a] * size + index["na" if b is None else b] for a, b in pairs
    ]
    kappa = weighted_kappa(codes, size, weights)
    agree = 100.0 * sum(a == b for a, b in pairs) / len(pairs) if pairs else None
    if kappa is None or len(pairs) < 2:
        return kappa, agree, None, None
    rng = random.Random(SEED)
    draws = sorted(
        k
        for k in (
            weighted_kappa(rng.choices(codes, k=len(codes)), size, weights)
            for _ in range(RESAMPLES)
        )
        if k is not None
    )
    if not draws:
        return kappa, agree, None, None
    return kappa, agree, draws[int(0.025 * len(draws))], draws[int(0.975 * len(draws)) - 1]


_PAIRS = """
select s.category_key, sc.language, rc.scale_min, rc.scale_max,
       case when s.is_na = 1 then null else s.rating end,
       case when rr.is_na = 1 then null else rr.rating end
  from autoqa_suggestions s
  join autoqa_scores sc on sc.conversation_id = s.conversation_id
  join reviews r on r.conversation_id = s.conversation_id
  join rubric_categories rc on rc.rubric_id = r.rubric_id and rc.key = s.category_key
  join review_ratings rr on rr.review_id = r.id and rr.category_id = rc.id
 where s.kind = :score and rr.suggested_by is null and r.calibration_session_id is null
   and (rr.rating is not null or rr.is_na = 1)
   and (s.rating is not null or s.is_na = 1)
"""


def agreement(db: Store) -> list[Agreement]:
    """Agreement per category and language over every review in the store."""
    groups: dict[tuple[str, str], list[tuple[int | None, int | None]]] = defaultdict(list)
    scales: dict[tuple[str, str], tuple[int, int]] = {}
    for key, language, low, high, suggested, human in db.execute(_PAIRS, {"score": SCORE}):
        groups[key, language].append((suggested, human))
        scales[key, language] = (low, high)
    out = []
    for (key, language), pairs in sorted(groups.items()):
        kappa, agree, lo, hi = measure(pairs, *scales[key, language])
        out.append(Agreement(key, language, len(pairs), kappa, agree, lo, hi))
    return out


def store_agreement(db: Store, results: list[Agreement], ruleset: str) -> None:
    """Replace the stored agreement (which decides what is offered as a score)."""
    now = now_utc()
    with db.atomic():
        db.execute("delete from autoqa_agreement")
        db.executemany(
            "insert into autoqa_agreement (category_key, language, pairs, kappa, agreement, "
            "kappa_low, kappa_high, offered, ruleset, computed_at) values (:k, :l, :n, :kappa, "
            ":agree, :lo, :hi, :offered, :rs, :at)",
            [
                {
                    "k": a.category_key,
                    "l": a.language,
                    "n": a.pairs,
                    "kappa": a.kappa,
                    "agree": a.agreement,
                    "lo": a.kappa_low,
                    "hi": a.kappa_high,
                    "offered": int(a.offered),
                    "rs": ruleset,
                    "at": now,
                }
                for a in results
            ],
        )
