"""Time arithmetic in SQL for the import's reply times (review.figures.reply_times) and the
migration that keeps them: the store's dialect spells it (review.store.dialect)."""

from __future__ import annotations

from review.store.dialect import dialect_named
from review.store.store import Store


def seconds_between_sql(db: Store, start: str, end: str) -> str:
    """SQL for the seconds from one ISO 8601 UTC timestamp (a column or a parameter) to
    another, on `db`'s engine; NULL when either is NULL."""
    return db.dialect.seconds_between(start, end)


def seconds_between_on(dialect: str, start: str, end: str) -> str:
    """seconds_between_sql for an engine named as SQLAlchemy names it (a migration's bind)."""
    return dialect_named(dialect).seconds_between(start, end)
