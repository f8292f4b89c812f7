"""What the store holds: the counts `savedesk stats` opens with (conversations, messages,
people, ratings, by source and by channel)."""

from __future__ import annotations

from review.store import Store


def store_counts(db: Store) -> dict:
    """Conversations, messages (internal notes included; events not), internal notes, customers,
    agents, and conversations by source system and by channel."""

    def one(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return {
        "conversations": one("select count(*) from conversations"),
        "messages": one("select count(*) from messages where kind = 'message'"),
        "internal_notes": one(
            "select count(*) from messages where kind = 'message' and is_internal = 1"
        ),
        "events": one("select count(*) from messages where kind = 'event'"),
        "customers": one("select count(*) from customers"),
        "agents": one("select count(*) from agents"),
        "ratings": one("select count(*) from ratings"),
        "by_source": dict(
            db.execute(
                "select source, count(*) from conversations group by source order by 2 desc"
            ).fetchall()
        ),
        "by_channel": dict(
            db.execute(
                "select coalesce(channel, 'unknown'), count(*) from conversations group by 1 order by 2 desc"
            ).fetchall()
        ),
    }
