"""The targets teams commonly set (DOMAIN.md), which the dashboard, `stats` and the PDFs show
beside their figures: first reply on chat under 120 s (median), CSAT at or above 85%,
resolution at or above 90%, NPS bands, monthly churn around 5%.

`judge` words a figure against its target the same way on every surface.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.values import Figure

NPS_BANDS = ((0.0, "good"), (20.0, "great"), (50.0, "excellent"), (80.0, "world class"))


@dataclass(frozen=True)
class Target:
    """A reference line: `limit` in the figure's unit; `better` "above" or "below"."""

    key: str
    name: str
    limit: float
    better: str
    text: str  # the target in words, e.g. "at or above 85%"


TARGETS: dict[str, Target] = {
    "first_reply_chat": Target(
        "first_reply_chat", "First reply on chat, median", 120.0, "below", "under 120 s"
    ),
    "csat": Target("csat", "CSAT", 85.0, "above", "at or above 85%"),
    "resolution_rate": Target(
        "resolution_rate", "Resolution rate", 90.0, "above", "at or above 90%"
    ),
    "churn_rate": Target("churn_rate", "Churn rate", 5.0, "below", "around 5% a month is typical"),
}


def nps_band(value: float | None) -> str:
    """DOMAIN.md's words for an NPS: above 0 good, 20 great, 50 excellent, 80 world class."""
    if value is None:
        return ""
    words = "below good (0 or less)"
    for limit, name in NPS_BANDS:
        if value > limit:
            words = f"{name} (above {limit:g})"
    return words


def judge(key: str, figure: Figure) -> str:
    """The figure against its target in words ("" when it has no data or no target):
    "meets the target (at or above 85%)", "misses the target (under 120 s)"."""
    if figure.value is None:
        return ""
    if key == "nps":
        return f"NPS {nps_band(figure.value)}"
    target = TARGETS.get(key)
    if target is None:
        return ""
    if key == "churn_rate":
        side = "above" if figure.value > target.limit else "at or below"
        return f"{side} the typical 5%"
    met = figure.value >= target.limit if target.better == "above" else figure.value < target.limit
    return f"{'meets' if met else 'misses'} the target ({target.text})"


def targets_as_dict() -> dict:
    """Every target as plain data (for --json)."""
    out: dict = {
        key: {"limit": t.limit, "better": t.better, "text": t.text} for key, t in TARGETS.items()
    }
    out["nps"] = {"bands": [{"above": limit, "name": name} for limit, name in NPS_BANDS]}
    return out
