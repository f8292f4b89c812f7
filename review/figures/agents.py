"""One agent: who they are and which team they sit in, and the reviews, saves and losses that
credit them (the agent a record names, else the conversation's assignee), for the coaching page
and the coaching review.

An agent's team is their team by name: teams of one name across helpdesks are one team, and the
team's figures are those of the conversations of that team (as the Team filter selects them).
"""

from __future__ import annotations

from dataclasses import dataclass

from review.errors import NotFound
from review.figures.scope import LOSS_AGENT, REVIEW_AGENT, SAVE_AGENT, Scope
from review.store import Store


@dataclass(frozen=True)
class AgentInfo:
    """An agent and their team: `team_ids` are every team of that name."""

    id: int
    name: str
    team_name: str | None
    team_ids: tuple[int, ...]


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
    """One loss credited to the agent. `preventable` None means not judged; `right_outcome`
    marks a reason that is the right outcome (Not a fit)."""

    id: int
    conversation_id: int
    subject: str | None
    mrr_cents: int
    currency: str
    reason: str
    preventable: bool | None
    lost_on: str
    customer_words: str | None
    right_outcome: bool = False


def agent_info(db: Store, agent_id: int) -> AgentInfo:
    """Name and team of an agent; NotFound when there is no such agent."""
    row = db.execute(
        "select a.id, coalesce(a.name, a.email, a.external_id), t.name from agents a "
        "left join teams t on t.id = a.team_id where a.id = :id",
        {"id": agent_id},
    ).fetchone()
    if row is None:
        raise NotFound("agent", agent_id)
    return AgentInfo(row[0], row[1] or f"Agent {row[0]}", row[2], team_ids(db, row[2]))


def team_ids(db: Store, team_name: str | None) -> tuple[int, ...]:
    """Every team called `team_name` (a team that moved from one helpdesk to another is one)."""
    if not team_name:
        return ()
    return tuple(
        r[0]
        for r in db.execute(
            "select id from teams where lower(coalesce(name, external_id)) = lower(:name) "
            "order by id",
            {"name": team_name},
        )
    )


def agent_reviews(scope: Scope, agent_id: int) -> list[AgentReview]:
    """Every review crediting the agent in scope, newest conversation first."""
    where, params = scope.where(REVIEW_AGENT)
    params["agent"] = agent_id
    return [
        AgentReview(rid, cid, subject, created, reviewer, score, bool(critical), updated)
        for rid, cid, subject, created, reviewer, score, critical, updated in scope.db.execute(
            f"""select r.id, r.conversation_id, c.subject, c.created_at, r.reviewer, r.score,
                       r.critical_failed, r.updated_at
                from reviews r join conversations c on c.id = r.conversation_id
                where {REVIEW_AGENT} = :agent and r.calibration_session_id is null and {where}
                order by c.created_at desc, r.conversation_id desc, r.reviewer""",
            params,
        )
    ]


def agent_saves(scope: Scope, agent_id: int) -> list[AgentSave]:
    """Saves credited to the agent in scope (every status), newest first."""
    where, params = scope.where(SAVE_AGENT)
    params["agent"] = agent_id
    return [
        AgentSave(*r)
        for r in scope.db.execute(
            f"""select s.id, s.conversation_id, c.subject, s.mrr_cents, s.currency, s.method,
                       s.status, s.saved_on, s.story
                from saves s join conversations c on c.id = s.conversation_id
                where {SAVE_AGENT} = :agent and {where} order by s.saved_on desc, s.id desc""",
            params,
        )
    ]


def agent_losses(scope: Scope, agent_id: int) -> list[AgentLoss]:
    """Losses credited to the agent in scope, newest first, with the reason's name."""
    where, params = scope.where(LOSS_AGENT)
    params["agent"] = agent_id
    return [
        AgentLoss(
            lid,
            cid,
            subject,
            cents,
            currency,
            reason,
            None if preventable is None else bool(preventable),
            lost_on,
            words,
            bool(right),
        )  # fmt: skip
        for lid, cid, subject, cents, currency, reason, preventable, lost_on, words, right in scope.db.execute(
            f"""select l.id, l.conversation_id, c.subject, l.mrr_cents, l.currency,
                       coalesce(lr.name, '?'), l.preventable, l.lost_on, l.customer_words,
                       {scope.right_outcome()}
                from losses l join conversations c on c.id = l.conversation_id
                left join loss_reasons lr on lr.id = l.reason_id
                where {LOSS_AGENT} = :agent and {where} order by l.lost_on desc, l.id desc""",
            params,
        )
    ]
