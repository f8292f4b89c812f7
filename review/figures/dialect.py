"""The SQLite spelling of seconds between two timestamps, for review.figures.reply_times until it
moves to the store's dialect (review.store.dialect: `db.dialect.seconds_between`), which every
other SQL fragment that differs between the engines now comes from."""

from __future__ import annotations

from review.store.dialect import SQLITE


def seconds_between(start: str, end: str) -> str:
    """Seconds from one ISO 8601 timestamp column to another (SQLite)."""
    return SQLITE.seconds_between(start, end)
