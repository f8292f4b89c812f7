"""Figures benchmark: the dashboard's figure set (review.figures.overview, which `savedesk stats`
and every report also read) at 100,000 and 1,000,000 conversations, for three filter sets,
against a floor of the same aggregates written as plain SQL and run with sqlite3 in the same
run. Goals (issue #12): under 300 ms at 100,000 and under 2 s at 1,000,000.

The floor runs the same queries in the same shapes on the same indexes and derived reply
times (review.figures.reply_times), and does less than savedesk: no exchange rates, intervals,
names, weeks filled in or Python objects; so the ratio is the price of those. The reply times
are kept by the import writer (no rebuild when a figure is read); the first figure set on a
newly opened connection, with SQLite's cache cold, is printed apart.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from review.figures.overview import overview
from review.filters import Filters
from review.importing.run import import_files
from review.progress import run_to_end
from review.store import connect, open_store
from tests.benchmarks.bigdb import big_database, huge_database
from tests.benchmarks.common import report
from tests.benchmarks.zendesk_export import write_export

RUNS = 5
GOALS = {100_000: 0.3, 1_000_000: 2.0}
# records lead, conversations looked up (as review.figures.scope does over long periods)
JOIN = "cross join conversations c"
ON = "c.id = {t}.conversation_id and "

# The same aggregates as the overview, one plain query each, in the same shapes ({where} over
# conversations c; {rwhere} over the reply times t, {rjoin} joining conversations when needed).
FLOOR_SQL = [
    # reviews: quality by rubric version, agent and team
    "select coalesce(r.rubric_id, 0), coalesce(r.agent_id, c.agent_id), c.team_id, count(*), "
    "sum(r.score), sum(r.score * r.score) from reviews r "
    + JOIN
    + " where "
    + ON.format(t="r")
    + "r.score is not null and {where} group by 1, 2, 3",
    # saves by status, currency, agent, team, week and method
    "select s.status, s.currency, coalesce(s.agent_id, c.agent_id), c.team_id, "
    "date(s.saved_on, '-' || ((cast(strftime('%w', s.saved_on) as int) + 6) % 7) || ' days'), "
    "s.method, count(*), sum(s.mrr_cents) from saves s "
    + JOIN
    + " where "
    + ON.format(t="s")
    + "{where} group by 1, 2, 3, 4, 5, 6",
    # losses by reason, preventable, currency, agent and team
    "select l.reason_id, l.preventable, l.currency, coalesce(l.agent_id, c.agent_id), c.team_id, "
    "count(*), sum(l.mrr_cents) from losses l "
    + JOIN
    + " where "
    + ON.format(t="l")
    + "{where} group by 1, 2, 3, 4, 5",
    # CSAT and NPS in one pass
    "select r.kind, count(*), sum(r.positive = 1), sum(r.score >= 9), sum(r.score <= 6) "
    "from ratings r " + JOIN + " where " + ON.format(t="r") + "r.kind in ('csat', 'nps') and "
    "{where} group by r.kind",
    # resolution rate
    "select c.status, count(*) from conversations c where {where} group by c.status",
    # behaviours: mean rating per category where saved and where lost
    """with outcome as (select conversation_id as cid, 'saved' as o from saves
                        where status <> 'failed' union select conversation_id, 'lost' from losses)
       select rc.name, o.o, count(*), avg(rr.rating) from outcome o cross join reviews r
       cross join conversations c cross join review_ratings rr cross join rubric_categories rc
       where r.conversation_id = o.cid and c.id = r.conversation_id and rr.review_id = r.id
         and rc.id = rr.category_id and rr.rating is not null and rr.is_na = 0 and {where}
       group by 1, 2""",
    # customer counts (CRR, churn)
    "select sum(customers_start), sum(customers_end), sum(customers_new) from period_counts",
]
# first response (all channels and chat) and FCR from the reply times: over every conversation
# by the indexes (how many, then the ranks of the median and p90); within filters, one pass
WAITS = "from reply_times t where t.first_reply_s is not null{chat}"


def _floor(raw: sqlite3.Connection, where: str, rwhere: str, rjoin: str) -> None:
    for sql in FLOOR_SQL:
        raw.execute(sql.format(where=where)).fetchall()
    if rwhere != "1":
        raw.execute(
            "select t.first_reply_s, t.channel, t.resolved, t.agent_replies from reply_times t "
            f"{rjoin} where {rwhere}"
        ).fetchall()
        return
    raw.execute(
        "select count(*), sum(t.agent_replies = 1) from reply_times t "
        "where t.resolved = 1 and t.agent_replies > 0"
    ).fetchall()
    for chat in ("", " and t.channel = 'chat'"):
        base = WAITS.format(chat=chat)
        n = raw.execute(f"select count(*) {base}").fetchone()[0]
        for q in (0.5, 0.9):
            raw.execute(
                f"select t.first_reply_s {base} order by t.first_reply_s limit 2 offset ?",
                [int((n - 1) * q)],
            ).fetchall()


def _scopes(db: sqlite3.Connection) -> dict[str, tuple[str, str, str, Filters]]:
    """(where over c, where over the reply times t, join for t, Filters) per filter set."""
    team = db.execute("select id from teams order by id limit 1").fetchone()[0]
    dates = "{a}.created_at >= '2024-04-01' and {a}.created_at < '2024-07-01'"
    return {
        "all conversations": ("1", "1", "", Filters()),
        "one quarter": (
            dates.format(a="c"),
            dates.format(a="t"),
            "",
            Filters(date_from="2024-04-01", date_to="2024-06-30"),
        ),
        "one team": (f"c.team_id = {team}", f"t.team_id = {team}", "", Filters(team_ids=(team,))),
    }


def _time(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _bench(path: Path, size: int) -> tuple[list[tuple[str, str]], dict]:
    open_store(path).close()  # migrated
    raw = sqlite3.connect(path)
    db = connect(path)
    started = time.perf_counter()
    overview(db)
    first = time.perf_counter() - started
    rows = [
        (
            f"{size:,}: first figure set after opening (reply times kept by the import)",
            f"{first:7.2f} s",
        )
    ]
    figures: dict = {"first_s": first}
    goal = GOALS[size]
    for name, (where, rwhere, rjoin, filters) in _scopes(raw).items():
        floor = _time(lambda w=where, rw=rwhere, rj=rjoin: _floor(raw, w, rw, rj))
        ours = _time(lambda filters=filters: overview(db, filters))
        figures[name] = {"savedesk_s": ours, "floor_s": floor, "ratio": ours / floor}
        verdict = "meets" if ours < goal else "MISSES"
        rows.append((f"{size:,}, {name}: savedesk overview", f"{ours * 1000:7.0f} ms"
                     f"  ({verdict} the goal of {goal * 1000:,.0f} ms)"))  # fmt: skip
        rows.append((f"{size:,}, {name}: floor, plain SQL", f"{floor * 1000:7.0f} ms"))
        rows.append((f"{size:,}, {name}: ratio", f"{ours / floor:7.2f}x  (the floor does less: "
                     "no rates, intervals, names)"))  # fmt: skip
    raw.close()
    db.close()
    return rows, figures


AFTER_IMPORT_TICKETS = 1_000


def _after_an_import(path: Path) -> list[tuple[str, str]]:
    """On a copy of the store: the dashboard's connection open, an import of 1,000 tickets
    (all of them already stored, with other messages and statuses: every one updated), then
    the first figure set on that same connection; against the next one (nothing changed)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "after-import.db"
        source = sqlite3.connect(path)
        source.execute("pragma wal_checkpoint(truncate)")
        source.close()
        shutil.copy(path, copy)
        export = Path(folder) / "tickets.ndjson"
        write_export(export, AFTER_IMPORT_TICKETS, 10, seed=11)
        db = connect(copy)
        overview(db)  # the dashboard showed its figures before the import
        started = time.perf_counter()
        report_ = run_to_end(import_files(copy, [export], suggest=False))
        imported = time.perf_counter() - started
        updated = sum(f.updated for f in report_.files)
        started = time.perf_counter()
        overview(db)
        after = time.perf_counter() - started
        again = _time(lambda: overview(db))
        db.close()
    return [
        (
            f"100,000: import of {AFTER_IMPORT_TICKETS:,} tickets ({updated:,} updated)",
            f"{imported:7.2f} s (reply times kept as it writes)",
        ),
        ("100,000: first figure set right after that import", f"{after * 1000:7.0f} ms"),
        ("100,000: the figure set again (nothing changed)", f"{again * 1000:7.0f} ms"),
    ]


def run() -> dict:
    """Run the figures benchmark at 100,000 and 1,000,000 conversations; print its figures."""
    results = {}
    for size, build in ((100_000, big_database), (1_000_000, huge_database)):
        rows, figures = _bench(build(), size)
        if size == 100_000:
            rows += _after_an_import(build())
        report(f"Dashboard figure set (review.figures.overview), median of {RUNS}", rows)
        results[size] = figures
    return results


if __name__ == "__main__":
    run()
