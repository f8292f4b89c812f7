"""What support kept: saved MRR and ARR in the base currency, confirmed and pending, by agent,
by method and by week (DOMAIN.md "Saved customers").

Saves count on the conversations the scope selects; an agent filter follows the agent a save
credits. A failed save kept nothing: it is in none of these sums (the save rate counts it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from review.figures.scope import Scope
from review.figures.tallies import save_tallies
from review.figures.values import Figure, GroupFigure
from review.retention.saves import SAVE_METHODS

KEPT = ("pending", "confirmed")


@dataclass(frozen=True)
class SavedTotals:
    """Saved MRR and ARR of the saves not failed, confirmed and pending apart."""

    mrr: Figure  # confirmed + pending
    arr: Figure
    confirmed_mrr: Figure
    confirmed_arr: Figure
    pending_mrr: Figure
    pending_arr: Figure

    def as_dict(self) -> dict:
        """Each total as {value, n, unit, by_currency}."""
        return {
            "saved_mrr": self.mrr.as_dict(),
            "saved_arr": self.arr.as_dict(),
            "saved_mrr_confirmed": self.confirmed_mrr.as_dict(),
            "saved_arr_confirmed": self.confirmed_arr.as_dict(),
            "saved_mrr_pending": self.pending_mrr.as_dict(),
            "saved_arr_pending": self.pending_arr.as_dict(),
        }


@dataclass(frozen=True)
class AgentSaves:
    """One agent's saves: saved MRR in the base currency (`mrr.parts`: the currencies behind
    it), and how many are confirmed and pending."""

    agent_id: int | None
    name: str
    mrr: Figure
    confirmed: int
    pending: int

    @property
    def arr(self) -> float | None:
        """12 x saved MRR."""
        return None if self.mrr.value is None else round(12 * self.mrr.value, 2)


@dataclass(frozen=True)
class WeekSaves:
    """Saved MRR of one Monday-started week (by the save's date), confirmed and pending.

    A week with no save of a status has a figure with n = 0 and no value: nothing was saved,
    and a chart draws no bar rather than a bar of 0.
    """

    week: str  # the Monday, YYYY-MM-DD
    confirmed: Figure
    pending: Figure

    @property
    def n(self) -> int:
        """Saves this week (confirmed and pending)."""
        return self.confirmed.n + self.pending.n


def _money(rows) -> list[tuple[str, int, int]]:
    return [(r.currency, r.n, r.cents) for r in rows]


def saved_totals(scope: Scope) -> SavedTotals:
    """Saved MRR and ARR, confirmed and pending, in the base currency."""
    rows = save_tallies(scope)
    confirmed = _money(r for r in rows if r.status == "confirmed")
    pending = _money(r for r in rows if r.status == "pending")
    total = scope.rates.total
    return SavedTotals(
        total(confirmed + pending),
        total(confirmed + pending, 12),
        total(confirmed),
        total(confirmed, 12),
        total(pending),
        total(pending, 12),
    )


def saves_by_agent(scope: Scope) -> list[AgentSaves]:
    """One row per agent credited with a save: saved MRR in the base currency with the
    currencies behind it, largest first."""
    by: dict[int | None, list] = {}
    for r in save_tallies(scope):
        if not r.kept:
            continue
        entry = by.setdefault(r.agent_id, [r.agent, [], 0, 0])
        entry[1].append((r.currency, r.n, r.cents))
        entry[2 if r.status == "confirmed" else 3] += r.n
    result = [
        AgentSaves(
            agent,
            name or ("(no agent)" if agent is None else f"Agent {agent}"),
            scope.rates.total(money),
            confirmed,
            pending,
        )
        for agent, (name, money, confirmed, pending) in by.items()
    ]
    result.sort(key=lambda r: (r.mrr.value is None, -(r.mrr.value or 0), r.name))
    return result


def saves_by_method(scope: Scope) -> list[GroupFigure]:
    """Saved MRR per way it was saved (DOMAIN.md's methods), largest first."""
    by: dict[str, list] = {}
    for r in save_tallies(scope):
        if r.kept:
            by.setdefault(r.method, []).append((r.currency, r.n, r.cents))
    result = [
        GroupFigure(method, SAVE_METHODS.get(method, method), scope.rates.total(money))
        for method, money in by.items()
    ]
    result.sort(key=lambda g: (g.figure.value is None, -(g.figure.value or 0), g.label))
    return result


def save_currencies(scope: Scope) -> list[tuple[str, int]]:
    """(currency, saves) of the pending and confirmed saves in scope, most saves first."""
    counts: dict[str, int] = {}
    for r in save_tallies(scope):
        if r.kept:
            counts[r.currency] = counts.get(r.currency, 0) + r.n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def saved_mrr_by_week(scope: Scope, currency: str | None = None) -> list[WeekSaves]:
    """Saved MRR per week in the base currency, from the first week with a save to the last,
    empty weeks included. Only saves in `currency` when given (a chart's fallback when some
    currency has no exchange rate)."""
    by: dict[tuple[str, str], list] = {}
    for r in save_tallies(scope):
        if r.kept and r.week and (currency is None or r.currency == currency):
            by.setdefault((r.week, r.status), []).append((r.currency, r.n, r.cents))
    if not by:
        return []
    weeks = sorted({week for week, _ in by})
    out = []
    day, last = date.fromisoformat(weeks[0]), date.fromisoformat(weeks[-1])
    while day <= last:
        key = day.isoformat()
        confirmed, pending = (scope.rates.total(by.get((key, s), [])) for s in KEPT[::-1])
        out.append(WeekSaves(key, confirmed, pending))
        day += timedelta(days=7)
    return out
