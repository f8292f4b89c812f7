"""Time arithmetic in SQL, per engine: the one fragment the import's reply times need
(review.figures.reply_times), here because only review/store/ knows which engine it is on."""

from __future__ import annotations

from review.store.store import ServerStore, Store


def seconds_between_sql(db: Store, start: str, end: str) -> str:
    """SQL for the seconds from one ISO 8601 UTC timestamp (a column or a parameter) to
    another, on `db`'s engine; NULL when either is NULL."""
    return seconds_between_on(dialect_name(db), start, end)


def dialect_name(db: Store) -> str:
    """The SQLAlchemy name of `db`'s engine ("sqlite" or "postgresql")."""
    return "postgresql" if isinstance(db, ServerStore) else "sqlite"


def seconds_between_on(dialect: str, start: str, end: str) -> str:
    """seconds_between_sql for an engine named as SQLAlchemy names it (a migration's bind)."""
    if dialect == "postgresql":
        # via text: a parameter used both as text and here gets one type
        since = (
            f"cast(cast({end} as text) as timestamptz) - cast(cast({start} as text) as timestamptz)"
        )
        return f"cast(extract(epoch from ({since})) as double precision)"
    return f"(julianday({end}) - julianday({start})) * 86400.0"
