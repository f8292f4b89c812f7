"""Metrics benchmark: every headline figure over 100,000 conversations with 20,000 reviews,
against a floor of the same aggregates written as plain SQL, one query each, run with sqlite3.
"""

from __future__ import annotations

import sqlite3
import statistics
import time

from review.figures import all_metrics
from review.filters import Filters
from review.store.database import connect
from tests.benchmarks.bigdb import big_database
from tests.benchmarks.common import report

RUNS = 5
JOIN_C = "join conversations c on c.id = {t}.conversation_id where {cond}"

FLOOR_SQL = [
    # quality score
    "select count(*), avg(r.score), avg(r.score * r.score) from reviews r "
    + JOIN_C.format(t="r", cond="r.score is not null and {where}"),
    # saved MRR and ARR, all and confirmed (the report shows all four)
    *[
        "select s.currency, count(*), sum(s.mrr_cents) from saves s "
        + JOIN_C.format(t="s", cond=f"s.status in ({statuses}) and {{where}}")
        + " group by s.currency"
        for statuses in (
            "'pending','confirmed'",
            "'confirmed'",
            "'pending','confirmed'",
            "'confirmed'",
        )
    ],
    # lost MRR, and by reason largest first
    "select l.currency, count(*), sum(l.mrr_cents) from losses l "
    + JOIN_C.format(t="l", cond="{where}")
    + " group by l.currency",
    "select l.reason_id, l.currency, count(*), sum(l.mrr_cents) from losses l "
    + JOIN_C.format(t="l", cond="{where}")
    + " group by l.reason_id, l.currency order by 4 desc",
    # save rate
    "select sum(kept), count(*) from (select s.status <> 'failed' as kept from saves s "
    + JOIN_C.format(t="s", cond="{where}")
    + " union all select 0 from losses l "
    + JOIN_C.format(t="l", cond="{where}")
    + ")",
    # NPS and CSAT
    "select count(*), sum(r.score >= 9), sum(r.score <= 6) from ratings r "
    + JOIN_C.format(t="r", cond="r.kind = 'nps' and r.score is not null and {where}"),
    "select count(*), sum(r.positive) from ratings r "
    + JOIN_C.format(t="r", cond="r.kind = 'csat' and r.positive is not null and {where}"),
    # FCR
    "select count(*), sum(k = 1) from (select count(*) as k from conversations c "
    "join messages m on m.conversation_id = c.id where c.status in ('solved', 'closed') "
    "and m.author_role = 'agent' and m.kind = 'message' and m.is_internal = 0 and {where} group by c.id)",
    # first response time: median and p90 from the sorted waits
    """with firsts as (select m.conversation_id as cid, min(m.created_at) as asked from messages m
         join conversations c on c.id = m.conversation_id
         where m.author_role = 'customer' and m.kind = 'message' and m.is_internal = 0 and {where}
         group by m.conversation_id),
       waits as (select (julianday(min(m.created_at)) - julianday(f.asked)) * 86400.0 as s
         from firsts f join messages m on m.conversation_id = f.cid
         where m.author_role = 'agent' and m.kind = 'message' and m.is_internal = 0
           and m.created_at >= f.asked group by f.cid),
       ranked as (select s, row_number() over (order by s) - 1 as i, count(*) over () as n from waits)
       select i, n, s from ranked where i in (cast((n - 1) * 0.5 as int), cast((n - 1) * 0.5 as int) + 1,
         cast((n - 1) * 0.9 as int), cast((n - 1) * 0.9 as int) + 1)""",
    # resolution rate
    "select count(*), sum(c.status in ('solved', 'closed')) from conversations c where {where}",
    # customer counts for CRR and churn (simple and adjusted share one query)
    "select sum(customers_start), sum(customers_end), sum(customers_new) from period_counts",
]

SCOPES = {
    "all conversations": ("1", {}, Filters()),
    "one quarter": (
        "c.created_at >= '2024-04-01' and c.created_at < '2024-07-01'",
        {},
        Filters(date_from="2024-04-01", date_to="2024-06-30"),
    ),
}


def _time(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> dict:
    """Run the metrics benchmark and print its figures."""
    path = big_database()
    raw = sqlite3.connect(path)
    db = connect(path)
    counts = raw.execute(
        "select (select count(*) from conversations), (select count(*) from messages), "
        "(select count(*) from reviews)"
    ).fetchone()
    rows = []
    figures = {}
    for name, (where, params, filters) in SCOPES.items():
        queries = [sql.format(where=where) for sql in FLOOR_SQL]
        floor = _time(
            lambda queries=queries, params=params: [
                raw.execute(q, params).fetchall() for q in queries
            ]
        )
        ours = _time(lambda filters=filters: all_metrics(db, filters))
        figures[name] = {"savedesk_s": ours, "floor_s": floor, "ratio": ours / floor}
        rows.append((f"{name}: savedesk all_metrics", f"{ours * 1000:8.0f} ms"))
        rows.append((f"{name}: floor, plain SQL", f"{floor * 1000:8.0f} ms"))
        rows.append((f"{name}: ratio", f"{ours / floor:8.2f}x  (goal <= 1.5x)"))
    report(
        f"Metrics over {counts[0]:,} conversations, {counts[1]:,} messages, {counts[2]:,} reviews "
        f"(median of {RUNS})",
        rows,
    )
    return figures


if __name__ == "__main__":
    run()
