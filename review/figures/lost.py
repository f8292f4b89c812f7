"""What support lost: lost MRR in the base currency, by reason (the bars of one Pareto chart),
the right outcomes apart, and the save rate (DOMAIN.md "Lost customers").

A loss whose reason is the right outcome (Not a fit) is reported apart with its MRR: it is left
out of lost MRR, out of the Pareto and out of the save rate's denominator, so an agent who
honestly tells a customer to use another product is not marked down for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.scope import Scope
from review.figures.tallies import loss_tallies, save_tallies
from review.figures.values import Figure, rate_figure


@dataclass(frozen=True)
class LostTotals:
    """Lost MRR (right outcomes left out), the preventable part of it, the right outcomes
    apart, and how many losses were judged preventable."""

    mrr: Figure
    arr: Figure
    preventable_mrr: Figure  # losses judged preventable
    right_outcomes: Figure  # MRR of losses that were the right outcome (Not a fit)
    preventable_share: Figure  # % of judged losses judged preventable; n = judged

    def as_dict(self) -> dict:
        """Each total as {value, n, ...}."""
        return {
            "lost_mrr": self.mrr.as_dict(),
            "lost_arr": self.arr.as_dict(),
            "lost_mrr_preventable": self.preventable_mrr.as_dict(),
            "right_outcomes_mrr": self.right_outcomes.as_dict(),
            "losses_preventable_share": self.preventable_share.as_dict(),
        }


@dataclass(frozen=True)
class ReasonFigure:
    """Lost MRR of one reason. `parent` is the group's name (Natural causes) or None;
    `right_outcome` marks a reason whose losses are the right outcome."""

    reason_id: int
    name: str
    parent: str | None
    figure: Figure
    right_outcome: bool = False

    @property
    def label(self) -> str:
        """The reason with its group: "Natural causes: Budget cut"."""
        return f"{self.parent}: {self.name}" if self.parent else self.name

    @property
    def short_name(self) -> str:
        """The reason without its explanation in brackets: "Not a fit"."""
        return self.name.split(" (")[0]


def _money(rows) -> list[tuple[str, int, int]]:
    return [(r.currency, r.n, r.cents) for r in rows]


def lost_totals(scope: Scope) -> LostTotals:
    """Lost MRR and ARR in the base currency, its preventable part and the right outcomes."""
    rows = loss_tallies(scope)
    lost = [r for r in rows if not r.right_outcome]
    preventable = [r for r in lost if r.preventable == 1]
    judged = sum(r.n for r in lost if r.preventable is not None)
    total = scope.rates.total
    return LostTotals(
        total(_money(lost)),
        total(_money(lost), 12),
        total(_money(preventable)),
        total(_money(r for r in rows if r.right_outcome)),
        rate_figure(sum(r.n for r in preventable), judged),
    )


def lost_mrr_by_reason(scope: Scope) -> list[ReasonFigure]:
    """Lost MRR per reason in the base currency, largest first; the right-outcome reasons
    come last, marked (they are not losses: a Pareto leaves them out).

    Reasons in several currencies without exchange rates have no single value: they sort
    after the others, by number of losses.
    """
    grouped: dict[int, tuple[str, str | None, bool, list]] = {}
    for r in loss_tallies(scope):
        entry = grouped.setdefault(r.reason_id, (r.reason, r.parent, r.right_outcome, []))
        entry[3].append((r.currency, r.n, r.cents))
    result = [
        ReasonFigure(rid, name, parent, scope.rates.total(money), right)
        for rid, (name, parent, right, money) in grouped.items()
    ]
    result.sort(
        key=lambda r: (
            r.right_outcome,
            r.figure.value is None,
            -(r.figure.value or 0),
            -r.figure.n,
            r.name,
        )
    )
    return result


def save_rate(scope: Scope) -> Figure:
    """Saves / (saves + losses) in percent with its Wilson interval, over conversations tagged
    either way; losses that are the right outcome are left out.

    A tag is the lead's judgement that the customer meant to leave, so every tagged save and
    loss counts, whether or not a churn signal was detected. A failed save counts in the
    denominator only: the customer was not kept.
    """
    saves = save_tallies(scope)
    kept = sum(r.n for r in saves if r.kept)
    losses = sum(r.n for r in loss_tallies(scope) if not r.right_outcome)
    return rate_figure(kept, sum(r.n for r in saves) + losses)
