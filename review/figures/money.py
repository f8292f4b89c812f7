"""Money in figures: totals per currency, converted once into the team's base currency at the
exchange rates it set (DOMAIN.md: "a manager reads one saved-MRR figure, never six").

`ExchangeRates` is read once per figure set (review.figures.scope) and converts every total;
amounts are exact Decimal cents until the final rounding to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from review.figures.values import Figure

CENT = Decimal("0.01")
MoneyRows = Iterable[tuple[str, int, int]]  # (currency, count, sum of cents)


@dataclass(frozen=True)
class ExchangeRates:
    """The base currency and, per currency, how many units of the base one unit buys.

    `base` None: the team set no rates; totals in one currency still have a value, totals in
    several do not (their parts are given).
    """

    base: str | None = None
    rates: dict[str, Decimal] = field(default_factory=dict)

    def named(self) -> str:
        """The rates in words for a report: "1 EUR = 1.08 USD; 1 GBP = 1.27 USD"."""
        if not self.base:
            return "no exchange rates set: totals are per currency"
        others = [f"1 {code} = {rate} {self.base}" for code, rate in sorted(self.rates.items())]
        others = [o for o in others if not o.startswith(f"1 {self.base} ")]
        return f"in {self.base}" + (f" at {'; '.join(others)}" if others else "")

    def used(self, currencies: Iterable[str]) -> str:
        """The rates of just `currencies`, in words ("" when all are the base currency)."""
        if not self.base:
            return ""
        shown = [
            f"1 {code} = {self.rates[code]} {self.base}"
            for code in sorted(set(currencies))
            if code != self.base and code in self.rates
        ]
        return "; ".join(shown)

    def total(self, rows: MoneyRows, factor: int = 1) -> Figure:
        """A money total from (currency, count, sum of cents) rows, times `factor` (12: ARR).

        In the base currency when every currency has a rate; in the one currency when there is
        only one; else value None (unit "mixed") with the totals per currency in `parts`.
        """
        rows = [r for r in rows if r[1]]
        n = sum(r[1] for r in rows)
        if not n:
            return Figure(None, 0, self.base or "")
        sums: dict[str, int] = {}
        for currency, _, cents in rows:
            sums[currency] = sums.get(currency, 0) + (cents or 0) * factor
        parts = {cur: float(Decimal(c) / 100) for cur, c in sorted(sums.items())}
        if self.base and all(cur in self.rates for cur in sums):
            exact = sum((Decimal(c) * self.rates[cur] for cur, c in sums.items()), Decimal(0)) / 100
            return Figure(float(exact.quantize(CENT)), n, self.base, parts=parts)
        if len(sums) == 1:
            currency = next(iter(sums))
            return Figure(parts[currency], n, currency, parts=parts)
        return Figure(None, n, "mixed", parts=parts)

    def difference(self, plus: Figure, minus: Figure) -> Figure:
        """`plus` - `minus` (net MRR) where both have a value in one unit; n = both n."""
        n = plus.n + minus.n
        if not n:
            return Figure(None, 0, self.base or "")
        if plus.n and minus.n and plus.unit != minus.unit:
            return Figure(None, n, "mixed")
        unit = plus.unit if plus.n else minus.unit
        if (plus.n and plus.value is None) or (minus.n and minus.value is None):
            return Figure(None, n, unit)
        exact = Decimal(str(plus.value or 0)) - Decimal(str(minus.value or 0))
        return Figure(float(exact.quantize(CENT)), n, unit)


def money_text(figure: Figure, *, signed: bool = False) -> str:
    """A money figure as text: "4,688.66 USD", "several currencies", or "no data"."""
    if figure.value is None:
        if figure.n and figure.parts:
            return "  ".join(f"{v:,.2f} {cur}" for cur, v in sorted(figure.parts.items()))
        return "no data"
    sign = "+" if signed and figure.value > 0 else ""
    return f"{sign}{figure.value:,.2f} {figure.unit}".strip()
