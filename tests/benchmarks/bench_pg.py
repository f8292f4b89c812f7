"""`make bench-pg`: 20 concurrent reviewers on a team store, each a lead with a login of its own,
against a real PostgreSQL 15 (tests/pgserver.py), each figure beside a floor measured in the
same run (`python -m tests.benchmarks pg`).

The store is built by savedesk's own importer (its PostgreSQL path: COPY into staging tables)
from the generated Zendesk export of the SQLite benchmarks (zendesk_export.py), made a team
store by `admin init` (roles, row-level security, audit triggers), and given BENCH_PG_REVIEWERS
lead logins (review.store.roles.add_person). An open queue (built as the superuser) holds
conversations for everyone to claim.

- Reviewers (bench_pg_reviewer.py): each a process with its own connection as its own lead,
  all started together, claiming, opening, rating, tagging and noting conversations through
  review.operations; then the floor, the same work as bare psycopg statements by the same
  logins. Per operation p50/p95/p99 (goal: p95 < 50 ms, p99 < 150 ms), against the floor's.
- Afterwards, as the superuser: double claims (a conversation claimed by two reviewers, or
  reviewed by two; must be 0) and lost updates (a rating a reviewer was told was saved that is
  not in the database at the end; must be 0; conflicts the reviewer was told of are counted
  apart).
- Search: review.store.search.search on the whole store, one client, BENCH_PG_SEARCHES times
  (goal: p95 < 100 ms on 1,000,000 messages), against the same matching statements as bare
  psycopg calls (the newest conversations' page, and every match where that page is short).

Sizes: BENCH_PG_TICKETS (default 100,000 tickets of 10 messages: 1,000,000 messages),
BENCH_PG_REVIEWERS (20), BENCH_PG_PER_REVIEWER (conversations each, 15), BENCH_PG_THINK_MS
(mean pause between a reviewer's actions, 50 ms; 0 hammers the server).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.bench_pg_reviewer import OPS, Plan, Result, floor_reviewer, savedesk_reviewer
from tests.benchmarks.common import report
from tests.benchmarks.zendesk_export import write_export

MESSAGES_PER_TICKET = 10


@dataclass(frozen=True)
class Sizes:
    """How big one run is (BENCH_PG_* in the environment; see the module's docstring)."""

    tickets: int = int(os.environ.get("BENCH_PG_TICKETS", 100_000))
    reviewers: int = int(os.environ.get("BENCH_PG_REVIEWERS", 20))
    per_reviewer: int = int(os.environ.get("BENCH_PG_PER_REVIEWER", 15))
    think_ms: float = float(os.environ.get("BENCH_PG_THINK_MS", 50))
    searches: int = int(os.environ.get("BENCH_PG_SEARCHES", 200))


SEARCH_QUERIES = ["refund", "invoice", "登录", "取消", "годовой", "тариф", "Google Calendar",
                  "charged twice", "export", "密码错误"]  # fmt: skip


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def build_store(url: str, work: Path, sizes: Sizes) -> dict:
    """Import the export into the database at `url` and make it a team store; what it took."""
    from review.importing.run import import_files
    from review.progress import run_to_end
    from review.store.roles import init_server

    export = work / "tickets.ndjson"
    started = time.perf_counter()
    written = write_export(export, sizes.tickets, MESSAGES_PER_TICKET, seed=3)
    generated = time.perf_counter() - started
    init_server(url)
    started = time.perf_counter()
    run_to_end(import_files(url, [export], suggest=False))
    imported = time.perf_counter() - started
    export.unlink()
    return {"messages": written, "generate_s": generated, "import_s": imported}


def _setup(
    url: str, sizes: Sizes, prefix: str
) -> tuple[list[str], list[tuple[int, int, int]], int, int, list[int]]:
    """Leads, the rubric's categories, a loss reason, the rubric id and two open queues (one for
    savedesk's reviewers, one for the floor's), as the superuser."""
    from review.retention.losses import loss_reasons
    from review.reviewing.rubrics import current_rubric
    from review.store import connect
    from review.store.roles import add_person

    db = connect(url)
    rubric = current_rubric(db)
    categories = [(c.id, c.scale_min, c.scale_max) for c in rubric.categories if not c.critical]
    reason = next(r.id for r in loss_reasons(db) if r.parent is not None)
    # the generated export has no users: an agent's team is the one of most of its tickets
    # (what an admin's user import would set), so each lead's agents are under row-level security
    db.execute(
        "update agents set team_id = (select c.team_id from conversations c where c.agent_id = "
        "agents.id group by c.team_id order by count(*) desc, c.team_id limit 1) "
        "where team_id is null"
    )
    teams = tuple(r[0] for r in db.execute("select coalesce(name, external_id) from teams"))
    share = sizes.reviewers * sizes.per_reviewer
    # conversations nobody has reviewed, spread over the store (not all of one agent)
    ids = [r[0] for r in db.execute(
        "select id from conversations order by id desc limit :n", {"n": 2 * share}
    )]  # fmt: skip
    queues = []
    for name, part in (("Bench", ids[:share]), ("Floor", ids[share:])):
        queue_id = db.insert("queues", {"name": name, "created_at": "2026-12-02T08:00:00Z"})
        db.insert_rows(
            "queue_items",
            [
                {"queue_id": queue_id, "position": p, "conversation_id": c}
                for p, c in enumerate(part)
            ],
        )
        queues.append(queue_id)
    db.close()
    logins = [f"{prefix}_lead_{n:02d}" for n in range(sizes.reviewers)]
    for login in logins:
        add_person(url, login, "lead", teams=teams or ())
    return logins, categories, reason, rubric.id, queues


def _crowd(target, plans: list[tuple[Plan, str]], *extra) -> tuple[list[Result], float]:
    """Run one reviewer process per (plan, login), all starting together; their results and the
    wall time from the start signal."""
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(len(plans)) as pool:
        start = manager.Barrier(len(plans) + 1)
        pending = [pool.apply_async(target, (plan, login, start, *extra)) for plan, login in plans]
        start.wait()
        started = time.perf_counter()
        results = [p.get(timeout=3600) for p in pending]
        return results, time.perf_counter() - started


def _checks(url: str, results: list[Result], queue_id: int) -> dict:
    """Double claims and lost updates, read back as the superuser."""
    from review.store import connect

    claimed = Counter(c for r in results for c in r.claimed)
    db = connect(url)
    in_db = db.execute(
        "select count(*) from (select claimed_by from queue_items where queue_id = :q "
        "and claimed_by is not null group by conversation_id, claimed_by) x", {"q": queue_id}
    ).scalar()  # fmt: skip
    reviewed_twice = db.execute(
        "select count(*) from (select r.conversation_id from reviews r join queue_items q "
        "on q.conversation_id = r.conversation_id and q.queue_id = :q "
        "group by r.conversation_id having count(distinct r.reviewer) > 1) x", {"q": queue_id}
    ).scalar()  # fmt: skip
    lost = 0
    for result in results:
        stored = {
            (r[0], r[1]): r[2]
            for r in db.execute(
                "select v.conversation_id, rr.category_id, rr.rating from reviews v "
                "join review_ratings rr on rr.review_id = v.id where v.reviewer = :login",
                {"login": result.login},
            )
        }
        lost += sum(1 for key, rating in result.ratings.items() if stored.get(key) != rating)
    db.close()
    return {
        "claims": sum(claimed.values()),
        "double_claims": sum(n - 1 for n in claimed.values() if n > 1) + reviewed_twice,
        "claim_rows": in_db,
        "ratings": sum(len(r.ratings) for r in results),
        "lost": lost,
        "conflicts": sum(len(r.conflicts) for r in results),
        "errors": [e for r in results for e in r.errors],
    }


def _search(url: str, searches: int) -> tuple[list[float], list[float], int]:
    """review's search and the same matching statements as bare psycopg calls, in turns."""
    import psycopg

    from review.store import connect
    from review.store.search import search
    from review.store.search_match import matching_conversations, newest_matching_sql

    db = connect(url)
    conn = psycopg.connect(url, autocommit=True)
    ours, floor, hits = [], [], 0
    for n in range(searches):
        query = SEARCH_QUERIES[n % len(SEARCH_QUERIES)]
        started = time.perf_counter()
        hits += len(search(db, query))
        ours.append(time.perf_counter() - started)
        # savedesk's own matching statements: the newest conversations' page, else every match
        newest, newest_params = newest_matching_sql(db, query, 20)
        matching, params = matching_conversations(db, query)
        full = re.sub(r"(?<!:):(\w+)", r"%(\1)s", matching)
        started = time.perf_counter()
        rows = conn.execute(re.sub(r"(?<!:):(\w+)", r"%(\1)s", newest), newest_params).fetchall()
        if len(rows) < 20:
            conn.execute(
                f"select c.id from conversations c where c.id in ({full}) "
                "order by c.created_at desc, c.id desc limit 20",
                params,
            ).fetchall()
        floor.append(time.perf_counter() - started)
    db.close()
    conn.close()
    return ours, floor, hits


def run_on(server_url, database: str = "bench", sizes: Sizes | None = None) -> dict:
    """The whole benchmark on a running server (`server_url(database)` gives a URL); figures."""
    import psycopg

    sizes = sizes or Sizes()
    admin = psycopg.connect(server_url("postgres"), autocommit=True)
    admin.execute(f"create database {database}")
    admin.close()
    url = server_url(database)
    work = Path(tempfile.mkdtemp(prefix="savedesk-bench-pg-"))
    try:
        built = build_store(url, work, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logins, categories, reason, rubric_id, (queue, floor_queue) = _setup(url, sizes, database)
    plans = [
        (Plan(url, queue, sizes.per_reviewer, sizes.think_ms, categories, reason, seed=n), login)
        for n, login in enumerate(logins)
    ]
    load_before = _load()
    ours, ours_s = _crowd(savedesk_reviewer, plans)
    load_ours = _load()
    checks = _checks(url, ours, queue)
    floor_plans = [
        (Plan(url, floor_queue, sizes.per_reviewer, sizes.think_ms, categories, reason, n), login)
        for n, login in enumerate(logins)
    ]
    floor, floor_s = _crowd(floor_reviewer, floor_plans, rubric_id)
    floor_checks = _checks(url, floor, floor_queue)
    search_ours, search_floor, hits = _search(url, sizes.searches)
    load_after = _load()
    figures = _print(sizes, built, ours, floor, ours_s, floor_s, checks, floor_checks,
                     search_ours, search_floor, hits, (load_before, load_ours, load_after))  # fmt: skip
    return figures


def _print(sizes: Sizes, built, ours, floor, ours_s, floor_s, checks, floor_checks, search_ours, search_floor,
           hits, loads) -> dict:  # fmt: skip
    report(
        f"Team store on PostgreSQL 15: {built['messages']:,} messages ({sizes.tickets:,} conversations)",
        [
            ("export generated", f"{built['generate_s']:7.1f} s"),
            ("imported by savedesk (COPY path)", f"{built['import_s']:7.1f} s "
             f"({built['messages'] / built['import_s']:,.0f} messages/s)"),
        ],
    )  # fmt: skip
    figures: dict = {"messages": built["messages"]}
    rows = []
    for op in OPS:
        mine = [t for r in ours for t in r.times[op]]
        base = [t for r in floor for t in r.times[op]]
        if not mine:
            continue
        p50, p95, p99 = (_ms(mine, q) for q in (0.5, 0.95, 0.99))
        f95 = _ms(base, 0.95) if base else float("nan")
        verdict = "ok" if p95 < 50 and p99 < 150 else "MISSES GOAL"
        rows.append((
            f"{op} ({len(mine)} runs)",
            f"p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms  | floor p50 {_ms(base, 0.5):5.1f}"
            f"  p95 {f95:5.1f}  p99 {_ms(base, 0.99):5.1f} ms  | p95 {p95 / f95:4.1f}x floor  {verdict}",
        ))  # fmt: skip
        figures[op] = {"p50": p50, "p95": p95, "p99": p99, "floor_p95": f95}
    done = sum(len(t) for r in ours for t in r.times.values())
    floor_done = sum(len(t) for r in floor for t in r.times.values())
    rows += [
        ("operations per second", f"{done / ours_s:6.1f}  (floor {floor_done / floor_s:6.1f}; "
         f"think time mean {sizes.think_ms:g} ms between a reviewer's actions)"),
        ("conversations claimed", f"{checks['claims']} (floor {floor_checks['claims']})"),
        ("double claims", f"{checks['double_claims']}  (goal 0; floor {floor_checks['double_claims']})"),
        ("ratings written", f"{checks['ratings']}, lost updates {checks['lost']} (goal 0), "
         f"conflicts told {checks['conflicts']}"),
        ("reviewer errors", f"{len(checks['errors'])} (floor {len(floor_checks['errors'])})"
         + (f": {checks['errors'][:3]}" if checks["errors"] else "")
         + (f" floor: {floor_checks['errors'][:3]}" if floor_checks["errors"] else "")),
    ]  # fmt: skip
    report(f"{len(ours)} reviewers at once, each its own lead login, "
           f"{sizes.per_reviewer} conversations each (goal p95 < 50 ms, p99 < 150 ms)", rows)  # fmt: skip
    s95, f95 = _ms(search_ours, 0.95), _ms(search_floor, 0.95)
    report(
        f"Search on {built['messages']:,} messages, one client, {len(search_ours)} queries",
        [
            ("savedesk search (20 hits + snippets)", f"p50 {_ms(search_ours, 0.5):6.1f}  "
             f"p95 {s95:6.1f}  p99 {_ms(search_ours, 0.99):6.1f} ms  (goal p95 < 100 ms; "
             f"{hits} hits)"),
            ("floor: its matching statements, bare psycopg", f"p50 {_ms(search_floor, 0.5):6.1f}"
             f"  p95 {f95:6.1f} ms  (no snippets: savedesk also reads each hit's first message)"),
            ("savedesk / floor (p95)", f"{s95 / f95:.1f}x"),
        ],
    )  # fmt: skip
    print("  " + "; ".join(f"{when}: {load}" for when, load in zip(
        ("before", "after the reviewers", "at the end"), loads, strict=True)))  # fmt: skip
    print("  (the floor writes the same rows under the same logins, row-level security and audit "
          "triggers, but no version checks, undo history, operation ids or validation)")  # fmt: skip
    figures.update(
        double_claims=checks["double_claims"], lost=checks["lost"], search_p95=s95,
        search_floor_p95=f95, errors=len(checks["errors"]),
    )  # fmt: skip
    return figures


def run() -> dict:
    """Start a throwaway server, run the benchmark on it, stop it; print and return figures."""
    from tests import pgserver

    try:
        server = pgserver.start()
    except pgserver.ServerUnavailable as exc:
        report("Team store on PostgreSQL", [("skipped", str(exc))])
        return {}
    try:
        return run_on(server.url)
    finally:
        server.stop()
