"""Every statement review/ runs in a representative session, on SQLite and again on PostgreSQL,
gives the same rows (the dialect replay of issue 14).

The demo is built in a SQLite file and copied row for row (same ids) into a server database
(tests/pgcopy.py). The same session then runs on each store under review.store's statement
trace: the store's figures, searches (退款, отмен, refund), the list in every order, the
reports' figures and CSV exports, a review with ratings, comments, a saved and a lost customer,
a coaching note, a queue, and undo. Each statement SQLite ran is paired with the one PostgreSQL
ran from the same line of review/ (its k-th run from there): SQLite's statement in PostgreSQL's
spelling where review.store.dialect spells it otherwise, on the same data at the same point.
Their rows must be equal (order-insensitive only where the statement has no ORDER BY; floats to
1e-6; a timestamp written during the sessions, "now", is the same moment; undo steps' own ids
are left out, see _without_step_ids). A read one engine runs
and the other does not must come from review/store/ (pragmas and begin are not reads).

Runs in the PostgreSQL pass only (SAVEDESK_TEST_STORE=postgresql: make test-pg, .ci/run); the
SQLite-only pass skips it rather than start a server.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ON_SERVER

pytestmark = pytest.mark.skipif(
    not ON_SERVER, reason="the replay needs the PostgreSQL pass (make test-pg)"
)

ROOT = Path(__file__).resolve().parents[1]
REVIEW = str(ROOT / "review") + "/"
STORE_MODULES = str(ROOT / "review" / "store") + "/"
SEARCHES = ("退款", "отмен", "refund", "Refund отмен")
MADE_ON = "2025-01-06"


# the store's own frames, skipped to find the line of review/ that ran a statement
STORE_FILES = (
    "review/store/store.py",
    "review/store/sqlite_store.py",
    "review/store/server_store.py",
)


class Trace:
    """The statements of one session, each with the line of review/ (or reports/, desktop/,
    tests/) that ran it."""

    def __init__(self) -> None:
        self.statements: list[tuple[tuple[str, int], str, object, object]] = []

    def __call__(self, sql, params, rows) -> None:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.endswith(STORE_FILES):
            frame = frame.f_back
        site = (frame.f_code.co_filename, frame.f_lineno) if frame else ("?", 0)
        self.statements.append((site, sql, params, rows))

    def by_site(self) -> dict[tuple[tuple[str, int], int], tuple[str, object, object]]:
        seen: Counter = Counter()
        keyed = {}
        for site, sql, params, rows in self.statements:
            keyed[(site, seen[site])] = (sql, params, rows)
            seen[site] += 1
        return keyed


def session(target) -> None:
    """What a lead does in a morning, through review/ (and reports' figures)."""
    from reports.build import report_figures
    from review.figures.export_rows import export_rows
    from review.figures.overview import overview
    from review.figures.store_contents import store_counts
    from review.filters import Filters
    from review.operations.core import Actor, Call, run
    from review.retention.losses import loss_reasons
    from review.reviewing import browse, queues
    from review.reviewing.first_page import first_ids
    from review.reviewing.rubrics import current_rubric
    from review.store import connect
    from review.store.search import search

    db = connect(target)
    try:
        store_counts(db)
        overview(db, Filters(), made_on=MADE_ON)
        ids = browse.conversation_ids(db)
        overview(db, Filters(date_from="2024-01-01", date_to="2024-12-31"), made_on=MADE_ON)
        for words in SEARCHES:
            search(db, words)
            query = browse.ListQuery(search=words)
            browse.conversation_ids(db, query)
            browse.count_conversations(db, query)
            first_ids(db, query)
        for sort in browse.SORT_KEYS:
            for descending in (True, False):
                browse.conversation_ids(db, browse.ListQuery(sort=sort, descending=descending))
        browse.rows_by_ids(db, ids[:200])
        for cid in ids[:5]:
            browse.thread(db, cid)
        agents = browse.agents(db)
        browse.teams(db)
        browse.channels(db)
        browse.statuses(db)
        agent_id = agents[0].id
        for kind in ("saved-revenue", "quality", "coaching"):
            report_figures(db, kind, Filters(), agent_id=agent_id, made_on=MADE_ON)
        for kind in ("conversations", "reviews", "saves", "losses"):
            list(export_rows(db, kind).rows)
        _more_questions(db, ids, agents)

        me = Actor("replay-session", "Replay Reviewer")
        cid = ids[-1]
        rubric = current_rubric(db)
        for category, rating in zip(rubric.categories, (4, 2, 3, 5), strict=False):
            run(db, me, Call("rate", {"conversation_id": cid, "category_id": category.id,
                                      "rating": rating}))  # fmt: skip
        first = rubric.categories[0].id
        run(db, me, Call("comment", {"conversation_id": cid, "category_id": first,
                                     "text": "Спасибо: тёплый тон, 退款 explained"}))  # fmt: skip
        run(db, me, Call("overall-comment", {"conversation_id": cid, "text": "Good save"}))
        run(db, me, Call("tag-save", {"conversation_id": cid, "mrr": "49.00", "currency": "USD",
                                      "method": "discount", "saved_on": "2024-06-03"}))  # fmt: skip
        reason = loss_reasons(db)[0].id
        run(db, me, Call("tag-loss", {"conversation_id": ids[-2], "mrr": "20.00",
                                      "currency": "EUR", "reason_id": reason,
                                      "lost_on": "2024-06-04"}))  # fmt: skip
        reviews = [r[0] for r in db.execute("select id from reviews order by id desc limit 2")]
        run(db, me, Call("save-note", {"agent_id": agent_id, "text": "Keep the warm tone",
                                       "review_ids": reviews, "follow_up": "2024-07-01",
                                       "items": [{"text": "Read the refund policy",
                                                  "due": "2024-06-20",
                                                  "category_ids": [first]}]}))  # fmt: skip
        built = run(db, me, Call("build-queue", {"name": "Replay week",
                                                 "filters": {"date_from": "2024-01-01"},
                                                 "sample_per_agent_per_week": 2,
                                                 "seed": 7}))  # fmt: skip
        queue_id = built.value
        queues.queue_items(db, queue_id)
        run(db, me, Call("queue-position", {"queue_id": queue_id, "position": 1}))
        queues.queue_progress(db, queue_id)
        queues.list_queues(db)
        run(db, me, Call("undo", {}))
        _more_edits(db, me, ids, rubric)
        overview(db, Filters(), made_on=MADE_ON)
        report_figures(db, "coaching", Filters(), agent_id=agent_id, made_on=MADE_ON)
        browse.rows_by_ids(db, [cid, ids[-2]])
    finally:
        db.close()


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def _now_blind(value, since: str):
    # the sessions run seconds apart: a timestamp written during one ("now") is the same moment
    if isinstance(value, str):
        return _STAMP.sub(lambda m: "<now>" if m.group(0) >= since else m.group(0), value)
    return value


def _more_questions(db, ids, agents) -> None:
    """The figures' drill-downs, comparisons and agreement, every filter, the lookups, the
    list's first page and the billing check, on the demo as built."""
    from review.figures import drilldown
    from review.figures.agent_comparison import agent_comparison
    from review.figures.agreement import multi_reviewed, reviewer_agreement
    from review.figures.lost import lost_mrr_by_reason
    from review.figures.quality import PERIODS, quality_by_category, quality_by_period
    from review.figures.scope import read_scope
    from review.figures.tallies import save_tallies
    from review.filters import Filters
    from review.lookup import find_agent_ids, find_conversation, find_team_ids
    from review.retention.billing import confirm_saves
    from review.retention.churn_store import signals_for_conversation
    from review.reviewing import browse
    from review.reviewing.first_page import first_ids

    scope = read_scope(db)
    for period in PERIODS:
        quality_by_period(scope, period)
    quality_by_category(scope)
    for tally in sorted(save_tallies(scope), key=repr)[:3]:
        drilldown.saved_week_conversation_ids(scope, tally.week)
    for reason in lost_mrr_by_reason(scope)[:3]:
        drilldown.lost_reason_conversation_ids(scope, reason.reason_id)
    drilldown.reviewed_conversation_ids(scope, agents[0].id)
    drilldown.reviewed_conversation_ids(scope, None)
    for period in (None, "month"):
        agent_comparison(scope, agents[0].id, period)
    multi_reviewed(db)
    reviewer_agreement(db)
    teams = browse.teams(db)
    for filters in (
        Filters(date_from="2024-03-01", date_to="2024-09-30"),
        Filters(agent_ids=(agents[0].id, agents[1].id)),
        Filters(team_ids=(teams[0].id,), channels=("email", "chat")),
        Filters(statuses=("solved", "closed"), sources=("zendesk",)),
        Filters(tags=("billing", "refund")),
        Filters(csat="positive"),
        Filters(csat="negative"),
        Filters(csat="any"),
        Filters(reviewed=True),
        Filters(reviewed=False, churn_signal=True),
        Filters(churn_signal=False, min_messages=3, max_messages=8),
        Filters(conversation_ids=tuple(ids[:30])),
    ):
        query = browse.ListQuery(filters=filters)
        browse.conversation_ids(db, query)
        browse.count_conversations(db, query)
        first_ids(db, query)
        read_scope(db, filters)
    for outcome in browse.OUTCOMES:
        browse.conversation_ids(db, browse.ListQuery(outcome=outcome, sort="agent"))
    first_ids(db, browse.ListQuery(filters=Filters(conversation_ids=tuple(ids[:9])),
                                   sort=browse.GIVEN_ORDER))  # fmt: skip
    name = agents[0].name
    find_agent_ids(db, name)
    find_agent_ids(db, name.upper())
    find_team_ids(db, teams[0].name.lower())
    find_conversation(db, ids[3])
    for cid in ids[:20]:
        signals_for_conversation(db, cid)
    confirm_saves(db, "2025-01-06")


def _more_edits(db, me, ids, rubric) -> None:
    """Edits past the morning's: saves and losses changed and removed, a new rubric version and
    a re-score under it, preferences, a billing list and the check it feeds, churn marks found
    again, and undo and redo of each kind."""
    from dataclasses import replace

    from review.operations.core import Call, run
    from review.retention.billing import confirm_saves, import_billing
    from review.retention.churn_store import detect_churn_signals
    from review.reviewing.rescoring import rescore
    from review.reviewing.rubrics import save_rubric, spec_of

    save = db.execute("select id from saves order by id desc limit 1").scalar()
    loss = db.execute("select id from losses order by id desc limit 1").scalar()
    run(db, me, Call("update-save", {"save_id": save, "values": {"mrr": "59.50",
                                                                 "story": "Kept on annual"}}))  # fmt: skip
    run(db, me, Call("update-loss", {"loss_id": loss, "values": {"preventable": True,
                                                                 "customer_words": "too dear"}}))  # fmt: skip
    run(db, me, Call("undo", {}))
    run(db, me, Call("redo", {}))
    run(db, me, Call("delete-loss", {"loss_id": loss}))
    run(db, me, Call("undo", {}))
    run(db, me, Call("add-loss-reason", {"name": "Moved to a rival", "parent": None}))
    run(db, me, Call("preferences", {"base_currency": "EUR", "rates": {"USD": "0.92"},
                                     "confirm_days": 21, "churn_folder": ""}))  # fmt: skip
    spec = spec_of(rubric)
    newer = save_rubric(db, replace(spec, description=(spec.description or "") + " (v2)",
                                    categories=spec.categories[:-1]))  # fmt: skip
    rescore(db, newer.id)
    run(db, me, Call("rate", {"conversation_id": ids[-3], "category_id":
                              newer.categories[0].id, "rating": 1}))  # fmt: skip
    run(db, me, Call("delete-review", {"review_id": db.execute(
        "select max(id) from reviews").scalar()}))  # fmt: skip
    run(db, me, Call("undo", {}))
    folder = Path(__file__).resolve().parents[1] / "resources" / "demo"
    import_billing(db, folder / "billing.csv")
    confirm_saves(db, "2025-03-01")
    detect_churn_signals(db, ids[:40])
    run(db, me, Call("draft", {"key": f"comment:{ids[-1]}", "text": "half a thought"}))
    run(db, me, Call("drop-draft", {"key": f"comment:{ids[-1]}"}))


def _without_step_ids(rows: list) -> list:
    # Undo steps discarded from the redo end are deleted; SQLite then hands their ids out again
    # (the newest rowid + 1) and PostgreSQL's sequence never does. Nobody sees those ids: a
    # read of undo_log (its id first) is compared without them.
    return [(None, *row[1:]) if row else row for row in rows]


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def _rows_differ(sql: str, mine, theirs, since: str) -> str | None:
    left = [tuple(_now_blind(v, since) for v in row) for row in mine]
    right = [tuple(_now_blind(v, since) for v in row) for row in theirs]
    if "order by" not in sql.lower():
        left, right = sorted(left, key=repr), sorted(right, key=repr)
    if len(left) != len(right):
        return f"{len(left)} rows on SQLite, {len(right)} on PostgreSQL"
    for i, (x, y) in enumerate(zip(left, right, strict=True)):
        if len(x) != len(y) or not all(_same(p, q) for p, q in zip(x, y, strict=True)):
            return f"row {i}: {x!r} on SQLite, {y!r} on PostgreSQL"
    return None


def _is_read(sql: str) -> bool:
    return sql.lstrip().lower().startswith(("select", "with"))


@pytest.fixture
def two_stores(tmp_path, pg_server, pg_databases, _migrated_template):
    from review.demo import build_demo
    from tests.pgcopy import copy_to_server

    path = tmp_path / "demo.db"
    build_demo(path)
    url = pg_server.url(pg_databases.create(_migrated_template[2]))
    copy_to_server(path, url)
    return path, url


def test_every_statement_gives_the_same_rows_on_both_engines(two_stores):
    from review.store.store import tracing

    path, url = two_stores
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    traces = {}
    for name, target in (("sqlite", path), ("postgresql", url)):
        traces[name] = Trace()
        with tracing(traces[name]):
            session(target)
    mine, theirs = traces["sqlite"].by_site(), traces["postgresql"].by_site()

    compared, differences = 0, []
    by_module: dict[str, int] = defaultdict(int)
    for key in mine.keys() & theirs.keys():
        sql, params, rows = mine[key]
        other_sql, _, other_rows = theirs[key]
        if rows is None or other_rows is None or not _is_read(sql):
            continue
        compared += 1
        by_module[Path(key[0][0]).relative_to(ROOT).as_posix()] += 1
        if "from undo_log" in sql:
            rows, other_rows = _without_step_ids(rows), _without_step_ids(other_rows)
        problem = _rows_differ(sql, rows, other_rows, since)
        if problem:
            differences.append(f"{key[0][0]}:{key[0][1]}: {problem}\n  {' '.join(sql.split())}")
    one_sided = sorted(
        f"{site[0]}:{site[1]}"
        for trace in (mine, theirs)
        for site, k in (mine.keys() ^ theirs.keys()) & trace.keys()
        if not site[0].startswith(STORE_MODULES) and _is_read(trace[(site, k)][0])
    )
    print(
        f"\ndialect replay: {compared} read statements compared "
        f"({len(traces['sqlite'].statements)} run on SQLite, "
        f"{len(traces['postgresql'].statements)} on PostgreSQL), {len(differences)} differences"
    )
    for module, count in sorted(by_module.items()):
        print(f"  {count:5d}  {module}")
    assert not differences, "\n".join(differences)
    assert not one_sided, "statements run on one engine only:\n" + "\n".join(one_sided)
    assert compared > 300
    assert any(site[0].startswith(REVIEW) for site, _ in mine)  # the trace sees review/'s lines
