"""How values read on screen: times in the user's own zone, scores, flags."""

from __future__ import annotations

from datetime import datetime


def local_time(iso_utc: str | None, *, seconds: bool = False) -> str:
    """A stored UTC time ("2024-05-01T09:30:00Z") as the user's local wall time ('' if none)."""
    if not iso_utc:
        return ""
    try:
        moment = datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    if moment.tzinfo is None:
        return iso_utc
    # isoformat, cut before the offset: half the time of strftime, on every row the list shows
    local = moment.astimezone().isoformat(" ", "seconds" if seconds else "minutes")
    return local[:19] if seconds else local[:16]


def local_zone_name() -> str:
    """The abbreviation of the user's zone (e.g. "CEST"), for labels."""
    return datetime.now().astimezone().tzname() or "local"


def score_text(score: float | None) -> str:
    """A quality score as shown in lists: "87" or "" when there is none."""
    return "" if score is None else f"{score:.0f}"


def percent_text(value: float | None, digits: int = 1) -> str:
    """A percentage, or "no data" (DOMAIN.md: never show a missing figure as 0)."""
    return "no data" if value is None else f"{value:.{digits}f}%"
