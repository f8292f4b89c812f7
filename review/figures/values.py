"""The value every figure is: a number, how many records it rests on, its unit, and where it
is sampled its 95% interval (DOMAIN.md: a t interval for a mean, a Wilson interval for a rate,
a "few" mark under 10).

No SQL here: the question modules count, these functions turn counts into figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

FEW = 10  # DOMAIN.md: a sampled figure on fewer records than this carries a "few" mark
Z95 = 1.959964
# Two-sided 95% Student t quantiles for 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One number and how many records it rests on. `value` None means "no data", never 0.

    `unit`: "%", "s", "score" (0-100), "nps" (-100..100), "customers" or a currency code.
    `low`/`high`: the 95% interval of a sampled figure (`sampled`). `parts`: money per
    currency before conversion; a money figure with value None and n > 0 has a currency
    without an exchange rate (read `parts`). `note`: a caveat every surface shows with it
    (e.g. reviews made under two rubric versions).
    """

    value: float | None
    n: int
    unit: str = ""
    low: float | None = None
    high: float | None = None
    parts: dict[str, float] | None = None
    sampled: bool = False
    note: str = ""

    @property
    def few(self) -> bool:
        """True for a sampled figure on fewer than FEW records: trust it little."""
        return self.sampled and 0 < self.n < FEW

    def noted(self, note: str) -> Figure:
        """The same figure with a caveat."""
        return replace(self, note=note)

    def as_dict(self) -> dict:
        """{"value", "n"} plus unit, interval, few, by_currency and note where they apply."""
        out: dict = {"value": self.value, "n": self.n}
        if self.unit:
            out["unit"] = self.unit
        if self.sampled:
            out["low"], out["high"] = self.low, self.high
            out["few"] = self.few
        if self.parts is not None:
            out["by_currency"] = self.parts
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class GroupFigure:
    """A figure for one group: an agent, team, category, channel, period or rubric version."""

    key: int | str | None
    label: str
    figure: Figure


def no_data(unit: str = "", sampled: bool = False) -> Figure:
    """A figure with nothing under it."""
    return Figure(None, 0, unit, sampled=sampled)


def t975(df: int) -> float:
    """The two-sided 95% Student t quantile for `df` degrees of freedom (df >= 1)."""
    if df <= len(_T975):
        return _T975[df - 1]
    z = Z95
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
        return no_data(unit, sampled=True)
    if n < 2 or mean_sq is None:
        return Figure(mean, n, unit, sampled=True)
    variance = max(0.0, (mean_sq - mean * mean) * n / (n - 1))
    half = t975(n - 1) * math.sqrt(variance / n)
    return Figure(mean, n, unit, max(0.0, mean - half), min(100.0, mean + half), sampled=True)


def wilson(part: int, whole: int) -> tuple[float, float]:
    """The 95% Wilson score interval of part/whole, in percent."""
    p = part / whole
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * whole)) / (1 + z2 / whole)
    half = Z95 * math.sqrt(p * (1 - p) / whole + z2 / (4 * whole * whole)) / (1 + z2 / whole)
    return 100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half)


def rate_figure(part: int | None, whole: int | None) -> Figure:
    """100 * part / whole with its Wilson interval; no data when whole is 0."""
    whole = whole or 0
    if not whole:
        return no_data("%", sampled=True)
    part = part or 0
    low, high = wilson(part, whole)
    return Figure(100.0 * part / whole, whole, "%", low, high, sampled=True)


def nps_figure(n: int | None, promoters: int | None, detractors: int | None) -> Figure:
    """NPS = % promoters - % detractors, with a 95% normal interval from the variance of the
    per-answer score (+1, 0, -1), clamped to -100..100."""
    n = n or 0
    if not n:
        return no_data("nps", sampled=True)
    p, d = (promoters or 0) / n, (detractors or 0) / n
    value = 100.0 * (p - d)
    if n < 2:
        return Figure(value, n, "nps", sampled=True)
    half = 100.0 * Z95 * math.sqrt(max(0.0, p + d - (p - d) ** 2) / n)
    return Figure(
        value, n, "nps", max(-100.0, value - half), min(100.0, value + half), sampled=True
    )


def count_rate(part: int, whole: int) -> Figure:
    """100 * part / whole for counts that are the whole population (customer counts entered
    per period): no interval. No data when whole is 0."""
    if not whole:
        return no_data("%")
    return Figure(100.0 * part / whole, whole, "%")
