"""The SQL behind review.figures.report_figures: what review.figures and the other domain modules do not
offer (excerpts, rows of report tables, names for the cover block).

Every query takes the conversation condition of a Filters (`conversation_where(f, "c")`) so
each figure rests on the same conversations the report's filters describe.
"""

from __future__ import annotations

from sqlite_utils import Database

from review.filters import Filters, conversation_where

Scope = tuple[str, dict]


def scope(filters: Filters) -> Scope:
    """The (condition, params) on conversations `c` that `filters` selects."""
    return conversation_where(filters, "c")


def names(db: Database, table: str, ids: tuple[int, ...]) -> list[str]:
    """Names of agents or teams by id, in id order (the id itself where a name is missing)."""
    if table not in ("agents", "teams") or not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = dict(db.execute(f"select id, name from {table} where id in ({marks})", list(ids)))
    return [found.get(i) or f"#{i}" for i in ids]


def agent_team(db: Database, agent_id: int) -> tuple[str, int | None, str | None]:
    """(agent name, team id, team name) of an agent."""
    row = db.execute(
        "select a.name, a.team_id, t.name from agents a left join teams t on t.id = a.team_id "
        "where a.id = ?",
        [agent_id],
    ).fetchone()
    return (row[0] or f"#{agent_id}", row[1], row[2]) if row else (f"#{agent_id}", None, None)


def count_conversations(db: Database, where: Scope) -> int:
    """Conversations in scope."""
    return db.execute(
        f"select count(*) from conversations c where {where[0]}", where[1]
    ).fetchone()[0]


def churn_intent_count(db: Database, where: Scope) -> int:
    """Conversations in scope with at least one churn signal."""
    return db.execute(
        f"""select count(*) from conversations c where {where[0]}
            and exists (select 1 from churn_signals s where s.conversation_id = c.id)""",
        where[1],
    ).fetchone()[0]


def saves_rows(db: Database, where: Scope, agent_id: int | None = None) -> list[tuple]:
    """Saves in scope (failed ones too): (id, conversation_id, cents, currency, method, status,
    saved_on, story, agent name, has churn signal)."""
    extra, params = "", dict(where[1])
    if agent_id is not None:
        extra, params["credited"] = " and coalesce(s.agent_id, c.agent_id) = :credited", agent_id
    return db.execute(
        f"""select s.id, s.conversation_id, s.mrr_cents, s.currency, s.method, s.status,
                   s.saved_on, coalesce(s.story, ''), coalesce(a.name, '(no agent)'),
                   exists (select 1 from churn_signals x where x.conversation_id = c.id)
            from saves s join conversations c on c.id = s.conversation_id
            left join agents a on a.id = coalesce(s.agent_id, c.agent_id)
            where {where[0]}{extra} order by s.saved_on, s.id""",
        params,
    ).fetchall()


def losses_rows(db: Database, where: Scope, agent_id: int | None = None) -> list[tuple]:
    """Losses in scope: (id, conversation_id, cents, currency, reason, preventable, lost_on,
    customer words, has churn signal)."""
    extra, params = "", dict(where[1])
    if agent_id is not None:
        extra, params["credited"] = " and coalesce(l.agent_id, c.agent_id) = :credited", agent_id
    return db.execute(
        f"""select l.id, l.conversation_id, l.mrr_cents, l.currency, r.name, l.preventable,
                   l.lost_on, coalesce(l.customer_words, ''),
                   exists (select 1 from churn_signals x where x.conversation_id = c.id)
            from losses l join conversations c on c.id = l.conversation_id
            join loss_reasons r on r.id = l.reason_id
            where {where[0]}{extra} order by l.lost_on, l.id""",
        params,
    ).fetchall()


def conversation_refs(db: Database, ids: list[int]) -> dict[int, tuple]:
    """(id, number, external_id, subject, channel, created_at, customer name, email, phone)."""
    if not ids:
        return {}
    marks = ",".join(str(int(i)) for i in ids)
    return {
        row[0]: row
        for row in db.execute(
            f"""select c.id, c.number, c.external_id, c.subject, c.channel, c.created_at,
                       cu.name, cu.email, cu.phone
                from conversations c left join customers cu on cu.id = c.customer_id
                where c.id in ({marks})"""
        )
    }


def excerpt_messages(db: Database, conversation_id: int, limit: int = 4) -> list[tuple]:
    """Messages to quote, as (role, author, created_at, text): the customer message where a
    churn signal was found (else the first customer message) and what follows it, people only,
    internal notes left out."""
    signal = db.execute(
        """select m.created_at from churn_signals s join messages m on m.id = s.message_id
           where s.conversation_id = ? order by m.created_at limit 1""",
        [conversation_id],
    ).fetchone()
    start = signal[0] if signal else ""
    return db.execute(
        """select author_role, coalesce(author_name, ''), coalesce(created_at, ''), body_text
           from messages
           where conversation_id = ? and kind = 'message' and is_internal = 0
             and author_role in ('customer', 'agent') and coalesce(body_text, '') != ''
             and coalesce(created_at, '') >= ?
           order by created_at, id limit ?""",
        [conversation_id, start, limit],
    ).fetchall()


def review_rows(db: Database, where: Scope, agent_ids: tuple[int, ...] | None) -> list[tuple]:
    """Reviews in scope (of `agent_ids` when given): (id, conversation_id, reviewer, created_at,
    score, critical_failed, overall_comment, agent_id, agent name, team name, channel,
    conversation created_at)."""
    extra = ""
    if agent_ids is not None:
        ids = ",".join(str(int(a)) for a in agent_ids) or "null"
        # The agent a review credits, as review.figures counts it.
        extra = f" and coalesce(r.agent_id, c.agent_id) in ({ids})"
    return db.execute(
        f"""select r.id, r.conversation_id, r.reviewer, r.created_at, r.score, r.critical_failed,
                   coalesce(r.overall_comment, ''), coalesce(r.agent_id, c.agent_id), a.name,
                   coalesce(t.name, ct.name), coalesce(c.channel, 'unknown'), c.created_at
            from reviews r join conversations c on c.id = r.conversation_id
            left join agents a on a.id = coalesce(r.agent_id, c.agent_id)
            left join teams t on t.id = a.team_id
            left join teams ct on ct.id = c.team_id
            where {where[0]}{extra} order by c.created_at, r.id""",
        where[1],
    ).fetchall()


def ratings_of(db: Database, review_ids: list[int]) -> list[tuple]:
    """(review_id, category key, category name, scale, min, max, rating, is_na, comment) of the
    given reviews, in rubric order."""
    if not review_ids:
        return []
    out: list[tuple] = []
    for i in range(0, len(review_ids), 900):
        chunk = ",".join(str(int(r)) for r in review_ids[i : i + 900])
        out += db.execute(
            f"""select rr.review_id, rc.key, rc.name, rc.scale, rc.scale_min, rc.scale_max,
                       rr.rating, rr.is_na, coalesce(rr.comment, '')
                from review_ratings rr join rubric_categories rc on rc.id = rr.category_id
                where rr.review_id in ({chunk}) order by rr.review_id, rc.position"""
        ).fetchall()
    return out


def team_agent_ids(db: Database, team_id: int) -> tuple[int, ...]:
    """Agents of a team, counting teams of the same name from other helpdesks as one (a team
    that moved from Zendesk to Intercom is still the same people)."""
    return tuple(
        r[0]
        for r in db.execute(
            """select a.id from agents a join teams t on t.id = a.team_id
               where t.id = :team or (t.name is not null
                 and t.name = (select name from teams where id = :team))""",
            {"team": team_id},
        )
    )


def agents_in_scope(db: Database, where: Scope) -> list[tuple]:
    """Agents of the conversations in scope: (id, name, team name)."""
    return db.execute(
        f"""select distinct a.id, a.name, t.name from conversations c
            join agents a on a.id = c.agent_id left join teams t on t.id = a.team_id
            where {where[0]}""",
        where[1],
    ).fetchall()


def conversation_ids(db: Database, where: Scope) -> list[int]:
    """Ids of the conversations in scope."""
    return [
        r[0] for r in db.execute(f"select c.id from conversations c where {where[0]}", where[1])
    ]
