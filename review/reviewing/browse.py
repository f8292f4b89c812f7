"""The queries behind the conversation list (the GUI holds no SQL).

The list is a lazy table (STYLE.md section 3): `conversation_ids` runs one indexed query for the
ordered ids, `rows_by_ids` fetches the visible page in one `where id in (...)` query; the
reader's conversation comes from review.reviewing.thread (re-exported here). Tables that later schema steps add (reviews,
churn_signals, saves, losses) are used when present and read as empty when not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from review.filters import Filters, conversation_where

# Re-exported: the list's and pages' choices live in review.reviewing.choices.
from review.reviewing.choices import (  # noqa: F401
    Named,
    agent_names,
    agents,
    channels,
    conversation_agent,
    people_counts,
    statuses,
    teams,
)

# Re-exported: the reader's conversation lives in review.reviewing.thread.
from review.reviewing.thread import (  # noqa: F401
    ChurnMark,
    ConversationDetail,
    RatingAnswer,
    ThreadMessage,
    rating_text,
    thread,
)
from review.store import Store, connect
from review.store.search_match import has_terms, matching_conversations

# sort key -> (SQL expression over `c`, joins it needs). Every key ends with c.id as tie-break so
# the order is total and stable between page loads. Names sort regardless of case.
_BY_NAME = ("subject", "customer", "agent", "team")
_SORTS: dict[str, tuple[str, str]] = {
    "created_at": ("c.created_at", ""),
    "subject": ("c.subject", ""),
    "customer": ("cu.name", "left join customers cu on cu.id = c.customer_id"),
    "agent": ("a.name", "left join agents a on a.id = c.agent_id"),
    "team": ("t.name", "left join teams t on t.id = c.team_id"),
    "channel": ("c.channel", ""),
    "status": ("c.status", ""),
    "messages": ("c.message_count", ""),
    "csat": (
        "(select max(r.score) from ratings r where r.conversation_id = c.id and r.kind = 'csat')",
        "",
    ),
    "score": (
        "(select avg(v.score) from reviews v where v.conversation_id = c.id"
        " and v.calibration_session_id is null)",
        "",
    ),
}
SORT_KEYS: tuple[str, ...] = tuple(_SORTS)
# Sort key that keeps the order of `filters.conversation_ids` (a review queue's order).
GIVEN_ORDER = "given"
# Each outcome keeps the conversations one figure counts, so a view's count is that figure's n
# (DOMAIN.md): "saved", saves that held (pending or confirmed: saved MRR's n); "save-failed",
# saves the billing list showed gone (kept nothing; the save rate still counts them); "lost",
# losses that are not the right outcome (lost MRR's n); "right-outcome", losses with a Not a fit
# reason (reported apart).
_RIGHT = "(select id from loss_reasons where outcome = 'right_outcome')"
_OUTCOME_ROWS: dict[str, tuple[str, str]] = {
    "saved": ("saves", "status <> 'failed'"),
    "save-failed": ("saves", "status = 'failed'"),
    "lost": ("losses", f"reason_id not in {_RIGHT}"),
    "right-outcome": ("losses", f"reason_id in {_RIGHT}"),
}
OUTCOMES: tuple[str, ...] = tuple(_OUTCOME_ROWS)


@dataclass(frozen=True)
class ListQuery:
    """What the list shows: filters, an optional full-text search, an outcome, and the order.

    `outcome` (one of OUTCOMES) keeps the conversations a retention figure counts: "saved"
    (saves that held), "save-failed", "lost" (Not a fit apart) or "right-outcome".
    `sort` GIVEN_ORDER lists them in the order of `filters.conversation_ids`.
    """

    filters: Filters = field(default_factory=Filters)
    search: str = ""
    outcome: str | None = None
    sort: str = "created_at"
    descending: bool = True


@dataclass(frozen=True)
class ListRow:
    """One line of the conversation list."""

    id: int
    created_at: str | None
    subject: str | None
    customer: str | None
    agent: str | None
    team: str | None
    channel: str | None
    status: str | None
    message_count: int
    csat: str | None  # the latest answer as read ("good", "4/5", "Very happy") or None
    nps: float | None
    score: float | None  # mean of the reviews' scores, None when unreviewed or unscored
    reviews: int
    churn_signal: bool
    saved: bool
    lost: bool


def _tables(db: Store) -> set[str]:
    return db.tables()


def _outcome_clause(outcome: str | None, tables: set[str]) -> str:
    if outcome is None:
        return ""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    table, condition = _OUTCOME_ROWS[outcome]
    if table not in tables:
        return " and 1 = 0"
    return f" and c.id in (select conversation_id from {table} where {condition})"


def _search_clause(db: Store, text: str, params: dict) -> str:
    if not has_terms(text):
        return ""
    matching, values = matching_conversations(db, text, "fts_query")
    params.update(values)
    return f" and c.id in ({matching})"


def _where(db: Store, query: ListQuery, tables: set[str]) -> tuple[str, dict]:
    filters = query.filters
    extra = []
    # conversation_where names reviews/churn_signals; before those tables exist they are empty.
    if filters.reviewed is not None and "reviews" not in tables:
        extra.append("1 = 1" if filters.reviewed is False else "1 = 0")
        filters = replace(filters, reviewed=None)
    if filters.churn_signal is not None and "churn_signals" not in tables:
        extra.append("1 = 1" if filters.churn_signal is False else "1 = 0")
        filters = replace(filters, churn_signal=None)
    sql, params = conversation_where(filters, "c")
    for clause in extra:
        sql += f" and {clause}"
    sql += _outcome_clause(query.outcome, tables)
    sql += _search_clause(db, query.search, params)
    return sql, params


def conversation_ids(
    db: Store, query: ListQuery | None = None, limit: int | None = None
) -> list[int]:
    """The ids of the conversations `query` selects, in its order (the list's whole content,
    or its first `limit`).

    One query; with the default order it walks the created_at index.
    """
    query = query or ListQuery()
    tables = _tables(db)
    if query.sort == GIVEN_ORDER and query.filters.conversation_ids is not None:
        return _in_given_order(db, query, tables)
    sort = query.sort if query.sort in _SORTS else "created_at"
    expression, join = _SORTS[sort]
    if sort == "score" and "reviews" not in tables:
        expression = "null"
    if sort in _BY_NAME:
        expression = db.dialect.nocase(expression)
    direction = "desc" if query.descending else "asc"
    where, params = _where(db, query, tables)
    sql = (
        f"select c.id from conversations c {join} where {where} "
        f"order by {db.dialect.order(expression, descending=query.descending)}, "
        f"c.id {direction}"
    )
    if limit is not None:
        sql += " limit :limit"
        params["limit"] = limit
    return [row[0] for row in db.execute(sql, params)]


def _in_given_order(db: Store, query: ListQuery, tables: set[str]) -> list[int]:
    where, params = _where(db, query, tables)
    selected = {
        row[0] for row in db.execute(f"select c.id from conversations c where {where}", params)
    }
    ids = [cid for cid in dict.fromkeys(query.filters.conversation_ids or ()) if cid in selected]
    return ids[::-1] if query.descending else ids


def count_conversations(db: Store, query: ListQuery | None = None) -> int:
    """How many conversations `query` selects (the order is ignored)."""
    query = query or ListQuery()
    where, params = _where(db, query, _tables(db))
    return db.execute(f"select count(*) from conversations c where {where}", params).fetchone()[0]


def count_views(db_path: str | os.PathLike, queries: list[ListQuery]) -> list[int]:
    """Each query's count on a connection of its own (the window counts its sidebar's views
    on a worker thread with it)."""
    db = connect(db_path, read_only=True)
    try:
        return [count_conversations(db, query) for query in queries]
    finally:
        db.close()


def ids_on_own_connection(db_path: str | os.PathLike, query: ListQuery) -> list[int]:
    """conversation_ids on a read-only connection of its own (for a worker thread)."""
    db = connect(db_path, read_only=True)
    try:
        return conversation_ids(db, query)
    finally:
        db.close()


def rows_by_ids(db: Store, ids: list[int]) -> dict[int, ListRow]:
    """List rows for `ids` (one query), keyed by id; ids that no longer exist are absent."""
    if not ids:
        return {}
    tables = _tables(db)
    score = (
        "(select avg(v.score) from reviews v where v.conversation_id = c.id "
        "and v.calibration_session_id is null)"
        if "reviews" in tables
        else "null"
    )
    review_count = (
        "(select count(*) from reviews v where v.conversation_id = c.id "
        "and v.calibration_session_id is null)"
        if "reviews" in tables
        else "0"
    )

    def exists(table: str) -> str:
        if table not in tables:
            return "0"
        return f"exists(select 1 from {table} x where x.conversation_id = c.id)"

    id_list = ",".join(str(int(i)) for i in ids)
    latest = db.dialect.order("r.created_at", descending=True)
    sql = f"""
        select c.id, c.created_at, c.subject, cu.name, a.name, t.name, c.channel, c.status,
               c.message_count,
               (select coalesce(r.scale, '') || {db.dialect.char(31)} || r.raw_value from ratings r
                  where r.conversation_id = c.id and r.kind = 'csat'
                  order by {latest} limit 1),
               (select r.score from ratings r where r.conversation_id = c.id
                  and r.kind = 'nps' order by {latest} limit 1),
               {score}, {review_count}, {exists("churn_signals")}, {exists("saves")},
               {exists("losses")}
        from conversations c
        left join customers cu on cu.id = c.customer_id
        left join agents a on a.id = c.agent_id
        left join teams t on t.id = coalesce(c.team_id, a.team_id)
        where c.id in ({id_list})
    """
    rows = {}
    for r in db.execute(sql):
        rows[r[0]] = ListRow(
            id=r[0],
            created_at=r[1],
            subject=r[2],
            customer=r[3],
            agent=r[4],
            team=r[5],
            channel=r[6],
            status=r[7],
            message_count=r[8] or 0,
            csat=rating_text(*r[9].split("\x1f", 1), short=True) if r[9] else None,
            nps=r[10],
            score=r[11],
            reviews=r[12],
            churn_signal=bool(r[13]),
            saved=bool(r[14]),
            lost=bool(r[15]),
        )
    return rows
