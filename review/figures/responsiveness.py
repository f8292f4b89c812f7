"""How support answered: first contact resolution, first response time (all channels, and on
chat against DOMAIN.md's target), resolution rate.

First response and FCR read the per-conversation reply times (review.figures.reply_times), so
they do not go through every message. Times are wall-clock seconds between stored UTC
timestamps ("business-neutral": no office hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from review.figures.reply_times import RESOLVED_STATUSES
from review.figures.reply_times import TABLE as REPLY_TIMES
from review.figures.scope import Scope, one
from review.figures.values import Figure, no_data, rate_figure
from review.filters import conversation_where


@dataclass(frozen=True)
class ResponseTimes:
    """First response time in seconds: median and 90th percentile, over n conversations."""

    median: Figure
    p90: Figure


def resolution_rate(scope: Scope) -> Figure:
    """% of the conversations that reached solved or closed (Wilson interval); n = all."""
    where, params = scope.where()
    rows = scope.db.execute(
        f"select c.status, count(*) from conversations c where {where} group by c.status", params
    ).fetchall()
    resolved = sum(n for status, n in rows if status in RESOLVED_STATUSES)
    return rate_figure(resolved, sum(n for _, n in rows))


@dataclass(frozen=True)
class Replies:
    """One pass over the reply times of a filtered scope: the sorted waits (all channels, and
    per channel) and the first-contact-resolution counts."""

    waits: list[float]
    by_channel: dict[str, list[float]]
    resolved_with_reply: int
    resolved_in_one: int


def _joined(scope: Scope) -> tuple[str, str, dict]:
    """(join, condition, parameters) that restrict reply times to the scope. Reply times keep
    each conversation's creation, assignee, team and channel, so a scope of those needs no
    join (the filters read `t` as they would `c`); other filters join the conversations."""
    f = scope.filters
    kept = replace(f, date_from=None, date_to=None, channels=(), agent_ids=(), team_ids=())
    if kept.is_empty():
        where, params = conversation_where(f, "t")
        return "", where, params
    where, params = scope.where()
    join, joined = scope.conversations_of("t")
    return join, f"{joined} and {where}", params


def _replies(scope: Scope) -> Replies:
    """The scope's reply times read once (only for a filtered scope: over every conversation
    the figures come from the indexes without reading each row)."""

    def read() -> Replies:
        join, where, params = _joined(scope)
        table = REPLY_TIMES
        with_reply, in_one = one(
            scope,
            f"""select count(*), sum(case when t.agent_replies = 1 then 1 else 0 end)
                from {table} t {join}
                where t.resolved = 1 and t.agent_replies > 0 and {where}""",
            params,
        )
        waits: list[float] = []
        by_channel: dict[str, list[float]] = {}
        for wait, channel in scope.db.execute(
            f"""select t.first_reply_s, t.channel from {table} t {join}
                where t.first_reply_s is not null and {where} order by t.first_reply_s""",
            params,
        ):
            waits.append(wait)
            by_channel.setdefault(channel, []).append(wait)  # in order: each stays sorted
        return Replies(waits, by_channel, with_reply or 0, in_one or 0)

    return scope.once("replies", read)


def fcr(scope: Scope) -> Figure:
    """% of resolved conversations solved with exactly one agent reply (Wilson interval).

    n = resolved conversations with at least one agent reply (one closed without any reply
    was not resolved by contact at all).
    """
    if not scope.filters.is_empty():
        replies = _replies(scope)
        return rate_figure(replies.resolved_in_one, replies.resolved_with_reply)
    table = REPLY_TIMES
    n, single = one(
        scope,
        f"""select count(*), sum(case when t.agent_replies = 1 then 1 else 0 end)
            from {table} t where t.resolved = 1 and t.agent_replies > 0""",
    )
    return rate_figure(single, n)


def first_response_times(scope: Scope, channel: str | None = None) -> ResponseTimes:
    """Median and 90th percentile of the time from the customer's first message to the first
    agent reply, in seconds; n = conversations that had both. `channel` narrows to one
    channel (DOMAIN.md's target is for chat).

    The percentiles interpolate linearly between the two nearest ranks (like numpy's
    default). Over every conversation they are read from the index in rank order; within
    filters, from the sorted waits of the conversations they select.
    """
    if scope.filters.is_empty():
        table = REPLY_TIMES
        where, params = "1 = 1", {}
        if channel is not None:
            where, params = "t.channel = :reply_channel", {"reply_channel": channel}
        base = f"from {table} t where t.first_reply_s is not null and {where}"
        n = one(scope, f"select count(*) {base}", params)[0]

        def at(rank: int) -> list[float]:
            return [
                r[0]
                for r in scope.db.execute(
                    f"select t.first_reply_s {base} order by t.first_reply_s limit 2 offset :rank",
                    {**params, "rank": rank},
                )
            ]

    else:
        replies = _replies(scope)
        waits = replies.waits if channel is None else replies.by_channel.get(channel, [])
        n = len(waits)

        def at(rank: int) -> list[float]:
            return waits[rank : rank + 2]

    if not n:
        return ResponseTimes(no_data("s"), no_data("s"))

    def quantile(q: float) -> Figure:
        pos = (n - 1) * q
        lo = math.floor(pos)
        pair = at(lo)
        value = pair[0] + ((pair[1] - pair[0]) * (pos - lo) if len(pair) > 1 else 0.0)
        return Figure(round(value, 3), n, "s")

    return ResponseTimes(quantile(0.5), quantile(0.9))
