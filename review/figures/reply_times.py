"""Per conversation: when the customer first wrote, how long the first agent reply took, how
many replies the agents sent, and the conversation's creation, assignee, team, channel and
whether it was resolved (the columns filters select by, so a figure over a period, team or
agent need not look each conversation up). Derived from the messages
once, so first response time and first contact resolution need not read every message each
time (1,000,000 messages take a second).

The table `reply_times` is refreshed whole when the store's imports have changed since it was
made: only an import writes messages (new ones, edited ones, or authors' roles resolved later),
so the imports ledger and the last message id say when it is stale. When the store cannot be
written (another connection is importing) the figures read a temporary copy made for this
connection instead, so they are never stale and never wait for the import.

Replies are agent messages the customer saw (internal notes and bots left out). Times are
wall-clock seconds between the stored UTC timestamps ("business-neutral": no office hours).
"""

from __future__ import annotations

import sqlite3

from review.figures.dialect import seconds_between
from review.store import Store

TABLE = "reply_times"
RESOLVED = "('solved', 'closed', 'resolved')"
REPLY = "m.author_role = 'agent' and m.kind = 'message' and m.is_internal = 0"

_FINGERPRINT_SQL = """
select (select count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(finished_at), '')
        || ':' || coalesce(sum(status = 'running'), 0) from imports)
       || '|' || (select coalesce(max(id), 0) from messages)
"""

# One pass groups each conversation's public messages; a second finds the first agent reply at
# or after the customer's first message through the messages' conversation index.
_FILL_SQL = """
insert into {table} (conversation_id, created_at, agent_id, team_id, channel, resolved,
                     asked_at, first_reply_s, agent_replies)
with firsts as (
    select m.conversation_id as cid,
           min(case when m.author_role = 'customer' then m.created_at end) as asked,
           count(case when m.author_role = 'agent' then 1 end) as replies
    from messages m
    where m.kind = 'message' and m.is_internal = 0
    group by m.conversation_id
)
select f.cid, c.created_at, c.agent_id, c.team_id, c.channel,
       case when c.status in {resolved} then 1 else 0 end, f.asked,
       (select {wait} from messages m
        where m.conversation_id = f.cid and {reply} and m.created_at >= f.asked),
       f.replies
from firsts f join conversations c on c.id = f.cid
"""


def reply_times_table(db: Store) -> str:
    """The name of an up-to-date reply-times table to read (made or refreshed if needed)."""
    fingerprint = db.execute(_FINGERPRINT_SQL).fetchone()[0]
    row = db.execute(
        "select fingerprint from derived_tables where name = :name", {"name": TABLE}
    ).fetchone()
    if row is not None and row[0] == fingerprint:
        return TABLE
    if not db.in_transaction and _refresh(db, fingerprint):
        return TABLE
    return _temporary_copy(db, fingerprint)


def _refresh(db: Store, fingerprint: str) -> bool:
    """Remake the stored table; False (nothing changed) when the store is busy or read-only,
    found at once rather than after the connection's long wait for a writer."""
    waited = db.execute("pragma busy_timeout").fetchone()[0]
    db.execute("pragma busy_timeout = 100")
    try:
        db.execute("begin immediate")
    except sqlite3.OperationalError:
        return False
    finally:
        db.execute(f"pragma busy_timeout = {int(waited)}")
    try:
        db.execute(f"delete from {TABLE}")
        _fill(db, TABLE)
        db.execute(
            "insert into derived_tables (name, fingerprint) values (:name, :fingerprint) "
            "on conflict(name) do update set fingerprint = excluded.fingerprint",
            {"name": TABLE, "fingerprint": fingerprint},
        )
    except sqlite3.OperationalError as exc:
        db.conn.rollback()
        if "readonly" in str(exc):
            return False
        raise
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
    return True


def _fill(db: Store, table: str) -> None:
    db.execute(
        _FILL_SQL.format(
            table=table,
            wait=seconds_between("f.asked", "min(m.created_at)"),
            reply=REPLY,
            resolved=RESOLVED,
        )
    )


def _temporary_copy(db: Store, fingerprint: str) -> str:
    """This connection's own reply times (the store is busy or read-only)."""
    name = "temp.reply_times_now"
    made = getattr(db, "_reply_times_fingerprint", None)
    if made != fingerprint:
        db.execute(f"drop table if exists {name}")
        db.execute(
            f"create table {name} (conversation_id integer primary key, created_at text, "
            "agent_id integer, team_id integer, channel text, "
            "resolved integer not null default 0, asked_at text, first_reply_s real, "
            "agent_replies integer not null default 0)"
        )
        _fill(db, name)
        db._reply_times_fingerprint = fingerprint  # type: ignore[attr-defined]
    return name
