"""Per conversation: when the customer first wrote, how long the first agent reply took, how
many replies the agents sent, and the conversation's creation, assignee, team, channel and
whether it was resolved (the columns filters select by, so a figure over a period, team or
agent need not look each conversation up). Derived from the messages once, so first response
time and first contact resolution need not read every message each time.

The table `reply_times` is kept current by whatever changes what it copies, in the writer's own
transaction, never rebuilt when a figure is read:
- the import writer, batch by batch: a conversation it adds gets its row from the messages it
  is writing (`add_rows`, nothing read back); one whose messages or fields it changed gets its
  row made again from the store (`refigure`);
- an author's role settled at the end of an import (a users file naming an agent) changes who
  replied, also in conversations of earlier imports: the writer refigures each of those
  (review.importing.people.settle_author_roles says which);
- the one full build (`build_all`) is revision 0009's, for a store that had messages before
  the table was kept this way.
Code that changes a conversation's status, team, assignee, channel or creation, or its
messages, outside these calls `refigure` for it in the same transaction.

Replies are agent messages the customer saw (internal notes and bots left out). Times are
wall-clock seconds between the stored UTC timestamps ("business-neutral": no office hours),
always worked out by the same SQL expression (review.store.intervals.seconds_between_sql), so a row
made here and one made by the full build hold the same number to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from review.store import Store
from review.store.intervals import seconds_between_sql

TABLE = "reply_times"
RESOLVED_STATUSES = ("solved", "closed", "resolved")  # a conversation in these is resolved
RESOLVED = "(" + ", ".join(f"'{status}'" for status in RESOLVED_STATUSES) + ")"
REPLY = "m.author_role = 'agent' and m.kind = 'message' and m.is_internal = 0"
_CHUNK = 500  # conversation ids per statement

# One pass groups each conversation's public messages; a second finds the first agent reply at
# or after the customer's first message through the messages' conversation index.
_FILL_SQL = """
insert into reply_times (conversation_id, created_at, agent_id, team_id, channel, resolved,
                         asked_at, first_reply_s, agent_replies)
with firsts as (
    select m.conversation_id as cid,
           min(case when m.author_role = 'customer' then m.created_at end) as asked,
           count(case when m.author_role = 'agent' then 1 end) as replies
    from messages m
    where m.kind = 'message' and m.is_internal = 0{which}
    group by m.conversation_id
)
select f.cid, c.created_at, c.agent_id, c.team_id, c.channel,
       case when c.status in {resolved} then 1 else 0 end, f.asked,
       (select {wait} from messages m
        where m.conversation_id = f.cid and {reply} and m.created_at >= f.asked),
       f.replies
from firsts f join conversations c on c.id = f.cid
"""

# A conversation the import is adding: its columns and the summary of its messages come from
# the writer (read back from the conversation's row, this cost twice as much).
_ADD_SQL = """
insert into reply_times (conversation_id, created_at, agent_id, team_id, channel, resolved,
                         asked_at, first_reply_s, agent_replies)
values (:id, :created_at, :agent_id, :team_id, :channel, :resolved, :asked, {wait}, :replies)
"""


def _fill_sql(db: Store, which: str = "") -> str:
    return _FILL_SQL.format(
        which=which,
        wait=seconds_between_sql(db, "f.asked", "min(m.created_at)"),
        reply=REPLY,
        resolved=RESOLVED,
    )


def _fill(db: Store) -> None:
    db.execute(_fill_sql(db))


def build_all(db: Store) -> None:
    """Make every conversation's row afresh (revision 0009: once, for a store that had
    messages before the import kept the table)."""
    db.execute(f"delete from {TABLE}")
    _fill(db)


def refigure(db: Store, conversation_ids: Iterable[int]) -> None:
    """Make the rows of `conversation_ids` again from the store (their messages, status, team,
    assignee, channel or creation changed), in the caller's transaction."""
    for sql, rows in refigure_statements(db, conversation_ids):
        db.executemany(sql, rows)


def refigure_statements(db: Store, conversation_ids: Iterable[int]) -> list[tuple[str, list[dict]]]:
    """`refigure` as statements (SQL and its parameter sets) for a writer that runs them
    later, in order."""
    ids = list(conversation_ids)
    statements: list[tuple[str, list[dict]]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        names = {f"c{i}": cid for i, cid in enumerate(chunk)}
        marks = ", ".join(f":{name}" for name in names)
        statements.append((f"delete from {TABLE} where conversation_id in ({marks})", [names]))
        statements.append((_fill_sql(db, f" and m.conversation_id in ({marks})"), [names]))
    return statements


def first_reply(asked: str | None, agent_times: Iterable[str | None]) -> str | None:
    """The time of the first agent reply at or after the customer's first message `asked`
    (ISO 8601 UTC strings compare in time order), as the full build finds it."""
    if asked is None:
        return None
    return min((t for t in agent_times if t is not None and t >= asked), default=None)


def add_statement(db: Store, rows: Sequence[dict]) -> tuple[str, Sequence[dict]]:
    """`add_rows` as a statement for a writer that runs it later."""
    return _ADD_SQL.format(wait=seconds_between_sql(db, ":asked", ":replied")), rows


def add_rows(db: Store, rows: Sequence[dict]) -> None:
    """Rows of conversations the writer is adding: each holds the conversation's `id`,
    `created_at`, `agent_id`, `team_id`, `channel` and `resolved` (1 when its status is in
    RESOLVED_STATUSES), and from the messages it wrote `asked` (the customer's first),
    `replied` (`first_reply`) and `replies` (the agents' public messages)."""
    if rows:
        db.executemany(*add_statement(db, rows))
