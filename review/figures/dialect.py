"""The few SQL fragments of the figures that are SQLite's own (dates and week arithmetic), kept
in one place so they can be swapped for PostgreSQL's (ARCHITECTURE.md, the store seam)."""

from __future__ import annotations

# strftime patterns of the periods quality can be grouped by ("quarter" is built below)
PERIOD_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}


def monday_of(column: str) -> str:
    """The Monday (YYYY-MM-DD) of the week of a YYYY-MM-DD... column (strftime %w: Sunday 0)."""
    return f"date({column}, '-' || ((cast(strftime('%w', {column}) as int) + 6) % 7) || ' days')"


def period_of(column: str, period: str) -> str:
    """The period label of a timestamp column: 2024-05-01, 2024-W18, 2024-05, 2024-Q2, 2024."""
    if period == "quarter":
        return (
            f"strftime('%Y', {column}) || '-Q' || ((cast(strftime('%m', {column}) as int) + 2) / 3)"
        )
    return f"strftime('{PERIOD_FORMATS[period]}', {column})"


def seconds_between(start: str, end: str) -> str:
    """Seconds from one ISO 8601 timestamp column to another."""
    return f"(julianday({end}) - julianday({start})) * 86400.0"


def day_after(parameter: str) -> str:
    """The day after a YYYY-MM-DD parameter, as text."""
    return f"date({parameter}, '+1 day')"
