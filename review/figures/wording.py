"""Figures in words, written once so the dashboard, `savedesk stats`, the coaching page and
every PDF show a number the same way: "76.1", "44.2%", "4,688.66 USD", "1 h 25 min", its 95%
interval "95% 74.6–77.7", its n, the "few" mark, and "no data" (never 0).
"""

from __future__ import annotations

from review.figures.money import money_text
from review.figures.values import FEW, Figure

NO_DATA = "no data"
FEW_MARK = "few"


def duration_text(seconds: float) -> str:
    """A wait as a team lead reads it: "45 s", "2 min 5 s" (to the second under ten minutes,
    where the chat target of 120 s is judged), "12 min", "1 h 25 min", "2 d 3 h"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(round(seconds / 3600), 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _number(value: float, unit: str, digits: int = 1) -> str:
    if unit == "%":
        return f"{value:.{digits}f}%"
    if unit == "s":
        return duration_text(value)
    if unit == "nps":
        return f"{value:+.{digits}f}"
    if len(unit) == 3 and unit.isupper():
        return f"{value:,.2f} {unit}"
    return f"{value:,.{digits}f}"


def value_text(figure: Figure, digits: int = 1) -> str:
    """The value alone: "76.1", "44.2%", "+16.7", "4,688.66 USD", "1 h 25 min", "no data"."""
    if figure.value is None:
        if figure.n and figure.parts:
            return money_text(figure)
        return NO_DATA
    if figure.unit == "mixed":
        return money_text(figure)
    return _number(figure.value, figure.unit, digits)


def interval_text(figure: Figure, *, compact: bool = False) -> str:
    """ "95% 74.6–77.7" for a sampled figure with an interval, else "" (`compact`: without
    the "95%", for a column headed so)."""
    if figure.low is None or figure.high is None or figure.value is None:
        return ""
    unit = "%" if figure.unit == "%" else ""
    if figure.unit == "nps":
        text = f"{figure.low:+.1f} to {figure.high:+.1f}"
    else:
        text = f"{figure.low:.1f}–{figure.high:.1f}{unit}"
    return text if compact else f"95% {text}"


def few_text(figure: Figure) -> str:
    """ "few" for a sampled figure on fewer than 10 records, else ""."""
    return FEW_MARK if figure.few else ""


def figure_text(figure: Figure, digits: int = 1, *, compact: bool = False) -> str:
    """The value with its interval and few mark: "44.2% (95% 35.6–53.1)", "62.0 (few)";
    `compact`: "44.2% (35.6–53.1%)" for a column headed "95%"."""
    text = value_text(figure, digits)
    extra = [x for x in (interval_text(figure, compact=compact), few_text(figure)) if x]
    return f"{text} ({', '.join(extra)})" if extra else text


def n_text(figure: Figure, noun: str) -> str:
    """ "n = 220 reviews"."""
    return f"n = {figure.n:,} {noun}"


def few_note() -> str:
    """What the few mark means, for a legend."""
    return f"few: fewer than {FEW} reviews or ratings, trust it little"
