"""The queries behind the coaching page of one agent (the GUI holds no SQL).

What the page shows that review.figures and review.reviewing.coaching do not give: who the agent is and
which team they sit in, the reviews that credit them, and the saves and losses credited to them.
An agent is credited as review.figures counts it: the agent a review, save or loss names, else
the conversation's assignee.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from review.errors import NotFound
from review.figures.report_queries import team_agent_ids

REVIEW_AGENT = "coalesce(r.agent_id, c.agent_id)"
SAVE_AGENT = "coalesce(s.agent_id, c.agent_id)"
LOSS_AGENT = "coalesce(l.agent_id, c.agent_id)"


@dataclass(frozen=True)
class AgentInfo:
    """An agent, their team and the team's agents (teams of the same name across helpdesks
    count as one, as in the coaching report)."""

    id: int
    name: str
    team_id: int | None
    team_name: str | None
    team_agent_ids: tuple[int, ...]


@dataclass(frozen=True)
class AgentReview:
    """One review crediting the agent. `created_at` is the conversation's, `reviewed_at` the
    review's last change."""

    review_id: int
    conversation_id: int
    subject: str | None
    created_at: str | None
    reviewer: str
    score: float | None
    critical_failed: bool
    reviewed_at: str


@dataclass(frozen=True)
class AgentSave:
    """One save credited to the agent."""

    id: int
    conversation_id: int
    subject: str | None
    mrr_cents: int
    currency: str
    method: str
    status: str
    saved_on: str
    story: str | None


@dataclass(frozen=True)
class AgentLoss:
    """One loss credited to the agent. `preventable` None means not judged."""

    id: int
    conversation_id: int
    subject: str | None
    mrr_cents: int
    currency: str
    reason: str
    preventable: bool | None
    lost_on: str
    customer_words: str | None


def agent_info(db: Database, agent_id: int) -> AgentInfo:
    """Name and team of an agent; NotFound when there is no such agent."""
    row = db.execute(
        "select a.id, coalesce(a.name, a.email, a.external_id), a.team_id, t.name "
        "from agents a left join teams t on t.id = a.team_id where a.id = ?",
        [agent_id],
    ).fetchone()
    if row is None:
        raise NotFound("agent", agent_id)
    team_ids = team_agent_ids(db, row[2]) if row[2] is not None else ()
    return AgentInfo(row[0], row[1] or f"Agent {row[0]}", row[2], row[3], team_ids)


def agent_reviews(db: Database, agent_id: int) -> list[AgentReview]:
    """Every review crediting the agent, newest conversation first."""
    return [
        AgentReview(*r[:6], bool(r[6]), r[7])
        for r in db.execute(
            f"""select r.id, r.conversation_id, c.subject, c.created_at, r.reviewer, r.score,
                       r.critical_failed, r.updated_at
                from reviews r join conversations c on c.id = r.conversation_id
                where {REVIEW_AGENT} = ?
                order by c.created_at desc, r.conversation_id desc, r.reviewer""",
            [agent_id],
        )
    ]


def agent_saves(db: Database, agent_id: int) -> list[AgentSave]:
    """Saves credited to the agent (every status), newest first."""
    return [
        AgentSave(*r)
        for r in db.execute(
            f"""select s.id, s.conversation_id, c.subject, s.mrr_cents, s.currency, s.method,
                       s.status, s.saved_on, s.story
                from saves s join conversations c on c.id = s.conversation_id
                where {SAVE_AGENT} = ? order by s.saved_on desc, s.id desc""",
            [agent_id],
        )
    ]


def agent_losses(db: Database, agent_id: int) -> list[AgentLoss]:
    """Losses credited to the agent, newest first, with the reason's name."""
    return [
        AgentLoss(*r[:6], None if r[6] is None else bool(r[6]), *r[7:])
        for r in db.execute(
            f"""select l.id, l.conversation_id, c.subject, l.mrr_cents, l.currency,
                       coalesce(lr.name, '?'), l.preventable, l.lost_on, l.customer_words
                from losses l join conversations c on c.id = l.conversation_id
                left join loss_reasons lr on lr.id = l.reason_id
                where {LOSS_AGENT} = ? order by l.lost_on desc, l.id desc""",
            [agent_id],
        )
    ]
