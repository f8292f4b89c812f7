"""How support answered: first contact resolution, first response time, resolution rate.

Replies are agent messages the customer saw (internal notes and bots left out). Times are
wall-clock seconds between the stored UTC timestamps ("business-neutral": no office hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlite_utils import Database

from review.figures.figure import _RESOLVED_SQL, Figure, one, percent, scope
from review.filters import Filters

_REPLY = "m.author_role = 'agent' and m.kind = 'message' and m.is_internal = 0"


@dataclass(frozen=True)
class ResponseTimes:
    """First response time in seconds: median and 90th percentile, over n conversations."""

    median: Figure
    p90: Figure


def resolution_rate(db: Database, filters: Filters) -> Figure:
    """% of the conversations that reached solved or closed; n = conversations."""
    where, params = scope(filters)
    n, resolved = one(
        db,
        f"select count(*), sum(c.status in {_RESOLVED_SQL}) from conversations c where {where}",
        params,
    )
    return percent(resolved, n)


def fcr(db: Database, filters: Filters) -> Figure:
    """% of resolved conversations solved with exactly one agent reply.

    n = resolved conversations with at least one agent reply (one closed without any reply
    was not resolved by contact at all).
    """
    where, params = scope(filters)
    n, single = one(
        db,
        f"""select count(*), sum(k = 1) from (
                select count(*) as k from conversations c
                join messages m on m.conversation_id = c.id
                where c.status in {_RESOLVED_SQL} and {_REPLY} and {where}
                group by c.id)""",
        params,
    )
    return percent(single, n)


# Per conversation: the customer's first message, then the first agent reply at or after it.
# The percentiles interpolate linearly between the two nearest ranks (like numpy's default);
# the query returns only the ranks it needs.
_FIRST_RESPONSE_SQL = """
with firsts as (
    select m.conversation_id as cid, min(m.created_at) as asked
    from messages m join conversations c on c.id = m.conversation_id
    where m.author_role = 'customer' and m.kind = 'message' and m.is_internal = 0
      and m.created_at is not null and {where}
    group by m.conversation_id
),
waits as (
    select (julianday(min(m.created_at)) - julianday(f.asked)) * 86400.0 as s
    from firsts f join messages m on m.conversation_id = f.cid
    where {reply} and m.created_at >= f.asked
    group by f.cid
),
ranked as (select s, row_number() over (order by s) - 1 as i, count(*) over () as n from waits)
select i, n, s from ranked
where i in (cast((n - 1) * 0.5 as int), cast((n - 1) * 0.5 as int) + 1,
            cast((n - 1) * 0.9 as int), cast((n - 1) * 0.9 as int) + 1)
"""


def first_response_times(db: Database, filters: Filters) -> ResponseTimes:
    """Median and 90th percentile of the time from the customer's first message to the first
    agent reply, in seconds; n = conversations that had both."""
    where, params = scope(filters)
    rows = db.execute(_FIRST_RESPONSE_SQL.format(where=where, reply=_REPLY), params).fetchall()
    if not rows:
        return ResponseTimes(Figure(None, 0, "s"), Figure(None, 0, "s"))
    n = rows[0][1]
    at = {i: s for i, _, s in rows}

    def quantile(q: float) -> Figure:
        pos = (n - 1) * q
        lo = math.floor(pos)
        hi = min(lo + 1, n - 1)
        value = at[lo] + (at[hi] - at[lo]) * (pos - lo)
        return Figure(round(value, 3), n, "s")

    return ResponseTimes(quantile(0.5), quantile(0.9))
