"""The value every metric returns, and what the metric modules share: scoping SQL to filters,
percentages, means with a 95% interval, and money totals per currency."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlite_utils import Database

from review.filters import Filters, conversation_where
from review.retention.settings import exchange_rates

FEW_REVIEWS = 5  # a quality score on fewer reviews than this carries a warning
RESOLVED_STATUSES = ("solved", "closed", "resolved")
_RESOLVED_SQL = "('solved', 'closed', 'resolved')"
# Two-sided 95% Student t quantiles for 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One number and how many records it rests on. `value` None means "no data", never 0.

    `unit`: "%", "s", "score" (0-100), "customers" or a currency code. `low`/`high`: a 95%
    interval where the figure is a sampled mean. `parts`: money per currency (value None with
    n > 0 then means several currencies and no exchange rates set: read `parts`).
    """

    value: float | None
    n: int
    unit: str = ""
    low: float | None = None
    high: float | None = None
    parts: dict[str, float] | None = None

    @property
    def few(self) -> bool:
        """True when the figure rests on fewer than FEW_REVIEWS records: trust it little."""
        return self.n < FEW_REVIEWS

    def as_dict(self) -> dict:
        """{"value", "n"} plus unit, interval and parts when set (for --json)."""
        out: dict = {"value": self.value, "n": self.n}
        if self.unit:
            out["unit"] = self.unit
        if self.low is not None:
            out["low"], out["high"] = self.low, self.high
        if self.unit == "score":
            out["few"] = self.few
        if self.parts is not None:
            out["by_currency"] = self.parts
        return out


def scope(filters: Filters, agent_column: str | None = None, alias: str = "c") -> tuple[str, dict]:
    """SQL condition and parameters for `filters` over conversations `alias`.

    `agent_column` (e.g. "coalesce(r.agent_id, c.agent_id)") makes the agent filter apply to
    the agent a review or save credits rather than the conversation's assignee.
    """
    if agent_column is None or not filters.agent_ids:
        return conversation_where(filters, alias)
    sql, params = conversation_where(replace(filters, agent_ids=()), alias)
    names = []
    for i, agent in enumerate(filters.agent_ids):
        params[f"scope_agent{i}"] = int(agent)
        names.append(f":scope_agent{i}")
    return f"({sql}) and {agent_column} in ({', '.join(names)})", params


def percent(part: int | None, whole: int | None, unit: str = "%") -> Figure:
    """100 * part / whole, or no data when whole is 0."""
    whole = whole or 0
    if not whole:
        return Figure(None, 0, unit)
    return Figure(100.0 * (part or 0) / whole, whole, unit)


def t975(df: int) -> float:
    """The two-sided 95% Student t quantile for `df` degrees of freedom (df >= 1)."""
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    # Cornish-Fisher expansion: within 0.001 of the exact quantile above 30 degrees of freedom
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_figure(
    n: int | None, mean: float | None, mean_sq: float | None, unit: str = "score"
) -> Figure:
    """A mean of scores (0-100) with its 95% t interval, clamped to 0-100.

    `mean_sq` is the mean of the squares, so one aggregate query gives everything. One record
    has no interval.
    """
    n = n or 0
    if not n or mean is None:
        return Figure(None, 0, unit)
    if n < 2 or mean_sq is None:
        return Figure(mean, n, unit)
    variance = max(0.0, (mean_sq - mean * mean) * n / (n - 1))
    half = t975(n - 1) * math.sqrt(variance / n)
    return Figure(mean, n, unit, max(0.0, mean - half), min(100.0, mean + half))


def money_figure(db: Database, rows: list[tuple[str, int, int]], factor: int = 1) -> Figure:
    """A money total from (currency, count, sum of cents) rows, times `factor` (12 for ARR).

    One currency: the total in it. Several: converted to the base currency when the settings
    give a rate for each, else value None with the totals in `parts`.
    """
    rows = [r for r in rows if r[1]]
    n = sum(r[1] for r in rows)
    if not n:
        return Figure(None, 0)
    parts = {cur: float(Decimal(cents * factor) / 100) for cur, _, cents in rows}
    base, rates = exchange_rates(db)
    if base and all(cur in rates for cur, _, _ in rows):
        total = sum(Decimal(cents * factor) * rates[cur] for cur, _, cents in rows) / 100
        return Figure(float(total.quantize(Decimal("0.01"))), n, base, parts=parts)
    if len(rows) == 1:
        return Figure(parts[rows[0][0]], n, rows[0][0], parts=parts)
    return Figure(None, n, "mixed", parts=parts)


def one(db: Database, sql: str, params: dict | None = None) -> tuple:
    """The single row of an aggregate query."""
    return db.execute(sql, params or {}).fetchone()
