"""The queries behind the conversation list and the reader (the GUI holds no SQL).

The list is a lazy table (STYLE.md section 3): `conversation_ids` runs one indexed query for the
ordered ids, `rows_by_ids` fetches the visible page in one `where id in (...)` query, and
`thread` loads one conversation for the reader. Tables that later schema steps add (reviews,
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
from review.store import Store, connect
from review.store.search import CONVERSATION_OF_ROWID, match_expression

# sort key -> (SQL expression over `c`, joins it needs). Every key ends with c.id as tie-break so
# the order is total and stable between page loads.
_SORTS: dict[str, tuple[str, str]] = {
    "created_at": ("c.created_at", ""),
    "subject": ("c.subject collate nocase", ""),
    "customer": ("cu.name collate nocase", "left join customers cu on cu.id = c.customer_id"),
    "agent": ("a.name collate nocase", "left join agents a on a.id = c.agent_id"),
    "team": ("t.name collate nocase", "left join teams t on t.id = c.team_id"),
    "channel": ("c.channel", ""),
    "status": ("c.status", ""),
    "messages": ("c.message_count", ""),
    "csat": (
        "(select max(r.score) from ratings r where r.conversation_id = c.id and r.kind = 'csat')",
        "",
    ),
    "score": ("(select avg(v.score) from reviews v where v.conversation_id = c.id)", ""),
}
SORT_KEYS: tuple[str, ...] = tuple(_SORTS)
# Sort key that keeps the order of `filters.conversation_ids` (a review queue's order).
GIVEN_ORDER = "given"
OUTCOMES: tuple[str, ...] = ("saved", "lost")


@dataclass(frozen=True)
class ListQuery:
    """What the list shows: filters, an optional full-text search, an outcome, and the order.

    `outcome` "saved" or "lost" keeps conversations tagged as a save or a loss.
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


@dataclass(frozen=True)
class ThreadMessage:
    """One message or event of a conversation, as the reader shows it."""

    id: int
    kind: str  # message | event
    author_role: str  # customer | agent | bot | system | unknown
    author_name: str | None
    is_internal: bool
    created_at: str | None
    body_text: str


# Freshdesk's satisfaction survey answers: a number on its ±103 scale, and what it stands for.
_FRESHDESK_ANSWERS = {
    "103": "Extremely happy",
    "102": "Very happy",
    "101": "Happy",
    "100": "Neutral",
    "-101": "Unhappy",
    "-102": "Very unhappy",
    "-103": "Extremely unhappy",
}
_OUT_OF = {"1-5": 5, "0-10": 10}


def rating_text(scale: str | None, raw_value: str | None, *, short: bool = False) -> str:
    """A satisfaction answer as a person reads it: "good", "4 of 5" ("4/5" when `short`),
    "Very happy" for Freshdesk's 102; the raw answer on a scale savedesk does not know."""
    if raw_value is None:
        return ""
    if scale == "freshdesk-103":
        return _FRESHDESK_ANSWERS.get(raw_value, raw_value)
    if scale in _OUT_OF:
        return f"{raw_value}/{_OUT_OF[scale]}" if short else f"{raw_value} of {_OUT_OF[scale]}"
    return raw_value


@dataclass(frozen=True)
class RatingAnswer:
    """A CSAT or NPS answer attached to the conversation."""

    kind: str
    scale: str | None
    raw_value: str | None
    score: float | None
    positive: bool | None
    comment: str | None

    @property
    def shown(self) -> str:
        """The answer as a person reads it (see rating_text)."""
        return rating_text(self.scale, self.raw_value)


@dataclass(frozen=True)
class ChurnMark:
    """A churn-signal phrase found in one message."""

    message_id: int | None
    phrase: str
    intent: str | None


@dataclass(frozen=True)
class ConversationDetail:
    """Everything the reader shows about one conversation."""

    id: int
    source: str
    external_id: str
    number: str | None
    subject: str | None
    channel: str | None
    status: str | None
    created_at: str | None
    customer: str | None
    customer_email: str | None
    agent_id: int | None
    agent: str | None
    team: str | None
    tags: list[str]
    ratings: list[RatingAnswer]
    messages: list[ThreadMessage]
    churn: list[ChurnMark]


def _tables(db: Store) -> set[str]:
    return db.tables()


def _outcome_clause(outcome: str | None, tables: set[str]) -> str:
    if outcome is None:
        return ""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    table = "saves" if outcome == "saved" else "losses"
    if table not in tables:
        return " and 0"
    return f" and c.id in (select conversation_id from {table})"


def _search_clause(text: str, params: dict) -> str:
    expression = match_expression(text) if text.strip() else ""
    if not expression:
        return ""
    params["fts_query"] = expression
    return (
        f" and c.id in (select {CONVERSATION_OF_ROWID} from search_messages "
        "where search_messages match :fts_query "
        "union all select rowid from search_subjects where search_subjects match :fts_query)"
    )


def _where(db: Store, query: ListQuery, tables: set[str]) -> tuple[str, dict]:
    filters = query.filters
    extra = []
    # conversation_where names reviews/churn_signals; before those tables exist they are empty.
    if filters.reviewed is not None and "reviews" not in tables:
        extra.append("1" if filters.reviewed is False else "0")
        filters = replace(filters, reviewed=None)
    if filters.churn_signal is not None and "churn_signals" not in tables:
        extra.append("1" if filters.churn_signal is False else "0")
        filters = replace(filters, churn_signal=None)
    sql, params = conversation_where(filters, "c")
    for clause in extra:
        sql += f" and {clause}"
    sql += _outcome_clause(query.outcome, tables)
    sql += _search_clause(query.search, params)
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
    direction = "desc" if query.descending else "asc"
    where, params = _where(db, query, tables)
    sql = (
        f"select c.id from conversations c {join} where {where} "
        f"order by {expression} {direction}, c.id {direction}"
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
        "(select avg(v.score) from reviews v where v.conversation_id = c.id)"
        if "reviews" in tables
        else "null"
    )
    review_count = (
        "(select count(*) from reviews v where v.conversation_id = c.id)"
        if "reviews" in tables
        else "0"
    )

    def exists(table: str) -> str:
        if table not in tables:
            return "0"
        return f"exists(select 1 from {table} x where x.conversation_id = c.id)"

    id_list = ",".join(str(int(i)) for i in ids)
    sql = f"""
        select c.id, c.created_at, c.subject, cu.name, a.name, t.name, c.channel, c.status,
               c.message_count,
               (select coalesce(r.scale, '') || char(31) || r.raw_value from ratings r
                  where r.conversation_id = c.id and r.kind = 'csat'
                  order by r.created_at desc limit 1),
               (select r.score from ratings r where r.conversation_id = c.id
                  and r.kind = 'nps' order by r.created_at desc limit 1),
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


def thread(db: Store, conversation_id: int) -> ConversationDetail | None:
    """One conversation with its messages in time order, tags, ratings and churn marks."""
    head = db.execute(
        """select c.id, c.source, c.external_id, c.number, c.subject, c.channel, c.status,
                  c.created_at, cu.name, cu.email, c.agent_id, a.name, t.name
           from conversations c
           left join customers cu on cu.id = c.customer_id
           left join agents a on a.id = c.agent_id
           left join teams t on t.id = coalesce(c.team_id, a.team_id)
           where c.id = ?""",
        [conversation_id],
    ).fetchone()
    if head is None:
        return None
    tags = [
        r[0]
        for r in db.execute(
            """select t.name from conversation_tags ct join tags t on t.id = ct.tag_id
               where ct.conversation_id = ? order by t.name""",
            [conversation_id],
        )
    ]
    ratings = [
        RatingAnswer(r[0], r[1], r[2], r[3], None if r[4] is None else bool(r[4]), r[5])
        for r in db.execute(
            """select kind, scale, raw_value, score, positive, comment from ratings
               where conversation_id = ? order by kind, created_at""",
            [conversation_id],
        )
    ]
    messages = [
        ThreadMessage(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6] or "")
        for r in db.execute(
            # a message names its author by id only in most exports: take the name from the
            # people of the conversation's helpdesk
            """select m.id, m.kind, m.author_role,
                      coalesce(m.author_name,
                               case m.author_role
                                 when 'agent' then (select a.name from agents a
                                   where a.source = :source and a.external_id = m.author_external_id)
                                 when 'customer' then (select cu.name from customers cu
                                   where cu.source = :source and cu.external_id = m.author_external_id)
                               end),
                      m.is_internal, m.created_at, m.body_text
               from messages m where m.conversation_id = :id
               order by m.created_at is null, m.created_at, m.id""",
            {"id": conversation_id, "source": head[1]},
        )
    ]
    churn = []
    if "churn_signals" in _tables(db):
        churn = [
            ChurnMark(r[0], r[1], r[2])
            for r in db.execute(
                # the words the customer wrote, which the reader highlights (not the pattern)
                "select message_id, coalesce(matched, phrase), intent from churn_signals "
                "where conversation_id = ? order by id",
                [conversation_id],
            )
        ]
    return ConversationDetail(
        id=head[0],
        source=head[1],
        external_id=head[2],
        number=head[3],
        subject=head[4],
        channel=head[5],
        status=head[6],
        created_at=head[7],
        customer=head[8],
        customer_email=head[9],
        agent_id=head[10],
        agent=head[11],
        team=head[12],
        tags=tags,
        ratings=ratings,
        messages=messages,
        churn=churn,
    )
